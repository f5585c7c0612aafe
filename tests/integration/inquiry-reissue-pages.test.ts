// A17 on the court's page for an online inquiry whose price ran out, driven over HTTP like a browser without
// JavaScript: the judge is offered a new inquiry, asks for it, lands on the new inquiry's page, and the expired
// one links to it instead of offering it again.
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import { inquiryRequests, priceProcedures, users, valuationReports } from "../../db/schema/index.ts";
import { deliverReport, fixInquiryPrice, startOnlineInquiry, submitInquiryReport } from "../../appraisal/index.ts";
import { hashPassword, type SessionUser } from "../../identity/index.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { makePlatform, makePricingCase, pdfFile } from "../fixtures/appraisal.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { Visitor } from "../support/http.ts";

const DAY = 24 * 60 * 60 * 1000;
const clock = new TestClock(new Date("2026-11-30T02:00:00Z"));
const PASSWORD = "reissue-test-password";
let platform: TestPlatform;
let made: Awaited<ReturnType<typeof makePricingCase>>;
let procedureId = "";
let validUntil: Date;
let platformIds: string[] = [];

async function signedIn(user: Pick<SessionUser, "id" | "username">) {
  await platform.database.db.update(users).set({ passwordHash: await hashPassword(PASSWORD) }).where(eq(users.id, user.id));
  const v = new Visitor(platform.url);
  expect((await v.post("/sign-in", { username: user.username, password: PASSWORD })).status).toBe(302);
  return v;
}

const page = async (res: Response) => (await res.text()).replaceAll("<!-- -->", "");

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  const db = platform.database.db;
  made = await makePricingCase(db, clock, { agencies: 0, category: "commercial" });
  const platforms = [await makePlatform(db, clock, ["commercial"]), await makePlatform(db, clock, ["commercial"])];
  platformIds = platforms.map((p) => p.platform.id);
  const inquiry = await startOnlineInquiry(db, clock, made.judge, made.assetId, { ground: "parties_jointly_chose", basis: "双方当事人共同选择网络询价" });
  procedureId = inquiry.procedureId;
  validUntil = new Date(clock.now().getTime() + 30 * DAY);
  for (const [i, p] of platforms.entries()) {
    const request = inquiry.requests.find((r) => r.platformId === p.platform.id)!;
    await submitInquiryReport(db, clock, p.member, request.id, {
      valuationMethod: "大数据询价",
      valueFen: String(100_000_000 + i * 1_000_000),
      valuationDate: new Date(clock.now().getTime() - DAY),
      validUntil,
      file: pdfFile({ name: "询价报告.pdf" }),
    });
  }
  const reports = await db.select({ id: valuationReports.id }).from(valuationReports).where(and(eq(valuationReports.procedureId, procedureId), isNull(valuationReports.deliveredAt)));
  let objectionsDue = 0;
  for (const r of reports) objectionsDue = Math.max(objectionsDue, (await deliverReport(db, clock, made.clerk, r.id)).objectionDueAt!.getTime());
  clock.set(new Date(objectionsDue + 1));
  await fixInquiryPrice(db, clock, made.judge, procedureId);
});
afterAll(() => platform?.stop());

describe("A17 for an online inquiry on the court's page", () => {
  it("A17: while the inquiry's price is valid nothing is offered; once it ran out the judge is offered a new inquiry, asks for it and lands on the new inquiry, due in 3 days; the expired one then links to it", async () => {
    const path = `/court/procedures/${procedureId}`;
    const valid = await page(await (await signedIn(made.judge)).get(path));
    expect(valid).toContain('data-testid="fixed-price"');
    expect(valid).not.toContain('data-testid="reissue-panel"');

    // A month later (a new sign-in: the first session has long ended).
    clock.set(new Date(validUntil.getTime() + 1));
    const judge = await signedIn(made.judge);
    const expired = await page(await judge.get(path));
    // The panel as rendered (the page also carries its area's texts for the browser, so look inside the panel).
    const panel = /data-testid="reissue-panel">([\s\S]*?)<\/div>/.exec(expired)?.[1] ?? "";
    expect(panel).toContain(zhCN.appraisal.reissue.leadInquiry);
    expect(panel).toContain(zhCN.appraisal.reissue.askInquiry);
    expect(panel).not.toContain(zhCN.appraisal.reissue.lead);
    // The clerk sees the price but is not offered the judge's decision.
    expect(await page(await (await signedIn(made.clerk)).get(path))).not.toContain('data-testid="reissue-panel"');

    const asked = await judge.post(path, { intent: "reissue" });
    expect(asked.status).toBe(302);
    const location = asked.headers.get("location")!;
    const [, newId] = /^\/court\/procedures\/([0-9a-f-]{36})\?done=inquiryReissued$/.exec(location) ?? [];
    expect(newId).toBeDefined();
    expect(newId).not.toBe(procedureId);
    const db = platform.database.db;
    const [created] = await db.select().from(priceProcedures).where(eq(priceProcedures.id, newId!));
    expect(created).toMatchObject({ method: "online_inquiry", status: "open", assetId: made.assetId, basisKind: "parties_jointly_chose" });
    const sent = await db.select({ platformId: inquiryRequests.platformId, dueAt: inquiryRequests.dueAt }).from(inquiryRequests).where(eq(inquiryRequests.procedureId, newId!));
    expect(sent.map((r) => r.platformId).sort()).toEqual([...platformIds].sort());
    expect(sent.every((r) => r.dueAt.getTime() === created!.dueAt!.getTime())).toBe(true);

    const landed = await page(await judge.get(location));
    expect(landed).toContain(`data-testid="success-banner">${zhCN.appraisal.notice.inquiryReissued}</div>`);

    const after = await page(await judge.get(path));
    expect(after).not.toContain('data-testid="reissue-panel"');
    expect(after).toContain('data-testid="newer-procedure"');
    expect(after).toContain(`href="/court/procedures/${newId}"`);
    // Asked again (a stale form): refused with the page's error summary, and no third procedure.
    const again = await judge.post(path, { intent: "reissue" });
    expect(again.status).toBe(409);
    expect((await db.select({ id: priceProcedures.id }).from(priceProcedures).where(eq(priceProcedures.assetId, made.assetId))).length).toBe(2);
  });
});
