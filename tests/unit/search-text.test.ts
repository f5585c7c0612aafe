import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gramHash, keywordTerms, MAX_KEYWORD_TERMS, normalize, searchDocument, searchGramHashes, searchGrams, termGrams } from "../../auction/search-text.ts";

describe("keyword search text", () => {
  it("indexes each character and each pair of neighbours within runs of letters and digits", () => {
    expect(searchGrams("杭州 别墅").sort()).toEqual(["别", "别墅", "墅", "州", "杭", "杭州"].sort());
    expect(searchGrams("京N·A12")).toEqual(["京", "京n", "n", "a", "a1", "1", "12", "2"]);
  });

  it("looks a keyword up by its pairs, and a one-character keyword by itself", () => {
    expect(termGrams(["别墅"])).toEqual(["别墅"]);
    expect(termGrams(["西湖区"])).toEqual(["西湖", "湖区"]);
    expect(termGrams(["房"])).toEqual(["房"]);
  });

  it("stores grams as signed 32-bit FNV-1a hashes of their UTF-8 bytes, once each and in order", () => {
    // FNV-1a's published test vectors: "" → 0x811c9dc5, "a" → 0xe40c292c (as signed integers).
    expect(gramHash("")).toBe(0x811c9dc5 | 0);
    expect(gramHash("a")).toBe(0xe40c292c | 0);
    expect(gramHash("别墅")).not.toBe(gramHash("墅别"));
    const hashes = searchGramHashes("别墅别墅");
    expect(hashes).toEqual([...new Set(["别", "墅", "别墅", "墅别"].map(gramHash))].sort((a, b) => a - b));
    for (const h of hashes) expect(Number.isInteger(h) && h >= -(2 ** 31) && h < 2 ** 31).toBe(true);
  });

  it("splits a keyword at spaces and punctuation, full-width as half-width, Latin in lower case", () => {
    expect(keywordTerms("  杭州　别墅，学区 ")).toEqual(["杭州", "别墅", "学区"]);
    expect(keywordTerms("京Ｎ·Ａ１２３４")).toEqual(["京n", "a1234"]);
    expect(keywordTerms("%_'; --")).toEqual([]);
    expect(keywordTerms("一 二 三 四 五 六 七")).toHaveLength(MAX_KEYWORD_TERMS);
  });

  it("the document is title, place and description, normalised", () => {
    expect(searchDocument({ title: "ＢＭＷ轿车", place: "北京市朝阳区", description: "车况良好" })).toBe("bmw轿车\n北京市朝阳区\n车况良好");
  });

  it("whatever the text, every term of a substring of it is found through grams (and their hashes) the document holds", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."杭州西湖区别墅住宅房产abcAB12·，、 "), maxLength: 40 }), fc.nat(), fc.nat(), (text, a, b) => {
        const chars = [...text];
        const from = a % (chars.length + 1);
        const piece = chars.slice(from, from + (b % 8)).join("");
        const document = normalize(text);
        const grams = new Set(searchGrams(document));
        const hashes = new Set(searchGramHashes(document));
        for (const term of keywordTerms(piece)) expect(document).toContain(term);
        for (const gram of termGrams(keywordTerms(piece))) {
          expect(grams.has(gram)).toBe(true);
          expect(hashes.has(gramHash(gram))).toBe(true);
        }
      }),
    );
  });
});
