import path from "node:path";
import { describe, it, expect } from "vitest";
import { checkImports, collectSourceFiles, findSpecifiers, type Violation } from "../../tools/lint-imports.ts";

/** Violations for one file with the given source. */
function check(file: string, source: string): Violation[] {
  return checkImports([{ path: file, source }]);
}

describe("checkImports: wrong-way imports fail", () => {
  it("core importing identity", () => {
    const v = check("core/audit.ts", `import { signIn } from "../identity/index.ts";\n`);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ file: "core/audit.ts", line: 1, specifier: "../identity/index.ts" });
    expect(v[0]!.rule).toMatch(/core must not import identity/);
  });

  it("db importing core", () => {
    const v = check("db/schema/audit.ts", `import x from "../../core/clock.ts";`);
    expect(v).toHaveLength(1);
    expect(v[0]!.rule).toMatch(/db must not import core/);
  });

  it("identity importing app", () => {
    const v = check("identity/register.ts", `import { services } from "../app/services.ts";`);
    expect(v).toHaveLength(1);
    expect(v[0]!.rule).toMatch(/identity must not import app/);
  });

  it("server importing app", () => {
    const v = check("server/platform.ts", `import { routes } from "../app/routes.ts";`);
    expect(v).toHaveLength(1);
    expect(v[0]!.rule).toMatch(/server must not import app/);
  });

  it("a context importing another context's internal file", () => {
    const v = check("escrow/deposit.ts", `import { appraise } from "../appraisal/valuation.ts";`);
    expect(v).toHaveLength(1);
    expect(v[0]!.rule).toMatch(/only through appraisal\/index\.ts/);
  });

  it("auction importing ../identity/sessions.ts", () => {
    const v = check("auction/bids.ts", `import type { SessionUser } from "../identity/sessions.ts";`);
    expect(v).toEqual([
      {
        file: "auction/bids.ts",
        line: 1,
        specifier: "../identity/sessions.ts",
        rule: expect.stringMatching(/auction may use the identity context only through identity\/index\.ts/),
      },
    ]);
  });

  it("app and realtime reaching into a context's internal file", () => {
    expect(check("app/routes/x.tsx", `import { mask } from "../../identity/account.ts";`)).toHaveLength(1);
    expect(check("realtime/live.ts", `import { mask } from "../identity/account.ts";`)).toHaveLength(1);
  });

  it("a context imported by directory instead of its index.ts", () => {
    expect(check("auction/bids.ts", `import { x } from "../identity";`)).toHaveLength(1);
  });

  it("nothing imports realtime or server from below", () => {
    expect(check("identity/x.ts", `import "../realtime/live.ts";`)).toHaveLength(1);
    expect(check("app/x.ts", `import "../server/config.ts";`)).toHaveLength(1);
    expect(check("realtime/x.ts", `import "../server/config.ts";`)).toHaveLength(1);
    expect(check("core/x.ts", `import "../tests/support/x.ts";`)).toHaveLength(1);
  });
});

describe("checkImports: right-way imports pass", () => {
  it("app → identity/index.ts, core and db", () => {
    const source = [
      `import { signIn } from "../../identity/index.ts";`,
      `import { AppError } from "../../core/errors.ts";`,
      `import type { Db } from "../../db/client.ts";`,
      `import { ErrorSummary } from "../components/forms.tsx";`,
      `import type { Route } from "./+types/sign-in";`,
      `import React from "react";`,
    ].join("\n");
    expect(check("app/routes/sign-in.tsx", source)).toEqual([]);
  });

  it("auction → ../identity/index.ts", () => {
    expect(check("auction/bids.ts", `import { requirePermission } from "../identity/index.ts";`)).toEqual([]);
  });

  it("identity → ../core/audit.ts and its own files", () => {
    const source = `import { appendAudit } from "../core/audit.ts";\nimport { hashPassword } from "./passwords.ts";`;
    expect(check("identity/register.ts", source)).toEqual([]);
  });

  it("server → realtime, contexts via index.ts, core, db", () => {
    const source = [
      `import { attachLive } from "../realtime/live.ts";`,
      `import { hashPassword } from "../identity/index.ts";`,
      `import { systemClock } from "../core/clock.ts";`,
      `import { migrate } from "../db/migrate.ts";`,
    ].join("\n");
    expect(check("server/main.ts", source)).toEqual([]);
  });

  it("tests, bench, tools and root files are not checked", () => {
    const source = `import { x } from "../../identity/sessions.ts";\nimport "../../app/root.tsx";`;
    expect(check("tests/unit/x.test.ts", source)).toEqual([]);
    expect(check("bench/x.ts", source)).toEqual([]);
    expect(check("tools/x.ts", source)).toEqual([]);
    expect(check("vite.config.ts", `import "./app/root.tsx";`)).toEqual([]);
  });
});

describe("checkImports: every import form is checked", () => {
  it("type-only import", () => {
    expect(check("core/x.ts", `import type { SessionUser } from "../identity/index.ts";`)).toHaveLength(1);
    expect(check("core/x.ts", `import { type SessionUser } from "../identity/index.ts";`)).toHaveLength(1);
    expect(check("core/x.ts", `let u: import("../identity/index.ts").SessionUser;`)).toHaveLength(1);
  });

  it("dynamic import with a string literal", () => {
    const v = check("core/x.ts", `export async function f() {\n  return await import("../identity/index.ts");\n}`);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ line: 2, specifier: "../identity/index.ts" });
    expect(check("server/start.ts", `await import("./main.ts");`)).toEqual([]);
  });

  it("export … from and export * from", () => {
    expect(check("db/x.ts", `export { appendAudit } from "../core/audit.ts";`)).toHaveLength(1);
    expect(check("db/x.ts", `export * from "../core/audit.ts";`)).toHaveLength(1);
    expect(check("db/x.ts", `export type { Clock } from "../core/clock.ts";`)).toHaveLength(1);
    expect(check("identity/index.ts", `export { signIn } from "./sign-in.ts";`)).toEqual([]);
  });

  it("ignores specifiers inside comments and strings", () => {
    const source = [
      `// import { x } from "../identity/sessions.ts";`,
      `/* export * from "../app/root.tsx"; */`,
      `const s = 'import "../app/root.tsx"';`,
      "const t = `import(\"../app/root.tsx\")`;",
    ].join("\n");
    expect(check("core/x.ts", source)).toEqual([]);
  });

  it("reports the line of the specifier", () => {
    const source = `import a from "./a.ts";\n\nimport {\n  b,\n} from "../app/b.ts";\n`;
    expect(check("core/x.ts", source)).toEqual([expect.objectContaining({ line: 5, specifier: "../app/b.ts" })]);
  });

  it("findSpecifiers finds every form", () => {
    const source = [
      `import a from "./a.ts";`,
      `import type { B } from "./b.ts";`,
      `import "./c.css";`,
      `export * from "./d.ts";`,
      `export { e } from "./e.ts";`,
      `const f = await import("./f.ts");`,
      `type G = typeof import("./g.ts");`,
      `const h = await import(name);`,
    ].join("\n");
    expect(findSpecifiers("x/y.ts", source).map((s) => s.specifier)).toEqual([
      "./a.ts",
      "./b.ts",
      "./c.css",
      "./d.ts",
      "./e.ts",
      "./f.ts",
      "./g.ts",
    ]);
  });

  it("parses .tsx", () => {
    const source = `import { x } from "../../identity/sessions.ts";\nexport default function A() { return <div>{x}</div>; }`;
    expect(check("app/routes/a.tsx", source)).toHaveLength(1);
  });
});

describe("checkImports: app imports only types from db/", () => {
  it("a value from db/ in app fails: a table, a schema constant, a client", () => {
    const v = check("app/routes/lots.tsx", `import { ASSET_CATEGORIES } from "../../db/schema/index.ts";`);
    expect(v).toEqual([
      {
        file: "app/routes/lots.tsx",
        line: 1,
        specifier: "../../db/schema/index.ts",
        rule: expect.stringMatching(/app may import only types from db\/ .*owning context's index\.ts/),
      },
    ]);
    expect(check("app/lib/x.server.ts", `import { cases } from "../../db/schema/index.ts";`)).toHaveLength(1);
    expect(check("app/services.ts", `import { connect, type Database } from "../db/client.ts";`)).toHaveLength(1);
    expect(check("app/lib/x.server.ts", `import * as schema from "../../db/schema/index.ts";`)).toHaveLength(1);
  });

  it("every value form from db/ in app fails: default, side effect, dynamic, require, re-export", () => {
    expect(check("app/x.ts", `import client from "../db/client.ts";`)).toHaveLength(1);
    expect(check("app/x.ts", `import "../db/client.ts";`)).toHaveLength(1);
    expect(check("app/x.ts", `import {} from "../db/client.ts";`)).toHaveLength(1);
    expect(check("app/x.ts", `const db = await import("../db/client.ts");`)).toHaveLength(1);
    expect(check("app/x.ts", `import db = require("../db/client.ts");`)).toHaveLength(1);
    expect(check("app/x.ts", `export { cases } from "../db/schema/index.ts";`)).toHaveLength(1);
    expect(check("app/x.ts", `export * from "../db/schema/index.ts";`)).toHaveLength(1);
    expect(check("app/x.ts", `import { type Role, ROLES } from "../db/schema/index.ts";`)).toHaveLength(1);
  });

  it("types from db/ in app pass: import type, type-only specifiers, import() types, export type", () => {
    const source = [
      `import type { Db } from "../../db/client.ts";`,
      `import type Schema from "../../db/schema/index.ts";`,
      `import { type AssetCategory, type Role } from "../../db/schema/index.ts";`,
      `export type { LotStatus } from "../../db/schema/index.ts";`,
      `export { type LotRound } from "../../db/schema/index.ts";`,
      `let d: import("../../db/client.ts").Database;`,
    ].join("\n");
    expect(check("app/routes/x.tsx", source)).toEqual([]);
  });

  it("contexts, realtime and server may still import values from db/", () => {
    const source = `import { cases } from "../db/schema/index.ts";\nimport { connect } from "../db/client.ts";`;
    expect(check("auction/x.ts", source)).toEqual([]);
    expect(check("realtime/x.ts", source)).toEqual([]);
    expect(check("server/x.ts", source)).toEqual([]);
  });

  it("findSpecifiers tells type-only imports from value imports", () => {
    const source = [
      `import type { A } from "./a.ts";`,
      `import { type B } from "./b.ts";`,
      `import { type C, d } from "./c.ts";`,
      `import "./e.ts";`,
      `type F = import("./f.ts").F;`,
      `export type { G } from "./g.ts";`,
      `export { h } from "./h.ts";`,
    ].join("\n");
    expect(findSpecifiers("x/y.ts", source).map((s) => [s.specifier, s.typeOnly])).toEqual([
      ["./a.ts", true],
      ["./b.ts", true],
      ["./c.ts", false],
      ["./e.ts", false],
      ["./f.ts", true],
      ["./g.ts", true],
      ["./h.ts", false],
    ]);
  });
});

describe("checkImports: a context's browser-safe entry (browser.ts)", () => {
  const pureRule = { path: "appraisal/rules/draw-algorithm.ts", source: `export const x = 1;` };

  it("app may import a context's browser.ts; realtime, server and other contexts may not", () => {
    expect(check("app/lib/recompute-draw.ts", `import { recomputeDraw } from "../../appraisal/browser.ts";`)).toEqual([]);
    expect(check("realtime/x.ts", `import "../appraisal/browser.ts";`)).toHaveLength(1);
    expect(check("server/x.ts", `import "../appraisal/browser.ts";`)).toHaveLength(1);
    expect(check("auction/x.ts", `import "../appraisal/browser.ts";`)).toHaveLength(1);
  });

  it("a browser entry that imports only repository files passes", () => {
    const entry = { path: "appraisal/browser.ts", source: `export { x } from "./rules/draw-algorithm.ts";` };
    expect(checkImports([entry, pureRule])).toEqual([]);
  });

  it("a browser entry, or any file it imports however deep, that imports a package or a node: built-in fails — type-only too", () => {
    const entry = { path: "appraisal/browser.ts", source: `export { x } from "./rules/draw.ts";
import "zod";` };
    const rule = { path: "appraisal/rules/draw.ts", source: `import { createHash } from "node:crypto";
export { x } from "./draw-algorithm.ts";
import type { Specialty } from "../../db/schema/index.ts";` };
    const schema = { path: "db/schema/index.ts", source: `import { pgTable } from "drizzle-orm/pg-core";` };
    const v = checkImports([entry, rule, pureRule, schema]);
    expect(v.map((x) => [x.file, x.line, x.specifier]).sort()).toEqual([
      ["appraisal/browser.ts", 2, "zod"],
      ["appraisal/rules/draw.ts", 1, "node:crypto"],
      ["db/schema/index.ts", 1, "drizzle-orm/pg-core"],
    ]);
    expect(v[0]!.rule).toMatch(/bundled for the browser through appraisal\/browser\.ts/);
  });

  it("the same files without a browser entry importing them are not held to it", () => {
    const rule = { path: "appraisal/rules/draw.ts", source: `import { createHash } from "node:crypto";` };
    expect(checkImports([rule])).toEqual([]);
  });
});

describe("the repository", () => {
  it("has no import-direction violations", { timeout: 30_000 }, () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const files = collectSourceFiles(root);
    expect(files.some((f) => f.path === "identity/index.ts")).toBe(true);
    const violations = checkImports(files).map((v) => `${v.file}:${v.line}  '${v.specifier}'  ${v.rule}`);
    expect(violations).toEqual([]);
  });
});
