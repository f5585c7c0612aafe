import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { cases, lots, users } from "../../db/schema/index.ts";
import { createApiToken, findSessionUser, revokeApiToken, type SessionUser } from "../../identity/index.ts";
import { seedDemoData } from "../../server/demo-seed.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";

const DAY = 24 * 60 * 60 * 1000;
const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
let platform: TestPlatform;
let judgeToken: string;
let clerkToken: string;
let bidderToken: string;

async function tokenFor(username: string): Promise<{ token: string; id: string; user: SessionUser }> {
  const [u] = await platform.database.db.select().from(users).where(eq(users.username, username));
  const user: SessionUser = { id: u!.id, username: u!.username, displayName: u!.displayName, role: u!.role, courtId: u!.courtId, agencyId: u!.agencyId, platformId: u!.platformId, sessionId: "api" };
  return { ...(await createApiToken(platform.database.db, clock, user, "case system")), user };
}

function call(method: string, path: string, token: string | null, body?: unknown, raw?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(platform.url + path, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
}

const caseNumber = () => `（2026）京0105执${Math.floor(Math.random() * 900000) + 1000}号`;

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  await seedDemoData(platform.database.db, clock);
  judgeToken = (await tokenFor("judge.chaoyang")).token;
  clerkToken = (await tokenFor("clerk.chaoyang")).token;
  bidderToken = (await tokenFor("bidder1")).token;
});
afterAll(() => platform?.stop());

/** Case → asset → reference price through the API, as a court's case-management system would. */
async function assetWithPrice(referenceFen: bigint) {
  const c = await call("POST", "/api/v1/cases", judgeToken, { caseNumber: caseNumber(), enforcementBasis: "（2025）京0105民初1号民事判决书" });
  expect(c.status).toBe(201);
  const { id: caseId } = (await c.json()) as { id: string };
  const a = await call("POST", `/api/v1/cases/${caseId}/assets`, clerkToken, {
    category: "vehicle",
    regionCode: "110105",
    title: "小型轿车一辆",
    description: "2019年登记",
    encumbrances: "无",
    occupancy: "法院停车场",
    lease: "无",
    taxes: "无",
    knownDefects: "左前门划痕",
    seizedAt: new Date(clock.now().getTime() - 5 * DAY).toISOString(),
  });
  expect(a.status).toBe(201);
  const { id: assetId } = (await a.json()) as { id: string };
  const p = await call("POST", `/api/v1/assets/${assetId}/reference-prices`, judgeToken, {
    method: "directed_inquiry",
    amountFen: referenceFen.toString(),
    documentTitle: "定向询价回复",
    validFrom: new Date(clock.now().getTime() - DAY).toISOString(),
    validUntil: new Date(clock.now().getTime() + 200 * DAY).toISOString(),
  });
  expect(p.status).toBe(201);
  return { caseId, assetId };
}

function lotBody(assetId: string, startingPriceFen: bigint) {
  const starts = new Date(clock.now().getTime() + 16 * DAY);
  return {
    assetId,
    title: "小型轿车一辆",
    startingPriceFen: startingPriceFen.toString(),
    depositFen: (startingPriceFen / 10n).toString(),
    incrementFen: "50000",
    biddingStartsAt: starts.toISOString(),
    biddingEndsAt: new Date(starts.getTime() + DAY).toISOString(),
    balanceDueDays: 10,
    panelDecision: "合议庭决定",
    depositAccount: "执行款专户",
    transferTaxes: "各自承担",
    courtContact: "010-1",
    partiesNotifiedAt: new Date(clock.now().getTime() - 3 * DAY).toISOString(),
  };
}

describe("JSON API for court case-management systems", () => {
  it("B3, B5, B10: creates a case, asset, price and lot, refuses a rule-breaking lot with 422 and the field, publishes", async () => {
    const { assetId } = await assetWithPrice(10_000_000n);
    const [before] = await platform.database.db.select({ n: count() }).from(lots);
    const bad = await call("POST", "/api/v1/lots", clerkToken, lotBody(assetId, 6_999_999n));
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ error: { code: "LOT_RULES_VIOLATED", fields: { startingPriceFen: "lot.error.startingBelowFloor" } } });
    const [after] = await platform.database.db.select({ n: count() }).from(lots);
    expect(after!.n).toBe(before!.n);

    const good = await call("POST", "/api/v1/lots", clerkToken, lotBody(assetId, 7_000_000n));
    expect(good.status).toBe(201);
    const { id: lotId } = (await good.json()) as { id: string };
    expect((await call("POST", `/api/v1/lots/${lotId}/publish`, clerkToken)).status).toBe(403);
    const published = await call("POST", `/api/v1/lots/${lotId}/publish`, judgeToken);
    expect(published.status).toBe(200);

    const read = await call("GET", `/api/v1/lots/${lotId}`, null);
    expect(read.status).toBe(200);
    const { lot } = (await read.json()) as { lot: { phase: string; startingPriceFen: string; bids: unknown[] } };
    expect(lot).toMatchObject({ phase: "announced", startingPriceFen: "7000000", bids: [] });
    const list = (await (await call("GET", "/api/v1/lots?phase=announced", null)).json()) as { lots: { id: string }[] };
    expect(list.lots.map((l) => l.id)).toContain(lotId);
  });

  it("G1, G3, G5, P15: a case system holds, resumes and withdraws a lot; bad input is 400, a clerk 403, an illegal step 409, each writing nothing", async () => {
    const { assetId } = await assetWithPrice(10_000_000n);
    const { id: lotId } = (await (await call("POST", "/api/v1/lots", clerkToken, lotBody(assetId, 7_000_000n))).json()) as { id: string };
    expect((await call("POST", `/api/v1/lots/${lotId}/publish`, judgeToken)).status).toBe(200);
    const phase = async () => ((await (await call("GET", `/api/v1/lots/${lotId}`, null)).json()) as { lot: { phase: string } }).lot.phase;

    expect((await call("POST", `/api/v1/lots/${lotId}/hold`, clerkToken, { kind: "suspend", reason: "异议" })).status).toBe(403);
    const bad = await call("POST", `/api/v1/lots/${lotId}/hold`, judgeToken, { kind: "pause", reason: "" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "VALIDATION_FAILED", fields: { kind: expect.any(String), reason: expect.any(String) } } });
    expect(await phase()).toBe("announced");
    const held = await call("POST", `/api/v1/lots/${lotId}/hold`, judgeToken, { kind: "stay", reason: "案外人提出异议" });
    expect(held.status).toBe(200);
    expect(await phase()).toBe("stayed");
    const twice = await call("POST", `/api/v1/lots/${lotId}/hold`, judgeToken, { kind: "suspend", reason: "again" });
    expect(twice.status).toBe(409);
    expect(await twice.json()).toMatchObject({ error: { code: "LOT_TRANSITION_ILLEGAL" } });

    clock.advance(60 * 60 * 1000);
    const resumed = await call("POST", `/api/v1/lots/${lotId}/resume`, judgeToken, { reason: "异议已审查" });
    expect(resumed.status).toBe(200);
    expect(await resumed.json()).toMatchObject({ phase: "announced" });
    expect(await phase()).toBe("announced");

    expect((await call("POST", `/api/v1/lots/${lotId}/withdraw`, judgeToken, { ground: "bored", reason: "x" })).status).toBe(400);
    const withdrawn = await call("POST", `/api/v1/lots/${lotId}/withdraw`, judgeToken, { ground: "parties_settled", reason: "当事人达成和解" });
    expect(withdrawn.status).toBe(200);
    expect(await withdrawn.json()).toEqual({ lotId, status: "withdrawn", depositsReleased: 0 });
    expect(await phase()).toBe("withdrawn");
    expect((await call("POST", `/api/v1/lots/${lotId}/resume`, judgeToken, { reason: "x" })).status).toBe(409);
    expect((await call("GET", `/api/v1/lots/${lotId}/hold`, judgeToken)).status).toBe(405);
  });

  it("refuses malformed JSON, wrong types and huge amounts with 400 and writes nothing", async () => {
    const [before] = await platform.database.db.select({ n: count() }).from(cases);
    const malformed = await call("POST", "/api/v1/cases", judgeToken, undefined, "{not json");
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: "VALIDATION_FAILED" } });
    expect((await call("POST", "/api/v1/cases", judgeToken, undefined, "[1,2]")).status).toBe(400);
    const wrongTypes = await call("POST", "/api/v1/cases", judgeToken, { caseNumber: 42, enforcementBasis: ["x"] });
    expect(wrongTypes.status).toBe(400);
    expect(await wrongTypes.json()).toMatchObject({ error: { fields: { caseNumber: expect.any(String), enforcementBasis: expect.any(String) } } });
    const { assetId } = await assetWithPrice(10_000_000n);
    const huge = await call("POST", "/api/v1/lots", clerkToken, { ...lotBody(assetId, 7_000_000n), startingPriceFen: "1".repeat(30) });
    expect(huge.status).toBe(400);
    const negative = await call("POST", "/api/v1/lots", clerkToken, { ...lotBody(assetId, 7_000_000n), depositFen: "-5" });
    expect(negative.status).toBe(400);
    const [after] = await platform.database.db.select({ n: count() }).from(cases);
    expect(after!.n).toBe(before!.n + 1); // only the case made by assetWithPrice
  });

  it("answers no token with 401, a bidder's token with 403, a revoked token with 401, an unknown id with 404", async () => {
    expect((await call("POST", "/api/v1/cases", null, { caseNumber: caseNumber(), enforcementBasis: "x" })).status).toBe(401);
    expect((await call("POST", "/api/v1/cases", bidderToken, { caseNumber: caseNumber(), enforcementBasis: "x" })).status).toBe(403);
    const { token, id, user } = await tokenFor("judge.pudong");
    await revokeApiToken(platform.database.db, clock, user, id);
    expect((await call("POST", "/api/v1/cases", token, { caseNumber: caseNumber(), enforcementBasis: "x" })).status).toBe(401);
    expect((await call("GET", "/api/v1/lots/00000000-0000-4000-8000-000000000000", null)).status).toBe(404);
    expect((await call("GET", "/api/v1/lots/not-a-uuid", null)).status).toBe(404);
    // A bearer token is not a browser session.
    expect(await findSessionUser(platform.database.db, clock, token)).toBeNull();
  });

  it("a judge of another court cannot add to this court's case", async () => {
    const { caseId } = await assetWithPrice(1_000_000n);
    const { token } = await tokenFor("judge.pudong");
    const res = await call("POST", `/api/v1/cases/${caseId}/parties`, token, { role: "debtor", name: "某公司", identityNumber: "91350100M000100Y43" });
    expect(res.status).toBe(403);
  });

  it("publishes an OpenAPI document generated from the request schemas", async () => {
    const res = await fetch(`${platform.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, { properties: Record<string, { type?: string }> }> } };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/v1/cases", "/api/v1/lots", "/api/v1/lots/{lotId}", "/api/v1/lots/{lotId}/publish"]));
    // The court's interventions, each with its request schema (G1–G5).
    for (const [path, input] of [["hold", "HoldInput"], ["resume", "ResumeInput"], ["withdraw", "WithdrawInput"]]) {
      expect(JSON.stringify((doc.paths[`/api/v1/lots/{lotId}/${path}`] as { post: unknown }).post)).toContain(`#/components/schemas/${input}`);
    }
    expect(Object.keys(doc.components.schemas.WithdrawInput!.properties)).toEqual(["ground", "reason"]);
    // Fen as decimal digits (or a JSON integer), never a float.
    expect(JSON.stringify(doc.components.schemas.LotDraftInput!.properties.startingPriceFen)).toContain('"pattern":"^\\\\d{1,15}$"');
    // The appraisal remedies (A17–A21, A23): the court's and the agency's side, each with its request schema.
    const remedies = {
      "/api/v1/reports/{reportId}/delivery": null,
      "/api/v1/reports/{reportId}/posting": "PostingInput",
      "/api/v1/reports/{reportId}/defect": "DefectInput",
      "/api/v1/reports/{reportId}/defect-answer": "DefectAnswerInput",
      "/api/v1/reports/{reportId}/corrected": "ReportUpload",
      "/api/v1/objections/{objectionId}/forward": null,
      "/api/v1/objections/{objectionId}/answer": "ObjectionAnswerInput",
      "/api/v1/objections/{objectionId}/decision": "ObjectionDecisionInput",
      "/api/v1/objections/{objectionId}/review-outcome": "ReviewOutcomeInput",
      "/api/v1/procedures/{procedureId}/reissue": null,
      "/api/v1/procedures/{procedureId}/price": "FixPriceInput",
    };
    for (const [path, input] of Object.entries(remedies)) {
      const op = (doc.paths[path] as { post?: { requestBody?: unknown; responses: Record<string, unknown> } } | undefined)?.post;
      expect(op, path).toBeDefined();
      expect(Object.keys(op!.responses), path).toEqual(expect.arrayContaining(["400", "401", "403", "404"]));
      if (input) expect(JSON.stringify(op!.requestBody), path).toContain(`#/components/schemas/${input}`);
      else expect(op!.requestBody, path).toBeUndefined();
    }
    expect(Object.keys(doc.components.schemas.DefectInput!.properties).sort()).toEqual(["kind", "note"]);
    // A20, A21: a party's own tool files an objection with its cases token; asking for review stays on the pages.
    expect(Object.keys(doc.paths).filter((p) => /objections$|review$/.test(p))).toEqual(["/api/v1/reports/{reportId}/objections"]);
    expect(JSON.stringify(doc.paths["/api/v1/reports/{reportId}/objections"])).toContain("#/components/schemas/ObjectionInput");
  });
});

describe("API tokens page", () => {
  it("a judge makes a token on the account page, sees it once, uses it, and revokes it", async () => {
    const { Visitor } = await import("../support/http.ts");
    const { DEMO_PASSWORD } = await import("../../server/demo-seed.ts");
    const judge = new Visitor(platform.url);
    expect((await judge.post("/sign-in", { username: "judge.chaoyang", password: DEMO_PASSWORD })).status).toBe(302);
    const form = new URLSearchParams({ intent: "create", name: "执行案件管理系统", expiresInDays: "90" });
    form.append("scopes", "cases:read");
    const made = await judge.request("/account/tokens", { method: "POST", body: form });
    expect(made.status).toBe(200);
    const token = /<code class="token">(jat_[A-Za-z0-9_-]+)<\/code>/.exec(await made.text())?.[1];
    expect(token).toBeDefined();
    expect((await call("GET", "/api/v1/me", token!)).status).toBe(200);
    // Listed without the secret afterwards.
    const page = await (await judge.get("/account/tokens")).text();
    expect(page).toContain("执行案件管理系统");
    expect(page).not.toContain(token!);
    const row = page.slice(page.indexOf("<td>执行案件管理系统</td>"));
    const tokenId = /name="tokenId" value="([0-9a-f-]{36})"/.exec(row)?.[1];
    expect((await judge.post("/account/tokens", { intent: "revoke", tokenId: tokenId! })).status).toBe(200);
    expect((await call("GET", "/api/v1/me", token!)).status).toBe(401);
  });

  it("offers a bidder (who may be a case's party) only the cases scopes, and refuses an empty token name with a field error", async () => {
    const { Visitor } = await import("../support/http.ts");
    const { DEMO_PASSWORD } = await import("../../server/demo-seed.ts");
    const bidder = new Visitor(platform.url);
    await bidder.post("/sign-in", { username: "bidder2", password: DEMO_PASSWORD });
    const page = await bidder.get("/account/tokens");
    expect(page.status).toBe(200);
    const offered = [...(await page.text()).matchAll(/<input type="checkbox"[^>]*value="([a-z]+:[a-z]+)"/g)].map((m) => m[1]);
    expect(offered).toEqual(["cases:read", "cases:write"]);
    const clerk = new Visitor(platform.url);
    await clerk.post("/sign-in", { username: "clerk.chaoyang", password: DEMO_PASSWORD });
    const empty = await clerk.post("/account/tokens", { intent: "create", name: "" });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('href="#name"');
  });
});

describe("C6: the court's company-bidder page", () => {
  it("C6: a clerk sees a newly registered company (no lot named) and confirms it; a bidder may not", async () => {
    const { Visitor } = await import("../support/http.ts");
    const { DEMO_PASSWORD } = await import("../../server/demo-seed.ts");
    const { creditCode } = await import("../fixtures/auction.ts");
    const company = new Visitor(platform.url);
    const registered = await company.post("/register", {
      kind: "company",
      legalName: "上海某某贸易有限公司",
      identityNumber: creditCode(),
      phone: "13700000000",
      username: `company-${Date.now()}`,
      password: "company-password-1",
    });
    expect(registered.headers.get("location")).toBe("/sign-in?registered");
    const clerk = new Visitor(platform.url);
    await clerk.post("/sign-in", { username: "clerk.chaoyang", password: DEMO_PASSWORD });
    const page = await (await clerk.get("/court/companies")).text();
    expect(page).toContain("上海某某贸易有限公司");
    const row = page.slice(page.indexOf("上海某某贸易有限公司"));
    const userId = /name="userId" value="([0-9a-f-]{36})"/.exec(row)![1]!;
    const version = /name="version" value="([^"]+)"/.exec(row)![1]!;
    const bidder = new Visitor(platform.url);
    await bidder.post("/sign-in", { username: "bidder1", password: DEMO_PASSWORD });
    expect((await bidder.post("/court/companies", { userId, version })).status).toBe(403);
    expect((await clerk.post("/court/companies", { userId, version })).status).toBe(200);
    expect(await (await clerk.get("/court/companies")).text()).not.toContain("上海某某贸易有限公司");
  });
});
