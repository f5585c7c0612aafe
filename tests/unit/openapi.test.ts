// The OpenAPI document (/api/openapi.json) against the API the routes serve, and against the OpenAPI rules.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "../../app/lib/openapi.server.ts";
import { apiOperations } from "../support/routes.ts";

const doc = openApiDocument();
const operations = Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops as Record<string, { operationId?: string }>).map(([method, op]) => ({ key: `${method} ${p}`, op })));

describe("DESIGN (the JSON API under /api/v1 is described by OpenAPI at /api/openapi.json): the document lists every JSON route", () => {
  it("documents exactly the operations app/routes.ts serves under /api/v1 (a new route without documentation fails here)", () => {
    const served = apiOperations().map((o) => `${o.method} ${o.path}`).sort();
    expect(served).toEqual(expect.arrayContaining(["get /api/v1/me", "get /api/v1/admin/users", "post /api/v1/admin/users/{userId}/revoke-sessions"]));
    expect(operations.map((o) => o.key).sort()).toEqual(served);
  });

  it("gives every operation an operationId, each used once", () => {
    const missing = operations.filter((o) => !o.op.operationId).map((o) => o.key);
    expect(missing).toEqual([]);
    const ids = operations.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("passes `redocly lint` (the recommended rules) without an error", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "openapi-"));
    try {
      const file = path.join(dir, "openapi.json");
      writeFileSync(file, JSON.stringify(doc));
      const run = promisify(execFile);
      const { stdout } = await run("npx", ["--no-install", "@redocly/cli", "lint", file, "--format", "json"], { env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" } }).catch(
        (error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }),
      );
      const report = JSON.parse(stdout) as { totals: { errors: number }; problems: { ruleId: string; severity: string; message: string }[] };
      expect(report.problems.filter((p) => p.severity === "error")).toEqual([]);
      expect(report.totals.errors).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
