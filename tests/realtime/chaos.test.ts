import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inArray } from "drizzle-orm";
import { PgBoss } from "pg-boss";
import { chainPendingAudits } from "../../core/audit.ts";
import { TestClock } from "../../core/clock.ts";
import { connect, startEmbedded, withDatabase, type Database, type EmbeddedServer } from "../../db/client.ts";
import { migrate } from "../../db/migrate.ts";
import { auditEvents, lots } from "../../db/schema/index.ts";
import { placeBid, silentPublisher } from "../../auction/index.ts";
import { scheduleCloseJob } from "../../server/jobs.ts";
import { makeActiveBidder, makePublishedLot } from "../fixtures/auction.ts";
import { freePort, signInCookie, startServerProcess, until, type ServerProcess } from "../support/server-process.ts";

// A database of its own that the test can stop and start (the shared test server must stay up).
const ROOT = path.resolve(import.meta.dirname, "../..");
const DATA_DIR = path.join(ROOT, `.data/test-postgres/chaos-${process.pid}`);
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const REQUEST_TIMEOUT_MS = 3_000;
/** Scheduling and the client's own overhead on a busy 2-core machine. */
const SLACK_MS = 2_000;
const OUTAGE_CLOSES = 4;

let pg: EmbeddedServer;
let port: number;
let database: Database;
let server: ServerProcess | undefined;

beforeAll(async () => {
  port = await freePort();
  pg = await startEmbedded(DATA_DIR, port);
  await pg.createDatabase("chaos");
  database = connect(withDatabase(pg.adminUrl, "chaos"), { max: 4 });
  await migrate(database);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.close();
  await pg?.stop();
  rmSync(DATA_DIR, { recursive: true, force: true });
}, 30_000);

interface Sample {
  path: string;
  lang: "zh-CN" | "en";
  signedIn: boolean;
  api: boolean;
  startedAt: number;
  ms: number;
  status: number;
  body: string;
}

/** Lots whose close comes due at `closesAt` (bidding opened 24 h before), half of them with a bid. */
async function lotsClosingAt(closesAt: number[]) {
  const made = [];
  for (const [i, at] of closesAt.entries()) {
    const announce = new TestClock(new Date(at - 31 * DAY - DAY));
    const lot = await makePublishedLot(database.db, announce, { biddingHours: 24 });
    if (i % 2 === 0) {
      const bidder = await makeActiveBidder(database.db, announce, lot.lotId);
      // Ten minutes before the close: not a late bid, the close stays where it is (D3).
      await placeBid(database.db, new TestClock(new Date(at - 10 * MINUTE)), silentPublisher, bidder, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: `chaos-${i}` });
    }
    made.push(lot);
  }
  return made;
}

describe("D7, V7.4.1, V11.1.x: the database stops under load and comes back", () => {
  it("answers 503 in the reader's language (pages) and SERVICE_UNAVAILABLE (API) within the bound, recovers, and runs every close that came due during the outage exactly once (D3, D6)", async () => {
    const { db } = database;
    // Three signed-in bidders (one reads English), and anonymous readers.
    const someLot = (await lotsClosingAt([Date.now() + 2 * DAY]))[0]!;
    const readers: { username: string; lang: "zh-CN" | "en" }[] = [];
    for (let i = 0; i < 3; i++) readers.push({ username: (await makeActiveBidder(db, new TestClock(new Date()), someLot.lotId)).username, lang: i === 1 ? "en" : "zh-CN" });

    server = await startServerProcess({
      databaseUrl: withDatabase(pg.adminUrl, "chaos"),
      env: { REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), DB_CONNECT_TIMEOUT_SECONDS: "2" },
    });
    const base = server.url;
    const signedIn = await Promise.all(
      readers.map(async (r, i) => ({ cookie: `${await signInCookie(base, r.username)}; lang=${r.lang}`, lang: r.lang, i, signedIn: true })),
    );
    const visitors = [...signedIn, { cookie: "lang=en", lang: "en" as const, i: 3, signedIn: false }, { cookie: "", lang: "zh-CN" as const, i: 4, signedIn: false }];
    const paths = [`/lots`, `/lots/${someLot.lotId}`, `/api/v1/lots`, `/api/v1/me`, `/my/bids`];

    const samples: Sample[] = [];
    let loading = true;
    const worker = async (v: (typeof visitors)[number]) => {
      for (let k = v.i; loading; k++) {
        const p = paths[k % paths.length]!;
        const startedAt = Date.now();
        try {
          const response = await fetch(base + p, { headers: v.cookie ? { cookie: v.cookie } : {}, redirect: "manual", signal: AbortSignal.timeout(20_000) });
          const body = await response.text();
          samples.push({ path: p, lang: v.lang, signedIn: v.signedIn, api: p.startsWith("/api/"), startedAt, ms: Date.now() - startedAt, status: response.status, body: response.status === 503 ? body : "" });
        } catch (error) {
          samples.push({ path: p, lang: v.lang, signedIn: v.signedIn, api: p.startsWith("/api/"), startedAt, ms: Date.now() - startedAt, status: 0, body: String(error) });
        }
        // A steady load, not a flood: CI has two cores.
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const workers = visitors.map(worker);
    await new Promise((r) => setTimeout(r, 1_500));

    // Lots that come due while the database is down, each with its per-lot job in pg-boss, as publishing schedules it.
    const first = Date.now() + 10_000;
    const outageLots = await lotsClosingAt(Array.from({ length: OUTAGE_CLOSES }, (_, i) => first + i * 700));
    const boss = new PgBoss({ connectionString: withDatabase(pg.adminUrl, "chaos"), supervise: false, schedule: false });
    await boss.start();
    for (const lot of outageLots) await scheduleCloseJob(boss, lot.lotId, lot.closesAt);
    await boss.stop({ graceful: false });

    const healthyUntil = Date.now();
    await pg.stop();
    const downAt = Date.now();
    expect(downAt, "the database must be down before the first close is due").toBeLessThan(outageLots[0]!.closesAt.getTime());
    await new Promise((r) => setTimeout(r, Math.max(0, outageLots.at(-1)!.closesAt.getTime() - Date.now()) + 3_000));
    const upFrom = Date.now();
    pg = await startEmbedded(DATA_DIR, port);
    const upAt = Date.now();

    // Recovery: health, then every reader's pages and API answer normally again.
    await until(() => samples.some((s) => s.startedAt > upAt && s.status === 200 && s.path === "/api/v1/lots"), 20_000, "the API answering again").catch((error: Error) => {
      // What the readers got since the database came back, and what the server said: the failure's story.
      const since = samples.filter((s) => s.startedAt > upAt).slice(-12).map((s) => `${s.path} ${s.status} ${s.ms} ms ${s.body.slice(0, 120)}`);
      throw new Error(`${error.message}\nsince the database came back:\n${since.join("\n")}\nserver output (end):\n${server!.output().slice(-4_000)}`);
    });
    const recoveredAt = Date.now();
    await new Promise((r) => setTimeout(r, 5_000));
    loading = false;
    await Promise.all(workers);

    // Nothing ever answered 500 or hung past the bound.
    expect(samples.filter((s) => s.status === 0 || (s.status >= 500 && s.status !== 503)).map((s) => `${s.path} ${s.status} ${s.body.slice(0, 200)}`)).toEqual([]);
    const slow = samples.filter((s) => s.ms > REQUEST_TIMEOUT_MS + SLACK_MS);
    expect(slow.map((s) => `${s.path} ${s.ms} ms`)).toEqual([]);
    const before = samples.filter((s) => s.startedAt + s.ms < healthyUntil);
    expect(before.length).toBeGreaterThan(10);
    // Before: all served (anonymous readers are sent to sign in, or get 401 from the API).
    expect(before.filter((s) => s.status >= 500).map((s) => `${s.path} ${s.status}`)).toEqual([]);
    // During: every answer that needs the database is a 503 — pages in the reader's language, the API with
    // its code. (Anonymous readers of their own pages need none: they may still be sent to sign in.)
    const during = samples.filter((s) => s.startedAt > downAt && s.startedAt + s.ms < upFrom);
    expect(during.length).toBeGreaterThan(10);
    const needsNoDatabase = (s: Sample) => !s.signedIn && (s.path === "/api/v1/me" || s.path === "/my/bids");
    expect(during.filter((s) => !needsNoDatabase(s)).length).toBeGreaterThan(10);
    for (const s of during) {
      if (needsNoDatabase(s)) {
        expect([302, 401, 503]).toContain(s.status);
        if (s.status !== 503) continue;
      }
      expect(s.status, `${s.path} during the outage`).toBe(503);
      if (s.api) expect(JSON.parse(s.body)).toMatchObject({ error: { code: "SERVICE_UNAVAILABLE" } });
      else expect(s.body).toContain(s.lang === "en" ? 'lang="en"' : 'lang="zh-CN"');
      if (!s.api) expect(s.body).toContain(s.lang === "en" ? "The service is unavailable" : "服务暂时不可用");
    }
    // After: served again, once the pools have replaced their connections to the stopped server (a second).
    const after = samples.filter((s) => s.startedAt > recoveredAt + 2_000);
    expect(after.length).toBeGreaterThan(5);
    expect(after.filter((s) => s.status >= 500).map((s) => `${s.path} ${s.status}`)).toEqual([]);

    // Every close that came due during the outage ran once, at its own instant, with its audit event once (D3, D6).
    const ids = outageLots.map((l) => l.lotId);
    const deadline = Date.now() + 20_000;
    let closed: (typeof lots.$inferSelect)[] = [];
    while (Date.now() < deadline) {
      closed = (await db.select().from(lots).where(inArray(lots.id, ids))).filter((l) => l.status !== "published");
      if (closed.length === ids.length) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(closed.length).toBe(ids.length);
    for (const [i, lot] of outageLots.entries()) {
      const row = closed.find((l) => l.id === lot.lotId)!;
      expect(row).toMatchObject({ status: i % 2 === 0 ? "sold" : "failed", closedAt: lot.closesAt });
    }
    // Give any straggling job or sweep the chance to close a second time, then count.
    await new Promise((r) => setTimeout(r, 3_000));
    await chainPendingAudits(db); // ADR 021: what the killed nodes' last commits left pending
    const events = await db.select().from(auditEvents).where(inArray(auditEvents.entityId, ids));
    const closes = events.filter((e) => e.action === "auction.lot_sold" || e.action === "auction.lot_failed");
    expect(closes.map((e) => e.entityId).sort()).toEqual([...ids].sort());

    // The outage was told once, and its end once; pg-boss and the live adapter did not repeat it.
    const output = server.output();
    expect(output.match(/database unreachable/g)?.length).toBe(1);
    expect(output.match(/database back/g)?.length).toBe(1);
    expect(output).not.toMatch(/pg-boss error/);

    console.log(JSON.stringify({ samples: samples.length, before: before.length, during: during.length, after: after.length, outageMs: upAt - downAt, maxMsDuring: Math.max(...during.map((s) => s.ms)), recoveryMs: recoveredAt - upAt }));
  }, 90_000);
});
