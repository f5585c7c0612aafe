import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compareRuleIds, RULES, ruleIds } from "../../core/rules.ts";
import { collectCitations, DOC_PATH, missingFromTable, renderRulesDoc, ruleIdsIn, testTitles, type Citations } from "../../tools/rules.ts";

const root = path.resolve(import.meta.dirname, "../..");
const citations = collectCitations(root);

describe("the rule table and docs/rules.md", () => {
  it("has every rule ID that code or a test title names", () => {
    expect(missingFromTable(citations), "add these to core/rules.ts, then run `npm run rules`").toEqual([]);
  });

  it("docs/rules.md is what `npm run rules` writes", () => {
    const committed = readFileSync(path.join(root, DOC_PATH), "utf8");
    expect(committed === renderRulesDoc(citations), "docs/rules.md is out of date: run `npm run rules`").toBe(true);
  });

  it("counts neither the translations nor the table itself as code that applies a rule", () => {
    const files = [...citations.code.values()].flat();
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => f.startsWith("app/i18n/") || f === "core/rules.ts" || f === "tools/rules.ts")).toEqual([]);
  });

  it("lists the rules in rulebook order, each with what it requires and its source", () => {
    const ids = ruleIds();
    expect(ids.length).toBe(Object.keys(RULES).length);
    expect([...ids].sort(compareRuleIds)).toEqual(ids);
    for (const id of ids) {
      expect(RULES[id].requires.length, id).toBeGreaterThan(20);
      expect(RULES[id].source === "platform policy", id).toBe(id.startsWith("P"));
    }
  });

  it("lists each rule's code files and test files sorted, so the page does not depend on the walk", () => {
    const sorted = (list: string[]) => [...list].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const files of citations.code.values()) expect(files).toEqual(sorted([...new Set(files)]));
    for (const tests of citations.tests.values()) {
      const files = tests.map((t) => t.file);
      expect(files).toEqual(sorted(files));
    }
  });
});

describe("reading rule IDs", () => {
  it("finds an ID written as a word, once each, in order of appearance", () => {
    expect(ruleIdsIn("// D3, A16: moves the close (D3); EXEMPT-C3 and A14–A16")).toEqual(["D3", "A16", "C3", "A14"]);
  });

  it("ignores hex digests, longer words, lower case, section letters outside the rulebook and numbers from 0", () => {
    expect(ruleIdsIn("sha e3b0c442 0xA1 A1B2 ABC12 a16 p4 J2 Z9 B0 A03")).toEqual([]);
  });

  it("orders IDs by section, then by number", () => {
    expect(["P1", "B1", "A10", "I8", "A2"].sort(compareRuleIds)).toEqual(["A2", "A10", "B1", "I8", "P1"]);
  });
});

describe("reading test titles", () => {
  const source = [
    `// a comment naming a rule: not a title`,
    `describe("bidding", () => {`,
    `  it("a plain title", () => {});`,
    `  it.skip("a skipped title", () => {});`,
    "  it.each([1, 2])(`a template title ${n}`, (n) => {});",
    `  test.describe("a Playwright group", () => {});`,
    `  expect("not a title").toBe("x");`,
    `});`,
  ].join("\n");

  it("takes the titles of describe, it and test calls, skipped and templated ones too, in source order", () => {
    expect(testTitles("x.test.ts", source)).toEqual(["bidding", "a plain title", "a skipped title", "a template title ${n}", "a Playwright group"]);
  });

  it("names the first place that cites an ID the table lacks", () => {
    const made: Citations = {
      code: new Map([["D3", ["auction/rules/bidding.ts"]]]),
      tests: new Map([["P99", [{ file: "tests/unit/x.test.ts", title: "P99: made up" }]]]),
    };
    expect(missingFromTable(made)).toEqual(['P99 (tests/unit/x.test.ts: "P99: made up")']);
  });
});
