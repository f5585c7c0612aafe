import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import type { Database } from "../../db/client.ts";
import { bidderProfiles } from "../../db/schema/index.ts";
import { closeLot, placeBid, silentPublisher } from "../../auction/index.ts";
import { caseFundFlow, deliverInProcess, lotMoney, ownMoney, reconcile, reconciliationReport, runEscrowClock, settleLotDeposits, startBalancePayment } from "../../escrow/index.ts";
import { createTestDatabase } from "../support/database.ts";
import { makeActiveBidder, makeBidder, makePublishedLot } from "../fixtures/auction.ts";
import { makeAdmin, makePartyAccount } from "../fixtures/appraisal.ts";
import { testGateway } from "../support/payments.ts";
import { codeOf } from "../support/refusals.ts";

const clock = new TestClock(new Date("2026-12-01T02:00:00Z"));
let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

const DEPOSIT = 7_000_000n;

/** A lot with three paid bidders, two of whom bid, not yet closed. */
async function lotWithBids() {
  const { db } = database;
  clock.set(new Date("2026-12-01T02:00:00Z"));
  const lot = await makePublishedLot(db, clock, { depositFen: DEPOSIT });
  const [a, b, c] = [await makeActiveBidder(db, clock, lot.lotId), await makeActiveBidder(db, clock, lot.lotId), await makeActiveBidder(db, clock, lot.lotId)];
  clock.set(lot.biddingStartsAt);
  await placeBid(db, clock, silentPublisher, a, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: crypto.randomUUID() });
  await placeBid(db, clock, silentPublisher, b, lot.lotId, { amountFen: lot.startingPriceFen + 100_000n, clientBidId: crypto.randomUUID() });
  const party = await makePartyAccount(db, lot.caseId, "applicant", { now: clock.now() });
  return { lot, losers: [a, c], winner: b, party, priceFen: lot.startingPriceFen + 100_000n };
}

/** Closes the lot, settles its deposits and lets the gateway confirm the refunds. */
async function closeAndSettle(lot: { lotId: string; closesAt: Date }) {
  const { db } = database;
  const gateway = testGateway(db, clock);
  clock.set(lot.closesAt);
  await closeLot(db, clock, silentPublisher, lot.lotId);
  await settleLotDeposits(db, clock, lot.lotId);
  await runEscrowClock(db, clock, gateway);
  await deliverInProcess(db, clock, gateway);
}

async function legalName(userId: string) {
  return (await database.db.select({ name: bidderProfiles.legalName }).from(bidderProfiles).where(eq(bidderProfiles.userId, userId)))[0]!.name;
}

describe("the case's fund flow (H5, H6, P14, P4)", () => {
  it("P4: before the close the court and the parties see no deposit of the lot, nor how many were paid", async () => {
    const { db } = database;
    const { lot, party } = await lotWithBids();
    for (const viewer of [lot.judge, lot.clerk, party]) {
      const flow = await caseFundFlow(db, clock, viewer, lot.caseId);
      expect(flow.movements).toEqual([]);
      expect(flow.accounts).toEqual([]);
      expect(flow.depositsWithheld).toBe(true);
    }
  });

  it("H5, H6, P14, P4: after the close every movement is listed with its purpose and roles, the totals sum to zero, refunds on their way show in progress, and only the buyer is named", async () => {
    const { db } = database;
    const { lot, winner, losers, party } = await lotWithBids();
    const gateway = testGateway(db, clock);
    clock.set(lot.closesAt);
    await closeLot(db, clock, silentPublisher, lot.lotId);
    await settleLotDeposits(db, clock, lot.lotId);
    const during = await caseFundFlow(db, clock, party, lot.caseId);
    expect(during.movements.filter((m) => m.purpose === "deposit_released").map((m) => m.state)).toEqual(["in_progress", "in_progress"]);
    expect(during.check).toMatchObject({ sumFen: 0n, balanced: true, ledgerAgrees: true });

    await runEscrowClock(db, clock, gateway);
    await deliverInProcess(db, clock, gateway);
    const flow = await caseFundFlow(db, clock, lot.judge, lot.caseId);
    expect(flow.depositsWithheld).toBe(false);
    expect(flow.movements.map((m) => [m.purpose, m.from.role, m.to.role, m.state])).toEqual(
      expect.arrayContaining([
        ["deposit_paid", "gateway", "bidder", "done"],
        ["deposit_paid", "gateway", "buyer", "done"],
        ["deposit_released", "bidder", "gateway", "done"],
        ["deposit_to_escrow", "buyer", "case_escrow", "done"],
      ]),
    );
    expect(flow.movements.filter((m) => m.purpose === "deposit_paid")).toHaveLength(3);
    expect(flow.check).toEqual({ sumFen: 0n, balanced: true, ledgerAgrees: true });
    expect(flow.accounts.reduce((s, a) => s + a.balanceFen, 0n)).toBe(0n);
    expect(flow.accounts.find((a) => a.role === "case_escrow")!.balanceFen).toBe(DEPOSIT);
    // Only the buyer is named; the losers' names appear nowhere.
    const buyerName = await legalName(winner.id);
    expect(flow.accounts.find((a) => a.role === "buyer")!.name).toBe(buyerName);
    const text = JSON.stringify(flow, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    for (const loser of losers) expect(text).not.toContain(await legalName(loser.id));
  });

  it("H6: someone who is neither of the case's court nor its party is refused", async () => {
    const { db } = database;
    const { lot } = await lotWithBids();
    const other = await makePublishedLot(db, clock);
    expect(await codeOf(caseFundFlow(db, clock, other.judge, lot.caseId))).toBe("FORBIDDEN");
    expect(await codeOf(caseFundFlow(db, clock, await makeBidder(db, clock), lot.caseId))).toBe("FORBIDDEN");
    expect(await codeOf(caseFundFlow(db, clock, lot.judge, crypto.randomUUID()))).toBe("NOT_FOUND");
  });
});

describe("the lot's public money summary (P14, P4)", () => {
  it("P4: before the close it tells nothing about deposits; after, the totals of deposits, the price and the balance", async () => {
    const { db } = database;
    const { lot, priceFen } = await lotWithBids();
    expect(await lotMoney(db, lot.lotId)).toEqual({ closed: false });
    await closeAndSettle(lot);
    expect(await lotMoney(db, lot.lotId)).toEqual({
      closed: true,
      depositsFen: 3n * DEPOSIT,
      releasedFen: 2n * DEPOSIT,
      appliedFen: 0n,
      forfeitedFen: 0n,
      priceFen,
      balancePaidFen: 0n,
      caseDistributedFen: 0n,
    });
  });
});

describe("the bidder's money (F1, F2, F3, P3)", () => {
  it("F1, F3, P3: the losers see their deposit refunded; the winner sees it held and the balance due by 24:00 of the last day; once paid, the deposit is applied", async () => {
    const { db } = database;
    const { lot, winner, losers, priceFen } = await lotWithBids();
    await closeAndSettle(lot);
    expect((await ownMoney(db, losers[0]!))[0]).toMatchObject({ lotId: lot.lotId, deposit: "refunded", balance: null });
    const [mine] = await ownMoney(db, winner);
    expect(mine).toMatchObject({ deposit: "held", balance: { priceFen, depositAppliedFen: DEPOSIT, amountFen: priceFen - DEPOSIT, status: "due" } });
    expect(mine!.balance!.dueAt.toISOString().endsWith("T16:00:00.000Z")).toBe(true);

    const gateway = testGateway(db, clock);
    const started = await startBalancePayment(db, clock, gateway, winner, lot.lotId, "/my/payments");
    expect((await ownMoney(db, winner))[0]!.balancePaying).toBe(true);
    await gateway.submitCard(started.redirectUrl!.split("/").pop()!, { number: "4242424242424242", holderName: await legalName(winner.id) });
    await deliverInProcess(db, clock, gateway);
    expect((await ownMoney(db, winner))[0]).toMatchObject({ deposit: "applied", balance: { status: "paid" }, balancePaying: false });
    expect((await lotMoney(db, lot.lotId)) as object).toMatchObject({ balancePaidFen: priceFen - DEPOSIT, appliedFen: DEPOSIT });
  });
});

describe("reconciliation with the gateway's records (H6, P14)", () => {
  it("H6: books that agree give no difference; a deleted, an altered and an unknown gateway record are each listed", async () => {
    const { db } = database;
    const { lot } = await lotWithBids();
    const since = new Date("2026-12-01T02:00:00Z");
    await closeAndSettle(lot);
    const gateway = testGateway(db, clock);
    const admin = await makeAdmin(db, clock);
    expect((await reconciliationReport(db, clock, gateway, admin, since)).differences).toEqual([]);

    const charges = await db.execute<{ id: string; reference: string }>(sql`select id, reference from sim_charges where created_at >= ${since.toISOString()} order by created_at limit 2`);
    const [gone, altered] = [charges[0]!, charges[1]!];
    await db.execute(sql`delete from sim_charges where id = ${gone.id}`);
    await db.execute(sql`update sim_charges set amount_fen = amount_fen + 1 where id = ${altered.id}`);
    const [refund] = await db.execute<{ id: string }>(sql`select id from sim_transfers where created_at >= ${since.toISOString()} limit 1`);
    await db.execute(sql`update sim_transfers set status = 'failed' where id = ${refund!.id}`);
    await db.execute(sql`insert into sim_charges (id, idempotency_key, amount_fen, reference, status, return_url, created_at, updated_at) values ('ch_stray', 'stray', 100, 'nobody', 'succeeded', '/', ${clock.now().toISOString()}, ${clock.now().toISOString()})`);

    const report = await reconcile(db, clock, gateway, since);
    const listed = report.differences.map((d) => [d.kind, d.providerRef]);
    expect(listed).toEqual(
      expect.arrayContaining([
        ["missing_at_gateway", gone.id],
        ["amount", altered.id],
        ["status", refund!.id],
        ["missing_on_platform", "ch_stray"],
      ]),
    );
    expect(report.differences).toHaveLength(4);
  });

  it("only the platform's admin may run it on demand", async () => {
    const { db } = database;
    expect(await codeOf(reconciliationReport(db, clock, testGateway(db, clock), await makeBidder(db, clock), clock.now()))).toBe("FORBIDDEN");
  });
});

