// The sale ruling and the handover over HTTP, as a browser without JavaScript meets them (E7, E8): the court's lot
// page shows the ruling's deadline once the price is paid, the judge records the service and the handover, and the
// deadlines page lists what is still to do.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { saleRulings, users } from "../../db/schema/index.ts";
import { hashPassword } from "../../identity/index.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { makeSoldLot } from "../fixtures/auction.ts";
import { payBalance } from "../support/payments.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { pageText, signedInVisitor } from "../support/http.ts";

const clock = new TestClock(new Date("2026-12-01T02:00:00Z"));
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform(clock);
});
afterAll(() => platform?.stop());

const page = pageText;

describe("the ruling and the handover on the court's pages (E7, E8)", () => {
  it("E7, E8: after full payment the judge records the ruling (a home's buyer confirmed eligible) and the handover; the deadlines page lists each until done", async () => {
    const { db } = platform.database;
    const { lot, winner } = await makeSoldLot(db, clock, { category: "residential" });
    await payBalance(db, clock, winner, lot.lotId);

    await db.update(users).set({ passwordHash: await hashPassword("test-password") }).where(eq(users.id, lot.judge.id));
    const judge = await signedInVisitor(platform.url, lot.judge.username);
    const deadlines = await page(await judge.get("/court/deadlines"));
    expect(deadlines).toContain(zhCN.courtDeadlines.sales.ruling);
    const before = await page(await judge.get(`/court/lots/${lot.lotId}`));
    expect(before).toContain('data-testid="ruling-due"');

    // E8: without the eligibility check the ruling is refused in words, and nothing is recorded.
    const refused = await judge.post(`/court/lots/${lot.lotId}`, { intent: "ruling", documentNumber: "（2026）京0105执1号之二" });
    expect(refused.status).toBe(409);
    expect(await page(refused)).toContain(zhCN.errors.RULING_BUYER_INELIGIBLE);
    expect((await db.select().from(saleRulings).where(eq(saleRulings.lotId, lot.lotId)))[0]!.servedAt).toBeNull();

    const served = await judge.post(`/court/lots/${lot.lotId}`, { intent: "ruling", documentNumber: "（2026）京0105执1号之二", buyerEligible: "on" });
    expect(served.headers.get("location")).toBe(`/court/lots/${lot.lotId}?done=ruling`);
    expect(await page(await judge.get("/court/deadlines"))).toContain(zhCN.courtDeadlines.sales.handover);
    const handed = await judge.post(`/court/lots/${lot.lotId}`, { intent: "handover", note: "已移交钥匙" });
    expect(handed.headers.get("location")).toBe(`/court/lots/${lot.lotId}?done=handover`);
    const after = await page(await judge.get(handed.headers.get("location")!));
    expect(after).toContain(zhCN.courtLot.notice.handedOver);
    expect(after).toContain('data-testid="handed-over"');
    expect(await page(await judge.get("/court/deadlines"))).toContain('data-testid="no-sale-deadlines"');
  });
});
