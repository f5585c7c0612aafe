import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock, systemClock } from "../../core/clock.ts";
import { verifyChain, verifyEventTypes } from "../../core/audit.ts";
import type { Database } from "../../db/client.ts";
import { auditEvents } from "../../db/schema/index.ts";
import { closeLot, placeBids, silentPublisher } from "../../auction/index.ts";
import { seedDemoData } from "../../server/demo-seed.ts";
import { seedDemoLots } from "../../server/demo-lots.ts";
import { makeActiveBidder, makePublishedLot } from "../fixtures/auction.ts";
import { createTestDatabase } from "../support/database.ts";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

const actionsWritten = async (target = database) => (await target.db.selectDistinct({ action: auditEvents.action }).from(auditEvents)).map((r) => r.action);

// appendAudit checks every event it writes; the bid path's batches are checked by their type only
// (core/audit.ts, AUDIT_SQL), so these read back what both wrote and check it as audit:verify does.
describe("typed audit events on the real paths (P5)", () => {
  it("P5: a batch of bids (ADR 010) and the close write events that fit their actions' schemas", async () => {
    const { db } = database;
    const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
    const lot = await makePublishedLot(db, clock, { incrementFen: 100n });
    const [a, b] = [await makeActiveBidder(db, clock, lot.lotId), await makeActiveBidder(db, clock, lot.lotId)];
    clock.set(new Date(lot.closesAt.getTime() - 60_000));
    const answers = await placeBids(db, clock, silentPublisher, lot.lotId, [
      { actor: a, input: { amountFen: lot.startingPriceFen, clientBidId: "typed-a-1" } },
      { actor: b, input: { amountFen: lot.startingPriceFen + 100n, clientBidId: "typed-b-1" } },
    ]);
    expect(answers.every((x) => x.ok)).toBe(true);
    clock.advance(6 * 60_000);
    expect(await closeLot(db, clock, silentPublisher, lot.lotId)).toMatchObject({ kind: "closed", outcome: "sold" });

    expect(await actionsWritten()).toEqual(expect.arrayContaining(["auction.bid_accepted", "auction.lot_sold", "auction.deposit_confirmed"]));
    expect(await verifyEventTypes(db)).toMatchObject({ illFormed: [] });
  });

  it("P5: every event the demo seed writes through the real use cases fits its action's schema", async () => {
    const demo = await createTestDatabase(); // the demo seed wants an empty database
    try {
      await seedDemoData(demo.db, systemClock);
      await seedDemoLots(demo.db, "demo-session-secret-for-tests-0123456789");
      expect(await actionsWritten(demo)).toEqual(expect.arrayContaining(["platform.demo_seeded", "auction.lot_drafted", "auction.bid_accepted", "auction.lot_sold"]));
      const verdict = await verifyEventTypes(demo.db);
      expect(verdict.illFormed).toEqual([]);
      expect(verdict.count).toBeGreaterThan(20);
      expect(await verifyChain(demo.db)).toMatchObject({ ok: true, count: verdict.count });
    } finally {
      await demo.close();
    }
  });
});
