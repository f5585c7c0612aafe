import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import type { Database } from "../../db/client.ts";
import { balancesDue, depositOutcomes, ledgerAccounts, ledgerTransfers, moneyOut, payments } from "../../db/schema/index.ts";
import { applyForLot, closeLot, createLotDraft, ownRegistration, placeBid, publishLot, silentPublisher } from "../../auction/index.ts";
import { applyGatewayEvent, deliverInProcess, runEscrowClock, sendDueMoneyOut, settleLotDeposits, startBalancePayment, verifyLedger } from "../../escrow/index.ts";
import { createTestDatabase } from "../support/database.ts";
import { linkParty, lotDraftInput, makeActiveBidder, makeBidder, makePublishedLot, residentId } from "../fixtures/auction.ts";
import { payDeposit, testGateway } from "../support/payments.ts";
import { codeOf } from "../support/refusals.ts";

const HOUR = 60 * 60 * 1000;
const clock = new TestClock(new Date("2026-12-01T02:00:00Z"));
let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

const bidId = () => crypto.randomUUID();

/** A lot with three paid bidders, two of whom bid; closed at its end. */
async function closedLotWithBids() {
  const { db } = database;
  clock.set(new Date("2026-12-01T02:00:00Z"));
  const lot = await makePublishedLot(db, clock, { depositFen: 7_000_000n });
  const [a, b, c] = [await makeActiveBidder(db, clock, lot.lotId), await makeActiveBidder(db, clock, lot.lotId), await makeActiveBidder(db, clock, lot.lotId)];
  clock.set(lot.biddingStartsAt);
  await placeBid(db, clock, silentPublisher, a, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: bidId() });
  await placeBid(db, clock, silentPublisher, b, lot.lotId, { amountFen: lot.startingPriceFen + 100_000n, clientBidId: bidId() });
  clock.set(lot.closesAt);
  await closeLot(db, clock, silentPublisher, lot.lotId);
  return { lot, losers: [a, c], winner: b };
}

const outcomesOf = (lotId: string) => database.db.select().from(depositOutcomes).where(eq(depositOutcomes.lotId, lotId));

describe("deposits through the simulated gateway (C2, P11)", () => {
  it("C2: a deposit paid with a test card in the bidder's own name is booked to the registration's deposit account and admits the bidder", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock, { depositFen: 7_000_000n });
    const bidder = await makeBidder(db, clock);
    await applyForLot(db, clock, bidder, lot.lotId, { acceptWarnings: true, declareNotBarred: true, housingEligibilityDeclared: true });
    const { bidderCode, paymentId } = await payDeposit(db, clock, bidder, lot.lotId);
    expect(bidderCode).toBeTruthy();
    const [payment] = await db.select().from(payments).where(eq(payments.id, paymentId));
    expect(payment).toMatchObject({ status: "succeeded", amountFen: 7_000_000n });
    const [account] = await db.select().from(ledgerAccounts).where(eq(ledgerAccounts.registrationId, payment!.registrationId));
    expect(account).toMatchObject({ kind: "deposit", creditsPostedFen: 7_000_000n, debitsPostedFen: 0n });
    expect((await verifyLedger(db)).differences).toEqual([]);
  });

  it("C2, P11: a card whose holder is not the bidder is refused (DEPOSIT_HOLDER_MISMATCH): no bidder code, and the money is refunded in full", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock);
    const bidder = await makeBidder(db, clock);
    await applyForLot(db, clock, bidder, lot.lotId, { acceptWarnings: true, declareNotBarred: true, housingEligibilityDeclared: true });
    const { bidderCode, paymentId } = await payDeposit(db, clock, bidder, lot.lotId, { holderName: "李四" });
    expect(bidderCode).toBeNull();
    expect(await ownRegistration(db, bidder, lot.lotId)).toMatchObject({ status: "awaiting_deposit" });
    expect((await db.select().from(payments).where(eq(payments.id, paymentId)))[0]).toMatchObject({ status: "refused", failureCode: "DEPOSIT_HOLDER_MISMATCH" });
    const gateway = testGateway(db, clock);
    await runEscrowClock(db, clock, gateway);
    await deliverInProcess(db, clock, gateway);
    expect((await db.select().from(moneyOut).where(eq(moneyOut.paymentId, paymentId)))[0]).toMatchObject({ kind: "refund", status: "succeeded" });
    // Paying again in the bidder's own name admits them.
    expect((await payDeposit(db, clock, bidder, lot.lotId)).bidderCode).toBeTruthy();
    expect((await verifyLedger(db)).differences).toEqual([]);
  });

  it("C2: a declined card leaves the registration unpaid and the attempt recorded; a double click on pay makes one payment", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock);
    const bidder = await makeBidder(db, clock);
    await applyForLot(db, clock, bidder, lot.lotId, { acceptWarnings: true, declareNotBarred: true, housingEligibilityDeclared: true });
    const declined = await payDeposit(db, clock, bidder, lot.lotId, { number: "4000000000000002" });
    expect(declined.bidderCode).toBeNull();
    expect((await db.select().from(payments).where(eq(payments.id, declined.paymentId)))[0]).toMatchObject({ status: "failed", failureCode: "card_declined" });
    const { startDepositPayment } = await import("../../escrow/index.ts");
    const gateway = testGateway(db, clock);
    const [one, two] = await Promise.all([0, 1].map(() => startDepositPayment(db, clock, gateway, bidder, lot.lotId, "/")));
    expect(one!.paymentId).toBe(two!.paymentId);
    expect(await db.$count(payments, and(eq(payments.userId, bidder.id), eq(payments.status, "created")))).toBe(1);
  });
});

describe("after the close (F1, F2, F3, P3)", () => {
  it("F1, F2: losers' deposits are released (refund requested, posted when the gateway confirms); the winner's moves to the case's escrow; the balance falls due on the lot's day", async () => {
    const { db } = database;
    const { lot, losers, winner } = await closedLotWithBids();
    const gateway = testGateway(db, clock);
    await settleLotDeposits(db, clock, lot.lotId);
    await settleLotDeposits(db, clock, lot.lotId);
    const outcomes = await outcomesOf(lot.lotId);
    expect(outcomes.map((o) => o.outcome)).toEqual(["released", "released"]);
    expect(await db.$count(moneyOut, eq(moneyOut.caseId, lot.caseId))).toBe(2);
    const [due] = await db.select().from(balancesDue).where(eq(balancesDue.lotId, lot.lotId));
    expect(due).toMatchObject({ status: "due", depositAppliedFen: 7_000_000n, amountFen: lot.startingPriceFen + 100_000n - 7_000_000n });
    await runEscrowClock(db, clock, gateway);
    await deliverInProcess(db, clock, gateway);
    expect((await db.select().from(moneyOut).where(eq(moneyOut.caseId, lot.caseId))).map((m) => m.status)).toEqual(["succeeded", "succeeded"]);
    void losers;
    void winner;
    expect((await verifyLedger(db)).differences).toEqual([]);
  });

  it("F1: a refund's webhook that arrives before the gateway's answer to the request is recorded still posts it, once", async () => {
    const { db } = database;
    const { lot } = await closedLotWithBids();
    const gateway = testGateway(db, clock);
    await settleLotDeposits(db, clock, lot.lotId);
    const [early, other] = await db.select().from(moneyOut).where(eq(moneyOut.caseId, lot.caseId));
    // The provider has made the refund and its webhook comes first: money_out has no provider id yet.
    const event = { id: "evt_early", type: "refund.succeeded" as const, providerRef: "re_early", reference: `${early!.idempotencyKey}#1`, amountFen: early!.amountFen, holderName: null, failureCode: null, occurredAt: clock.now() };
    await applyGatewayEvent(db, clock, gateway, event);
    await applyGatewayEvent(db, clock, gateway, event);
    const [settled] = await db.select().from(moneyOut).where(eq(moneyOut.id, early!.id));
    expect(settled).toMatchObject({ status: "succeeded", providerRef: "re_early" });
    await sendDueMoneyOut(db, clock, gateway);
    await deliverInProcess(db, clock, gateway);
    expect((await db.select().from(moneyOut).where(eq(moneyOut.id, other!.id)))[0]!.status).toBe("succeeded");
    expect(await db.$count(ledgerTransfers, and(eq(ledgerTransfers.lotId, lot.lotId), eq(ledgerTransfers.kind, "post")))).toBe(2);
    expect((await verifyLedger(db)).differences).toEqual([]);
  });

  it("F1: a lost close job leaves nothing past 24 hours: the escrow clock releases at 23 h 59 m", async () => {
    const { db } = database;
    const { lot } = await closedLotWithBids();
    clock.advance(24 * HOUR - 60_000);
    await runEscrowClock(db, clock, testGateway(db, clock));
    expect((await outcomesOf(lot.lotId)).filter((o) => o.outcome === "released")).toHaveLength(2);
  });

  it("F3, P3, F4, C8: the winner pays the balance by its day; an unpaid balance defaults just after 24:00 of the last day, forfeiting the deposit", async () => {
    const { db } = database;
    const { lot, winner } = await closedLotWithBids();
    const gateway = testGateway(db, clock);
    await settleLotDeposits(db, clock, lot.lotId);
    const [due] = await db.select().from(balancesDue).where(eq(balancesDue.lotId, lot.lotId));
    clock.set(due!.dueAt);
    await runEscrowClock(db, clock, gateway);
    expect((await db.select().from(balancesDue).where(eq(balancesDue.lotId, lot.lotId)))[0]!.status).toBe("due");
    clock.advance(1);
    await runEscrowClock(db, clock, gateway);
    expect((await db.select().from(balancesDue).where(eq(balancesDue.lotId, lot.lotId)))[0]!.status).toBe("defaulted");
    expect((await outcomesOf(lot.lotId)).find((o) => o.outcome === "forfeited")).toMatchObject({ amountFen: 7_000_000n });
    expect(await codeOf(startBalancePayment(db, clock, gateway, winner, lot.lotId, "/"))).toBe("NO_BALANCE_DUE");
  });
});

describe("the balance, the applicant's exemption and the asset's later lots (F3, C3, C8, G6, P2)", () => {
  it("F3, F1, H5: the winner pays the balance through the gateway: it lands in the case's escrow, the sale is paid in full and the deposit is applied to the price", async () => {
    const { db } = database;
    const { lot, winner } = await closedLotWithBids();
    const gateway = testGateway(db, clock);
    await settleLotDeposits(db, clock, lot.lotId);
    const started = await startBalancePayment(db, clock, gateway, winner, lot.lotId, "/");
    const again = await startBalancePayment(db, clock, gateway, winner, lot.lotId, "/");
    expect(again.paymentId).toBe(started.paymentId);
    const chargeId = started.redirectUrl!.split("/").pop()!;
    await gateway.submitCard(chargeId, { number: "4242424242424242", holderName: "任何人" });
    await deliverInProcess(db, clock, gateway);
    expect((await db.select().from(balancesDue).where(eq(balancesDue.lotId, lot.lotId)))[0]).toMatchObject({ status: "paid" });
    expect((await outcomesOf(lot.lotId)).find((o) => o.outcome === "applied")).toMatchObject({ amountFen: 7_000_000n, reason: "paid_in_full" });
    const [escrow] = await db.select().from(ledgerAccounts).where(eq(ledgerAccounts.key, `case_escrow:${lot.caseId}`));
    expect(escrow!.creditsPostedFen).toBe(lot.startingPriceFen + 100_000n);
    expect((await verifyLedger(db)).differences).toEqual([]);
  });

  it("F3: only the winner may pay the balance, and only while it is due (NO_BALANCE_DUE)", async () => {
    const { db } = database;
    const { lot, losers } = await closedLotWithBids();
    const gateway = testGateway(db, clock);
    expect(await codeOf(startBalancePayment(db, clock, gateway, losers[0]!, lot.lotId, "/"))).toBe("NO_BALANCE_DUE");
  });

  it("G6, P2: a suspended or withdrawn lot's deposits are all released, once", async () => {
    const { db } = database;
    clock.set(new Date("2026-12-01T02:00:00Z"));
    const lot = await makePublishedLot(db, clock);
    await makeActiveBidder(db, clock, lot.lotId);
    await makeActiveBidder(db, clock, lot.lotId);
    const gateway = testGateway(db, clock);
    const { releaseLotDeposits } = await import("../../escrow/index.ts");
    expect(await releaseLotDeposits(db, clock, lot.lotId, "suspended")).toEqual({ released: 2 });
    expect(await releaseLotDeposits(db, clock, lot.lotId, "suspended")).toEqual({ released: 0 });
    expect((await outcomesOf(lot.lotId)).map((o) => `${o.outcome}:${o.reason}`)).toEqual(["released:suspended", "released:suspended"]);
    await runEscrowClock(db, clock, gateway);
    await deliverInProcess(db, clock, gateway);
    expect((await verifyLedger(db)).differences).toEqual([]);
  });

  it("C8: a winner who defaulted is barred from the same asset's later lot (matched by identity number); others may still register", async () => {
    const { db } = database;
    const { lot, winner } = await closedLotWithBids();
    const gateway = testGateway(db, clock);
    await settleLotDeposits(db, clock, lot.lotId);
    const [due] = await db.select().from(balancesDue).where(eq(balancesDue.lotId, lot.lotId));
    clock.set(new Date(due!.dueAt.getTime() + 1));
    await runEscrowClock(db, clock, gateway);
    const again = await createLotDraft(db, clock, lot.clerk, lotDraftInput(lot.assetId, clock.now()));
    await publishLot(db, clock, lot.judge, again.id);
    const apply = { acceptWarnings: true, declareNotBarred: true, housingEligibilityDeclared: true };
    expect(await codeOf(applyForLot(db, clock, winner, again.id, apply))).toBe("BIDDER_BARRED");
    const someoneElse = await makeBidder(db, clock);
    await applyForLot(db, clock, someoneElse, again.id, apply);
  });

  it("C3: an applicant creditor whose claim covers the deposit bids without one and, winning, owes the whole price as the balance", async () => {
    const { db } = database;
    clock.set(new Date("2026-12-01T02:00:00Z"));
    const identityNumber = residentId();
    const lot = await makePublishedLot(db, clock, { depositFen: 7_000_000n, applicants: [{ name: "申请执行人甲", identityNumber, claimFen: 50_000_000n }] });
    const creditor = await makeBidder(db, clock, { identityNumber });
    await linkParty(db, clock, lot.caseId, creditor);
    await applyForLot(db, clock, creditor, lot.lotId, { acceptWarnings: true, declareNotBarred: true, housingEligibilityDeclared: true });
    clock.set(lot.biddingStartsAt);
    await placeBid(db, clock, silentPublisher, creditor, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: bidId() });
    clock.set(lot.closesAt);
    await closeLot(db, clock, silentPublisher, lot.lotId);
    await settleLotDeposits(db, clock, lot.lotId);
    expect((await db.select().from(balancesDue).where(eq(balancesDue.lotId, lot.lotId)))[0]).toMatchObject({ depositAppliedFen: 0n, amountFen: lot.startingPriceFen });
    expect(await db.$count(payments, eq(payments.lotId, lot.lotId))).toBe(0);
  });
});

