/**
 * `npm exec -- node bench/live/storm.ts [watchers] [bids/s] [seconds]`: R3's closing storm alone, for
 * working on it (defaults: the full run's 5,000 watchers, 500 bids/s, 10 s). Same processes, data and
 * measurement as run.ts's R3 (the app server, the load generator in its own process); prints the
 * storm's raw numbers and the machine's CPU.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { systemClock } from "../../core/clock.ts";
import type { Tx } from "../../db/client.ts";
import { sealToken } from "../../identity/index.ts";
import { createSession } from "../../identity/sessions.ts";
import { Meter, postmasterPid } from "./meter.ts";
import { cleanupAll, freePort, installSignalHandlers, ROOT, sleep, spawnChild, waitHealthy } from "./procs.ts";
import type { Command, OpenResult, Response, ScheduledResult } from "./protocol.ts";
import { fmtMs } from "./stats.ts";
import { ensureBuild, lotState, makeBidders, makeOpenLot, openBenchDatabase, registerBidders } from "./setup.ts";

const [watchers = 5_000, rate = 500, seconds = 10] = process.argv.slice(2).map(Number);
const BIDDERS = 128;
const SESSION_SECRET = randomBytes(32).toString("base64url");

installSignalHandlers();
let failed = false;
try {
  ensureBuild();
  const { database, describe } = await openBenchDatabase();
  const { db } = database;
  console.log(describe);
  const port = await freePort();
  const app = spawnChild("app", [...(process.env.BENCH_APP_NODE_ARGS ?? "").split(" ").filter(Boolean), path.join(ROOT, "server/main.ts")], {
    env: { PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production", DATABASE_URL: database.url, SESSION_SECRET, LOG_LEVEL: "warn", SEED_DEMO: "0", LIVE_ADAPTER: "none", LIVE_CONNECTIONS_PER_ADDRESS: "1000000" },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(app, `${url}/healthz`, 60_000);
  const load = spawnChild("load", [...(process.env.BENCH_LOAD_NODE_ARGS ?? "").split(" ").filter(Boolean), "--max-old-space-size=4096", path.join(ROOT, "bench/live/load.ts")], { ipc: true });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  load.proc.on("message", (m: Response) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.ok) p?.resolve(m.result);
    else p?.reject(new Error(m.error));
  });
  const call = <T>(command: Command) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      load.proc.send({ id, command });
    });

  const storm = await makeOpenLot(db, 4 * 60 * 1000);
  const bidders = await makeBidders(db, BIDDERS);
  await registerBidders(db, storm, bidders);
  const cookies: string[] = [];
  for (const b of bidders) {
    const session = await db.transaction((tx) => createSession(tx as Tx, systemClock, b.id));
    cookies.push(`sid=${sealToken(session.token, SESSION_SECRET)}`);
  }
  await call({ kind: "setCookies", cookies });
  const opened = await call<OpenResult>({ kind: "openBidders", set: "app", url, count: BIDDERS, anonymous: false });
  const w = await call<OpenResult>({ kind: "openWatchers", url, count: watchers, lotId: storm.lotId, group: "storm", batch: 100 });
  console.log(`${opened.opened} bidders, ${w.opened} watchers open (${(w.ms / 1000).toFixed(1)} s)`);
  await sleep(1_000);
  const s0 = await lotState(db, storm.lotId);
  const dbStats = async () => (await database.sql<{ xact_commit: string; tup_inserted: string }[]>`select xact_commit::text, tup_inserted::text from pg_stat_database where datname = current_database()`)[0]!;
  const d0 = await dbStats();
  const meter = new Meter({ app: app.pid, load: load.pid }, postmasterPid(path.join(ROOT, ".data/bench-postgres")));
  const { result: r, cpu } = await meter.measure(() =>
    call<ScheduledResult>({
      kind: "scheduled",
      set: "app",
      groups: ["storm"],
      lotId: storm.lotId,
      rate,
      durationMs: seconds * 1000,
      basePriceFen: (s0.currentPriceFen ?? storm.startingPriceFen - storm.incrementFen).toString(),
      incrementFen: storm.incrementFen.toString(),
      baseSeq: s0.seq,
      drainMs: 10_000,
      tag: "storm",
      probeUrl: url,
    }),
  );
  const d1 = await dbStats();
  const g = r.groups[0]!;
  console.log(`database: ${Number(d1.xact_commit) - Number(d0.xact_commit)} commits, ${Number(d1.tup_inserted) - Number(d0.tup_inserted)} rows inserted during the storm`);
  const lat = (x: { p50: number; p99: number; max: number }) => `p50 ${fmtMs(x.p50)} / p99 ${fmtMs(x.p99)} / max ${fmtMs(x.max)} ms`;
  console.log(`storm: ${watchers} watchers, ${rate} bids/s × ${seconds} s: ${r.accepted}/${r.sent} accepted; refused ${JSON.stringify(r.refused)}`);
  console.log(`  ack ${lat(r.ack)}; sender lag p99 ${fmtMs(r.sendLag.p99)} ms; probe ${lat(r.probe)}`);
  console.log(`  screen ${lat(g.screen)}; lost ${g.lost}, dup ${g.duplicated}, out of order ${g.outOfOrder}; ${g.messages} messages; ${r.drained ? "all delivered" : "NOT all delivered"}`);
  console.log(`  CPU: ${Object.entries(cpu.processes).map(([k, v]) => `${k} ${v.toFixed(0)}%`).join(", ")}; machine ${cpu.machine.toFixed(0)}% of 2 cores`);
  await call({ kind: "exit" });
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await cleanupAll();
}
process.exit(failed ? 1 : 0);
