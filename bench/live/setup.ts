/** The benchmark's database and data: a scratch database, lots open for bidding now, registered bidders. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { eq } from "drizzle-orm";
import { systemClock, TestClock } from "../../core/clock.ts";
import { connect, startEmbedded, withDatabase, type Database, type Tx } from "../../db/client.ts";
import { migrate } from "../../db/migrate.ts";
import { bidderProfiles, lots, users } from "../../db/schema/index.ts";
import { hashPassword, residentIdCheckChar, sealToken, type SessionUser } from "../../identity/index.ts";
import { createSession } from "../../identity/sessions.ts";
import { applyForLot, ownRegistration } from "../../auction/index.ts";
import { deliverInProcess, startDepositPayment, SUCCEEDING_CARD } from "../../escrow/index.ts";
import { testGateway } from "../../tests/support/payments.ts";
import { makePublishedLot } from "../../tests/fixtures/auction.ts";
import { freePort, onCleanup, ROOT } from "./procs.ts";

const DAY = 24 * 60 * 60 * 1000;
export const BIDDER_PASSWORD = "test-password";

export interface BenchDatabase {
  database: Database;
  /** Where it lives, for the report. */
  describe: string;
}

/**
 * A fresh scratch database `bench_live_<pid>`, dropped at the end: on the server of
 * BENCH_DATABASE_URL / TEST_DATABASE_URL / DATABASE_URL if one is given (the role must be allowed to
 * CREATE DATABASE), else on an embedded PostgreSQL kept in .data/bench-postgres on a free port.
 */
export async function openBenchDatabase(): Promise<BenchDatabase> {
  const given = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  let adminUrl: string;
  let where: string;
  if (given) {
    adminUrl = given;
    const u = new URL(given);
    where = `PostgreSQL at ${u.hostname}:${u.port || 5432} (given)`;
  } else {
    const server = await startEmbedded(path.join(ROOT, ".data/bench-postgres"), await freePort());
    onCleanup(server.stop);
    adminUrl = server.adminUrl;
    where = "embedded PostgreSQL (.data/bench-postgres)";
  }
  const name = `bench_live_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  if (!given) {
    // Databases of runs that were killed before they could drop theirs (their process is gone).
    const left = await admin<{ datname: string }[]>`select datname from pg_database where datname like 'bench_live_%'`;
    for (const { datname } of left) if (!isAlive(Number(datname.slice("bench_live_".length)))) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
  }
  await admin.unsafe(`create database "${name}"`);
  onCleanup(async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end({ timeout: 5 });
  });
  const database = connect(withDatabase(adminUrl, name), { max: 8 });
  onCleanup(() => database.close());
  await migrate(database);
  const [{ version }] = (await database.sql`select current_setting('server_version') as version`) as unknown as [{ version: string }];
  return { database, describe: `${where}, PostgreSQL ${version}, database ${name}` };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The production build the server process loads; made once if missing. */
export function ensureBuild(): void {
  if (existsSync(path.join(ROOT, "build/server/index.js"))) return;
  console.log("[bench] building the site (react-router build)…");
  const built = spawnSync(process.execPath, [path.join(ROOT, "node_modules/@react-router/dev/bin.cjs"), "build"], { cwd: ROOT, stdio: "inherit" });
  if (built.status !== 0) throw new Error("react-router build failed");
}

export interface BenchLot {
  lotId: string;
  startingPriceFen: bigint;
  incrementFen: bigint;
  closesAt: Date;
  /** The clock the lot was set up with (bidding then starts 31 days later, i.e. in the past now). */
  clock: TestClock;
}

/**
 * A lot in bidding now by the real clock: set up 31 days ago (announcement lead) with a 24-hour
 * bidding window, placed so that it closes `closesInMs` from now. Under 5 minutes: every bid is in the
 * extension window (a closing storm). Increment 100 fen, so many bids in a row are valid.
 */
export async function makeOpenLot(db: Database["db"], closesInMs: number): Promise<BenchLot> {
  const clock = new TestClock(new Date(Date.now() - 31 * DAY - DAY + closesInMs));
  const lot = await makePublishedLot(db, clock, { incrementFen: 100n, biddingHours: 24 });
  return { lotId: lot.lotId, startingPriceFen: lot.startingPriceFen, incrementFen: 100n, closesAt: lot.closesAt, clock };
}

export interface BenchBidder extends SessionUser {
  username: string;
}

/**
 * A valid resident ID number born in 1990: never one the fixtures make for court staff (born 1985),
 * so a bench bidder is never barred as staff (C7).
 */
function benchResidentId(i: number): string {
  const body = `1101051990${String(1 + (i % 12)).padStart(2, "0")}${String(1 + (Math.floor(i / 12) % 28)).padStart(2, "0")}${String(Math.floor(i / 336) % 1000).padStart(3, "0")}`;
  return body + residentIdCheckChar(body);
}

/**
 * `count` bidder accounts with real-name profiles, verified as the simulated service would (registration for a lot
 * needs a verified name; a bulk insert keeps the set-up fast); all share one password hash (made once).
 */
export async function makeBidders(db: Database["db"], count: number): Promise<BenchBidder[]> {
  const passwordHash = await hashPassword(BIDDER_PASSWORD);
  const now = new Date();
  const rows = await db
    .insert(users)
    .values(Array.from({ length: count }, (_, i) => ({ username: `bench-${i}`, passwordHash, displayName: `压测竞买人${i}`, role: "bidder" as const, createdAt: now })))
    .returning();
  await db.insert(bidderProfiles).values(
    rows.map((u, i) => ({ userId: u.id, kind: "person" as const, legalName: `压测竞买人${i}`, identityNumber: benchResidentId(i), phone: "13900000000", realNameVerifiedAt: now, realNameMethod: "simulated" })),
  );
  return rows.map((u) => ({
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    courtId: u.courtId,
    agencyId: u.agencyId,
    platformId: u.platformId,
    sessionId: "00000000-0000-0000-0000-000000000000",
  }));
}

const isDeadlock = (error: unknown) => (error as { cause?: { code?: string } }).cause?.code === "40P01";

/**
 * Applies and pays the deposit for each bidder, `concurrency` at a time, as a payer does on the simulated gateway's
 * checkout with a test card in the bidder's own name; one deliverer (as the gateway has) sends the webhooks to the
 * platform's handler in process. All get a bidder code. A payment start that PostgreSQL aborted as a deadlock is
 * started again, as the payer would; a webhook whose handling failed is delivered again, as the gateway would.
 * Returns how many payment starts were run again.
 */
export async function registerBidders(db: Database["db"], lot: BenchLot, bidders: BenchBidder[], concurrency = 4): Promise<{ deadlocks: number }> {
  const gateway = testGateway(db, lot.clock);
  let delivering: Promise<number> | null = null;
  const deliver = () => (delivering ??= deliverInProcess(db, lot.clock, gateway).finally(() => (delivering = null)));
  let deadlocks = 0;
  const start = async (bidder: BenchBidder) => {
    for (;;) {
      try {
        return await startDepositPayment(db, lot.clock, gateway, bidder, lot.lotId, `/lots/${lot.lotId}/deposit`);
      } catch (error) {
        if (!isDeadlock(error) || deadlocks > 1_000) throw error;
        deadlocks++;
      }
    }
  };
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < bidders.length; i = next++) {
      const bidder = bidders[i]!;
      await applyForLot(db, lot.clock, bidder, lot.lotId, { acceptWarnings: true, declareNotBarred: true, housingEligibilityDeclared: true });
      const started = await start(bidder);
      // makeBidders gives each bidder their legal name as display name: the card is in the bidder's own name.
      await gateway.submitCard(started.redirectUrl!.split("/").pop()!, { number: SUCCEEDING_CARD, holderName: bidder.displayName });
      for (let tries = 0; ; tries++) {
        await deliver();
        if ((await ownRegistration(db, bidder, lot.lotId))?.bidderCode) break;
        if (tries > 200) throw new Error(`deposit of ${bidder.username} not paid`);
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { deadlocks };
}

/** Session cookies for the bidders, their sessions made straight in the database (saves ~30 ms of argon2 each). */
export async function sessionCookies(db: Database["db"], bidders: BenchBidder[], sessionSecret: string): Promise<string[]> {
  const cookies: string[] = [];
  for (const b of bidders) {
    const session = await db.transaction((tx) => createSession(tx as Tx, systemClock, b.id));
    cookies.push(`sid=${sealToken(session.token, sessionSecret)}`);
  }
  return cookies;
}

export async function lotState(db: Database["db"], lotId: string): Promise<{ seq: number; currentPriceFen: bigint | null; bidCount: number; closesAt: Date }> {
  const [row] = await db.select({ seq: lots.seq, currentPriceFen: lots.currentPriceFen, bidCount: lots.bidCount, closesAt: lots.closesAt }).from(lots).where(eq(lots.id, lotId));
  if (!row) throw new Error(`lot ${lotId} not found`);
  return row;
}
