// Keyword search in Chinese without a word segmenter (docs/decisions/024-lot-search.md): a lot's searchable
// text is indexed by every character and every pair of neighbouring characters, stored as 32-bit hashes, and a
// keyword is looked up by the hashes of its pairs (a one-character keyword by itself), then confirmed as a
// substring. Pure functions: the same normalisation serves the stored document and the keyword, so they agree.

/** How much of the description is searched: long descriptions would swell the index for little gain. */
export const DOCUMENT_DESCRIPTION_CHARS = 1000;
export const MAX_KEYWORD_TERMS = 5;
export const MAX_TERM_CHARS = 30;

/** Full-width letters and digits as half-width, Latin in lower case: 京Ｎ·Ａ１２３４ and 京n·a1234 match. */
export function normalize(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

/** Runs of letters and digits: punctuation and spaces separate, as a person reads them. */
function runs(text: string): string[] {
  return normalize(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The stored, normalised text of a lot: title, place and the start of the description. */
export function searchDocument(parts: { title: string; place: string; description: string }): string {
  return normalize([parts.title, parts.place, [...parts.description].slice(0, DOCUMENT_DESCRIPTION_CHARS).join("")].join("\n"));
}

/** Every character and every pair of neighbouring characters within a run, once each. */
export function searchGrams(document: string): string[] {
  const grams = new Set<string>();
  for (const run of runs(document)) {
    const chars = [...run];
    chars.forEach((c, i) => {
      grams.add(c);
      if (i + 1 < chars.length) grams.add(c + chars[i + 1]);
    });
  }
  return [...grams];
}

/**
 * A gram as a signed 32-bit integer (FNV-1a over its UTF-8 bytes). An integer array is a quarter the size of the
 * text array and far quicker to test for containment; a collision only lets a lot through to the substring test.
 */
const utf8 = new TextEncoder();

export function gramHash(gram: string): number {
  let h = 0x811c9dc5;
  for (const byte of utf8.encode(gram)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** The hashes of a document's grams, once each, in ascending order. */
export function searchGramHashes(document: string): number[] {
  return [...new Set(searchGrams(document).map(gramHash))].sort((a, b) => a - b);
}

/**
 * A keyword as terms that must all appear: split at spaces and punctuation, normalised, each at most
 * MAX_TERM_CHARS, at most MAX_KEYWORD_TERMS of them (the rest are ignored). No letter or digit: no terms.
 */
export function keywordTerms(keyword: string): string[] {
  const terms = [...new Set(runs(keyword).map((t) => [...t].slice(0, MAX_TERM_CHARS).join("")))];
  return terms.slice(0, MAX_KEYWORD_TERMS);
}

/** The grams a document must hold to contain every term: its pairs, or the character of a one-character term. */
export function termGrams(terms: string[]): string[] {
  const grams = new Set<string>();
  for (const term of terms) {
    const chars = [...term];
    if (chars.length === 1) grams.add(term);
    for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i]! + chars[i + 1]);
  }
  return [...grams];
}
