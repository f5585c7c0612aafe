// After the price is paid (E4, E7, E8, ADR 022) through the real use cases: the ruling falls due 10 days after full
// payment and the handover 15 days after service, both on the court's deadlines; a buyer of housing no longer eligible
// gets no ruling; notified priority holders who did not take part are recorded as having waived.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { endOfDays } from "../../core/ruleset.ts";
import type { Database } from "../../db/client.ts";
import { auditEvents, lotPriorityHolders, saleRulings } from "../../db/schema/index.ts";
import { closeLot, handOver, placeBid, saleDeadlines, serveRuling, silentPublisher } from "../../auction/index.ts";
import { revokeSale } from "../../escrow/index.ts";
import { createTestDatabase } from "../support/database.ts";
import { makeActiveBidder, makePublishedLot, makeSoldLot, residentId } from "../fixtures/auction.ts";
import { payBalance } from "../support/payments.ts";
import { codeOf } from "../support/refusals.ts";

const DAY = 24 * 60 * 60 * 1000;
const clock = new TestClock(new Date("2026-12-01T02:00:00Z"));
let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

const rulingOf = async (lotId: string) => (await database.db.select().from(saleRulings).where(eq(saleRulings.lotId, lotId)))[0];

describe("the sale ruling and the handover (E7)", () => {
  it("E7: full payment makes the ruling due at 24:00 of the 10th day; its service makes the handover due 15 days later; both show on the court's deadlines", async () => {
    const { db } = database;
    const { lot, winner: buyer } = await makeSoldLot(database.db, clock);
    expect(await rulingOf(lot.lotId)).toBeUndefined();
    clock.advance(2 * DAY);
    await payBalance(database.db, clock, buyer, lot.lotId);
    const due = endOfDays(clock.now(), 10);
    expect(await rulingOf(lot.lotId)).toMatchObject({ paidAt: clock.now(), dueAt: due, servedAt: null });
    expect(await saleDeadlines(db, clock, lot.judge)).toEqual([expect.objectContaining({ lotId: lot.lotId, kind: "ruling", dueAt: due, overdue: false })]);
    clock.set(new Date(due.getTime() + 1));
    expect((await saleDeadlines(db, clock, lot.judge))[0]).toMatchObject({ kind: "ruling", overdue: true });

    const { handoverDueAt } = await serveRuling(db, clock, lot.judge, lot.lotId, { documentNumber: "（2026）京0105执1号之二", buyerEligible: false });
    expect(handoverDueAt).toEqual(endOfDays(clock.now(), 15));
    expect(await saleDeadlines(db, clock, lot.judge)).toEqual([expect.objectContaining({ kind: "handover", dueAt: handoverDueAt, overdue: false })]);
    await handOver(db, clock, lot.judge, lot.lotId, { note: "已移交车辆及钥匙" });
    expect(await saleDeadlines(db, clock, lot.judge)).toEqual([]);
    expect(await rulingOf(lot.lotId)).toMatchObject({ handedOverAt: clock.now(), handoverNote: "已移交车辆及钥匙" });
    // G7: a sale is revoked until the handover, not after it.
    expect(await codeOf(revokeSale(db, clock, lot.judge, lot.lotId, { ground: "collusion", reason: "串通" }))).toBe("LOT_TRANSITION_ILLEGAL");
  });

  it("E7: no ruling before full payment, no handover before the ruling (LOT_TRANSITION_ILLEGAL), and only a judge records either (FORBIDDEN)", async () => {
    const { db } = database;
    const { lot, winner: buyer } = await makeSoldLot(database.db, clock);
    expect(await codeOf(serveRuling(db, clock, lot.judge, lot.lotId, { documentNumber: "一号", buyerEligible: true }))).toBe("LOT_TRANSITION_ILLEGAL");
    await payBalance(database.db, clock, buyer, lot.lotId);
    expect(await codeOf(handOver(db, clock, lot.judge, lot.lotId, { note: "交付" }))).toBe("LOT_TRANSITION_ILLEGAL");
    expect(await codeOf(serveRuling(db, clock, lot.clerk, lot.lotId, { documentNumber: "一号", buyerEligible: true }))).toBe("FORBIDDEN");
    expect(await rulingOf(lot.lotId)).toMatchObject({ servedAt: null });
  });

  it("G7: a sale whose ruling was served may still be revoked before the handover", async () => {
    const { db } = database;
    const { lot, winner: buyer } = await makeSoldLot(database.db, clock);
    await payBalance(database.db, clock, buyer, lot.lotId);
    await serveRuling(db, clock, lot.judge, lot.lotId, { documentNumber: "一号", buyerEligible: true });
    await revokeSale(db, clock, lot.judge, lot.lotId, { ground: "buyer_unqualified", reason: "买受人不具备竞买资格" });
    expect(await saleDeadlines(db, clock, lot.judge)).toEqual([]);
  });
});

describe("housing (E8)", () => {
  it("E8: a ruling for a home is refused unless the court confirms the buyer is still eligible (RULING_BUYER_INELIGIBLE), and nothing is written", async () => {
    const { db } = database;
    const { lot, winner: buyer } = await makeSoldLot(database.db, clock, { category: "residential" });
    await payBalance(database.db, clock, buyer, lot.lotId);
    expect(await codeOf(serveRuling(db, clock, lot.judge, lot.lotId, { documentNumber: "一号", buyerEligible: false }))).toBe("RULING_BUYER_INELIGIBLE");
    expect(await rulingOf(lot.lotId)).toMatchObject({ servedAt: null, documentNumber: null });
    await serveRuling(db, clock, lot.judge, lot.lotId, { documentNumber: "一号", buyerEligible: true });
    expect((await rulingOf(lot.lotId))!.servedAt).toEqual(clock.now());
  });
});

describe("priority holders who did not take part (E4)", () => {
  it("E4: at the close, a notified priority holder who did not register is recorded as having waived; one who took part is not", async () => {
    const { db } = database;
    const [present, absent] = [residentId(), residentId()];
    clock.set(new Date("2026-12-01T02:00:00Z"));
    const lot = await makePublishedLot(db, clock, {
      priorityHolders: [
        { name: "共有人甲", identityNumber: present, rank: 1 },
        { name: "承租人乙", identityNumber: absent, rank: 2 },
      ],
    });
    const holder = await makeActiveBidder(db, clock, lot.lotId, { identityNumber: present });
    clock.set(lot.biddingStartsAt);
    await placeBid(db, clock, silentPublisher, holder, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: crypto.randomUUID() });
    clock.set(lot.closesAt);
    await closeLot(db, clock, silentPublisher, lot.lotId);
    const holders = await db.select().from(lotPriorityHolders).where(eq(lotPriorityHolders.lotId, lot.lotId));
    expect(holders.map((h) => [h.rank, h.waivedAt])).toEqual(expect.arrayContaining([[1, null], [2, lot.closesAt]]));
    const [waived] = await db.select().from(auditEvents).where(eq(auditEvents.action, "auction.priority_waived"));
    expect(waived!.data).toEqual({ ranks: [2] });
  });
});
