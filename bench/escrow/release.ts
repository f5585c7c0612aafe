/**
 * E2: the release after a close. A lot with `losers` + 1 paid deposits (paid through the real use cases on the
 * simulated gateway) and one bid; the bench closes it and hands the settlement to the app server's job, as the close
 * job does; the simulated gateway's webhooks are delivered as they fall due. Done when every losing deposit is
 * released and booked: outcome recorded, refund sent, webhook received, pending transfer posted.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { PgBoss } from "pg-boss";
import { systemClock, TestClock } from "../../core/clock.ts";
import type { Db } from "../../db/client.ts";
import { closeLot, placeBid, silentPublisher } from "../../auction/index.ts";
import { createSimulatedGateway, deliverInProcess, verifyLedger } from "../../escrow/index.ts";
import { scheduleSettlement } from "../../server/jobs.ts";
import { onCleanup, sleep } from "../live/procs.ts";
import { makeOpenLot, registerBidders, type BenchBidder, type BenchLot } from "../live/setup.ts";

const HOUR = 60 * 60 * 1000;

/**
 * The lot, open for an hour by the real clock (so no job of the app's closes or settles it before the bench does);
 * every bidder registered with a deposit paid; bidders[0] bids the starting price and wins.
 */
export async function seedReleaseLot(db: Db, bidders: BenchBidder[], concurrency: number): Promise<{ lot: BenchLot; deadlocks: number }> {
  const lot = await makeOpenLot(db, HOUR);
  const { deadlocks } = await registerBidders(db, lot, bidders, concurrency);
  await placeBid(db, systemClock, silentPublisher, bidders[0]!, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: randomUUID() });
  return { lot, deadlocks };
}

export interface Progress {
  /** Losing deposits with their outcome recorded (released). */
  released: number;
  /** Their refunds sent to the gateway (sent or already confirmed). */
  sent: number;
  /** Their refunds confirmed by webhook: the pending transfer posted. */
  posted: number;
}

export async function releaseProgress(db: Db, lotId: string): Promise<Progress> {
  const [row] = await db.execute<{ released: number; sent: number; posted: number }>(sql`
    select
      (select count(*) from deposit_outcomes where lot_id = ${lotId} and outcome = 'released')::int as released,
      (select count(*) from money_out m join payments p on p.id = m.payment_id where p.lot_id = ${lotId} and m.kind = 'refund' and m.status in ('sent', 'succeeded'))::int as sent,
      (select count(*) from ledger_transfers where lot_id = ${lotId} and kind = 'post' and purpose = 'deposit_released')::int as posted`);
  return row!;
}

/**
 * The simulated gateway's side: delivers every due webhook to the platform's handler (in this process: the branch
 * has no HTTP endpoint for them), again and again until stopped.
 */
export function deliverWebhooks(db: Db): { stop: () => Promise<number> } {
  const gateway = createSimulatedGateway(db, systemClock, { secret: randomUUID(), checkoutBase: "/simulated-bank" });
  let running = true;
  let delivered = 0;
  const loop = (async () => {
    while (running) {
      const n = await deliverInProcess(db, systemClock, gateway);
      delivered += n;
      if (n === 0) await sleep(50);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return delivered;
    },
  };
}

export interface ReleaseResult {
  /** From the close to every losing deposit released and booked (or to the timeout). */
  ms: number;
  complete: boolean;
  /** When each step had done all `losers`, ms after the close. */
  releasedMs: number | null;
  sentMs: number | null;
  postedMs: number | null;
  final: Progress;
  webhooks: number;
  ledgerDifferences: number;
}

/**
 * Closes the lot (its clock moved past the close) and asks the app's job workers to settle it, as the close job does;
 * delivers webhooks meanwhile; polls the database until every losing deposit is booked.
 */
export async function runRelease(db: Db, url: string, lot: BenchLot, losers: number, timeoutMs: number): Promise<ReleaseResult> {
  const boss = new PgBoss({ connectionString: url, max: 1, supervise: false, schedule: false, migrate: false });
  await boss.start();
  onCleanup(() => boss.stop({ graceful: false }));
  const closed = await closeLot(db, new TestClock(new Date(lot.closesAt.getTime() + 1_000)), silentPublisher, lot.lotId);
  if (closed.kind !== "closed") throw new Error(`release lot not closed: ${closed.kind}`);
  const t0 = performance.now();
  await scheduleSettlement(boss, lot.lotId);
  const webhooks = deliverWebhooks(db);
  const at: { releasedMs: number | null; sentMs: number | null; postedMs: number | null } = { releasedMs: null, sentMs: null, postedMs: null };
  let p: Progress = { released: 0, sent: 0, posted: 0 };
  while (performance.now() - t0 < timeoutMs) {
    p = await releaseProgress(db, lot.lotId);
    const ms = performance.now() - t0;
    if (at.releasedMs === null && p.released >= losers) at.releasedMs = ms;
    if (at.sentMs === null && p.sent >= losers) at.sentMs = ms;
    if (p.posted >= losers) {
      at.postedMs = ms;
      break;
    }
    await sleep(100);
  }
  const ms = performance.now() - t0;
  const delivered = await webhooks.stop();
  await boss.stop({ graceful: false });
  const { differences } = await verifyLedger(db);
  return { ms, complete: at.postedMs !== null, ...at, final: p, webhooks: delivered, ledgerDifferences: differences.length };
}
