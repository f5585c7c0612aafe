// C7 over HTTP: the platform's admin records a staff member's resident ID on the users page, so that the bar on
// bidding by the court's own staff knows them under any account. The number is shown and audited masked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { AppError } from "../../core/errors.ts";
import { auditEvents, users } from "../../db/schema/index.ts";
import { applyForLot } from "../../auction/index.ts";
import { hashPassword, mask } from "../../identity/index.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { makeBidder, makePublishedLot, residentId } from "../fixtures/auction.ts";
import { makeAdmin } from "../fixtures/appraisal.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { pageText, signedInVisitor } from "../support/http.ts";

const clock = new TestClock(new Date("2026-12-02T02:00:00Z"));
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform(clock);
});
afterAll(() => platform?.stop());

const auditCount = async () => (await platform.database.db.select({ n: count() }).from(auditEvents))[0]!.n;
const staffNumber = async (userId: string) => (await platform.database.db.select({ n: users.staffIdentityNumber }).from(users).where(eq(users.id, userId)))[0]!.n;

describe("C7: the admin records staff identity numbers", () => {
  it("C7, P5: the admin sets a clerk's resident ID on the users page; it is listed and audited masked, and a bidder holding it is then barred from the court's lots", async () => {
    const { db } = platform.database;
    const lot = await makePublishedLot(db, clock);
    // A clerk whose number was never recorded: the bar cannot know them.
    await db.update(users).set({ staffIdentityNumber: null }).where(eq(users.id, lot.clerk.id));
    const admin = await makeAdmin(db, clock);
    await db.update(users).set({ passwordHash: await hashPassword("test-password") }).where(eq(users.id, admin.id));
    const visitor = await signedInVisitor(platform.url, admin.username);
    const number = residentId();

    // A malformed number, or a bidder's account, is refused with the field's error, and nothing is written.
    const before = await auditCount();
    const malformed = await visitor.post("/admin/users", { intent: "staffId", userId: lot.clerk.id, staffIdentityNumber: "110105198001011" });
    expect(malformed.status).toBe(400);
    expect(await pageText(malformed)).toContain(zhCN.validation.residentId.LENGTH);
    const stranger = await makeBidder(db, clock);
    const notStaff = await visitor.post("/admin/users", { intent: "staffId", userId: stranger.id, staffIdentityNumber: number });
    expect(notStaff.status).toBe(400);
    expect(await pageText(notStaff)).toContain(zhCN.validation.staffAccount);
    expect(await staffNumber(lot.clerk.id)).toBeNull();
    expect(await auditCount()).toBe(before);

    const done = await visitor.post("/admin/users", { intent: "staffId", userId: lot.clerk.id, staffIdentityNumber: number.toLowerCase() });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/admin/users?done=staffId");
    expect(await staffNumber(lot.clerk.id)).toBe(number);
    const listed = await pageText(await visitor.get(done.headers.get("location")!));
    expect(listed).toContain(zhCN.admin.users.staffIdSet);
    expect(listed).toContain(mask(number));
    expect(listed).not.toContain(number);

    // P5: audited, masked: the chain anyone may read never holds the number.
    const events = await db.select().from(auditEvents).where(eq(auditEvents.entityId, lot.clerk.id));
    expect(events.map((e) => ({ action: e.action, actorId: e.actorId, data: e.data }))).toEqual([{ action: "identity.staff_identity_set", actorId: admin.id, data: { rule: "C7", masked: mask(number), replaced: false } }]);
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain(number);

    // The bar now knows the clerk under a bidder's account.
    const bidder = await makeBidder(db, clock, { identityNumber: number });
    const refusal = await applyForLot(db, clock, bidder, lot.lotId, { acceptWarnings: true, declareNotBarred: true, housingEligibilityDeclared: true }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: "BIDDER_BARRED", details: { rule: "C7" } });
  });

  it("C7: only the admin records staff numbers: a judge posting to the users page is refused and nothing changes", async () => {
    const { db } = platform.database;
    const lot = await makePublishedLot(db, clock);
    await db.update(users).set({ passwordHash: await hashPassword("test-password") }).where(eq(users.id, lot.judge.id));
    const judge = await signedInVisitor(platform.url, lot.judge.username);
    const previous = await staffNumber(lot.clerk.id);
    const res = await judge.post("/admin/users", { intent: "staffId", userId: lot.clerk.id, staffIdentityNumber: residentId() });
    expect(res.status).toBe(403);
    expect(await staffNumber(lot.clerk.id)).toBe(previous);
  });
});
