// `npm run fuzz`: the boundary fuzz (tests/support/fuzz.ts) with many cases, against a fresh database, and its
// figures. Usage: npm run fuzz [-- --runs 10000 --seed 1]. Exit 1 when any answer was a 5xx or a refusal wrote.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const ROOT = path.resolve(import.meta.dirname, "..");

interface Figures {
  requests: number;
  targets: { api: number; form: number };
  seconds: number;
  byStatus: Record<string, number>;
  serverErrors: number;
  refusalsThatWrote: number;
  failures: { reason: string; case: string; status: number; detail: string }[];
}

const { values } = parseArgs({ options: { runs: { type: "string", default: "10000" }, seed: { type: "string", default: String(Date.now() % 1_000_000) } } });
const dir = mkdtempSync(path.join(tmpdir(), "fuzz-"));
const report = path.join(dir, "figures.json");
// The integration project's global setup makes a freshly migrated database; the fuzz test file gets its own copy.
const run = spawnSync(process.execPath, [path.join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--project", "integration", "tests/integration/fuzz.test.ts"], {
  cwd: ROOT,
  stdio: ["ignore", "inherit", "inherit"],
  env: { ...process.env, FUZZ_RUNS: values.runs, FUZZ_SEED: values.seed, FUZZ_REPORT: report },
});

let figures: Figures;
try {
  figures = JSON.parse(readFileSync(report, "utf8")) as Figures;
} catch {
  console.error(`The fuzz run ended before it could report (exit ${run.status ?? run.signal}). Its output is above.`);
  process.exit(1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const line = (label: string, value: string | number) => console.log(`${label.padEnd(24)}${value}`);
console.log("\nBoundary fuzz");
line("seed", values.seed);
line("requests", figures.requests);
line("targets", `${figures.targets.api + figures.targets.form} (${figures.targets.api} API operations, ${figures.targets.form} form actions)`);
line("duration", `${figures.seconds.toFixed(1)} s (${Math.round(figures.requests / figures.seconds)} requests/s)`);
line("by status", Object.entries(figures.byStatus).map(([status, n]) => `${status}: ${n}`).join(", "));
line("5xx", figures.serverErrors);
line("refusals that wrote", figures.refusalsThatWrote);
for (const f of figures.failures.slice(0, 50)) console.log(`  ${f.reason} ${f.status}: ${f.case}\n      ${f.detail.replace(/\n/g, " ").slice(0, 300)}`);
process.exit(figures.failures.length === 0 ? 0 : 1);
