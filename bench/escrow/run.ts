/**
 * `npm run bench:escrow [-- --quick]`: the escrow benchmark. Prints ratios and times, never asserts on them.
 *
 * E1: the ledger's write path (escrow/ledger.ts transfer) against plain INSERTs of the same width, same pool, same
 *     concurrency, one transaction per write each.
 * E2: the release after the close of a lot with N losing deposits on the simulated gateway, measured while a live
 *     bidding storm runs on another lot (bench/live's app server and load generator);
 * E3: that storm's bid-ack p99 with the release running ÷ without it.
 *
 * Uses bench/live's database, processes and load generator; stops everything it started (also on Ctrl-C).
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { systemClock } from "../../core/clock.ts";
import { connect } from "../../db/client.ts";
import { Load, startApp } from "../live/children.ts";
import { Meter, postmasterPid, type CpuShare } from "../live/meter.ts";
import { ROOT, runBench, sleep } from "../live/procs.ts";
import type { OpenResult, ScheduledResult } from "../live/protocol.ts";
import { ensureBuild, lotState, makeBidders, makeOpenLot, openBenchDatabase, registerBidders, sessionCookies } from "../live/setup.ts";
import { fmtMs, type Summary } from "../live/stats.ts";
import { sampleActivity, type ActivityProfile } from "./activity.ts";
import { ledgerRound, openLedgerBook, type LedgerRound, type LedgerVariant } from "./ledger.ts";
import { runRelease, seedReleaseLot, type ReleaseResult } from "./release.ts";

const quick = process.argv.slice(2).includes("--quick");
const P = quick
  ? {
      ledger: { writers: 8, deposits: 200, cases: 5, roundMs: 2_000, rounds: 1 },
      release: { losers: 200, seedConcurrency: 8, timeoutMs: 60_000 },
      storm: { bidders: 32, watchers: 200, rate: 50, ms: 8_000 },
    }
  : {
      ledger: { writers: 8, deposits: 1_000, cases: 20, roundMs: 8_000, rounds: 3 },
      release: { losers: 5_000, seedConcurrency: 8, timeoutMs: 300_000 },
      storm: { bidders: 64, watchers: 1_000, rate: 200, ms: 60_000 },
    };
const SESSION_SECRET = randomBytes(32).toString("base64url");
/** The release starts this long after the storm, so that it meets the storm in its steady state. */
const RELEASE_AFTER_MS = 1_000;
const T0 = performance.now();
const log = (message: string) => console.log(`[bench ${((performance.now() - T0) / 1000).toFixed(1).padStart(5)}s] ${message}`);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(rows[0]!), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)].join("\n");
}
const cpuText = (c: CpuShare) =>
  Object.entries(c.processes)
    .map(([k, v]) => `${k} ${v.toFixed(0)}%`)
    .join(", ") + `; machine ${c.machine.toFixed(0)}% of 2 cores`;
const lat = (s: Summary) => `p50 ${fmtMs(s.p50)} / p99 ${fmtMs(s.p99)} / max ${fmtMs(s.max)} ms (n=${s.count})`;
const secs = (ms: number | null) => (ms === null ? "–" : `${(ms / 1000).toFixed(1)} s`);
const activityText = (a: ActivityProfile) =>
  [`    ${a.samples} samples, ${a.meanBusy.toFixed(1)} sessions busy on average; share of busy session-samples (state | wait | statement):`]
    .concat(a.top.map((t) => `    ${(t.share * 100).toFixed(1).padStart(5)}%  ${t.what}`))
    .join("\n");

async function main() {
  log(`mode: ${quick ? "quick" : "full"}; node ${process.version}`);
  ensureBuild();
  const { database, describe } = await openBenchDatabase();
  const { db } = database;
  log(describe);
  const pmPid = describe.startsWith("embedded") ? postmasterPid(path.join(ROOT, ".data/bench-postgres")) : null;

  // ------------------------------------------------------------ E1: ledger throughput
  const L = P.ledger;
  log(`E1: ${L.writers} writers, ${L.deposits} deposit accounts over ${L.cases} cases and the clearing account's shards; ${L.rounds} × (plain, ledger, ledger without audit) of ${L.roundMs / 1000} s`);
  const pool = connect(database.url, { max: L.writers });
  const book = await openLedgerBook(pool.db, systemClock, L.deposits, L.cases);
  const ledgerMeter = new Meter({ bench: process.pid }, pmPid);
  const round = (variant: LedgerVariant, ms: number, tag: string) => ledgerMeter.measure(() => ledgerRound(pool.db, systemClock, book, variant, L.writers, ms, tag));
  const VARIANTS: LedgerVariant[] = ["plain", "ledger", "ledger-no-audit"];
  for (const v of VARIANTS) await round(v, 1_000, `warm-${v}`);
  const rounds: { result: LedgerRound; cpu: CpuShare }[] = [];
  for (let r = 0; r < L.rounds; r++) {
    for (const v of VARIANTS) rounds.push(await round(v, L.roundMs, `${v}-${r}`));
    const last = rounds.slice(-3).map((x) => `${x.result.variant} ${((x.result.writes * 1000) / x.result.elapsedMs).toFixed(0)}/s`);
    log(`  round ${r + 1}: ${last.join(", ")}`);
  }
  const profiler = sampleActivity(database.url);
  await ledgerRound(pool.db, systemClock, book, "ledger", L.writers, L.roundMs / 2, "profiled");
  const ledgerActivity = await profiler.stop();
  await pool.close();
  const rate = (v: LedgerVariant) => {
    const xs = rounds.filter((x) => x.result.variant === v).map((x) => x.result);
    return (xs.reduce((s, x) => s + x.writes, 0) * 1000) / xs.reduce((s, x) => s + x.elapsedMs, 0);
  };
  const [plainRate, ledgerRate, noAuditRate] = [rate("plain"), rate("ledger"), rate("ledger-no-audit")];

  // ------------------------------------------------------------ E2 set-up: the lot to release, paid the real way
  const R = P.release;
  log(`E2: seeding ${R.losers} losing deposits + the winner's (real use cases, simulated gateway, ${R.seedConcurrency} at a time)`);
  const bidders = await makeBidders(db, R.losers + 1);
  const seedStart = performance.now();
  const { lot: releaseLot, deadlocks: seedDeadlocks } = await seedReleaseLot(db, bidders, R.seedConcurrency);
  const seedMs = performance.now() - seedStart;
  log(`  ${bidders.length} deposits paid in ${(seedMs / 1000).toFixed(1)} s (${((bidders.length * 1000) / seedMs).toFixed(0)}/s), ${seedDeadlocks} payment steps retried after a deadlock; bidder 1 bid; lot ${releaseLot.lotId}`);

  // ------------------------------------------------------------ the storm's lot, server and clients
  const S = P.storm;
  const storm = await makeOpenLot(db, 4 * 60 * 1000);
  const stormBidders = bidders.slice(1, 1 + S.bidders);
  await registerBidders(db, storm, stormBidders);
  const app = await startApp("app", database.url, SESSION_SECRET, "none");
  const load = new Load();
  await load.call({ kind: "setCookies", cookies: await sessionCookies(db, stormBidders, SESSION_SECRET) });
  const opened = (what: string, r: OpenResult, want: number) => {
    log(`  ${what}: ${r.opened}/${want} open in ${(r.ms / 1000).toFixed(1)} s`);
    if (r.opened < want) throw new Error(`${what}: only ${r.opened} of ${want} opened: ${r.firstError}`);
  };
  opened("storm bidders", await load.call<OpenResult>({ kind: "openBidders", set: "app", url: app.url, count: stormBidders.length, anonymous: false }), stormBidders.length);
  opened("storm watchers", await load.call<OpenResult>({ kind: "openWatchers", url: app.url, count: S.watchers, lotId: storm.lotId, group: "storm", batch: 100 }), S.watchers);
  await sleep(1_000);
  const meter = new Meter({ app: app.child.pid, load: load.child.pid, bench: process.pid }, pmPid);
  const stormRun = async (ms: number, tag: string) => {
    const s = await lotState(db, storm.lotId);
    const price = s.currentPriceFen ?? storm.startingPriceFen - storm.incrementFen;
    return load.call<ScheduledResult>({
      kind: "scheduled",
      set: "app",
      groups: ["storm"],
      lotId: storm.lotId,
      rate: S.rate,
      durationMs: ms,
      basePriceFen: price.toString(),
      incrementFen: storm.incrementFen.toString(),
      baseSeq: s.seq,
      drainMs: 10_000,
      tag,
      probeUrl: app.url,
    });
  };
  log(`storm: ${S.watchers} watchers, ${S.rate} bids/s from ${stormBidders.length} bidders; warm-up 3 s, then ${S.ms / 1000} s without the release, ${S.ms / 1000} s with it`);
  await stormRun(3_000, "warm");
  const without = await meter.measure(() => stormRun(S.ms, "without"));
  log(`  without the release: ack ${lat(without.result.ack)}`);

  // ------------------------------------------------------------ E2 + E3: the release during the storm
  const withRelease = await meter.measure(async () => {
    const stormDone = stormRun(S.ms, "with");
    await sleep(RELEASE_AFTER_MS);
    const profile = sampleActivity(database.url);
    const release = await runRelease(db, database.url, releaseLot, R.losers, R.timeoutMs);
    const activity = await profile.stop();
    return { storm: await stormDone, release, activity };
  });
  const { storm: stormWith, release, activity: releaseActivity } = withRelease.result;
  log(`  with the release: ack ${lat(stormWith.ack)}; release ${secs(release.ms)}${release.complete ? "" : " (NOT complete)"}`);
  await load.call({ kind: "closeWatchers" });
  await load.call({ kind: "closeBidders" });
  await load.call({ kind: "exit" });
  await load.child.stop();
  await app.child.stop();

  report({ describe, seedMs, seedDeadlocks, plainRate, ledgerRate, noAuditRate, rounds, ledgerActivity, release, releaseActivity, without, withRelease: { result: stormWith, cpu: withRelease.cpu } });
}

interface Figures {
  describe: string;
  seedMs: number;
  seedDeadlocks: number;
  plainRate: number;
  ledgerRate: number;
  noAuditRate: number;
  rounds: { result: LedgerRound; cpu: CpuShare }[];
  ledgerActivity: ActivityProfile;
  release: ReleaseResult;
  releaseActivity: ActivityProfile;
  without: { result: ScheduledResult; cpu: CpuShare };
  withRelease: { result: ScheduledResult; cpu: CpuShare };
}

function report(f: Figures) {
  const mark = (ok: boolean) => (ok ? "PASS" : "FAIL");
  const e1 = f.ledgerRate / f.plainRate;
  const e1NoAudit = f.noAuditRate / f.plainRate;
  const e2 = f.release.complete ? f.release.ms : Number.POSITIVE_INFINITY;
  const e3 = f.withRelease.result.ack.p99 / f.without.result.ack.p99;
  const R = P.release;
  const S = P.storm;
  console.log(`\n## Escrow benchmark (${quick ? "--quick: smaller numbers, not the targets' conditions" : "full"})\n`);
  console.log(`${f.describe}; ${os.cpus().length} cores; ${new Date().toISOString()}\n`);
  console.log(
    table([
      ["", "what", "measured", "target", "result"],
      [
        "E1",
        `ledger transfers/s (escrow/ledger.ts transfer, one txn each) ÷ plain INSERTs/s of the same width, ${P.ledger.writers} writers, same pool`,
        `${e1.toFixed(2)} (${f.ledgerRate.toFixed(0)} ÷ ${f.plainRate.toFixed(0)})`,
        "≥ 0.5",
        mark(e1 >= 0.5),
      ],
      ["", "  secondary, not the target: the same writes without the audit append ÷ plain INSERTs", `${e1NoAudit.toFixed(2)} (${f.noAuditRate.toFixed(0)} ÷ ${f.plainRate.toFixed(0)})`, "–", "–"],
      [
        "E2",
        `release after the close of a lot with ${R.losers} losing deposits, during the storm: until all are released and booked`,
        f.release.complete ? secs(f.release.ms) : `not done in ${secs(f.release.ms)}`,
        "< 60 s",
        mark(e2 < 60_000),
      ],
      ["", "  every outcome recorded / every refund sent / every webhook posted, after the close", `${secs(f.release.releasedMs)} / ${secs(f.release.sentMs)} / ${secs(f.release.postedMs)}`, "–", "–"],
      [
        "E3",
        `storm bid-ack p99 with the release ÷ without (${S.watchers} watchers, ${S.rate} bids/s, ${S.ms / 1000} s each)`,
        `${e3.toFixed(2)} (${fmtMs(f.withRelease.result.ack.p99)} ÷ ${fmtMs(f.without.result.ack.p99)} ms)`,
        "≤ 1.2",
        mark(e3 <= 1.2),
      ],
    ]),
  );
  console.log("\n### Raw numbers\n");
  console.log(`E1 rounds (${P.ledger.roundMs / 1000} s each; writes committed inside the round):`);
  for (const { result: r, cpu } of f.rounds) console.log(`  ${r.variant.padEnd(16)} ${((r.writes * 1000) / r.elapsedMs).toFixed(0).padStart(6)}/s  (${r.writes} writes); CPU: ${cpuText(cpu)}`);
  console.log(`E1 a profiled ledger round (${P.ledger.roundMs / 2000} s, not counted):\n${activityText(f.ledgerActivity)}`);
  const r = f.release;
  console.log(
    `E2 seeding: ${R.losers + 1} deposits paid through the use cases in ${secs(f.seedMs)} (${f.seedDeadlocks} payment steps aborted by a deadlock and run again). Release: ${r.complete ? "complete" : "NOT complete"} in ${secs(r.ms)}; final released ${r.final.released}, sent ${r.final.sent}, posted ${r.final.posted}; ${r.webhooks} webhooks delivered; ledger verified: ${r.ledgerDifferences} differences`,
  );
  console.log(`E2 what the database sessions did during the release (and the storm):\n${activityText(f.releaseActivity)}`);
  for (const [name, x] of [
    ["without the release", f.without],
    ["with the release", f.withRelease],
  ] as const) {
    const s = x.result;
    const g = s.groups[0]!;
    console.log(`E3 storm ${name}: ${s.accepted}/${s.sent} accepted (refused: ${JSON.stringify(s.refused)}); ack ${lat(s.ack)}; sender lag p99 ${fmtMs(s.sendLag.p99)} ms`);
    console.log(`  screen ${lat(g.screen)}; lost ${g.lost}; event-loop probe p99 ${fmtMs(s.probe.p99)} ms; CPU: ${cpuText(x.cpu)}`);
  }
  if (r.ms > S.ms - RELEASE_AFTER_MS) console.log(`  note: the release (${secs(r.ms)}) outlasted the storm it was measured with (${secs(S.ms - RELEASE_AFTER_MS)} of it).`);
}

await runBench(main, log);
