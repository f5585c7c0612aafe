/**
 * `npm run bench:site [-- --quick]`: the public site's benchmark. Prints times, never asserts on them.
 *
 * Part 1, search: 100,000 generated lots; 20 query shapes of the public search (keyword, place, filters, orders,
 * deep pages), each asked of the real app server; p50/p95/p99 server time per shape against the p95 < 50 ms target.
 * Part 2, the lot page under a crowd, is a separate part to add here: it would reuse this database and app server
 * (bench/live's load generator holds the watchers); `PARTS` lists what runs.
 *
 * Uses bench/live's scratch database (BENCH_DATABASE_URL / TEST_DATABASE_URL / DATABASE_URL, else the embedded
 * PostgreSQL) and app server, and stops everything it started (also on Ctrl-C).
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import { startApp } from "../live/children.ts";
import { cleanupAll, installSignalHandlers, isStopping } from "../live/procs.ts";
import { ensureBuild, openBenchDatabase } from "../live/setup.ts";
import { generateLots } from "./lots.ts";
import { measureShapes, queryShapes, type ShapeResult } from "./search.ts";

const quick = process.argv.slice(2).includes("--quick");
const P = quick ? { lots: 10_000, rounds: 30, warmup: 1 } : { lots: 100_000, rounds: 200, warmup: 2 };
const TARGET_P95_MS = 50;
const PARTS = ["search"] as const;
const T0 = performance.now();
const log = (message: string) => console.log(`[bench ${((performance.now() - T0) / 1000).toFixed(1).padStart(5)}s] ${message}`);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(rows[0]!), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)].join("\n");
}

async function main() {
  log(`mode: ${quick ? "quick" : "full"}; parts: ${PARTS.join(", ")}; node ${process.version}`);
  ensureBuild();
  const { database, describe } = await openBenchDatabase();
  log(describe);

  log(`search: generating ${P.lots.toLocaleString("en")} lots…`);
  let shown = 0;
  const made = await generateLots(database.db, P.lots, (done) => {
    if (done - shown >= P.lots / 10 || done === P.lots) {
      shown = done;
      log(`  ${done.toLocaleString("en")} lots`);
    }
  });
  const [{ size }] = (await database.sql`select pg_size_pretty(pg_total_relation_size('lot_search')) as size`) as unknown as [{ size: string }];
  log(`  made in ${(made.ms / 1000).toFixed(1)} s; lot_search with its indexes: ${size}`);

  const app = await startApp("app", database.url, randomBytes(32).toString("base64url"), "none");
  log(`search: 20 shapes × ${P.rounds} asks, one at a time, after ${P.warmup} warm-up round(s)`);
  const results = await measureShapes(app.url, queryShapes(made.places, made.courtIds), P.rounds, P.warmup, log);
  await app.child.stop();
  report(describe, results);
}

function report(describe: string, results: ShapeResult[]) {
  const ms = (x: number) => x.toFixed(1);
  console.log(`\n## Site benchmark, part 1: search (${quick ? "--quick: 10,000 lots, not the target's conditions" : "full: 100,000 lots"})\n`);
  console.log(`${describe}; ${os.cpus().length} cores; ${new Date().toISOString()}`);
  console.log(`Server time of GET /api/v1/lots (the search page's use case), request to last byte on loopback, one request at a time.\n`);
  const rows = results.map((r, i) => [String(i + 1), r.name, String(r.found), ms(r.p50), ms(r.p95), ms(r.p99), ms(r.max), r.failures ? `${r.failures} failed` : r.p95 < TARGET_P95_MS ? "PASS" : "FAIL"]);
  console.log(table([["", "shape", "found", "p50 ms", "p95 ms", "p99 ms", "max ms", `p95 < ${TARGET_P95_MS} ms`], ...rows]));
  const worst = results.reduce((a, b) => (b.p95 > a.p95 ? b : a));
  console.log(`\nWorst p95: ${ms(worst.p95)} ms (${worst.name}); ${results.filter((r) => r.p95 < TARGET_P95_MS && !r.failures).length} of ${results.length} shapes within the target.`);
}

installSignalHandlers();
let failed = false;
try {
  await main();
} catch (error) {
  failed = true;
  if (!isStopping()) console.error("\n[bench] failed:", error);
} finally {
  log("stopping everything…");
  await cleanupAll();
  log("done");
}
process.exit(failed ? 1 : 0);
