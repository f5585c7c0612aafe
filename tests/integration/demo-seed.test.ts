import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../core/clock.ts";
import { verifyChain } from "../../core/audit.ts";
import type { Database } from "../../db/client.ts";
import { getPublicLot, listPublicLots, validReferencePrice } from "../../auction/index.ts";
import { partyOf } from "../../appraisal/index.ts";
import { seedDemoData } from "../../server/demo-seed.ts";
import { eq } from "drizzle-orm";
import { agencies, assets, cases, distributions, inquiryPlatforms, platformListings, poolAgencies, users } from "../../db/schema/index.ts";
import { caseFundFlow, verifyLedger } from "../../escrow/index.ts";
import { validateCreditCode } from "../../identity/index.ts";
import { seedDemoLots } from "../../server/demo-lots.ts";
import { createTestDatabase } from "../support/database.ts";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

describe("demo data for npm start", () => {
  it("F3, H3, H6, G1, F6: seeds accounts once, and lots through the real use cases: in bidding, announced, sold, paid for and distributed, suspended with its reason, and failed with its second auction announced", async () => {
    expect(await seedDemoData(database.db, systemClock)).toHaveLength(21);
    expect(await seedDemoData(database.db, systemClock)).toBeNull();
    await seedDemoLots(database.db, "demo-session-secret-for-tests-0123456789");
    const lots = await listPublicLots(database.db, systemClock);
    expect(lots.map((l) => l.phase).sort()).toEqual(["announced", "announced", "bidding", "failed", "sold", "suspended"]);
    const failed = await getPublicLot(database.db, systemClock, lots.find((l) => l.phase === "failed")!.id);
    expect(failed!.rounds.map((r) => `${r.round}:${r.status}`)).toEqual(["first:failed", "second:published"]);
    const second = await getPublicLot(database.db, systemClock, failed!.rounds[1]!.id);
    expect(second).toMatchObject({ phase: "announced", round: "second", startingPriceFen: (failed!.startingPriceFen * 80n) / 100n });
    const held = await getPublicLot(database.db, systemClock, lots.find((l) => l.phase === "suspended")!.id);
    expect(held?.interventions).toMatchObject([{ kind: "suspend", by: "court", reason: "案外人对本车提出执行异议，本院正在审查。" }]);
    const sold = await getPublicLot(database.db, systemClock, lots.find((l) => l.phase === "sold")!.id);
    expect(sold?.buyer).toMatchObject({ name: "刘芳" });
    const [soldCase] = await database.db.select({ id: cases.id }).from(cases).where(eq(cases.caseNumber, sold!.caseNumber));
    const [distribution] = await database.db.select().from(distributions).where(eq(distributions.caseId, soldCase!.id));
    expect(distribution).toMatchObject({ status: "paid", totalFen: sold!.currentPriceFen });
    const [u] = await database.db.select().from(users).where(eq(users.username, "judge.chaoyang"));
    const judge = { id: u!.id, username: u!.username, displayName: u!.displayName, role: u!.role, courtId: u!.courtId, agencyId: null, platformId: null, sessionId: "test" };
    const flow = await caseFundFlow(database.db, systemClock, judge, soldCase!.id);
    expect(flow.check).toEqual({ sumFen: 0n, balanced: true, ledgerAgrees: true });
    expect((await verifyLedger(database.db)).differences).toEqual([]);
    expect(await verifyChain(database.db)).toMatchObject({ ok: true });
  });

  it("A6, A12: seeds a listed agency pool and inquiry platforms with valid credit codes", async () => {
    const listed = await database.db.select({ code: agencies.creditCode }).from(agencies).innerJoin(poolAgencies, eq(poolAgencies.agencyId, agencies.id));
    const platforms = await database.db.select({ code: inquiryPlatforms.creditCode }).from(inquiryPlatforms).innerJoin(platformListings, eq(platformListings.platformId, inquiryPlatforms.id));
    expect(listed).toHaveLength(6);
    expect(platforms).toHaveLength(3);
    for (const { code } of [...listed, ...platforms]) expect(validateCreditCode(code), code).toMatchObject({ ok: true });
  });

  it("seeds a case awaiting its reference price whose applicant and debtor sign in as party1 and party2", async () => {
    const [theCase] = await database.db.select({ id: cases.id }).from(cases).where(eq(cases.caseNumber, "（2026）京0105执4567号"));
    expect(theCase).toBeDefined();
    const [asset] = await database.db.select({ id: assets.id }).from(assets).where(eq(assets.caseId, theCase!.id));
    expect(await validReferencePrice(database.db, asset!.id, new Date())).toBeNull();
    for (const [username, role] of [["party1", "applicant"], ["party2", "debtor"]] as const) {
      const [u] = await database.db.select().from(users).where(eq(users.username, username));
      const session = { id: u!.id, username, displayName: u!.displayName, role: u!.role, courtId: null, agencyId: null, platformId: null, sessionId: "s" };
      expect(await partyOf(database.db, session, theCase!.id), username).toMatchObject({ role });
    }
  });
});
