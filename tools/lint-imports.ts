// Import-direction check (DESIGN §3): imports point down only.
//
//   app, realtime, server  →  contexts (appraisal, auction, escrow, identity)  →  core, db
//
// - db may import only db; core may import core and db.
// - A context may import itself, core and db, and another context only through that
//   context's index.ts.
// - app and realtime may import themselves, core, db and contexts (through index.ts only); app only
//   types from db (`import type`, or type-only specifiers): the values it needs (tables never, schema
//   constants such as ASSET_CATEGORIES) come from the owning context's index.ts.
// - app may also use a context's browser-safe entry, `<context>/browser.ts`: what a page may bundle for
//   the browser. That entry, and every file it imports, imports no package and no node: built-in — only
//   repository files — so no server code (database, Node) reaches a client bundle.
// - server may import server, realtime, core, db and contexts (through index.ts only) — never
//   app: the server reaches the app only through the built bundle.
// - Nothing imports app, realtime or server (follows from the above).
// - tests/, bench/, tools/ and root files are not checked.
//
// Only relative specifiers ("./", "../") are checked; package imports are ignored. Specifiers
// are found with the TypeScript parser: import / import type / export … from / import x =
// require() / dynamic import("…") and import("…") types with a string literal.
//
// Usage: `node tools/lint-imports.ts` (exit 1 on violations). `checkImports` is pure.

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";

export interface Violation {
  /** Importing file, relative to the repository root, forward slashes. */
  file: string;
  /** 1-based line of the specifier. */
  line: number;
  specifier: string;
  /** Human-readable description of the broken rule. */
  rule: string;
}

export interface SourceFile {
  path: string;
  source: string;
}

const CONTEXTS: readonly string[] = ["appraisal", "auction", "escrow", "identity"];
const BOTTOM: readonly string[] = ["core", "db"];

/** Layers a folder may import freely (any file), besides contexts through their index.ts. */
const FREE_IMPORTS: Readonly<Record<string, readonly string[]>> = {
  db: ["db"],
  core: ["core", "db"],
  appraisal: ["appraisal", ...BOTTOM],
  auction: ["auction", ...BOTTOM],
  escrow: ["escrow", ...BOTTOM],
  identity: ["identity", ...BOTTOM],
  app: ["app", ...BOTTOM],
  realtime: ["realtime", ...BOTTOM],
  server: ["server", "realtime", ...BOTTOM],
};

/** Layers a folder may import only types from (docs/decisions/012-table-ownership.md). */
const TYPES_ONLY: Readonly<Record<string, readonly string[]>> = {
  app: ["db"],
};

/** Folders that may use (other) contexts through their index.ts. */
const USES_CONTEXTS: ReadonlySet<string> = new Set([...CONTEXTS, "app", "realtime", "server"]);

/** The checked layer a repo-relative path belongs to, or null if the file is not checked. */
export function layerOf(file: string): string | null {
  const slash = file.indexOf("/");
  if (slash < 0) return null; // root file (vite.config.ts, …)
  const top = file.slice(0, slash);
  return Object.hasOwn(FREE_IMPORTS, top) ? top : null;
}

function describeAllowed(layer: string): string {
  const free = FREE_IMPORTS[layer] ?? [];
  const parts = [...free];
  if (USES_CONTEXTS.has(layer)) parts.push(CONTEXTS.includes(layer) ? "other contexts via their index.ts" : "contexts via their index.ts");
  return `${layer} may import only ${parts.join(", ")}`;
}

/** The rule broken by `from` importing the repo-relative `target` (only types if `typeOnly`), or null if allowed. */
function ruleFor(fromLayer: string, target: string, typeOnly: boolean): string | null {
  if (target === ".." || target.startsWith("../")) return `imports outside the repository (${describeAllowed(fromLayer)})`;
  const slash = target.indexOf("/");
  const top = slash < 0 ? null : target.slice(0, slash);
  if (top === null) return `${fromLayer} must not import root file '${target}' (${describeAllowed(fromLayer)})`;
  if (TYPES_ONLY[fromLayer]?.includes(top) && !typeOnly) {
    return `${fromLayer} may import only types from ${top}/ (import type); take values from the owning context's index.ts`;
  }
  if (FREE_IMPORTS[fromLayer]?.includes(top)) return null;
  if (CONTEXTS.includes(top) && USES_CONTEXTS.has(fromLayer)) {
    if (target === `${top}/index.ts`) return null;
    if (fromLayer === "app" && target === browserEntryOf(top)) return null;
    return `${fromLayer} may use the ${top} context only through ${top}/index.ts, not ${target}`;
  }
  return `${fromLayer} must not import ${top}/ (${describeAllowed(fromLayer)})`;
}

interface FoundSpecifier {
  specifier: string;
  line: number;
  /** Whether only types come through it: `import type`, type-only specifiers, an import("…") type. */
  typeOnly: boolean;
}

function stringLiteralText(node: ts.Node | undefined): string | null {
  if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) return node.text;
  return null;
}

/** Whether an import or export statement brings in types only (erased from the JavaScript). */
function declaresTypesOnly(node: ts.ImportDeclaration | ts.ExportDeclaration | ts.ImportEqualsDeclaration): boolean {
  if (ts.isImportEqualsDeclaration(node)) return node.isTypeOnly;
  if (ts.isExportDeclaration(node)) {
    const clause = node.exportClause;
    return node.isTypeOnly || (clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly));
  }
  const clause = node.importClause;
  if (!clause) return false; // a side-effect import runs the module
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return clause.name === undefined && named !== undefined && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
}

/** Every module specifier in `source`: static, type-only, re-export, dynamic and import types. */
export function findSpecifiers(file: string, source: string): FoundSpecifier[] {
  const kind = file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false, kind);
  const found: FoundSpecifier[] = [];
  const add = (literal: ts.Node, text: string, typeOnly: boolean): void => {
    found.push({ specifier: text, line: sf.getLineAndCharacterOfPosition(literal.getStart(sf)).line + 1, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    let literal: ts.Node | undefined;
    let typeOnly = false;
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      literal = node.moduleSpecifier;
      typeOnly = declaresTypesOnly(node);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      literal = node.moduleReference.expression;
      typeOnly = declaresTypesOnly(node);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === "require";
      if (isDynamicImport || isRequire) literal = node.arguments[0];
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      literal = node.argument.literal;
      typeOnly = true;
    }
    const text = stringLiteralText(literal);
    if (literal && text !== null) add(literal, text, typeOnly);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function isRelative(specifier: string): boolean {
  return specifier.startsWith("./") || specifier.startsWith("../") || specifier === "." || specifier === "..";
}

/** A context's browser-safe entry: the one file of it, besides index.ts, that app may import. */
const browserEntryOf = (context: string) => `${context}/browser.ts`;

const normalized = (file: string) => path.posix.normalize(file.replaceAll("\\", "/")).replace(/^\.\//, "");

/** Checks import direction for the given files (paths relative to the repo root, "/"-separated). */
export function checkImports(files: readonly SourceFile[]): Violation[] {
  const checked = files.map((f) => ({ file: normalized(f.path), source: f.source })).filter(({ file }) => layerOf(file) !== null);
  const specifiers = new Map(checked.map(({ file, source }) => [file, findSpecifiers(file, source)]));
  const violations: Violation[] = [];
  for (const [file, found] of specifiers) {
    const fromLayer = layerOf(file)!;
    for (const { specifier, line, typeOnly } of found) {
      if (!isRelative(specifier)) continue;
      const target = path.posix.join(path.posix.dirname(file), specifier);
      const rule = ruleFor(fromLayer, target, typeOnly);
      if (rule !== null) violations.push({ file, line, specifier, rule });
    }
  }
  for (const context of CONTEXTS) violations.push(...browserViolations(browserEntryOf(context), specifiers));
  return violations;
}

/**
 * Package and node: imports of a browser entry and of every file it imports (relative imports, followed
 * through the given files). Type-only imports count too: simpler, and a browser entry needs none.
 */
function browserViolations(entry: string, specifiers: ReadonlyMap<string, FoundSpecifier[]>): Violation[] {
  const violations: Violation[] = [];
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file) || !specifiers.has(file)) return;
    seen.add(file);
    for (const { specifier, line } of specifiers.get(file)!) {
      if (isRelative(specifier)) visit(path.posix.join(path.posix.dirname(file), specifier));
      else violations.push({ file, line, specifier, rule: `${file} is bundled for the browser through ${entry}: it may import only repository files, no package or node: built-in` });
    }
  };
  visit(entry);
  return violations;
}

const SKIP_DIRS: ReadonlySet<string> = new Set([
  "node_modules",
  "build",
  ".react-router",
  ".data",
  "tests",
  "bench",
  "tools",
  "test-results",
  "playwright-report",
]);

/** Reads every .ts/.tsx file under `root` (skipping generated, test and tool folders). */
export function collectSourceFiles(root: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (SKIP_DIRS.has(entry.name) || entry.name.startsWith(".")) continue;
        walk(full);
      } else if (entry.isFile() && /\.tsx?$/.test(entry.name)) {
        const rel = path.relative(root, full).split(path.sep).join("/");
        files.push({ path: rel, source: readFileSync(full, "utf8") });
      }
    }
  };
  walk(root);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return files;
}

function main(): void {
  const root = path.resolve(import.meta.dirname, "..");
  const files = collectSourceFiles(root);
  const checked = files.filter((f) => layerOf(f.path) !== null).length;
  const violations = checkImports(files);
  for (const v of violations) console.log(`${v.file}:${v.line}  '${v.specifier}'  ${v.rule}`);
  if (violations.length > 0) {
    console.log(`import direction: ${violations.length} violation${violations.length === 1 ? "" : "s"} in ${checked} files checked`);
    process.exitCode = 1;
  } else {
    console.log(`import direction: ${checked} files checked, no violations`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
