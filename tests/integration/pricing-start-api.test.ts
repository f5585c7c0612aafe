// Starting a reference-price procedure through the JSON API runs the same use case, with the same
// authorization, as the asset page: a clerk may not start an online inquiry on either (A5 is the judge's
// decision), and a judge's online inquiry started through the API sends the platforms their requests (A7, P7).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { auditEvents, inquiryRequests, priceProcedures, users } from "../../db/schema/index.ts";
import { createApiToken, hashPassword, type SessionUser } from "../../identity/index.ts";
import { makePlatform, makePricingCase } from "../fixtures/appraisal.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { Visitor } from "../support/http.ts";

const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
let platform: TestPlatform;
const PASSWORD = "pricing-start-password";
const ONLINE = { method: "online_inquiry", ground: "parties_jointly_chose", basis: "双方当事人共同选择网络询价" };

async function token(user: SessionUser) {
  return (await createApiToken(platform.database.db, clock, user, "case system")).token;
}

async function post(path: string, bearer: string, body: unknown) {
  const res = await fetch(platform.url + path, { method: "POST", headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function signedIn(user: SessionUser) {
  await platform.database.db.update(users).set({ passwordHash: await hashPassword(PASSWORD) }).where(eq(users.id, user.id));
  const visitor = new Visitor(platform.url);
  expect((await visitor.post("/sign-in", { username: user.username, password: PASSWORD })).status).toBe(302);
  return visitor;
}

const procedures = async (assetId: string) => (await platform.database.db.select({ n: count() }).from(priceProcedures).where(eq(priceProcedures.assetId, assetId)))[0]!.n;

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  // Two platforms price homes: an online inquiry asks both (P7).
  await makePlatform(platform.database.db, clock, ["residential"]);
  await makePlatform(platform.database.db, clock, ["residential", "commercial"]);
});
afterAll(() => platform?.stop());

describe("ASVS V4.1.1, V4.1.3: the API and the asset page start a procedure through one use case", () => {
  it("A5, ASVS V4.1.3: a clerk is refused an online inquiry through the API (403 FORBIDDEN), writes nothing, and the asset stays free", async () => {
    const made = await makePricingCase(platform.database.db, clock, { agencies: 0, category: "residential" });
    const refused = await post(`/api/v1/assets/${made.assetId}/procedures`, await token(made.clerk), ONLINE);
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ error: { code: "FORBIDDEN" } });
    expect(await procedures(made.assetId)).toBe(0);
    // The judge can still start it: the refused call blocked nothing.
    const started = await post(`/api/v1/assets/${made.assetId}/procedures`, await token(made.judge), ONLINE);
    expect(started.status).toBe(201);
  });

  it("A5, ASVS V4.1.3: the asset page refuses the clerk the same way, and writes nothing", async () => {
    const made = await makePricingCase(platform.database.db, clock, { agencies: 0, category: "residential" });
    const clerk = await signedIn(made.clerk);
    const res = await clerk.post(`/court/assets/${made.assetId}`, { intent: "online", o_ground: ONLINE.ground, o_basis: ONLINE.basis });
    expect(res.status).toBe(403);
    expect(await procedures(made.assetId)).toBe(0);
  });

  it("A3, A4, ASVS V4.1.3: negotiation and a directed inquiry are the judge's too, through the API as on the page", async () => {
    const made = await makePricingCase(platform.database.db, clock, { agencies: 0, category: "residential" });
    const clerkToken = await token(made.clerk);
    const dueAt = new Date(clock.now().getTime() + 10 * 86_400_000).toISOString();
    expect((await post(`/api/v1/assets/${made.assetId}/procedures`, clerkToken, { method: "negotiation", basis: "双方协商", dueAt })).status).toBe(403);
    const directed = { method: "directed_inquiry", addresseeKind: "tax_authority", addressee: "国家税务总局北京市朝阳区税务局", priceKind: "tax_base_price", dueAt, basis: "该房产有计税基准价" };
    expect((await post(`/api/v1/assets/${made.assetId}/procedures`, clerkToken, directed)).status).toBe(403);
    expect(await procedures(made.assetId)).toBe(0);
    const started = await post(`/api/v1/assets/${made.assetId}/procedures`, await token(made.judge), directed);
    expect(started.status).toBe(201);
    expect(started.json).toMatchObject({ method: "directed_inquiry", requestId: expect.any(String) });
  });

  it("A5, A7, A8, P7: a judge's online inquiry through the API sends a request to every platform that prices the category, due in 3 days", async () => {
    const made = await makePricingCase(platform.database.db, clock, { agencies: 0, category: "residential" });
    const started = await post(`/api/v1/assets/${made.assetId}/procedures`, await token(made.judge), ONLINE);
    expect(started.status).toBe(201);
    expect(started.json).toMatchObject({ method: "online_inquiry", id: expect.any(String) });
    const sent = await platform.database.db.select().from(inquiryRequests).where(eq(inquiryRequests.procedureId, started.json.id as string));
    expect(sent).toHaveLength(2);
    expect(sent.every((r) => r.dueAt.getTime() > clock.now().getTime())).toBe(true);
    const audit = await platform.database.db.select().from(auditEvents).where(eq(auditEvents.entityId, started.json.id as string));
    expect(audit.map((e) => e.action)).toContain("appraisal.online_inquiry_sent");
  });

  it("ASVS V5.1.3: an online inquiry states its ground (400 naming the field), and a bad method names both fields", async () => {
    const made = await makePricingCase(platform.database.db, clock, { agencies: 0, category: "residential" });
    const judgeToken = await token(made.judge);
    const noGround = await post(`/api/v1/assets/${made.assetId}/procedures`, judgeToken, { method: "online_inquiry", basis: "询价" });
    expect(noGround.status).toBe(400);
    expect(noGround.json).toMatchObject({ error: { code: "VALIDATION_FAILED", fields: { ground: expect.any(String) } } });
    const bad = await post(`/api/v1/assets/${made.assetId}/procedures`, judgeToken, { method: "auction", basis: "" });
    expect(Object.keys((bad.json.error as { fields: object }).fields).sort()).toEqual(["basis", "method"]);
    expect(await procedures(made.assetId)).toBe(0);
  });
});
