import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../core/clock.ts";
import { verifyChain } from "../../core/audit.ts";
import type { Database } from "../../db/client.ts";
import { getPublicLot, listPublicLots } from "../../auction/index.ts";
import { seedDemoData } from "../../server/demo-seed.ts";
import { eq } from "drizzle-orm";
import { agencies, inquiryPlatforms, platformListings, poolAgencies } from "../../db/schema/index.ts";
import { validateCreditCode } from "../../identity/index.ts";
import { seedDemoLots } from "../../server/demo-lots.ts";
import { createTestDatabase } from "../support/database.ts";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

describe("demo data for npm start", () => {
  it("seeds accounts once, and three lots through the real use cases: in bidding, announced, sold", async () => {
    expect(await seedDemoData(database.db, systemClock)).toHaveLength(19);
    expect(await seedDemoData(database.db, systemClock)).toBeNull();
    await seedDemoLots(database.db);
    const lots = await listPublicLots(database.db, systemClock);
    expect(lots.map((l) => l.phase).sort()).toEqual(["announced", "bidding", "sold"]);
    const sold = await getPublicLot(database.db, systemClock, lots.find((l) => l.phase === "sold")!.id);
    expect(sold?.buyer).toMatchObject({ name: "刘芳" });
    expect(await verifyChain(database.db)).toMatchObject({ ok: true });
  });

  it("A6, A12: seeds a listed agency pool and inquiry platforms with valid credit codes", async () => {
    const listed = await database.db.select({ code: agencies.creditCode }).from(agencies).innerJoin(poolAgencies, eq(poolAgencies.agencyId, agencies.id));
    const platforms = await database.db.select({ code: inquiryPlatforms.creditCode }).from(inquiryPlatforms).innerJoin(platformListings, eq(platformListings.platformId, inquiryPlatforms.id));
    expect(listed).toHaveLength(6);
    expect(platforms).toHaveLength(3);
    for (const { code } of [...listed, ...platforms]) expect(validateCreditCode(code), code).toMatchObject({ ok: true });
  });
});
