import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { PgBoss } from "pg-boss";
import { TestClock } from "../../core/clock.ts";
import type { Database } from "../../db/client.ts";
import { depositOutcomes, lots, moneyOut, payments, registrations, simTransfers } from "../../db/schema/index.ts";
import { placeBid, silentPublisher } from "../../auction/index.ts";
import { verifyLedger } from "../../escrow/index.ts";
import { scheduleCloseJob } from "../../server/jobs.ts";
import { makeActiveBidder, makePublishedLot } from "../fixtures/auction.ts";
import { createTestDatabase } from "../support/database.ts";
import { poll, startServerProcess, type ServerProcess } from "../support/server-process.ts";

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;
/** Enough paid losing deposits that releasing them takes the node a while: it is killed partway. */
const LOSERS = Number(process.env.ESCROW_KILL_LOSERS ?? 300);
/** Made at once, each bidder's registration and deposit being independent. */
const SETUP_CONCURRENCY = 8;

let database: Database;
const processes: ServerProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await database?.close();
}, 30_000);

describe("a node killed while releasing a lot's deposits (SIGKILL)", () => {
  it(
    `F1, P2, H2: after restart every one of ${LOSERS} losing deposits is released exactly once — one outcome, one refund request, at most one refund at the gateway per charge — and the ledger balances`,
    async () => {
      const { db } = database;
      // The lot was announced 32 days ago; bidding ended a minute ago. The node closes it and settles its deposits.
      const announce = new TestClock(new Date(Date.now() - 32 * DAY - MINUTE));
      const lot = await makePublishedLot(db, announce, { biddingHours: 24 });
      const bidders: Awaited<ReturnType<typeof makeActiveBidder>>[] = [];
      for (let i = 0; i <= LOSERS; i += SETUP_CONCURRENCY) {
        const batch = Math.min(SETUP_CONCURRENCY, LOSERS + 1 - i);
        bidders.push(...(await Promise.all(Array.from({ length: batch }, () => makeActiveBidder(db, announce, lot.lotId)))));
      }
      announce.set(lot.biddingStartsAt);
      await placeBid(db, announce, silentPublisher, bidders[0]!, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: crypto.randomUUID() });
      expect(lot.closesAt.getTime()).toBeLessThan(Date.now());

      const first = await startServerProcess({ databaseUrl: database.url, startTimeoutMs: 120_000 });
      processes.push(first);
      const boss = new PgBoss({ connectionString: database.url, supervise: false, schedule: false });
      await boss.start();
      await scheduleCloseJob(boss, lot.lotId, new Date());
      await boss.stop({ graceful: false });

      // Kill the node once it has released some of the deposits but not all.
      const released = () => db.$count(depositOutcomes, eq(depositOutcomes.lotId, lot.lotId));
      const atKill = await poll(released, (n) => n >= LOSERS / 4, 120_000, "the release to begin", 5);
      await first.kill("SIGKILL");
      const afterKill = await released();
      expect(afterKill, "the node released every deposit before it was killed: raise ESCROW_KILL_LOSERS").toBeLessThan(LOSERS);

      // A new node finishes the release (its escrow clock finds the lot unsettled) and sends every refund.
      const second = await startServerProcess({ databaseUrl: database.url, startTimeoutMs: 120_000 });
      processes.push(second);
      await poll(released, (n) => n === LOSERS, 240_000, "every deposit released", 250);
      const charges = (await db.select({ ref: payments.providerRef }).from(payments).where(eq(payments.lotId, lot.lotId))).map((p) => p.ref!);
      const refundsSent = () => db.$count(simTransfers, inArray(simTransfers.chargeId, charges));
      await poll(refundsSent, (n) => n >= LOSERS, 240_000, "every refund sent", 250);

      const [closed] = await db.select().from(lots).where(eq(lots.id, lot.lotId));
      expect(closed).toMatchObject({ status: "sold" });
      const regs = await db.select({ id: registrations.id }).from(registrations).where(eq(registrations.lotId, lot.lotId));
      const losers = regs.filter((r) => r.id !== closed!.winnerRegistrationId);
      expect(losers).toHaveLength(LOSERS);
      const outcomes = await db.select().from(depositOutcomes).where(eq(depositOutcomes.lotId, lot.lotId));
      const requests = await db.select().from(moneyOut).where(eq(moneyOut.caseId, lot.caseId));
      const pays = await db.select().from(payments).where(eq(payments.lotId, lot.lotId));
      const atGateway = await db.select().from(simTransfers).where(inArray(simTransfers.chargeId, pays.map((p) => p.providerRef!)));
      for (const r of losers) {
        const charge = pays.find((p) => p.registrationId === r.id)!;
        expect(outcomes.filter((o) => o.registrationId === r.id).map((o) => [o.outcome, o.amountFen])).toEqual([["released", charge.amountFen]]);
        expect(requests.filter((m) => m.paymentId === charge.id).map((m) => [m.kind, m.amountFen])).toEqual([["refund", charge.amountFen]]);
        expect(atGateway.filter((t) => t.chargeId === charge.providerRef).map((t) => t.amountFen)).toEqual([charge.amountFen]);
      }
      // The winner's deposit went to the case's escrow, not back to the payer.
      expect(outcomes.some((o) => o.registrationId === closed!.winnerRegistrationId)).toBe(false);
      expect(requests.some((m) => m.paymentId === pays.find((p) => p.registrationId === closed!.winnerRegistrationId)!.id)).toBe(false);
      expect((await verifyLedger(db)).differences).toEqual([]);
      console.log(JSON.stringify({ losers: LOSERS, releasedWhenKillDecided: atKill, releasedAtKill: afterKill }));
    },
    600_000,
  );
});
