// The JSON API for two kinds of machine client beside the courts' and the agencies': inquiry platforms answering an
// objection the court forwarded to them (A21), and a party's own tools reading the cases it is a party to, each with
// a real bearer token against the real server. A refusal has its code and writes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { AppError } from "../../core/errors.ts";
import { auditEvents, reportObjections } from "../../db/schema/index.ts";
import { deliverReport, fileObjection, forwardObjection, startOnlineInquiry, submitInquiryReport } from "../../appraisal/index.ts";
import { createApiToken, type SessionUser } from "../../identity/index.ts";
import { makeBidder } from "../fixtures/auction.ts";
import { makeAppraisalCase, makePlatform, makePricingCase, PDF_BYTES } from "../fixtures/appraisal.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";

const DAY = 24 * 60 * 60 * 1000;
const clock = new TestClock(new Date("2026-11-27T02:00:00Z"));
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform(clock);
});
afterAll(() => platform?.stop());

async function call(method: "GET" | "POST", path: string, bearer: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${bearer}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(platform.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> & { error?: { code: string } } };
}

const token = async (user: SessionUser, scopes?: Parameters<typeof createApiToken>[4]) => (await createApiToken(platform.database.db, clock, user, "tool", scopes)).token;
const auditCount = async () => (await platform.database.db.select({ n: count() }).from(auditEvents))[0]!.n;

/** A case priced by online inquiry, one platform's report delivered to the parties. */
async function deliveredInquiryReport() {
  const { db } = platform.database;
  const c = await makePricingCase(db, clock);
  const platforms = [await makePlatform(db, clock, ["commercial"]), await makePlatform(db, clock, ["commercial"])];
  const started = await startOnlineInquiry(db, clock, c.judge, c.assetId, { ground: "parties_jointly_chose", basis: "双方当事人共同选择网络询价" });
  const requestId = started.requests.find((r) => r.platformId === platforms[0]!.platform.id)!.id;
  const now = clock.now();
  const { reportId } = await submitInquiryReport(db, clock, platforms[0]!.member, requestId, {
    valuationMethod: "大数据询价",
    valueFen: "88000000",
    valuationDate: new Date(now.getTime() - DAY),
    validUntil: new Date(now.getTime() + 180 * DAY),
    file: { name: "询价报告.pdf", type: "application/pdf", bytes: PDF_BYTES },
  });
  await deliverReport(db, clock, c.clerk, reportId);
  return { ...c, platforms, procedureId: started.procedureId, reportId };
}

/** The same, with the applicant's technical objection forwarded to the platform (A21). */
async function forwardedToPlatform() {
  const { db } = platform.database;
  const w = await deliveredInquiryReport();
  const objection = await fileObjection(db, clock, w.applicant, w.reportId, { kind: "technical", grounds: "可比案例选取不当" });
  await forwardObjection(db, clock, w.clerk, objection.id);
  return { ...w, objectionId: objection.id };
}

const objectionRow = async (id: string) => (await platform.database.db.select().from(reportObjections).where(eq(reportObjections.id, id)))[0]!;

describe("A21: an inquiry platform answers a forwarded objection through the API", () => {
  it("A21, P5: the platform that wrote the report answers with its token (200), audited; another platform is 403 and a token without appraisal:write is TOKEN_SCOPE_MISSING, writing nothing", async () => {
    const w = await forwardedToPlatform();
    const path = `/api/v1/objections/${w.objectionId}/answer`;
    const answer = { answer: "可比案例均为同一商圈近六个月成交，已按面积修正。" };

    const before = await auditCount();
    const other = await call("POST", path, await token(w.platforms[1]!.member), answer);
    expect({ status: other.status, code: other.json.error?.code }).toEqual({ status: 403, code: "FORBIDDEN" });
    const readOnly = await call("POST", path, await token(w.platforms[0]!.member, { scopes: ["appraisal:read"] }), answer);
    expect({ status: readOnly.status, code: readOnly.json.error?.code }).toEqual({ status: 403, code: "TOKEN_SCOPE_MISSING" });
    const blank = await call("POST", path, await token(w.platforms[0]!.member), { answer: "" });
    expect({ status: blank.status, code: blank.json.error?.code }).toEqual({ status: 400, code: "VALIDATION_FAILED" });
    // Each token made above is audited (P5); nothing else was written.
    expect(await auditCount()).toBe(before + 3);
    expect((await objectionRow(w.objectionId)).status).toBe("forwarded");

    const done = await call("POST", path, await token(w.platforms[0]!.member), answer);
    expect({ status: done.status, json: done.json }).toEqual({ status: 200, json: { answered: true } });
    expect(await objectionRow(w.objectionId)).toMatchObject({ status: "answered", answer: answer.answer });
    const events = await platform.database.db.select({ action: auditEvents.action, actorId: auditEvents.actorId }).from(auditEvents).where(eq(auditEvents.entityId, w.objectionId));
    expect(events).toContainEqual({ action: "appraisal.objection_answered", actorId: w.platforms[0]!.member.id });

    // Answered once: a second answer is a conflict.
    const again = await call("POST", path, await token(w.platforms[0]!.member), answer);
    expect({ status: again.status, code: again.json.error?.code }).toEqual({ status: 409, code: "CONFLICT" });
  });
});

describe("ASVS V4.1.3, A19: a party's token reaches its own cases only", () => {
  it("ASVS V4.1.3, A19: a party's token lists its case and reads it with the delivered report; another case is 404; a court's route is 403", async () => {
    const w = await forwardedToPlatform();
    const party = await token(w.applicant);

    const list = await call("GET", "/api/v1/my/cases", party);
    expect(list.status).toBe(200);
    expect(list.json.cases).toEqual([expect.objectContaining({ caseId: w.caseId, role: "applicant" })]);

    const one = await call("GET", `/api/v1/my/cases/${w.caseId}`, party);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ theCase: { id: w.caseId }, party: { role: "applicant" } });
    const procedures = one.json.procedures as { procedure: { id: string }; reports: { id: string }[]; objections: { id: string }[] }[];
    expect(procedures.map((p) => p.procedure.id)).toEqual([w.procedureId]);
    expect(procedures[0]!.reports.map((r) => r.id)).toContain(w.reportId);
    expect(procedures[0]!.objections.map((o) => o.id)).toContain(w.objectionId);

    // A case it is no party to is simply not found; court staff's routes are not a party's.
    const stranger = await makeAppraisalCase(platform.database.db, clock);
    const other = await call("GET", `/api/v1/my/cases/${stranger.caseId}`, party);
    expect({ status: other.status, code: other.json.error?.code }).toEqual({ status: 404, code: "NOT_FOUND" });
    const court = await call("POST", `/api/v1/cases/${w.caseId}/parties`, party, { role: "applicant", name: "冒名", identityNumber: w.applicant.identityNumber });
    expect({ status: court.status, code: court.json.error?.code }).toEqual({ status: 403, code: "FORBIDDEN" });
  });

  it("ASVS V4.1.3: a party's token has only the cases scopes: one to bid is refused when made, a write-only one cannot read, and an account linked to no party sees no case", async () => {
    const w = await forwardedToPlatform();
    const { db } = platform.database;
    const before = await auditCount();
    const refused = await createApiToken(db, clock, w.applicant, "bidding tool", { scopes: ["lots:write"] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: "VALIDATION_FAILED", fields: { scopes: "tokens.error.scopeNotOffered" } });
    expect(await auditCount()).toBe(before);

    const writeOnly = await call("GET", `/api/v1/my/cases/${w.caseId}`, await token(w.applicant, { scopes: ["cases:write"] }));
    expect({ status: writeOnly.status, code: writeOnly.json.error?.code }).toEqual({ status: 403, code: "TOKEN_SCOPE_MISSING" });

    const outsider = await token(await makeBidder(db, clock));
    expect((await call("GET", "/api/v1/my/cases", outsider)).json).toEqual({ cases: [] });
    const peek = await call("GET", `/api/v1/my/cases/${w.caseId}`, outsider);
    expect({ status: peek.status, code: peek.json.error?.code }).toEqual({ status: 404, code: "NOT_FOUND" });
  });

  it("A20, A21: a party objects to a delivered report through its token (201); a read-only token is TOKEN_SCOPE_MISSING and an account that is no party FORBIDDEN, writing nothing", async () => {
    const w = await deliveredInquiryReport();
    const { db } = platform.database;
    const path = `/api/v1/reports/${w.reportId}/objections`;
    const objection = { kind: "technical", grounds: "询价结果明显低于同小区近期成交价" };
    const readOnly = await token(w.debtor, { scopes: ["cases:read"] });
    const stranger = await token(await makeBidder(db, clock));
    const before = await auditCount();
    const scoped = await call("POST", path, readOnly, objection);
    expect({ status: scoped.status, code: scoped.json.error?.code }).toEqual({ status: 403, code: "TOKEN_SCOPE_MISSING" });
    const outsider = await call("POST", path, stranger, objection);
    expect({ status: outsider.status, code: outsider.json.error?.code }).toEqual({ status: 403, code: "FORBIDDEN" });
    expect(await auditCount()).toBe(before);
    expect(await db.$count(reportObjections, eq(reportObjections.reportId, w.reportId))).toBe(0);

    const filed = await call("POST", path, await token(w.debtor), objection);
    expect(filed.status).toBe(201);
    expect(await objectionRow(filed.json.id as string)).toMatchObject({ reportId: w.reportId, kind: "technical", status: "filed", partyId: w.debtor.partyId });
  });
});
