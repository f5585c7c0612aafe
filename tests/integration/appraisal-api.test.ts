// The appraisal JSON API against the real server, with bearer tokens as machine clients use it: the
// public draw and its verification (P6), an agency's commissions (A14, A15), the multipart report,
// a platform's requests (A7, A8) and the courts' procedures. Errors carry a stable code and a 4xx,
// never a 500, and bad input writes nothing.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { endOfDays } from "../../core/ruleset.ts";
import { commissionExtensions, commissions, priceProcedures, valuationReports } from "../../db/schema/index.ts";
import { drawAndCommission, openDraw, startOnlineInquiry } from "../../appraisal/index.ts";
import { createApiToken, type SessionUser } from "../../identity/index.ts";
import { makeCourt } from "../fixtures/auction.ts";
import { makeAgency, makePlatform, makePricingCase, PDF_BYTES } from "../fixtures/appraisal.ts";
import { startTestPlatform, type TestPlatform, testDrawSeedKeys } from "../support/platform.ts";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const START = new Date("2026-11-26T02:00:00Z");
const clock = new TestClock(START);
let platform: TestPlatform;

const token = async (user: SessionUser) => (await createApiToken(platform.database.db, clock, user, "api test")).token;

async function call(method: string, path: string, bearer: string | null, body?: unknown, init: { raw?: BodyInit; contentType?: string | null } = {}) {
  const headers: Record<string, string> = {};
  if (init.contentType !== null) headers["content-type"] = init.contentType ?? "application/json";
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const res = await fetch(platform.url + path, { method, headers, body: init.raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text };
  }
  return { status: res.status, json, type: res.headers.get("content-type") ?? "" };
}

const errorOf = (json: Record<string, unknown>) => (json.error ?? {}) as { code?: string; fields?: Record<string, string>; message?: string };

function reportBody(over: Record<string, string> = {}, file: { name: string; type: string; bytes: Uint8Array } | null = { name: "report.pdf", type: "application/pdf", bytes: PDF_BYTES }) {
  const form = new FormData();
  const values = { valuationMethod: "市场法", valueFen: "98765432", valuationDate: "2026-11-25T00:00:00+08:00", validUntil: "2027-05-25T23:59:59+08:00", ...over };
  for (const [k, v] of Object.entries(values)) form.set(k, v);
  if (file) form.set("file", new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
  return form;
}

const world = {
  judge: null as unknown as SessionUser,
  judgeToken: "",
  otherJudgeToken: "",
  agencyTokens: new Map<string, string>(),
  otherAgencyToken: "",
  platformToken: "",
  assetId: "",
  procedureId: "",
  drawId: "",
  commissionId: "",
  requestId: "",
  inquiryAssetId: "",
};

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  const db = platform.database.db;
  const made = await makePricingCase(db, clock, { agencies: 3, category: "commercial" });
  world.judge = made.judge;
  world.judgeToken = await token(made.judge);
  world.assetId = made.assetId;
  for (const a of made.agencies) world.agencyTokens.set(a.agency.id, await token(a.member));
  world.otherAgencyToken = await token((await makeAgency(db, clock, { sublists: [] })).member);
  world.otherJudgeToken = await token((await makeCourt(db, clock)).judge);
  const p = await makePlatform(db, clock, ["residential"]);
  world.platformToken = await token(p.member);
  const inquiry = await makePricingCase(db, clock, { agencies: 0, category: "residential" });
  world.inquiryAssetId = inquiry.assetId;
  const started = await startOnlineInquiry(db, clock, inquiry.judge, inquiry.assetId, { ground: "parties_jointly_chose", basis: "双方当事人共同选择网络询价" });
  world.requestId = started.requests.find((r) => r.platformId === p.platform.id)!.id;
});
afterAll(() => platform?.stop());

describe("court staff start and read procedures", () => {
  const procedures = async () => (await platform.database.db.select({ n: count() }).from(priceProcedures).where(eq(priceProcedures.assetId, world.assetId)))[0]!.n;

  it("bad input is 400 VALIDATION_FAILED naming the fields, and writes nothing", async () => {
    const bad = await call("POST", `/api/v1/assets/${world.assetId}/procedures`, world.judgeToken, { method: "auction", basis: "" });
    expect(bad.status).toBe(400);
    expect(errorOf(bad.json).code).toBe("VALIDATION_FAILED");
    expect(Object.keys(errorOf(bad.json).fields ?? {}).sort()).toEqual(["basis", "method"]);
    // A11: an appraisal states its ground.
    const noGround = await call("POST", `/api/v1/assets/${world.assetId}/procedures`, world.judgeToken, { method: "appraisal", basis: "依法评估" });
    expect(noGround.status).toBe(400);
    expect(errorOf(noGround.json).fields).toEqual({ basisKind: "validation.required" });
    const malformed = await call("POST", `/api/v1/assets/${world.assetId}/procedures`, world.judgeToken, undefined, { raw: "{not json" });
    expect(malformed.status).toBe(400);
    expect(errorOf(malformed.json).fields).toEqual({ _body: "validation.malformedJson" });
    expect(await procedures()).toBe(0);
  });

  it("only the asset's court may start one: 401 without a token, 403 for another court or an agency, 404 for unknown ids", async () => {
    const body = { method: "appraisal", basisKind: "both_parties_ask", basis: "双方当事人共同申请委托评估" };
    expect((await call("POST", `/api/v1/assets/${world.assetId}/procedures`, null, body)).status).toBe(401);
    expect(errorOf((await call("POST", `/api/v1/assets/${world.assetId}/procedures`, world.otherJudgeToken, body)).json).code).toBe("FORBIDDEN");
    expect((await call("POST", `/api/v1/assets/${world.assetId}/procedures`, world.otherAgencyToken, body)).status).toBe(403);
    expect((await call("POST", "/api/v1/assets/00000000-0000-4000-8000-000000000000/procedures", world.judgeToken, body)).status).toBe(404);
    expect((await call("POST", "/api/v1/assets/not-a-uuid/procedures", world.judgeToken, body)).status).toBe(404);
    expect(await procedures()).toBe(0);
  });

  it("A1, A11: starts an appraisal (201); a second running procedure is 409 PROCEDURE_RUNNING; the court reads it back", async () => {
    const body = { method: "appraisal", basisKind: "both_parties_ask", basis: "双方当事人共同申请委托评估" };
    const started = await call("POST", `/api/v1/assets/${world.assetId}/procedures`, world.judgeToken, body);
    expect(started.status).toBe(201);
    expect(started.json.lateStart).toBe(false);
    world.procedureId = started.json.id as string;
    const again = await call("POST", `/api/v1/assets/${world.assetId}/procedures`, world.judgeToken, body);
    expect(again.status).toBe(409);
    expect(errorOf(again.json).code).toBe("PROCEDURE_RUNNING");
    expect(await procedures()).toBe(1);

    const view = await call("GET", `/api/v1/procedures/${world.procedureId}`, world.judgeToken);
    expect(view.status).toBe(200);
    expect((view.json.procedure as { method: string }).method).toBe("appraisal");
    const list = await call("GET", `/api/v1/assets/${world.assetId}/procedures`, world.judgeToken);
    expect((list.json.procedures as { id: string }[]).map((p) => p.id)).toEqual([world.procedureId]);
    expect((await call("GET", `/api/v1/procedures/${world.procedureId}`, world.otherJudgeToken)).status).toBe(403);
    expect((await call("GET", `/api/v1/procedures/${world.procedureId}`, world.otherAgencyToken)).status).toBe(403);
    expect((await call("GET", `/api/v1/procedures/${world.procedureId}`, null)).status).toBe(401);
    expect((await call("GET", "/api/v1/procedures/00000000-0000-4000-8000-000000000000", world.judgeToken)).status).toBe(404);
  });
});

describe("P6: the public draw and its verification", () => {
  it("before the draw: the list and the commitments are public, the seed is not, and verification does not match yet", async () => {
    const cutoff = new Date(START.getTime() + 2 * HOUR);
    const opened = await openDraw(platform.database.db, clock, testDrawSeedKeys, world.judge, world.procedureId, { regionScope: "city", entropyCutoffAt: cutoff });
    world.drawId = opened.drawId;
    const draw = await call("GET", `/api/v1/draws/${world.drawId}`, null);
    expect(draw.status).toBe(200);
    const d = draw.json.draw as { seed: string | null; seedSha256: string; eligible: unknown[]; eligibleSha256: string; ranking: unknown };
    expect(d.seed).toBeNull();
    expect(d.ranking).toBeNull();
    expect(d.seedSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(d.eligible).toHaveLength(3);
    const verdict = await call("GET", `/api/v1/draws/${world.drawId}/verification`, null);
    expect(verdict.status).toBe(200);
    expect((verdict.json.verification as { drawn: boolean; matches: boolean }).drawn).toBe(false);
    expect((verdict.json.verification as { matches: boolean }).matches).toBe(false);
  });

  it("after the draw: the seed matches its commitment, the recomputed ranking matches; unknown draws are 404", async () => {
    clock.set(new Date(START.getTime() + 2 * HOUR));
    const { commissionId } = await drawAndCommission(platform.database.db, clock, testDrawSeedKeys, world.judge, world.drawId);
    world.commissionId = commissionId!;
    const d = (await call("GET", `/api/v1/draws/${world.drawId}`, null)).json.draw as { seed: string; seedSha256: string; ranking: { rank: number; agencyId: string }[] };
    expect(createHash("sha256").update(Buffer.from(d.seed, "hex")).digest("hex")).toBe(d.seedSha256);
    expect(d.ranking.map((r) => r.rank)).toEqual([1, 2, 3]);
    const v = (await call("GET", `/api/v1/draws/${world.drawId}/verification`, null)).json.verification as { matches: boolean; checks: Record<string, boolean>; recomputed: string[] };
    expect(v.matches).toBe(true);
    expect(Object.values(v.checks).every(Boolean)).toBe(true);
    expect(v.recomputed).toEqual(d.ranking.map((r) => r.agencyId));
    expect((await call("GET", "/api/v1/draws/00000000-0000-4000-8000-000000000000", null)).status).toBe(404);
    expect((await call("GET", "/api/v1/draws/x/verification", null)).status).toBe(404);
  });
});

describe("an agency's commissions through the API (A14, A15)", () => {
  const firstAgencyToken = async () => {
    const [c] = await platform.database.db.select().from(commissions).where(eq(commissions.id, world.commissionId));
    return world.agencyTokens.get(c!.agencyId)!;
  };
  const commission = async () => (await platform.database.db.select().from(commissions).where(eq(commissions.id, world.commissionId)))[0]!;

  it("lists only the token's agency's commissions; other roles get 403, no token 401", async () => {
    const mine = await call("GET", "/api/v1/commissions", await firstAgencyToken());
    expect(mine.status).toBe(200);
    expect((mine.json.commissions as { id: string; status: string }[]).map((c) => [c.id, c.status])).toEqual([[world.commissionId, "offered"]]);
    const theirs = await call("GET", "/api/v1/commissions", world.otherAgencyToken);
    expect(theirs.json.commissions).toEqual([]);
    expect((await call("GET", "/api/v1/commissions", world.judgeToken)).status).toBe(403);
    expect((await call("GET", "/api/v1/commissions", world.platformToken)).status).toBe(403);
    expect((await call("GET", "/api/v1/commissions", null)).status).toBe(401);
  });

  it("another agency cannot accept; a decline needs a reason; the commissioned agency accepts and the report is due 30 days on", async () => {
    const mine = await firstAgencyToken();
    expect((await call("POST", `/api/v1/commissions/${world.commissionId}/accept`, world.otherAgencyToken)).status).toBe(403);
    const noReason = await call("POST", `/api/v1/commissions/${world.commissionId}/decline`, mine, { reason: " " });
    expect(noReason.status).toBe(400);
    expect(errorOf(noReason.json).fields).toEqual({ reason: "validation.required" });
    expect((await commission()).status).toBe("offered");
    const accepted = await call("POST", `/api/v1/commissions/${world.commissionId}/accept`, mine);
    expect(accepted.status).toBe(200);
    expect(accepted.json.reportDueAt).toBe(endOfDays(clock.now(), 30).toISOString());
    const twice = await call("POST", `/api/v1/commissions/${world.commissionId}/accept`, mine);
    expect(twice.status).toBe(409);
    expect((await call("GET", `/api/v1/commissions/${world.commissionId}/accept`, mine)).status).toBe(405);
  });

  it("A15: a 16-day extension is 422 EXTENSION_TOO_LONG on `days` and writes nothing; 15 days is granted (201)", async () => {
    const mine = await firstAgencyToken();
    const extensions = async () => (await platform.database.db.select({ n: count() }).from(commissionExtensions).where(eq(commissionExtensions.commissionId, world.commissionId)))[0]!.n;
    const tooLong = await call("POST", `/api/v1/commissions/${world.commissionId}/extensions`, mine, { days: 16, reason: "需补充资料" });
    expect(tooLong.status).toBe(422);
    expect(errorOf(tooLong.json).code).toBe("EXTENSION_TOO_LONG");
    expect(Object.keys(errorOf(tooLong.json).fields ?? {})).toEqual(["days"]);
    const bad = await call("POST", `/api/v1/commissions/${world.commissionId}/extensions`, mine, { days: "abc" });
    expect(bad.status).toBe(400);
    expect(Object.keys(errorOf(bad.json).fields ?? {}).sort()).toEqual(["days", "reason"]);
    expect(await extensions()).toBe(0);
    const due = (await commission()).reportDueAt!;
    const granted = await call("POST", `/api/v1/commissions/${world.commissionId}/extensions`, mine, { days: 15, reason: "需补充资料" });
    expect(granted.status).toBe(201);
    expect(granted.json.reportDueAt).toBe(new Date(due.getTime() + 15 * DAY).toISOString());
    expect(await extensions()).toBe(1);
  });

  it("the report upload: not multipart, a bad file or bad fields are 400 naming each field and write nothing; a good one is 201 with its SHA-256", async () => {
    const mine = await firstAgencyToken();
    const path = `/api/v1/commissions/${world.commissionId}/report`;
    const reports = async () => (await platform.database.db.select({ n: count() }).from(valuationReports).where(eq(valuationReports.commissionId, world.commissionId)))[0]!.n;
    const json = await call("POST", path, mine, { valuationMethod: "市场法", valueFen: "1" });
    expect(json.status).toBe(400);
    expect(errorOf(json.json).fields).toEqual({ _body: "validation.invalid" });
    const notPdf = await call("POST", path, mine, undefined, { raw: reportBody({}, { name: "report.pdf", type: "application/pdf", bytes: new TextEncoder().encode("<html></html>") }), contentType: null });
    expect(notPdf.status).toBe(400);
    expect(errorOf(notPdf.json).fields).toEqual({ file: "file.error.type.document" });
    const noFile = await call("POST", path, mine, undefined, { raw: reportBody({ valueFen: "12.5", valuationDate: "yesterday" }, null), contentType: null });
    expect(noFile.status).toBe(400);
    expect(Object.keys(errorOf(noFile.json).fields ?? {}).sort()).toEqual(["file", "valuationDate", "valueFen"]);
    expect((await call("POST", path, world.otherAgencyToken, undefined, { raw: reportBody(), contentType: null })).status).toBe(403);
    expect(await reports()).toBe(0);

    const stored = await call("POST", path, mine, undefined, { raw: reportBody(), contentType: null });
    expect(stored.status).toBe(201);
    expect(stored.json.sha256).toBe(createHash("sha256").update(PDF_BYTES).digest("hex"));
    const [row] = await platform.database.db.select().from(valuationReports).where(eq(valuationReports.commissionId, world.commissionId));
    expect(row!.valueFen).toBe(98_765_432n);
    expect((await commission()).status).toBe("reported");
    const again = await call("POST", path, mine, undefined, { raw: reportBody(), contentType: null });
    expect(again.status).toBe(409);
    expect(await reports()).toBe(1);
  });
});

describe("a platform's requests through the API (A7, A8)", () => {
  it("lists the platform's requests; other roles get 403; a report is stored once (201, then 409)", async () => {
    const list = await call("GET", "/api/v1/inquiry-requests", world.platformToken);
    expect(list.status).toBe(200);
    expect((list.json.requests as { id: string }[]).map((r) => r.id)).toContain(world.requestId);
    expect((await call("GET", "/api/v1/inquiry-requests", world.otherAgencyToken)).status).toBe(403);
    const path = `/api/v1/inquiry-requests/${world.requestId}/report`;
    const bad = await call("POST", path, world.platformToken, undefined, { raw: reportBody({}, { name: "report.exe", type: "application/pdf", bytes: PDF_BYTES }), contentType: null });
    expect(bad.status).toBe(400);
    expect(errorOf(bad.json).fields).toEqual({ file: "file.error.extension" });
    expect((await call("POST", path, world.judgeToken, undefined, { raw: reportBody(), contentType: null })).status).toBe(403);
    const stored = await call("POST", path, world.platformToken, undefined, { raw: reportBody(), contentType: null });
    expect(stored.status).toBe(201);
    expect(stored.json.sha256).toBe(createHash("sha256").update(PDF_BYTES).digest("hex"));
    const again = await call("POST", path, world.platformToken, undefined, { raw: reportBody(), contentType: null });
    expect(again.status).toBe(409);
    expect(errorOf(again.json).code).toBe("INQUIRY_ALREADY_REPORTED");
  });
});

describe("the OpenAPI document", () => {
  it("describes the appraisal paths and their schemas, the report as multipart with a binary file", async () => {
    const doc = (await (await fetch(`${platform.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>; components: { schemas: Record<string, { properties?: Record<string, { format?: string }>; required?: string[] }> } };
    for (const p of [
      "/api/v1/draws/{drawId}",
      "/api/v1/draws/{drawId}/verification",
      "/api/v1/commissions",
      "/api/v1/commissions/{commissionId}/accept",
      "/api/v1/commissions/{commissionId}/decline",
      "/api/v1/commissions/{commissionId}/extensions",
      "/api/v1/commissions/{commissionId}/report",
      "/api/v1/inquiry-requests",
      "/api/v1/inquiry-requests/{requestId}/report",
      "/api/v1/assets/{assetId}/procedures",
      "/api/v1/procedures/{procedureId}",
    ])
      expect(doc.paths[p], p).toBeDefined();
    expect(Object.keys(doc.paths["/api/v1/commissions/{commissionId}/report"]!.post!.requestBody!.content)).toEqual(["multipart/form-data"]);
    const upload = doc.components.schemas.ReportUpload!;
    expect(upload.properties!.file!.format).toBe("binary");
    expect(upload.required).toEqual(expect.arrayContaining(["file", "valuationMethod", "valueFen", "valuationDate", "validUntil"]));
    expect(doc.components.schemas.ExtensionInput!.properties).toHaveProperty("days");
    expect(doc.components.schemas.StartProcedureInput!.properties).toHaveProperty("basisKind");
  });
});
