// The court's and everyone's screens speak plain language: rule IDs ("A13") and stored codes
// ("directed_inquiry_failed") stay in code, tests and the audit log; a legal basis is given in words.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { en } from "../../app/i18n/en.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { formatDue } from "../../app/lib/format.ts";
import { articleText, chineseNumber } from "../../app/lib/legal-basis.ts";

const ROOT = join(import.meta.dirname, "../..");

function leaves(tree: unknown, prefix = ""): [string, string][] {
  if (typeof tree === "string") return [[prefix, tree]];
  return Object.entries(tree as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

/** A rulebook ID as a page would show it: "A13", "（A10）", "A7、A8", "P16". */
const RULE_ID = /(?<![A-Za-z0-9_])[A-IP]\d{1,2}(?![0-9A-Za-z])/u;
/** A stored code: two or more lower-case words joined by "_" ("directed_inquiry_failed"). */
const RAW_CODE = /(?<![A-Za-z0-9_.{])[a-z]+(?:_[a-z]+)+(?![A-Za-z0-9_}])/u;

describe("plain language in both catalogues", () => {
  for (const [lang, catalogue] of [
    ["zh-CN", zhCN],
    ["en", en],
  ] as const) {
    it(`${lang}: no user-facing string shows a rule ID`, () => {
      const found = leaves(catalogue).filter(([, v]) => RULE_ID.test(v));
      expect(found).toEqual([]);
    });

    it(`${lang}: no user-facing string shows a stored code`, () => {
      const found = leaves(catalogue).filter(([, v]) => RAW_CODE.test(v));
      expect(found).toEqual([]);
    });
  }

  it("the patterns catch what they are for", () => {
    for (const s of ["评估机构 (A13)", "暂缓与撤回 (A24)", "以有效结果的平均值确定参考价（A10）", "（A7、A8、A10）", "rule P16"]) expect(RULE_ID.test(s), s).toBe(true);
    for (const s of ["ISO 8601", "12 月 A", "24:00"]) expect(RULE_ID.test(s), s).toBe(false);
    expect(RAW_CODE.test("directed_inquiry_failed: 无计税基准价")).toBe(true);
    expect(RAW_CODE.test("{{amount_yuan}}")).toBe(false);
  });
});

/** Every .tsx under app/, with its comments removed. */
function pageSources(): [string, string][] {
  const out: [string, string][] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith(".tsx")) out.push([relative(ROOT, p), readFileSync(p, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "")]);
    }
  };
  walk(join(ROOT, "app"));
  return out;
}

describe("plain language in the pages' own markup", () => {

  it("no heading, button or text written into a page cites a rule ID such as (A13)", () => {
    const cited = /[(（]\s*[A-IP]\d{1,2}(?:\s*[,、，–-]\s*[A-IP]\d{1,2})*\s*[)）]/u;
    const found = pageSources().flatMap(([file, text]) => text.split("\n").flatMap((line, i) => (cited.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])));
    expect(found).toEqual([]);
  });
});

describe("one word for one thing, one way to write a deadline", () => {
  it("A14: the report's valuation date has the same label for every role (评估基准日, never 价值时点)", () => {
    for (const catalogue of [zhCN, en]) {
      const labels = new Set(leaves(catalogue).filter(([k]) => k.endsWith(".valuationDate")).map(([, v]) => v));
      expect([...labels]).toHaveLength(1);
    }
    expect(leaves(zhCN).filter(([, v]) => v.includes("价值时点"))).toEqual([]);
  });

  it("a period's end is written as 24:00 of its last day in both languages; other instants as they are", () => {
    // 00:00 Beijing time on 1 Dec is the end of 30 Nov.
    expect(formatDue("2026-11-30T16:00:00.000Z", "zh-CN")).toBe("2026年11月30日 24:00");
    expect(formatDue("2026-11-30T16:00:00.000Z", "en")).toBe("30 Nov 2026 24:00");
    expect(formatDue("2026-11-30T07:30:00.000Z", "en")).toBe("30 Nov 2026, 15:30");
  });

  it("no page shows a deadline as a plain instant (a due time goes through <Due>, not <DateTime>)", () => {
    const plain = /<DateTime iso=\{[^}]*(?:[dD]ue|[dD]eadline)[^}]*\}/u;
    const found = pageSources().flatMap(([file, text]) => text.split("\n").flatMap((line, i) => (plain.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])));
    expect(found).toEqual([]);
  });
});

describe("a legal basis in words", () => {
  it("numbers articles in Chinese numerals", () => {
    expect([1, 10, 13, 19, 20, 30, 101, 110, 236].map(chineseNumber)).toEqual(["一", "十", "十三", "十九", "二十", "三十", "一百零一", "一百一十", "二百三十六"]);
  });

  it("writes an article, a range and an item in each language", () => {
    expect(articleText("19", "zh-CN")).toBe("第十九条");
    expect(articleText("5–6", "zh-CN")).toBe("第五条至第六条");
    expect(articleText("14(2)", "zh-CN")).toBe("第十四条第（二）项");
    expect(articleText("19", "en")).toBe("art. 19");
    expect(articleText("5–6", "en")).toBe("arts. 5–6");
  });
});
