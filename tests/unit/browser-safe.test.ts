import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** What `file` imports or re-exports values from (`import type` and type-only names are left out: they vanish in the build). */
function valueImports(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, false, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  for (const node of sf.statements) {
    if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) found.push(node.moduleSpecifier.text);
    if (!ts.isImportDeclaration(node) || !ts.isStringLiteral(node.moduleSpecifier)) continue;
    const clause = node.importClause;
    if (clause?.isTypeOnly) continue;
    const named = clause?.namedBindings;
    const onlyTypes = !clause?.name && named !== undefined && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
    if (!onlyTypes) found.push(node.moduleSpecifier.text);
  }
  return found;
}

/** Every file and package the browser loads from `entries`, following value imports. */
function browserGraph(entries: string[]): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of valueImports(file)) {
      if (specifier.startsWith(".")) visit(path.posix.join(path.posix.dirname(file), specifier));
      else packages.add(specifier);
    }
  };
  entries.forEach(visit);
  return { files: [...files].sort(), packages: [...packages].sort() };
}

describe("the lot page's live code runs in the browser", () => {
  it("D1: the live bid box reaches the one next-bid rule through core, never a context's index (which brings postgres.js and node:crypto along)", () => {
    const { files, packages } = browserGraph(["app/lib/live-lot.ts", "app/components/live-lot.tsx"]);
    expect(files).toContain("core/next-bid.ts");
    expect(files.filter((f) => !f.startsWith("app/") && !f.startsWith("core/"))).toEqual([]);
    expect(files.filter((f) => ["core/audit.ts", "core/validation.ts"].includes(f))).toEqual([]);
    expect(packages.filter((p) => p.startsWith("node:") || ["postgres", "pg", "drizzle-orm", "pino"].some((s) => p === s || p.startsWith(`${s}/`)))).toEqual([]);
  });
});
