import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../core/clock.ts";
import { verifyChain } from "../../core/audit.ts";
import type { Database } from "../../db/client.ts";
import { getPublicLot, listPublicLots } from "../../auction/index.ts";
import { seedDemoData } from "../../server/demo-seed.ts";
import { seedDemoLots } from "../../server/demo-lots.ts";
import { createTestDatabase } from "../support/database.ts";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

describe("demo data for npm start", () => {
  it("seeds accounts once, and three lots through the real use cases: in bidding, announced, sold", async () => {
    expect(await seedDemoData(database.db, systemClock)).toHaveLength(13);
    expect(await seedDemoData(database.db, systemClock)).toBeNull();
    await seedDemoLots(database.db);
    const lots = await listPublicLots(database.db, systemClock);
    expect(lots.map((l) => l.phase).sort()).toEqual(["announced", "bidding", "sold"]);
    const sold = await getPublicLot(database.db, systemClock, lots.find((l) => l.phase === "sold")!.id);
    expect(sold?.buyer).toMatchObject({ name: "刘芳" });
    expect(await verifyChain(database.db)).toMatchObject({ ok: true });
  });
});
