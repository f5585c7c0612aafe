// The court's fees page over HTTP, as a browser without JavaScript sees it (A26): the figures, the form, a refusal
// in words with nothing written, the fees recorded, and the case's fund flow showing them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { caseFees, users } from "../../db/schema/index.ts";
import { createApiToken, hashPassword, type SessionUser } from "../../identity/index.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { en } from "../../app/i18n/en.ts";
import { formatFenText } from "../../app/lib/format.ts";
import { appraisalPricedAsset, inquiryPricedAsset, publishedLot, sellAt } from "../fixtures/fees.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { pageText, Visitor } from "../support/http.ts";

const clock = new TestClock(new Date("2026-03-02T02:00:00Z"));
const PASSWORD = "fees-pages-password";
let platform: TestPlatform;
let world: Awaited<ReturnType<typeof appraisalPricedAsset>>;
let lotId: string;

async function as(user: SessionUser) {
  const v = new Visitor(platform.url);
  expect((await v.post("/sign-in", { username: user.username, password: PASSWORD })).status).toBe(302);
  return v;
}

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  const { db } = platform.database;
  world = await appraisalPricedAsset(db, clock, 100_000_000n);
  lotId = await publishedLot(db, clock, world);
  await sellAt(db, clock, lotId, 95_000_000n);
  await db.update(users).set({ passwordHash: await hashPassword(PASSWORD) }).where(inArray(users.id, [world.judge.id, world.clerk.id, world.applicant.id]));
});
afterAll(() => platform?.stop());

describe("the court's fees page (A26)", () => {
  it("A26: the judge sees the base (the lower of the appraised value and the sale price); a fee above it is refused in words and nothing is written; a valid fee is recorded and shown, and the case's fund flow shows it", async () => {
    const judge = await as(world.judge);
    const lotPage = await pageText(await judge.get(`/court/lots/${lotId}`));
    expect(lotPage).toContain(`/court/lots/${lotId}/fees`);
    const page = await pageText(await judge.get(`/court/lots/${lotId}/fees`));
    expect(page).toContain(zhCN.fees.formTitle);
    expect(page).toContain(formatFenText(95_000_000n));
    expect(page).toContain(world.agency.agency.name);

    const tooHigh = await judge.post(`/court/lots/${lotId}/fees`, { advancedByPartyId: world.applicant.partyId, appraisalFeeFen: "950000.01", reissueFullFeeFen: "" });
    expect(tooHigh.status).toBe(422);
    expect(await pageText(tooHigh)).toContain("评估费用不能高于其计费基数");
    expect(await platform.database.db.$count(caseFees)).toBe(0);

    const notYuan = await judge.post(`/court/lots/${lotId}/fees`, { advancedByPartyId: world.applicant.partyId, appraisalFeeFen: "abc", reissueFullFeeFen: "" });
    expect(notYuan.status).toBe(400);
    expect(await platform.database.db.$count(caseFees)).toBe(0);

    const done = await judge.post(`/court/lots/${lotId}/fees`, { advancedByPartyId: world.applicant.partyId, appraisalFeeFen: "8,000.00", reissueFullFeeFen: "" });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe(`/court/lots/${lotId}/fees?done=recorded`);
    const recorded = await pageText(await judge.get(`/court/lots/${lotId}/fees?done=recorded`));
    expect(recorded).toContain(zhCN.fees.recorded);
    expect(recorded).toContain(zhCN.fees.kind.appraisal);
    expect(recorded).toContain(formatFenText(800_000n));
    const [fee] = await platform.database.db.select().from(caseFees).where(eq(caseFees.lotId, lotId));
    expect(fee).toMatchObject({ amountFen: 800_000n, basis: "lower_of_value_and_deal" });

    // The case's fund flow, for the court and for the creditor who advanced the fee, in words.
    for (const viewer of [judge, await as(world.applicant)]) {
      const flow = await pageText(await viewer.get(`/cases/${world.caseId}/fund-flow`));
      expect(flow).toContain('data-purpose="fee_advanced"');
      expect(flow).toContain(zhCN.fundFlow.purpose.fee_advanced);
      expect(flow).toContain(zhCN.fundFlow.role.fee_payee);
      expect(flow).not.toContain("fee_payee<");
    }
  });

  it("A26: a clerk sees the fees but only a judge records them; in English the page speaks English", async () => {
    const clerk = await as(world.clerk);
    clerk.cookies.set("lang", "en");
    const page = await pageText(await clerk.get(`/court/lots/${lotId}/fees`));
    expect(page).toContain(en.fees.title);
    const refused = await clerk.post(`/court/lots/${lotId}/fees`, { advancedByPartyId: world.applicant.partyId, appraisalFeeFen: "1.00", reissueFullFeeFen: "" });
    expect(refused.status).toBe(403);
  });
});

describe("the fees API (A26)", () => {
  async function call(method: string, path: string, user: SessionUser, body?: unknown) {
    const { token } = await createApiToken(platform.database.db, clock, user, "fees api test");
    const res = await fetch(platform.url + path, { method, headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  it("A26: a court's system reads the figures and records an inquiry fee split on a tie; a bad amount is refused with its field and nothing is written", async () => {
    const { db } = platform.database;
    // The first test's world has no platform: this inquiry goes to these two alone (A7).
    const w = await inquiryPricedAsset(db, clock, [100_000_000n, 120_000_000n]);
    const lot = await publishedLot(db, clock, w);
    await sellAt(db, clock, lot, 110_000_000n);
    const figures = await call("GET", `/api/v1/lots/${lot}/fees`, w.clerk);
    expect(figures.status).toBe(200);
    expect(figures.json).toMatchObject({ known: true, dealFen: "110000000", method: "online_inquiry" });

    const before = await db.$count(caseFees);
    const bad = await call("POST", `/api/v1/lots/${lot}/fees`, w.judge, { advancedByPartyId: w.applicant.partyId, inquiryFeeFen: "-5" });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { code: "VALIDATION_FAILED", fields: { inquiryFeeFen: "validation.amount" } } });
    expect(await db.$count(caseFees)).toBe(before);

    const done = await call("POST", `/api/v1/lots/${lot}/fees`, w.judge, { advancedByPartyId: w.applicant.partyId, inquiryFeeFen: "1001" });
    expect(done.status).toBe(201);
    const fees = done.json.fees as { amountFen: string }[];
    expect(fees.map((f) => f.amountFen).sort()).toEqual(["500", "501"]);
    // The same again answers the same; a clerk may not record.
    expect((await call("POST", `/api/v1/lots/${lot}/fees`, w.judge, { advancedByPartyId: w.applicant.partyId, inquiryFeeFen: "1001" })).json).toEqual(done.json);
    expect((await call("POST", `/api/v1/lots/${lot}/fees`, w.clerk, { advancedByPartyId: w.applicant.partyId, inquiryFeeFen: "1001" })).status).toBe(403);
  });
});
