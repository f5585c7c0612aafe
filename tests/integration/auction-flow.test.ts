import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import { verifyChain } from "../../core/audit.ts";
import type { Database } from "../../db/client.ts";
import { closeLot, getPublicLot, placeBid, silentPublisher } from "../../auction/index.ts";
import { createTestDatabase } from "../support/database.ts";
import { makeActiveBidder, makePublishedLot } from "../fixtures/auction.ts";

const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

let n = 0;
const bidId = () => `bid-${Date.now()}-${++n}`;

describe("a lot from publication to close", () => {
  it("D1, D3, D6: bids rise by increments, a late bid extends the close, the last bid wins", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock, { startingPriceFen: 70_000_000n, incrementFen: 100_000n });
    const a = await makeActiveBidder(db, clock, lot.lotId);
    const b = await makeActiveBidder(db, clock, lot.lotId);
    clock.set(lot.biddingStartsAt);
    const first = await placeBid(db, clock, silentPublisher, a, lot.lotId, { amountFen: 70_000_000n, clientBidId: bidId() });
    expect(first.extended).toBe(false);
    clock.set(new Date(lot.closesAt.getTime() - 60_000));
    const late = await placeBid(db, clock, silentPublisher, b, lot.lotId, { amountFen: 70_100_000n, clientBidId: bidId() });
    expect(late.extended).toBe(true);
    expect(late.closesAt.getTime()).toBe(clock.now().getTime() + 5 * 60_000);

    clock.set(new Date(late.closesAt.getTime() - 1));
    expect(await closeLot(db, clock, silentPublisher, lot.lotId)).toMatchObject({ kind: "not_yet" });
    clock.set(late.closesAt);
    await expect(placeBid(db, clock, silentPublisher, a, lot.lotId, { amountFen: 70_200_000n, clientBidId: bidId() })).rejects.toMatchObject({ code: "LOT_CLOSED" });
    expect(await closeLot(db, clock, silentPublisher, lot.lotId)).toMatchObject({ kind: "closed", outcome: "sold" });
    expect(await closeLot(db, clock, silentPublisher, lot.lotId)).toMatchObject({ kind: "already_closed" });

    const view = await getPublicLot(db, clock, lot.lotId);
    expect(view?.status).toBe("sold");
    expect(view?.buyer).toMatchObject({ bidderCode: b.bidderCode, priceFen: 70_100_000n, name: b.displayName });
    expect(view?.closedAt?.getTime()).toBe(late.closesAt.getTime());
    expect(await verifyChain(db)).toMatchObject({ ok: true });
  });

  it("F6: a lot without bids fails (流拍) at its close", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock);
    await makeActiveBidder(db, clock, lot.lotId);
    clock.set(lot.closesAt);
    expect(await closeLot(db, clock, silentPublisher, lot.lotId)).toMatchObject({ kind: "closed", outcome: "failed" });
    const view = await getPublicLot(db, clock, lot.lotId);
    expect(view?.status).toBe("failed");
    expect(view?.buyer).toBeNull();
  });

  it("D4: a retried clientBidId returns the first answer and makes no second bid", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock);
    const a = await makeActiveBidder(db, clock, lot.lotId);
    clock.set(lot.biddingStartsAt);
    const id = bidId();
    const first = await placeBid(db, clock, silentPublisher, a, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: id });
    const again = await placeBid(db, clock, silentPublisher, a, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: id });
    expect(again).toMatchObject({ id: first.id, replay: true, amountFen: first.amountFen });
    expect((await getPublicLot(db, clock, lot.lotId))?.bids).toHaveLength(1);
  });
});

describe("the record of a lot (I8, P5)", () => {
  it("I8, P5, D5: every accepted bid and the close are in the audit chain, by code, naming no bidder", async () => {
    const { db, sql } = database;
    const lot = await makePublishedLot(db, clock);
    const a = await makeActiveBidder(db, clock, lot.lotId);
    const b = await makeActiveBidder(db, clock, lot.lotId);
    clock.set(lot.biddingStartsAt);
    await placeBid(db, clock, silentPublisher, a, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: bidId() });
    await placeBid(db, clock, silentPublisher, b, lot.lotId, { amountFen: lot.startingPriceFen + 100_000n, clientBidId: bidId() });
    clock.set(lot.closesAt);
    await closeLot(db, clock, silentPublisher, lot.lotId);
    const events = await sql<{ action: string; actor_id: string | null; data: Record<string, unknown> }[]>`
      select action, actor_id, data from audit_events where entity_id = ${lot.lotId} order by seq`;
    const bidsAudited = events.filter((e) => e.action === "auction.bid_accepted");
    expect(bidsAudited.map((e) => [e.data.bidderCode, e.data.amountFen])).toEqual([
      [a.bidderCode, lot.startingPriceFen.toString()],
      [b.bidderCode, (lot.startingPriceFen + 100_000n).toString()],
    ]);
    expect(events.at(-1)).toMatchObject({ action: "auction.lot_sold", data: { bidderCode: b.bidderCode } });
    // Registrations, deposits, bids and the close name no account (P4).
    const text = JSON.stringify(events);
    for (const who of [a, b]) {
      expect(text).not.toContain(who.id);
      expect(text).not.toContain(who.identityNumber);
    }
    const sealed = events.filter((e) => ["auction.registered", "auction.deposit_confirmed", "auction.bid_accepted", "auction.lot_sold"].includes(e.action));
    expect(sealed).toHaveLength(7);
    expect(sealed.every((e) => e.actor_id === null)).toBe(true);
    expect(await verifyChain(db)).toMatchObject({ ok: true });
  });

  it("closes exactly once when two nodes' jobs run at the same moment", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock);
    const a = await makeActiveBidder(db, clock, lot.lotId);
    clock.set(lot.biddingStartsAt);
    await placeBid(db, clock, silentPublisher, a, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: bidId() });
    clock.set(lot.closesAt);
    const results = await Promise.all([closeLot(db, clock, silentPublisher, lot.lotId), closeLot(db, clock, silentPublisher, lot.lotId), closeLot(db, clock, silentPublisher, lot.lotId)]);
    expect(results.filter((r) => r.kind === "closed")).toHaveLength(1);
    expect(results.filter((r) => r.kind === "already_closed")).toHaveLength(2);
  });
});
