// `npm run rules`: writes docs/rules.md from the rule table (core/rules.ts) and the places that cite each rule:
// the code files that name its ID and the tests whose titles name it. tests/unit/rules-table.test.ts fails when
// a cited ID is missing from the table or when docs/rules.md differs from what this writes, so both stay true.
//
// What counts as a citation, and why:
// - An ID is a capital section letter and a number written as a word (`\b[A-IP][1-9]\d?\b`, case-sensitive),
//   so hex digests ("…e3b0…"), bidder labels like "B0" and parts of longer words are never read as rules.
// - Code: .ts/.tsx files under the source folders and tools/, except the table and this generator (they name
//   every ID by construction) and the translations in app/i18n/ (text shown to people, not the place a rule is
//   applied; the page that shows the text names the rule itself).
// - Tests: only the titles of describe/it/test calls under tests/ (the rulebook asks each test that proves a
//   rule to name it there), not their comments or data, where a label such as "B3" may mean a bidder.
// - Generated code (.react-router/, build/) lies outside these folders, and dot-folders are skipped.
// A range such as "A14–A16" counts for the IDs it writes out, not those between.

import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { INSTRUMENTS, RULE_GROUPS, RULES, ruleIds, type Rule, type RuleId } from "../core/rules.ts";
import { collectSourceFiles, type SourceFile } from "./lint-imports.ts";

const CODE_DIRS = ["appraisal", "auction", "identity", "escrow", "notify", "core", "db", "realtime", "server", "app", "tools"];
const NOT_CITING = new Set(["core/rules.ts", "tools/rules.ts"]);
const TRANSLATIONS = "app/i18n/";
/** The test-framework calls whose first argument is a title (vitest, and Playwright's `test`). */
const TITLED_CALLS = new Set(["describe", "it", "test", "suite"]);

export const DOC_PATH = "docs/rules.md";

/** The distinct rule IDs written in `text`, in order of first appearance. */
export function ruleIdsIn(text: string): string[] {
  return [...new Set(text.match(/\b[A-IP][1-9]\d?\b/g) ?? [])];
}

/** The name of the function a call chain starts from: `it` for it(…), it.skip(…) and it.each(…)(…). */
function rootName(callee: ts.Expression): string | null {
  let e = callee;
  while (ts.isPropertyAccessExpression(e) || ts.isCallExpression(e)) e = e.expression;
  return ts.isIdentifier(e) ? e.text : null;
}

/** The titles of the describe/it/test calls in a test file, in source order; a template title as written. */
export function testTitles(file: string, source: string): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const titles: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && TITLED_CALLS.has(rootName(node.expression) ?? "")) {
      const first = node.arguments[0];
      if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) titles.push(first.text);
      else if (first && ts.isTemplateExpression(first)) titles.push(first.getText(sf).slice(1, -1));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return titles;
}

export interface TestCitation {
  file: string;
  title: string;
}

/** Where each rule ID is cited: code files (sorted) and test titles (files sorted, titles in source order). */
export interface Citations {
  code: Map<string, string[]>;
  tests: Map<string, TestCitation[]>;
}

/** Every .ts/.tsx file under the repository's `dir`, with repository-relative paths, sorted. */
function filesUnder(root: string, dir: string): SourceFile[] {
  if (!existsSync(path.join(root, dir))) return [];
  return collectSourceFiles(path.join(root, dir)).map((f) => ({ path: `${dir}/${f.path}`, source: f.source }));
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Finds the citations of every rule ID in the code and the test titles of the repository at `root`. */
export function collectCitations(root: string): Citations {
  const code = new Map<string, string[]>();
  const codeFiles = CODE_DIRS.flatMap((dir) => filesUnder(root, dir)).sort(byPath);
  for (const f of codeFiles) {
    if (NOT_CITING.has(f.path) || f.path.startsWith(TRANSLATIONS)) continue;
    for (const id of ruleIdsIn(f.source)) push(code, id, f.path);
  }
  const tests = new Map<string, TestCitation[]>();
  for (const f of filesUnder(root, "tests")) {
    for (const title of testTitles(f.path, f.source)) {
      for (const id of ruleIdsIn(title)) push(tests, id, { file: f.path, title });
    }
  }
  return { code, tests };
}

function byPath(a: SourceFile, b: SourceFile): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** The cited IDs that the rule table lacks, each with the first place that cites it. */
export function missingFromTable(citations: Citations): string[] {
  const missing = new Map<string, string>();
  for (const [id, files] of citations.code) missing.set(id, files[0]!);
  for (const [id, tests] of citations.tests) if (!missing.has(id)) missing.set(id, `${tests[0]!.file}: "${tests[0]!.title}"`);
  return [...missing].filter(([id]) => !Object.hasOwn(RULES, id)).map(([id, where]) => `${id} (${where})`).sort();
}

/** Markdown-escapes text taken from test titles, so a title reads as written. */
function escape(text: string): string {
  return text.replace(/[\\`*_<>[\]|]/g, (c) => `\\${c}`);
}

function sourceLine(rule: Rule): string {
  return typeof rule.source === "string" ? rule.source : rule.source.join("; ");
}

function renderRule(id: RuleId, citations: Citations): string[] {
  const rule: Rule = RULES[id];
  const files = citations.code.get(id) ?? [];
  const tests = citations.tests.get(id) ?? [];
  const lines = [`### ${id}`, "", rule.requires, "", `- Source: ${sourceLine(rule)}`];
  lines.push(`- Code: ${files.length > 0 ? files.map((f) => `\`${f}\``).join(", ") : "none names it"}`);
  lines.push(tests.length > 0 ? "- Tests:" : "- Tests: none names it");
  let file = "";
  for (const t of tests) {
    if (t.file !== file) lines.push(`  - \`${(file = t.file)}\``);
    lines.push(`    - ${escape(t.title)}`);
  }
  lines.push("");
  return lines;
}

/** docs/rules.md for the given citations: deterministic, rules in rulebook order. */
export function renderRulesDoc(citations: Citations): string {
  const lines = [
    "# The rules the platform enforces",
    "",
    "Generated by `npm run rules` from the rule table in `core/rules.ts`; do not edit by hand.",
    "",
    "Each rule: what it requires (in this project's words; the rulebook has the full text), its legal source,",
    "the code files that name its ID (outside `tests/`; translations and the table itself left out) and the",
    "test titles that name it. A range such as A14–A16 in a comment counts only for the IDs it writes out.",
    "",
    "## Instruments",
    "",
    "| abbreviation | instrument |",
    "|---|---|",
    ...Object.entries(INSTRUMENTS).map(([abbr, name]) => `| ${abbr} | ${name} |`),
    "",
  ];
  for (const [letter, title] of Object.entries(RULE_GROUPS)) {
    lines.push(`## ${letter}. ${title}`, "");
    const ids = ruleIds().filter((r) => r.startsWith(letter));
    if (ids.length === 0) lines.push("No rule of this section is enforced or cited yet.", "");
    for (const id of ids) lines.push(...renderRule(id, citations));
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

function main(): void {
  const root = path.resolve(import.meta.dirname, "..");
  const citations = collectCitations(root);
  const missing = missingFromTable(citations);
  if (missing.length > 0) {
    console.error(`cited but not in core/rules.ts: ${missing.join(", ")}`);
    process.exitCode = 1;
    return;
  }
  writeFileSync(path.join(root, DOC_PATH), renderRulesDoc(citations));
  console.log(`${DOC_PATH}: ${ruleIds().length} rules`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
