import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

// `npm test`: build the site, run the vitest projects (unit, integration, realtime — the
// import-direction lint is a unit test), then the browser tests, and print one summary line.
const root = path.resolve(import.meta.dirname, "..");
const results = path.join(root, "test-results");
const node = process.execPath;

function run(label: string, args: string[]): number {
  console.log(`\n▶ ${label}`);
  const r = spawnSync(node, args, { cwd: root, stdio: "inherit", env: process.env });
  return r.status ?? 1;
}

function readJson<T>(file: string): T | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : null;
}

rmSync(results, { recursive: true, force: true });
const buildStatus = run("build", ["node_modules/@react-router/dev/bin.cjs", "build"]);
if (buildStatus !== 0) process.exit(buildStatus);

const vitestStatus = run("vitest: unit, integration, realtime", [
  "node_modules/vitest/vitest.mjs",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${path.join(results, "vitest.json")}`,
]);
const e2eStatus = run("e2e: Playwright in Chromium", ["tests/e2e/run.ts"]);

const v = readJson<{ numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }>(path.join(results, "vitest.json"));
const p = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(path.join(results, "e2e-results.json"));
const passed = (v?.numPassedTests ?? 0) + (p ? p.stats.expected + p.stats.flaky : 0);
const failed = (v?.numFailedTests ?? 0) + (p?.stats.unexpected ?? 0);
const skipped = (v ? v.numPendingTests + v.numTodoTests : 0) + (p?.stats.skipped ?? 0);

console.log(`\nvitest: ${v ? `${v.numPassedTests} passed, ${v.numFailedTests} failed` : "no results"}; e2e: ${p ? `${p.stats.expected} passed, ${p.stats.unexpected} failed` : "not run (see above)"}`);
// The Stripe contract tests skip themselves where stripe-mock is not running (never in CI) and leave a marker saying so.
const stripeSkipped = existsSync(path.join(results, "stripe-mock-skipped.txt")) ? " (stripe-mock not running: Stripe contract tests skipped)" : "";
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped${stripeSkipped}`);
process.exit(vitestStatus !== 0 || e2eStatus !== 0 || failed > 0 || !v ? 1 : 0);
