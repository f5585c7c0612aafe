// The asset's later lots (F6, F8, F9, C8, G7, ADR 022) through the real use cases: a failed first auction drafts its
// second at 80%, a failed second drafts the sale-off, a default drafts the re-auction that bars the defaulter, and a
// revocation sends the buyer's money back and drafts the asset's next lot.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, like } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import type { Database } from "../../db/client.ts";
import { auditEvents, balancesDue, bidderProfiles, caseParties, creditorTakeovers, payments, depositOutcomes, lotAnnouncements, lotInterventions, lots, moneyOut } from "../../db/schema/index.ts";
import { applyForLot, closeLot, expireHolds, getPublicLot, holdLot, HOLD_KEEPS_DEPOSITS_MS, placeBid, publishLot, recordCreditorTakeover, relistLot, reviseLotDraft, silentPublisher } from "../../auction/index.ts";
import { deliverInProcess, revokeSale, runEscrowClock, settleLotDeposits, startBalancePayment, verifyLedger } from "../../escrow/index.ts";
import { createTestDatabase } from "../support/database.ts";
import { accountNoticesOf } from "../../identity/index.ts";
import { creditCode, makeActiveBidder, makeBidder, makePublishedLot, makeSoldLot } from "../fixtures/auction.ts";
import { payBalance, testGateway } from "../support/payments.ts";
import { codeOf, fieldsOf } from "../support/refusals.ts";

const DAY = 24 * 60 * 60 * 1000;
const clock = new TestClock(new Date("2026-12-01T02:00:00Z"));
let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

const bidId = () => crypto.randomUUID();
const APPLY = { acceptWarnings: true, declareNotBarred: true, housingEligibilityDeclared: true };
const lotRow = async (lotId: string) => (await database.db.select().from(lots).where(eq(lots.id, lotId)))[0]!;
const nextOf = async (lotId: string) => (await database.db.select().from(lots).where(eq(lots.previousLotId, lotId)))[0];

/** Closes a lot at its close with no bid: it fails (F6). */
async function failAtClose(lotId: string) {
  const lot = await lotRow(lotId);
  clock.set(lot.closesAt);
  expect(await closeLot(database.db, clock, silentPublisher, lotId)).toMatchObject({ kind: "closed", outcome: "failed" });
}

/** The judge records today's notice to the parties on a draft (B10), waits the 3 days, and publishes it. */
async function noticeAndPublish(lot: { judge: Parameters<typeof publishLot>[2] }, draftId: string) {
  const draft = await lotRow(draftId);
  const numbers = { startingPriceFen: draft.startingPriceFen, depositFen: draft.depositFen, incrementFen: draft.incrementFen, biddingStartsAt: draft.biddingStartsAt, biddingEndsAt: draft.biddingEndsAt, balanceDueDays: draft.balanceDueDays };
  await reviseLotDraft(database.db, clock, lot.judge, draftId, { ...numbers, partiesNotifiedAt: clock.now() });
  clock.advance(3 * DAY);
  return publishLot(database.db, clock, lot.judge, draftId);
}

/** A first and a second auction that failed, and the sale-off drafted after them, published (F8). */
async function publishedSaleOff() {
  clock.set(new Date("2026-12-01T02:00:00Z"));
  const first = await makePublishedLot(database.db, clock);
  await failAtClose(first.lotId);
  const second = (await nextOf(first.lotId))!;
  await noticeAndPublish(first, second.id);
  await failAtClose(second.id);
  const saleOff = (await nextOf(second.id))!;
  await noticeAndPublish(first, saleOff.id);
  return saleOff;
}

describe("a failed auction's next rounds (F6, F8, F9)", () => {
  it("F6, B6: a failed first auction drafts its second on the same platform at 80% of the start, bidding within 30 days, with the announcement carried over", async () => {
    const { db } = database;
    clock.set(new Date("2026-12-01T02:00:00Z"));
    const first = await makePublishedLot(db, clock);
    await failAtClose(first.lotId);
    const failedAt = clock.now();
    const second = await nextOf(first.lotId);
    expect(second).toMatchObject({ round: "second", status: "draft", assetId: first.assetId, startingPriceFen: (first.startingPriceFen * 80n) / 100n, partiesNotifiedAt: null });
    expect(second!.depositFen).toBe(second!.startingPriceFen / 10n);
    expect(second!.biddingStartsAt.getTime()).toBeLessThanOrEqual(failedAt.getTime() + 30 * DAY);
    expect(await db.$count(lotAnnouncements, eq(lotAnnouncements.lotId, second!.id))).toBe(1);
    const [drafted] = await db.select().from(auditEvents).where(and(eq(auditEvents.entityId, second!.id), eq(auditEvents.action, "auction.next_lot_drafted")));
    expect(drafted!.data).toMatchObject({ previousLotId: first.lotId, round: "second" });
  });

  it("F6: the judge may not cut the second auction's start by more than 20%, nor start it later than 30 days after the failure; a refused change writes nothing", async () => {
    const { db } = database;
    clock.set(new Date("2026-12-01T02:00:00Z"));
    const first = await makePublishedLot(db, clock);
    await failAtClose(first.lotId);
    const second = (await nextOf(first.lotId))!;
    const numbers = { startingPriceFen: second.startingPriceFen, depositFen: second.depositFen, incrementFen: second.incrementFen, biddingStartsAt: second.biddingStartsAt, biddingEndsAt: second.biddingEndsAt, balanceDueDays: 10, partiesNotifiedAt: null };
    const tooLow = reviseLotDraft(db, clock, first.judge, second.id, { ...numbers, startingPriceFen: second.startingPriceFen - 1n });
    expect(await fieldsOf(tooLow)).toEqual({ startingPriceFen: "lot.error.reauctionBelowFloor" });
    const late = new Date(clock.now().getTime() + 30 * DAY + 1);
    expect(await fieldsOf(reviseLotDraft(db, clock, first.judge, second.id, { ...numbers, biddingStartsAt: late, biddingEndsAt: new Date(late.getTime() + DAY) }))).toEqual({
      biddingStartsAt: "lot.error.reauctionTooLate",
    });
    expect(await lotRow(second.id)).toMatchObject({ startingPriceFen: second.startingPriceFen, biddingStartsAt: second.biddingStartsAt, seq: second.seq });
  });

  it("F8, F9, P8: a failed second auction drafts the sale-off at its start, prepaid in full, open 60 days; the first bid opens a 24-hour round and the highest bid buys", async () => {
    const { db } = database;
    clock.set(new Date("2026-12-01T02:00:00Z"));
    const first = await makePublishedLot(db, clock);
    await failAtClose(first.lotId);
    const second = (await nextOf(first.lotId))!;
    await noticeAndPublish(first, second.id);
    await failAtClose(second.id);
    const saleOff = (await nextOf(second.id))!;
    expect(saleOff).toMatchObject({ round: "sale_off", status: "draft", startingPriceFen: second.startingPriceFen, depositFen: second.depositFen });
    expect(saleOff.biddingEndsAt.getTime() - saleOff.biddingStartsAt.getTime()).toBe(60 * DAY);
    await noticeAndPublish(first, saleOff.id);
    const [a, b] = [await makeActiveBidder(db, clock, saleOff.id), await makeActiveBidder(db, clock, saleOff.id)];
    // F9: each bidder prepaid the whole price.
    expect((await db.select().from(payments).where(eq(payments.lotId, saleOff.id))).map((p) => p.amountFen)).toEqual([saleOff.startingPriceFen, saleOff.startingPriceFen]);
    // Ten days into the period, the first bid at the sale-off price opens the 24-hour round (F9).
    clock.set(new Date(saleOff.biddingStartsAt.getTime() + 10 * DAY));
    const opening = await placeBid(db, clock, silentPublisher, a, saleOff.id, { amountFen: saleOff.startingPriceFen, clientBidId: bidId() });
    expect(opening.closesAt).toEqual(new Date(clock.now().getTime() + DAY));
    clock.advance(DAY / 2);
    await placeBid(db, clock, silentPublisher, b, saleOff.id, { amountFen: saleOff.startingPriceFen + saleOff.incrementFen, clientBidId: bidId() });
    clock.set(opening.closesAt);
    expect(await closeLot(db, clock, silentPublisher, saleOff.id)).toMatchObject({ outcome: "sold", priceFen: saleOff.startingPriceFen + saleOff.incrementFen });
    await settleLotDeposits(db, clock, saleOff.id);
    // The buyer prepaid the price; one increment is left to pay.
    expect((await db.select().from(balancesDue).where(eq(balancesDue.lotId, saleOff.id)))[0]).toMatchObject({ status: "due", amountFen: saleOff.incrementFen });
    // The public page links the asset's three rounds.
    const page = await getPublicLot(db, clock, saleOff.id);
    expect(page!.rounds.map((r) => r.round)).toEqual(["first", "second", "sale_off"]);
  });

  it("F9: a sale-off bought at its price is paid in full at once: the prepaid deposit is the price", async () => {
    const { db } = database;
    const saleOff = await publishedSaleOff();
    const a = await makeActiveBidder(db, clock, saleOff.id);
    clock.set(saleOff.biddingStartsAt);
    await placeBid(db, clock, silentPublisher, a, saleOff.id, { amountFen: saleOff.startingPriceFen, clientBidId: bidId() });
    clock.advance(DAY);
    await closeLot(db, clock, silentPublisher, saleOff.id);
    await settleLotDeposits(db, clock, saleOff.id);
    expect((await db.select().from(balancesDue).where(eq(balancesDue.lotId, saleOff.id)))[0]).toMatchObject({ status: "paid", amountFen: 0n });
    expect((await db.select().from(depositOutcomes).where(eq(depositOutcomes.lotId, saleOff.id)))[0]).toMatchObject({ outcome: "applied", amountFen: saleOff.startingPriceFen });
  });

  it("F9: a sale-off's buyer who does not pay the rest defaults: the deposit part of the prepaid price is forfeited, the rest refunded", async () => {
    const { db } = database;
    const saleOff = await publishedSaleOff();
    const [a, b] = [await makeActiveBidder(db, clock, saleOff.id), await makeActiveBidder(db, clock, saleOff.id)];
    clock.set(saleOff.biddingStartsAt);
    await placeBid(db, clock, silentPublisher, a, saleOff.id, { amountFen: saleOff.startingPriceFen, clientBidId: bidId() });
    const last = await placeBid(db, clock, silentPublisher, b, saleOff.id, { amountFen: saleOff.startingPriceFen + saleOff.incrementFen, clientBidId: bidId() });
    clock.set(last.closesAt);
    await closeLot(db, clock, silentPublisher, saleOff.id);
    await settleLotDeposits(db, clock, saleOff.id);
    const [due] = await db.select().from(balancesDue).where(eq(balancesDue.lotId, saleOff.id));
    clock.set(new Date(due!.dueAt.getTime() + 1));
    const gateway = testGateway(db, clock);
    await runEscrowClock(db, clock, gateway);
    await deliverInProcess(db, clock, gateway);
    expect((await lotRow(saleOff.id)).status).toBe("defaulted");
    const outcomes = await db.select().from(depositOutcomes).where(eq(depositOutcomes.lotId, saleOff.id));
    expect(outcomes.map((o) => [o.outcome, o.amountFen]).sort()).toEqual([["forfeited", saleOff.depositFen], ["released", saleOff.startingPriceFen]].sort());
    const [rest] = await db.select().from(moneyOut).where(like(moneyOut.idempotencyKey, "refund-prepaid-rest:%"));
    expect(rest).toMatchObject({ amountFen: saleOff.startingPriceFen - saleOff.depositFen, status: "succeeded" });
    expect((await verifyLedger(db)).differences).toEqual([]);
  });

  it("F8: a failed sale-off drafts nothing more: the court may offer the asset to creditors", async () => {
    const saleOff = await publishedSaleOff();
    await failAtClose(saleOff.id);
    expect(await nextOf(saleOff.id)).toBeUndefined();
  });
});

describe("a default (悔拍, F4, C8)", () => {
  it("C8, F4: an overdue balance defaults the lot and drafts the asset's re-auction of the same round, which refuses the defaulter by ID number: their account, and an account they act for as proxy", async () => {
    const { db } = database;
    const { lot, winner } = await makeSoldLot(database.db, clock, { bidders: 2 });
    const [due] = await db.select().from(balancesDue).where(eq(balancesDue.lotId, lot.lotId));
    clock.set(new Date(due!.dueAt.getTime() + 1));
    await runEscrowClock(db, clock, testGateway(db, clock));
    expect((await lotRow(lot.lotId)).status).toBe("defaulted");
    const again = (await nextOf(lot.lotId))!;
    expect(again).toMatchObject({ round: "first", status: "draft", startingPriceFen: lot.startingPriceFen });
    await noticeAndPublish(lot, again.id);
    expect(await codeOf(applyForLot(db, clock, winner, again.id, APPLY))).toBe("BIDDER_BARRED");
    // One identity number holds one account (ADR 014), so the defaulter reaches a new account only as someone's proxy.
    const principal = await makeBidder(db, clock);
    await db.update(bidderProfiles).set({ proxyName: "悔拍人", proxyIdentityNumber: winner.identityNumber, proxyPowerOfAttorney: "授权委托书" }).where(eq(bidderProfiles.userId, principal.id));
    expect(await codeOf(applyForLot(db, clock, principal, again.id, APPLY))).toBe("BIDDER_BARRED");
    await applyForLot(db, clock, await makeBidder(db, clock), again.id, APPLY);
  });
});

describe("a revocation (撤销, G7, I5, P2)", () => {
  it("G7, G3, P2: revoking a sale whose balance is due refunds the buyer's deposit from the escrow, posts the ground, tells the bidders, and drafts the re-auction", async () => {
    const { db } = database;
    const { lot, winner, loser } = await makeSoldLot(database.db, clock, { bidders: 2 });
    const gateway = testGateway(db, clock);
    const { nextLotId } = await revokeSale(db, clock, lot.judge, lot.lotId, { ground: "collusion", reason: "经查竞买人之间恶意串通" });
    expect(await lotRow(lot.lotId)).toMatchObject({ status: "revoked" });
    expect(await lotRow(nextLotId!)).toMatchObject({ status: "draft", round: "first", previousLotId: lot.lotId });
    expect((await db.select().from(balancesDue).where(eq(balancesDue.lotId, lot.lotId)))[0]!.status).toBe("revoked");
    const [intervention] = await db.select().from(lotInterventions).where(eq(lotInterventions.lotId, lot.lotId));
    expect(intervention).toMatchObject({ kind: "revoke", ground: "collusion", by: "court" });
    // G3: both bidders are told on their account page.
    for (const bidder of [winner, loser!]) expect(await accountNoticesOf(db, bidder.id)).toContainEqual(expect.objectContaining({ kind: "lot_revoked", lotId: lot.lotId }));
    await runEscrowClock(db, clock, gateway);
    await deliverInProcess(db, clock, gateway);
    const refunds = await db.select().from(moneyOut).where(and(eq(moneyOut.caseId, lot.caseId), like(moneyOut.idempotencyKey, "revoked:%")));
    expect(refunds).toEqual([expect.objectContaining({ amountFen: 7_000_000n, status: "succeeded" })]);
    // Every deposit ends exactly once: the loser's released at the close, the buyer's released by the revocation.
    expect((await db.select().from(depositOutcomes).where(eq(depositOutcomes.lotId, lot.lotId))).map((o) => `${o.outcome}:${o.reason}`).sort()).toEqual(["released:lost", "released:revoked"]);
    expect(await codeOf(startBalancePayment(db, clock, gateway, winner, lot.lotId, "/"))).toBe("NO_BALANCE_DUE");
    expect((await verifyLedger(db)).differences).toEqual([]);
  });

  it("G7, P2: revoking a sale paid in full refunds the deposit and the balance, each through the payment that brought it", async () => {
    const { db } = database;
    const { lot, winner, priceFen } = await makeSoldLot(database.db, clock, { bidders: 2 });
    const gateway = testGateway(db, clock);
    await payBalance(db, clock, winner, lot.lotId);
    await revokeSale(db, clock, lot.judge, lot.lotId, { ground: "false_disclosure", reason: "买受人提供虚假材料" });
    await runEscrowClock(db, clock, gateway);
    await deliverInProcess(db, clock, gateway);
    const refunds = await db.select().from(moneyOut).where(and(eq(moneyOut.caseId, lot.caseId), like(moneyOut.idempotencyKey, "revoked:%")));
    expect(refunds.reduce((sum, r) => sum + r.amountFen, 0n)).toBe(priceFen);
    expect(refunds.every((r) => r.status === "succeeded")).toBe(true);
    expect((await verifyLedger(db)).differences).toEqual([]);
  });

  it("G7: a lot still in bidding, or one whose buyer defaulted, cannot be revoked (LOT_TRANSITION_ILLEGAL), and nothing is written", async () => {
    const { db } = database;
    clock.set(new Date("2026-12-01T02:00:00Z"));
    const open = await makePublishedLot(db, clock);
    expect(await codeOf(revokeSale(db, clock, open.judge, open.lotId, { ground: "collusion", reason: "串通" }))).toBe("LOT_TRANSITION_ILLEGAL");
    expect(await db.$count(lotInterventions, eq(lotInterventions.lotId, open.lotId))).toBe(0);
    const { lot } = await makeSoldLot(database.db, clock, { bidders: 2 });
    const [due] = await db.select().from(balancesDue).where(eq(balancesDue.lotId, lot.lotId));
    clock.set(new Date(due!.dueAt.getTime() + 1));
    await runEscrowClock(db, clock, testGateway(db, clock));
    expect(await codeOf(revokeSale(db, clock, lot.judge, lot.lotId, { ground: "collusion", reason: "串通" }))).toBe("LOT_TRANSITION_ILLEGAL");
  });

  it("G7: only a judge of the lot's court revokes (FORBIDDEN for a clerk)", async () => {
    const { db } = database;
    const { lot } = await makeSoldLot(database.db, clock, { bidders: 2 });
    expect(await codeOf(revokeSale(db, clock, lot.clerk, lot.lotId, { ground: "collusion", reason: "串通" }))).toBe("FORBIDDEN");
    expect((await lotRow(lot.lotId)).status).toBe("sold");
  });
});

describe("a hold past its day, and two nodes at once (P2, F6, C8)", () => {
  it("P2: a lot held past its day cannot resume; the judge ends it and the asset's lot of the same round is drafted", async () => {
    const { db } = database;
    clock.set(new Date("2026-12-01T02:00:00Z"));
    const lot = await makePublishedLot(db, clock);
    clock.set(new Date(lot.biddingStartsAt.getTime() + 60_000));
    expect(await codeOf(relistLot(db, clock, lot.judge, lot.lotId, { reason: "重新公告" }))).toBe("LOT_TRANSITION_ILLEGAL");
    await holdLot(db, clock, silentPublisher, lot.judge, lot.lotId, { kind: "stay", reason: "案外人异议" });
    expect(await codeOf(relistLot(db, clock, lot.judge, lot.lotId, { reason: "重新公告" }))).toBe("LOT_TRANSITION_ILLEGAL");
    clock.advance(HOLD_KEEPS_DEPOSITS_MS);
    await expireHolds(db, clock);
    const { nextLotId } = await relistLot(db, clock, lot.judge, lot.lotId, { reason: "异议审查完毕，重新公告" });
    expect(await lotRow(lot.lotId)).toMatchObject({ status: "withdrawn", heldAt: null });
    expect(await lotRow(nextLotId!)).toMatchObject({ status: "draft", round: "first", previousLotId: lot.lotId });
    expect((await db.select().from(lotInterventions).where(eq(lotInterventions.lotId, lot.lotId))).map((i) => i.kind)).toEqual(["stay", "hold_expired", "relist"]);
  });

  it("F6: two nodes closing the same failed lot at once draft its second auction once", async () => {
    const { db } = database;
    clock.set(new Date("2026-12-01T02:00:00Z"));
    const lot = await makePublishedLot(db, clock);
    clock.set(lot.closesAt);
    const results = await Promise.all([closeLot(db, clock, silentPublisher, lot.lotId), closeLot(db, clock, silentPublisher, lot.lotId)]);
    expect(results.map((r) => r.kind).sort()).toEqual(["already_closed", "closed"]);
    expect(await db.$count(lots, eq(lots.previousLotId, lot.lotId))).toBe(1);
  });

  it("C8: two nodes' minute steps defaulting the same balance at once default it, and draft the re-auction, once", async () => {
    const { db } = database;
    const { lot } = await makeSoldLot(database.db, clock, { bidders: 2 });
    const [due] = await db.select().from(balancesDue).where(eq(balancesDue.lotId, lot.lotId));
    clock.set(new Date(due!.dueAt.getTime() + 1));
    const gateway = testGateway(db, clock);
    await Promise.all([runEscrowClock(db, clock, gateway), runEscrowClock(db, clock, gateway)]);
    expect((await lotRow(lot.lotId)).status).toBe("defaulted");
    expect(await db.$count(lots, eq(lots.previousLotId, lot.lotId))).toBe(1);
    expect(await db.$count(depositOutcomes, and(eq(depositOutcomes.lotId, lot.lotId), eq(depositOutcomes.outcome, "forfeited")))).toBe(1);
  });
});

describe("giving the asset in payment (以物抵债, F7, F12, P8)", () => {
  const applicantOf = async (caseId: string) => (await database.db.select().from(caseParties).where(and(eq(caseParties.caseId, caseId), eq(caseParties.role, "applicant"))))[0]!;

  it("F7, P8: after a failed auction the judge gives the asset to the applicant at the reserve; the excess over the claim is to be paid in, and the asset's drafted next round is not published", async () => {
    const { db } = database;
    clock.set(new Date("2026-12-01T02:00:00Z"));
    const lot = await makePublishedLot(db, clock, { applicants: [{ name: "某银行", identityNumber: creditCode(), claimFen: 50_000_000n }] });
    const party = await applicantOf(lot.caseId);
    expect(await codeOf(recordCreditorTakeover(db, clock, lot.judge, lot.lotId, { partyId: party.id, creditorEligible: false }))).toBe("LOT_TRANSITION_ILLEGAL");
    await failAtClose(lot.lotId);
    expect(await codeOf(recordCreditorTakeover(db, clock, lot.clerk, lot.lotId, { partyId: party.id, creditorEligible: false }))).toBe("FORBIDDEN");
    const { excessFen } = await recordCreditorTakeover(db, clock, lot.judge, lot.lotId, { partyId: party.id, creditorEligible: false });
    expect(excessFen).toBe(lot.startingPriceFen - 50_000_000n);
    expect(await codeOf(recordCreditorTakeover(db, clock, lot.judge, lot.lotId, { partyId: party.id, creditorEligible: false }))).toBe("CONFLICT");
    const second = (await nextOf(lot.lotId))!;
    expect(await codeOf(noticeAndPublish(lot, second.id))).toBe("ASSET_TAKEN_OVER");
    expect((await lotRow(second.id)).status).toBe("draft");
  });

  it("F12: a home is not given to a creditor the court has not found eligible to buy it (CREDITOR_INELIGIBLE_FOR_HOUSING), and nothing is written", async () => {
    const { db } = database;
    clock.set(new Date("2026-12-01T02:00:00Z"));
    const lot = await makePublishedLot(db, clock, { category: "residential", applicants: [{ name: "某银行", identityNumber: creditCode(), claimFen: null }] });
    const party = await applicantOf(lot.caseId);
    await failAtClose(lot.lotId);
    expect(await codeOf(recordCreditorTakeover(db, clock, lot.judge, lot.lotId, { partyId: party.id, creditorEligible: false }))).toBe("CREDITOR_INELIGIBLE_FOR_HOUSING");
    expect(await db.$count(creditorTakeovers, eq(creditorTakeovers.lotId, lot.lotId))).toBe(0);
    expect(await recordCreditorTakeover(db, clock, lot.judge, lot.lotId, { partyId: party.id, creditorEligible: true })).toEqual({ excessFen: 0n });
  });
});
