// The court's holds on a lot (G1–G3, P2, P15, ADR 022) through the real use cases: a suspension freezes the lot, a
// resumption restores the time it had left, and a hold that lasts its day releases the deposits and can no longer
// resume.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import type { Database } from "../../db/client.ts";
import { auditEvents, depositOutcomes, lotInterventions, lots } from "../../db/schema/index.ts";
import { applyForLot, closeLot, expireHolds, holdLot, HOLD_KEEPS_DEPOSITS_MS, placeBid, resumeLot, silentPublisher, withdrawLot, type HeldLot, type LotPublisher, type ResumedLot } from "../../auction/index.ts";
import { runEscrowClock, settleLotDeposits } from "../../escrow/index.ts";
import { chainPendingAudits } from "../../core/audit.ts";
import { accountNoticesOf } from "../../identity/index.ts";
import { createTestDatabase } from "../support/database.ts";
import { makeActiveBidder, makeBidder, makePublishedLot } from "../fixtures/auction.ts";
import { makeAdmin } from "../fixtures/appraisal.ts";
import { codeOf } from "../support/refusals.ts";
import { testGateway } from "../support/payments.ts";

const MINUTE = 60_000;
const clock = new TestClock(new Date("2026-12-01T02:00:00Z"));
let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

const bidId = () => crypto.randomUUID();
const REASON = { reason: "案外人对标的物提出执行异议" };

/** Records what watchers would be told. */
function recorder() {
  const told: { held: HeldLot[]; resumed: ResumedLot[] } = { held: [], resumed: [] };
  const publisher: LotPublisher = { ...silentPublisher, lotHeld: (_id, h) => void told.held.push(h), lotResumed: (_id, r) => void told.resumed.push(r) };
  return { told, publisher };
}

/** A lot in bidding, an hour before its close, with two paid bidders and one bid. */
async function lotInBidding() {
  const { db } = database;
  clock.set(new Date("2026-12-01T02:00:00Z"));
  const lot = await makePublishedLot(db, clock, { depositFen: 7_000_000n });
  const [a, b] = [await makeActiveBidder(db, clock, lot.lotId), await makeActiveBidder(db, clock, lot.lotId)];
  clock.set(new Date(lot.closesAt.getTime() - 60 * MINUTE));
  await placeBid(db, clock, silentPublisher, a, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: bidId() });
  const scheduled: Date[] = [];
  const scheduler = { scheduleClose: async (_id: string, at: Date) => void scheduled.push(at) };
  return { lot, a, b, scheduler, scheduled };
}

const lotRow = async (lotId: string) => (await database.db.select().from(lots).where(eq(lots.id, lotId)))[0]!;

describe("a judge suspends and resumes a lot in bidding (G1, G3, P15)", () => {
  it("G3, P15: two resumptions at once (two judges, or a page sent twice) resume the lot once; the other is refused and writes nothing", async () => {
    const { db } = database;
    const { lot, scheduler } = await lotInBidding();
    await holdLot(db, clock, silentPublisher, lot.judge, lot.lotId, { kind: "suspend", ...REASON });
    clock.advance(60 * MINUTE);
    const results = await Promise.allSettled([0, 1].map(() => resumeLot(db, clock, silentPublisher, scheduler, lot.judge, lot.lotId, { reason: "审查完毕" })));
    expect(results.map((r) => (r.status === "fulfilled" ? "ok" : (r.reason as { code: string }).code)).sort()).toEqual(["LOT_TRANSITION_ILLEGAL", "ok"]);
    expect((await db.select({ kind: lotInterventions.kind }).from(lotInterventions).where(eq(lotInterventions.lotId, lot.lotId))).map((i) => i.kind)).toEqual(["suspend", "resume"]);
  });

  it("G3: the lot's registered bidders, and nobody else, find the suspension and the resumption among their account's notices", async () => {
    const { db } = database;
    const { lot, a, b, scheduler } = await lotInBidding();
    const outsider = await makeBidder(db, clock);
    await holdLot(db, clock, silentPublisher, lot.judge, lot.lotId, { kind: "suspend", ...REASON });
    clock.advance(60 * MINUTE);
    await resumeLot(db, clock, silentPublisher, scheduler, lot.judge, lot.lotId, { reason: "异议已审查完毕" });
    const holdNotices = async (userId: string) => (await accountNoticesOf(db, userId)).filter((n) => n.kind.startsWith("lot_")).map((n) => `${n.kind}:${n.lotId}`);
    for (const bidder of [a, b]) expect(await holdNotices(bidder.id)).toEqual([`lot_resumed:${lot.lotId}`, `lot_suspended:${lot.lotId}`]);
    expect(await accountNoticesOf(db, outsider.id)).toEqual([]);
  });

  it("G1, P15: a suspended lot takes no bid (LOT_SUSPENDED) and is not closed at its old close; watchers are told at once, and the reason is posted", async () => {
    const { db } = database;
    const { lot, b } = await lotInBidding();
    const { told, publisher } = recorder();
    const held = await holdLot(db, clock, publisher, lot.judge, lot.lotId, { kind: "suspend", ...REASON });
    expect(told.held).toEqual([held]);
    expect(await lotRow(lot.lotId)).toMatchObject({ status: "suspended", heldFrom: "bidding", heldAt: clock.now() });
    expect(await codeOf(placeBid(db, clock, silentPublisher, b, lot.lotId, { amountFen: lot.startingPriceFen + 100_000n, clientBidId: bidId() }))).toBe("LOT_SUSPENDED");
    // Nobody new joins a held lot (C4, P15).
    const newcomer = await makeBidder(db, clock);
    expect(await codeOf(applyForLot(db, clock, newcomer, lot.lotId, { acceptWarnings: true, declareNotBarred: true, housingEligibilityDeclared: true }))).toBe("LOT_SUSPENDED");
    clock.set(new Date(lot.closesAt.getTime() + MINUTE));
    expect(await closeLot(db, clock, silentPublisher, lot.lotId)).toEqual({ kind: "already_closed" });
    expect((await lotRow(lot.lotId)).status).toBe("suspended");
    expect(await db.select({ kind: lotInterventions.kind, by: lotInterventions.by, reason: lotInterventions.reason }).from(lotInterventions).where(eq(lotInterventions.lotId, lot.lotId))).toEqual([
      { kind: "suspend", by: "court", reason: REASON.reason },
    ]);
  });

  it("G4, P15: after a stay for a third party's objection, the resumption restores the 60 minutes that were left, from the moment of resumption; the close is scheduled anew and watchers told", async () => {
    const { db } = database;
    const { lot, b, scheduler, scheduled } = await lotInBidding();
    await holdLot(db, clock, silentPublisher, lot.judge, lot.lotId, { kind: "stay", ...REASON });
    clock.advance(5 * 60 * MINUTE); // five hours later, within the day
    const { told, publisher } = recorder();
    const resumed = await resumeLot(db, clock, publisher, scheduler, lot.judge, lot.lotId, { reason: "异议已审查完毕" });
    const expected = new Date(clock.now().getTime() + 60 * MINUTE);
    expect(resumed).toMatchObject({ phase: "bidding", closesAt: expected });
    expect(told.resumed).toEqual([resumed]);
    expect(scheduled).toEqual([expected]);
    expect(await lotRow(lot.lotId)).toMatchObject({ status: "published", heldFrom: null, heldAt: null, closesAt: expected });
    // Bidding goes on with the bids and deposits it had.
    const bid = await placeBid(db, clock, silentPublisher, b, lot.lotId, { amountFen: lot.startingPriceFen + 100_000n, clientBidId: bidId() });
    expect(bid.seq).toBeGreaterThan(0);
    await chainPendingAudits(db);
    const actions = (await db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.entityId, lot.lotId))).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["auction.lot_held", "auction.lot_resumed"]));
  });

  it("ADR 022: resuming a lot that is not held, holding a held lot, or holding after the close are refused and write nothing", async () => {
    const { db } = database;
    const { lot, scheduler } = await lotInBidding();
    expect(await codeOf(resumeLot(db, clock, silentPublisher, scheduler, lot.judge, lot.lotId, { reason: "x" }))).toBe("LOT_TRANSITION_ILLEGAL");
    await holdLot(db, clock, silentPublisher, lot.judge, lot.lotId, { kind: "suspend", ...REASON });
    const before = await lotRow(lot.lotId);
    expect(await codeOf(holdLot(db, clock, silentPublisher, lot.judge, lot.lotId, { kind: "stay", ...REASON }))).toBe("LOT_TRANSITION_ILLEGAL");
    expect(await lotRow(lot.lotId)).toEqual(before);

    const other = await lotInBidding();
    clock.set(other.lot.closesAt);
    expect(await codeOf(holdLot(db, clock, silentPublisher, other.lot.judge, other.lot.lotId, { kind: "suspend", ...REASON }))).toBe("LOT_CLOSED");
  });

  it("G2: the platform's admin suspends for a system fault (recorded as the platform's); it may not stay a lot, and another court's judge may not hold it", async () => {
    const { db } = database;
    const { lot } = await lotInBidding();
    const admin = await makeAdmin(db, clock);
    expect(await codeOf(holdLot(db, clock, silentPublisher, admin, lot.lotId, { kind: "stay", reason: "系统故障" }))).toBe("FORBIDDEN");
    const stranger = (await makePublishedLot(db, clock)).judge;
    expect(await codeOf(holdLot(db, clock, silentPublisher, stranger, lot.lotId, { kind: "suspend", reason: "x" }))).toBe("FORBIDDEN");
    await holdLot(db, clock, silentPublisher, admin, lot.lotId, { kind: "suspend", reason: "系统故障" });
    expect(await db.select({ by: lotInterventions.by }).from(lotInterventions).where(eq(lotInterventions.lotId, lot.lotId))).toEqual([{ by: "platform" }]);
  });
});

describe("a hold that lasts its day (P2, G6)", () => {
  it("P2: at 23 hours the hold releases every deposit, once, and can no longer resume; a minute earlier nothing moves", async () => {
    const { db } = database;
    const { lot, scheduler } = await lotInBidding();
    await holdLot(db, clock, silentPublisher, lot.judge, lot.lotId, { kind: "stay", ...REASON });
    const heldAt = clock.now().getTime();
    const expiring = async () => (await expireHolds(db, clock)).filter((e) => e.lotId === lot.lotId); // other tests' holds aside
    clock.set(new Date(heldAt + HOLD_KEEPS_DEPOSITS_MS - MINUTE));
    expect(await expiring()).toEqual([]);
    await runEscrowClock(db, clock, testGateway(db, clock));
    expect(await db.select().from(depositOutcomes).where(eq(depositOutcomes.lotId, lot.lotId))).toEqual([]);
    clock.set(new Date(heldAt + HOLD_KEEPS_DEPOSITS_MS));
    expect(await expiring()).toEqual([{ lotId: lot.lotId, reason: "stayed" }]);
    expect(await expiring()).toEqual([]);
    // The escrow's minute step releases them (as the job does at once), then sends the refunds.
    await runEscrowClock(db, clock, testGateway(db, clock));
    await settleLotDeposits(db, clock, lot.lotId);
    const outcomes = await db.select().from(depositOutcomes).where(eq(depositOutcomes.lotId, lot.lotId));
    expect(outcomes.map((o) => [o.outcome, o.reason])).toEqual([
      ["released", "stayed"],
      ["released", "stayed"],
    ]);
    expect(await codeOf(resumeLot(db, clock, silentPublisher, scheduler, lot.judge, lot.lotId, { reason: "x" }))).toBe("LOT_TRANSITION_ILLEGAL");
    expect((await lotRow(lot.lotId)).holdDepositsReleasedAt).toEqual(new Date(heldAt + HOLD_KEEPS_DEPOSITS_MS));
  });

  it("P2: two nodes running the expiry at once take the step once", async () => {
    const { db } = database;
    const { lot } = await lotInBidding();
    await holdLot(db, clock, silentPublisher, lot.judge, lot.lotId, { kind: "suspend", ...REASON });
    clock.advance(HOLD_KEEPS_DEPOSITS_MS);
    const [one, two] = await Promise.all([expireHolds(db, clock), expireHolds(db, clock)]);
    expect([...one, ...two].filter((e) => e.lotId === lot.lotId)).toEqual([{ lotId: lot.lotId, reason: "suspended" }]);
    const kinds = await db.select({ kind: lotInterventions.kind }).from(lotInterventions).where(eq(lotInterventions.lotId, lot.lotId));
    expect(kinds.map((k) => k.kind)).toEqual(["suspend", "hold_expired"]);
  });
});

describe("withdrawal before the start (G5, P2)", () => {
  it("G5, P2: an announced lot is withdrawn on a ground with its reason; every deposit is released once; a stale second withdrawal, or one in bidding, is refused", async () => {
    const { db } = database;
    clock.set(new Date("2026-12-01T02:00:00Z"));
    const lot = await makePublishedLot(db, clock, { depositFen: 7_000_000n });
    await makeActiveBidder(db, clock, lot.lotId);
    await makeActiveBidder(db, clock, lot.lotId);
    const admin = await makeAdmin(db, clock);
    expect(await codeOf(withdrawLot(db, clock, admin, lot.lotId, { ground: "debt_paid", reason: "x" }))).toBe("FORBIDDEN");
    await withdrawLot(db, clock, lot.judge, lot.lotId, { ground: "debt_paid", reason: "被执行人已全部履行" });
    expect((await lotRow(lot.lotId)).status).toBe("withdrawn");
    expect(await settleLotDeposits(db, clock, lot.lotId)).toEqual({ released: 2 });
    expect(await settleLotDeposits(db, clock, lot.lotId)).toEqual({ released: 0 });
    const outcomes = await db.select().from(depositOutcomes).where(eq(depositOutcomes.lotId, lot.lotId));
    expect(outcomes.map((o) => [o.outcome, o.reason])).toEqual([
      ["released", "withdrawn"],
      ["released", "withdrawn"],
    ]);
    expect(await codeOf(withdrawLot(db, clock, lot.judge, lot.lotId, { ground: "debt_paid", reason: "again" }))).toBe("LOT_TRANSITION_ILLEGAL");
    const newcomer = await makeBidder(db, clock);
    expect(await codeOf(applyForLot(db, clock, newcomer, lot.lotId, { acceptWarnings: true, declareNotBarred: true, housingEligibilityDeclared: true }))).toBe("LOT_CLOSED");

    const { lot: bidding } = await lotInBidding();
    expect(await codeOf(withdrawLot(db, clock, bidding.judge, bidding.lotId, { ground: "debt_paid", reason: "x" }))).toBe("LOT_TRANSITION_ILLEGAL");
    expect((await lotRow(bidding.lotId)).status).toBe("published");
  });

  it("G5: a lot held before its start may be withdrawn; the escrow's minute step releases its deposits if the call after it was lost", async () => {
    const { db } = database;
    clock.set(new Date("2026-12-01T02:00:00Z"));
    const lot = await makePublishedLot(db, clock, { depositFen: 7_000_000n });
    await makeActiveBidder(db, clock, lot.lotId);
    await holdLot(db, clock, silentPublisher, lot.judge, lot.lotId, { kind: "stay", reason: "案外人异议" });
    await withdrawLot(db, clock, lot.judge, lot.lotId, { ground: "third_party_objection", reason: "异议成立" });
    expect(await lotRow(lot.lotId)).toMatchObject({ status: "withdrawn", heldFrom: null, heldAt: null });
    await runEscrowClock(db, clock, testGateway(db, clock));
    expect((await db.select().from(depositOutcomes).where(eq(depositOutcomes.lotId, lot.lotId))).map((o) => o.reason)).toEqual(["withdrawn"]);
  });
});
