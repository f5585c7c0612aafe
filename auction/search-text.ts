// Keyword search in Chinese without a word segmenter (docs/decisions/024-lot-search.md): a lot's searchable
// text is indexed by every character and every pair of neighbouring characters, and a keyword is looked up by
// its pairs (a one-character keyword by itself), then confirmed as a substring. Pure functions: the same
// normalisation serves the stored document and the keyword, so they always agree.

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

/** Terms the grams alone do not prove present: those of three characters or more (a term of one or two is a gram). */
export function termsToConfirm(terms: string[]): string[] {
  return terms.filter((t) => [...t].length > 2);
}
