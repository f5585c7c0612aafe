// The appraisal remedies through the JSON API, with bearer tokens as courts' case-management systems and
// agencies use it: delivery and posting (A19), defects and corrected reports (A18), forwarded, answered and
// decided objections (A20, A21), review outcomes (A20), re-issue (A17) and the price (A23). Parties act on
// the pages only, so their objections and review requests are made here through the use cases. Each route:
// its happy path for the right role, 403 for the wrong one, 400 with field errors for a bad body and
// nothing written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, count, eq } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { CN_SPC_2016, endOfDays } from "../../core/ruleset.ts";
import { auditEvents, referencePrices, reportObjections, valuationReports } from "../../db/schema/index.ts";
import { acceptCommission, agreeAgencies, deliverReport, fileObjection, fixReferencePrice, requestReview, reviewDueAt, startProcedure, submitAppraisalReport } from "../../appraisal/index.ts";
import { createApiToken, type SessionUser } from "../../identity/index.ts";
import { appraisalReportInput, makePricingCase, PDF_BYTES } from "../fixtures/appraisal.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";

const DAY = 24 * 60 * 60 * 1000;
const MS = 1;
const START = new Date("2026-03-02T02:00:00Z"); // 10:00 on 2 March, Beijing
const clock = new TestClock(START);
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform(clock);
});
afterAll(() => platform?.stop());

const db = () => platform.database.db;
const token = async (user: SessionUser) => (await createApiToken(db(), clock, user, "remedies api test")).token;

async function call(path: string, bearer: string | null, body?: unknown, init: { raw?: BodyInit; contentType?: string | null; method?: string } = {}) {
  const headers: Record<string, string> = {};
  if (init.contentType !== null && !(init.raw instanceof FormData)) headers["content-type"] = init.contentType ?? "application/json";
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const res = await fetch(platform.url + path, { method: init.method ?? "POST", headers, body: init.raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text };
  }
  return { status: res.status, json };
}

const errorOf = (json: Record<string, unknown>) => (json.error ?? {}) as { code?: string; fields?: Record<string, string> };

function reportForm(over: Record<string, string> = {}, bytes: Uint8Array = PDF_BYTES) {
  const form = new FormData();
  const now = clock.now();
  const values = { valuationMethod: "市场法", valueFen: "112000000", valuationDate: new Date(now.getTime() - DAY).toISOString(), validUntil: new Date(now.getTime() + 180 * DAY).toISOString(), ...over };
  for (const [k, v] of Object.entries(values)) form.set(k, v);
  form.set("file", new File([new Uint8Array(bytes)], "report.pdf", { type: "application/pdf" }));
  return form;
}

async function eventCount(entityId: string) {
  return (await db().select({ n: count() }).from(auditEvents).where(eq(auditEvents.entityId, entityId)))[0]!.n;
}

async function lastEvent(entityId: string) {
  const rows = await db().select({ action: auditEvents.action, actorId: auditEvents.actorId, data: auditEvents.data }).from(auditEvents).where(eq(auditEvents.entityId, entityId)).orderBy(asc(auditEvents.seq));
  return rows.at(-1);
}

async function report(id: string) {
  const [row] = await db().select().from(valuationReports).where(eq(valuationReports.id, id));
  return row!;
}

async function objection(id: string) {
  const [row] = await db().select().from(reportObjections).where(eq(reportObjections.id, id));
  return row!;
}

/** An appraisal whose first agency accepted on 2 March and submitted its report on 12 March (10:00 Beijing), with tokens. */
async function submittedReport(options: { validDays?: number } = {}) {
  clock.set(START);
  const c = await makePricingCase(db(), clock);
  const p = await startProcedure(db(), clock, c.clerk, c.assetId, { method: "appraisal", basisKind: "both_parties_ask", basis: "双方当事人申请委托评估" });
  const { commissionId } = await agreeAgencies(db(), clock, c.clerk, p.id, c.agencies.map((a) => a.agency.id));
  const agency = c.agencies[0]!.member;
  await acceptCommission(db(), clock, agency, commissionId);
  clock.advance(10 * DAY);
  const valuationDate = new Date(clock.now().getTime() - DAY);
  const validUntil = options.validDays === undefined ? undefined : new Date(valuationDate.getTime() + options.validDays * DAY);
  const submitted = await submitAppraisalReport(db(), clock, agency, commissionId, appraisalReportInput(clock.now(), { valuationDate, ...(validUntil ? { validUntil } : {}) }));
  const tokens = { judge: await token(c.judge), clerk: await token(c.clerk), agency: await token(agency), otherAgency: await token(c.agencies[1]!.member) };
  return { ...c, procedureId: p.id, commissionId, agency, reportId: submitted.id, tokens };
}

/** …delivered to the parties on 13 March (through the use case): objections until the end of 18 March, Beijing. */
async function deliveredReport() {
  const s = await submittedReport();
  clock.advance(DAY);
  const { objectionDueAt } = await deliverReport(db(), clock, s.clerk, s.reportId);
  return { ...s, objectionDueAt: objectionDueAt! };
}

describe("delivery, posting and the price (court side)", () => {
  it("A20, A23: the clerk delivers through the API (objections until the end of the 5th day); the price is refused at the window's last instant and fixed 1 ms later; agencies get 403, bad bodies 400 and nothing written", async () => {
    const s = await submittedReport();
    clock.advance(DAY);
    expect((await call(`/api/v1/reports/${s.reportId}/delivery`, s.tokens.agency)).status).toBe(403);
    expect((await call(`/api/v1/reports/${s.reportId}/delivery`, null)).status).toBe(401);
    expect((await call("/api/v1/reports/00000000-0000-4000-8000-000000000000/delivery", s.tokens.clerk)).status).toBe(404);
    expect((await report(s.reportId)).deliveredAt).toBeNull();
    const delivered = await call(`/api/v1/reports/${s.reportId}/delivery`, s.tokens.clerk);
    expect(delivered.status).toBe(200);
    expect(delivered.json).toEqual({ deliveredAt: clock.now().toISOString(), objectionDueAt: "2026-03-18T16:00:00.000Z" });
    const again = await call(`/api/v1/reports/${s.reportId}/delivery`, s.tokens.clerk);
    expect([again.status, errorOf(again.json).code]).toEqual([409, "CONFLICT"]);

    const prices = async () => (await db().select({ n: count() }).from(referencePrices).where(eq(referencePrices.assetId, s.assetId)))[0]!.n;
    clock.set(new Date("2026-03-18T16:00:00Z"));
    const early = await call(`/api/v1/procedures/${s.procedureId}/price`, s.tokens.judge);
    expect([early.status, errorOf(early.json).code]).toEqual([409, "OBJECTIONS_PENDING"]);
    clock.advance(MS);
    const bad = await call(`/api/v1/procedures/${s.procedureId}/price`, s.tokens.judge, { reportId: "not-a-uuid" });
    expect(bad.status).toBe(400);
    expect(errorOf(bad.json)).toMatchObject({ code: "VALIDATION_FAILED", fields: { reportId: "validation.invalid" } });
    const malformed = await call(`/api/v1/procedures/${s.procedureId}/price`, s.tokens.judge, undefined, { raw: "{not json" });
    expect(errorOf(malformed.json).fields).toEqual({ _body: "validation.malformedJson" });
    expect((await call(`/api/v1/procedures/${s.procedureId}/price`, s.tokens.agency)).status).toBe(403);
    // A clerk may read and deliver, but only a judge fixes the price.
    expect((await call(`/api/v1/procedures/${s.procedureId}/price`, s.tokens.clerk)).status).toBe(403);
    expect(await prices()).toBe(0);
    const fixed = await call(`/api/v1/procedures/${s.procedureId}/price`, s.tokens.judge);
    expect(fixed.status).toBe(201);
    expect(fixed.json).toMatchObject({ amountFen: "100000000" });
    expect(await prices()).toBe(1);
  });

  it("A19: a posting recorded through the API is deemed served at the end of the 15th day; a posting in the future is 400 on postedAt and writes nothing; agencies get 403", async () => {
    const s = await submittedReport();
    clock.set(new Date("2026-03-15T02:00:00Z"));
    const before = await eventCount(s.reportId);
    const future = await call(`/api/v1/reports/${s.reportId}/posting`, s.tokens.clerk, { postedAt: new Date(clock.now().getTime() + MS).toISOString() });
    expect(future.status).toBe(400);
    expect(errorOf(future.json)).toMatchObject({ code: "VALIDATION_FAILED", fields: { postedAt: "appraisal.error.postedFuture" } });
    const garbage = await call(`/api/v1/reports/${s.reportId}/posting`, s.tokens.clerk, { postedAt: "yesterday" });
    expect(Object.keys(errorOf(garbage.json).fields ?? {})).toEqual(["postedAt"]);
    expect((await call(`/api/v1/reports/${s.reportId}/posting`, s.tokens.agency, { postedAt: "2026-03-13T02:00:00Z" })).status).toBe(403);
    expect(await report(s.reportId)).toMatchObject({ postedAt: null, deliveredAt: null });
    expect(await eventCount(s.reportId)).toBe(before);

    const posted = await call(`/api/v1/reports/${s.reportId}/posting`, s.tokens.clerk, { postedAt: "2026-03-13T02:00:00Z" });
    expect(posted.status).toBe(200);
    expect(posted.json).toEqual({ postedAt: "2026-03-13T02:00:00.000Z", deemedServedAt: "2026-03-28T16:00:00.000Z", objectionDueAt: "2026-04-02T16:00:00.000Z" });
    expect(await lastEvent(s.reportId)).toMatchObject({ action: "appraisal.report_posted", data: expect.objectContaining({ rule: "A19" }) });
  });

  it("A19: a posting with an empty body is recorded at the time of the call", async () => {
    const s = await submittedReport();
    clock.advance(DAY);
    const posted = await call(`/api/v1/reports/${s.reportId}/posting`, s.tokens.clerk, undefined, { contentType: null });
    expect(posted.status).toBe(200);
    expect(posted.json.postedAt).toBe(clock.now().toISOString());
  });
});

describe("A18: defects through the API", () => {
  it("A18: the judge marks a defect (due at 24:00 of the third day); clerks and agencies get 403, a bad kind and empty note 400 naming both, and nothing is written", async () => {
    const s = await deliveredReport();
    const path = `/api/v1/reports/${s.reportId}/defect`;
    const before = await eventCount(s.reportId);
    const bad = await call(path, s.tokens.judge, { kind: "typo", note: " " });
    expect(bad.status).toBe(400);
    expect(Object.keys(errorOf(bad.json).fields ?? {}).sort()).toEqual(["kind", "note"]);
    expect((await call(path, s.tokens.clerk, { kind: "facts", note: "书记员不能标记" })).status).toBe(403);
    expect((await call(path, s.tokens.agency, { kind: "facts", note: "机构不能标记" })).status).toBe(403);
    expect(await report(s.reportId)).toMatchObject({ defectMarkedAt: null, defectDueAt: null });
    expect(await eventCount(s.reportId)).toBe(before);

    const marked = await call(path, s.tokens.judge, { kind: "signatory", note: "报告签字评估师与选定机构登记人员不一致" });
    expect(marked.status).toBe(200);
    // Marked on 13 March at 10:00 Beijing: due by the end of 16 March.
    expect(marked.json).toEqual({ defectDueAt: "2026-03-16T16:00:00.000Z" });
    const again = await call(path, s.tokens.judge, { kind: "scope", note: "再次标记" });
    expect([again.status, errorOf(again.json).code]).toEqual([409, "CONFLICT"]);
  });

  it("A18: once the agency's 3 days pass unanswered the judge gives a new deadline (once) and then passes the work to the next-ranked agency through the API; before that, and for clerks and agencies, it is refused and nothing is written", async () => {
    const s = await deliveredReport();
    const marked = await call(`/api/v1/reports/${s.reportId}/defect`, s.tokens.judge, { kind: "scope", note: "未评估附属车位" });
    const extension = `/api/v1/reports/${s.reportId}/defect-extension`;
    const passOn = `/api/v1/reports/${s.reportId}/defect-pass-on`;
    const early = await call(extension, s.tokens.judge);
    expect([early.status, errorOf(early.json).code]).toEqual([409, "DEFECT_NOT_OVERDUE"]);
    clock.set(new Date(new Date(marked.json.defectDueAt as string).getTime() + MS));
    const before = await eventCount(s.reportId);
    expect((await call(extension, s.tokens.clerk)).status).toBe(403);
    expect((await call(passOn, s.tokens.agency)).status).toBe(403);
    expect(await eventCount(s.reportId)).toBe(before);

    const extended = await call(extension, s.tokens.judge);
    expect(extended.status).toBe(200);
    // Given in the first instant of 17 March (Beijing): due by the end of 20 March.
    expect(extended.json).toEqual({ defectDueAt: "2026-03-20T16:00:00.000Z" });
    clock.set(new Date(new Date(extended.json.defectDueAt as string).getTime() + MS));
    const twice = await call(extension, s.tokens.judge);
    expect([twice.status, errorOf(twice.json).code]).toEqual([409, "DEFECT_EXTENDED_ONCE"]);
    const passed = await call(passOn, s.tokens.judge);
    expect(passed.status).toBe(200);
    expect(passed.json).toEqual({ nextCommissionId: expect.any(String) });
    expect(await report(s.reportId)).toMatchObject({ excluded: true });
  });

  it("A18: the agency explains through the API, 1 ms after the deadline (taken, recorded as late); the judge's token and another agency get 403, an empty explanation 400", async () => {
    const s = await deliveredReport();
    const marked = await call(`/api/v1/reports/${s.reportId}/defect`, s.tokens.judge, { kind: "facts", note: "建筑面积与登记不符" });
    clock.set(new Date(new Date(marked.json.defectDueAt as string).getTime() + MS));
    const path = `/api/v1/reports/${s.reportId}/defect-answer`;
    const empty = await call(path, s.tokens.agency, { explanation: "  " });
    expect(empty.status).toBe(400);
    expect(errorOf(empty.json).fields).toEqual({ explanation: expect.any(String) });
    expect((await call(path, s.tokens.judge, { explanation: "法院不能代为说明" })).status).toBe(403);
    expect((await call(path, s.tokens.otherAgency, { explanation: "无关机构" })).status).toBe(403);
    expect((await report(s.reportId)).defectAnsweredAt).toBeNull();

    const explained = await call(path, s.tokens.agency, { explanation: "面积依据最新不动产登记簿，已核实无误" });
    expect(explained.status).toBe(200);
    expect(explained.json).toEqual({ late: true });
    expect(await report(s.reportId)).toMatchObject({ defectExplanation: "面积依据最新不动产登记簿，已核实无误", defectAnsweredAt: clock.now() });
  });

  it("A18: the agency uploads a corrected report (multipart) within the 3 days; it replaces the marked one; not multipart or not a PDF is 400 and stores nothing; the judge gets 403", async () => {
    const s = await deliveredReport();
    const marked = await call(`/api/v1/reports/${s.reportId}/defect`, s.tokens.judge, { kind: "scope", note: "评估范围遗漏地下车位" });
    clock.set(new Date(marked.json.defectDueAt as string));
    const path = `/api/v1/reports/${s.reportId}/corrected`;
    const reports = async () => (await db().select({ n: count() }).from(valuationReports).where(eq(valuationReports.procedureId, s.procedureId)))[0]!.n;
    const notMultipart = await call(path, s.tokens.agency, { valuationMethod: "市场法" });
    expect(errorOf(notMultipart.json)).toMatchObject({ code: "VALIDATION_FAILED", fields: { _body: "validation.invalid" } });
    const notPdf = await call(path, s.tokens.agency, undefined, { raw: reportForm({}, new TextEncoder().encode("not a pdf")) });
    expect(notPdf.status).toBe(400);
    expect(errorOf(notPdf.json).fields).toHaveProperty("file");
    expect((await call(path, s.tokens.judge, undefined, { raw: reportForm() })).status).toBe(403);
    expect((await call(path, s.tokens.otherAgency, undefined, { raw: reportForm() })).status).toBe(403);
    expect(await reports()).toBe(1);

    const corrected = await call(path, s.tokens.agency, undefined, { raw: reportForm() });
    expect(corrected.status).toBe(201);
    expect(corrected.json).toMatchObject({ late: false, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await reports()).toBe(2);
    expect(await report(s.reportId)).toMatchObject({ excluded: true });
    expect(await report(corrected.json.id as string)).toMatchObject({ commissionId: s.commissionId, excluded: false, valueFen: 112_000_000n });
  });
});

describe("objections and their review through the API", () => {
  it("A21: the clerk forwards a technical objection (answer due at the end of the 5th day); the agency answers; the judge decides; each wrong role is 403 and each bad body 400 with nothing written", async () => {
    const s = await deliveredReport();
    const { id } = await fileObjection(db(), clock, s.debtor, s.reportId, { kind: "technical", grounds: "参数取值不当" });
    expect((await call(`/api/v1/objections/${id}/forward`, s.tokens.agency)).status).toBe(403);
    const forwarded = await call(`/api/v1/objections/${id}/forward`, s.tokens.clerk);
    expect(forwarded.status).toBe(200);
    // Forwarded on 13 March at 10:00 Beijing: the answer is due by the end of 18 March.
    expect(forwarded.json).toEqual({ answerDueAt: "2026-03-18T16:00:00.000Z" });

    const answerPath = `/api/v1/objections/${id}/answer`;
    const before = await eventCount(id);
    const empty = await call(answerPath, s.tokens.agency, { answer: "" });
    expect(empty.status).toBe(400);
    expect(Object.keys(errorOf(empty.json).fields ?? {})).toEqual(["answer"]);
    expect((await call(answerPath, s.tokens.otherAgency, { answer: "无关机构" })).status).toBe(403);
    expect((await call(answerPath, s.tokens.clerk, { answer: "法院不能代为说明" })).status).toBe(403);
    expect(await objection(id)).toMatchObject({ status: "forwarded", answer: null });
    expect(await eventCount(id)).toBe(before);
    clock.set(new Date("2026-03-18T16:00:00Z"));
    const answered = await call(answerPath, s.tokens.agency, { answer: "参数取自当地统计年鉴，说明见附件" });
    expect([answered.status, answered.json]).toEqual([200, { answered: true }]);
    expect(await objection(id)).toMatchObject({ status: "answered", answeredAt: clock.now() });

    const decisionPath = `/api/v1/objections/${id}/decision`;
    const bad = await call(decisionPath, s.tokens.judge, { decision: "maybe" });
    expect(bad.status).toBe(400);
    expect(Object.keys(errorOf(bad.json).fields ?? {})).toEqual(["decision"]);
    expect((await call(decisionPath, s.tokens.clerk, { decision: "rejected" })).status).toBe(403);
    expect((await call(decisionPath, s.tokens.agency, { decision: "rejected" })).status).toBe(403);
    expect((await objection(id)).decidedAt).toBeNull();
    const decided = await call(decisionPath, s.tokens.judge, { decision: "rejected", note: "说明成立" });
    expect([decided.status, decided.json]).toEqual([200, { reopenedCommissionId: null }]);
    expect(await objection(id)).toMatchObject({ status: "rejected", decidedAt: clock.now() });
  });

  it("A21: an answer 1 ms after the 5 days is refused OBJECTION_ANSWER_LATE and writes nothing", async () => {
    const s = await deliveredReport();
    const { id } = await fileObjection(db(), clock, s.debtor, s.reportId, { kind: "technical", grounds: "参数取值不当" });
    const forwarded = await call(`/api/v1/objections/${id}/forward`, s.tokens.clerk);
    clock.set(new Date(new Date(forwarded.json.answerDueAt as string).getTime() + MS));
    const late = await call(`/api/v1/objections/${id}/answer`, s.tokens.agency, { answer: "迟到的说明" });
    expect([late.status, errorOf(late.json).code]).toEqual([409, "OBJECTION_ANSWER_LATE"]);
    expect(await objection(id)).toMatchObject({ status: "forwarded", answer: null });
  });

  it("A20: the judge rejects a procedural objection through the API, the party asks for review, and the judge records it upheld: the report is set aside and the commission reopens; bad outcome 400, clerk 403", async () => {
    const s = await deliveredReport();
    const { id } = await fileObjection(db(), clock, s.applicant, s.reportId, { kind: "procedural", grounds: "未通知到场" });
    clock.advance(DAY);
    expect((await call(`/api/v1/objections/${id}/decision`, s.tokens.judge, { decision: "rejected" })).status).toBe(200);
    // The procedure as court systems read it says until when the party may ask (A20), then since when it asked.
    const procedurePath = `/api/v1/procedures/${s.procedureId}`;
    const windowOpen = await call(procedurePath, s.tokens.clerk, undefined, { method: "GET" });
    expect(windowOpen.json.reviewHold).toEqual({ kind: "review_window", until: reviewDueAt(CN_SPC_2016, clock.now()).toISOString() });
    await requestReview(db(), clock, s.applicant, id, { grounds: "法院未审查通知回执" });
    expect((await call(procedurePath, s.tokens.clerk, undefined, { method: "GET" })).json.reviewHold).toEqual({ kind: "review_pending", since: clock.now().toISOString() });

    const path = `/api/v1/objections/${id}/review-outcome`;
    const before = await eventCount(id);
    const bad = await call(path, s.tokens.judge, { outcome: "maybe" });
    expect(bad.status).toBe(400);
    expect(Object.keys(errorOf(bad.json).fields ?? {})).toEqual(["outcome"]);
    expect((await call(path, s.tokens.clerk, { outcome: "upheld" })).status).toBe(403);
    expect((await call(path, s.tokens.agency, { outcome: "upheld" })).status).toBe(403);
    expect(await objection(id)).toMatchObject({ reviewOutcome: null, reviewDecidedAt: null });
    expect(await eventCount(id)).toBe(before);

    const upheld = await call(path, s.tokens.judge, { outcome: "upheld", note: "确未通知" });
    expect([upheld.status, upheld.json]).toEqual([200, { reopenedCommissionId: s.commissionId }]);
    expect(await objection(id)).toMatchObject({ status: "upheld", reviewOutcome: "upheld" });
    expect(await report(s.reportId)).toMatchObject({ excluded: true });
    const again = await call(path, s.tokens.judge, { outcome: "rejected" });
    expect([again.status, errorOf(again.json).code]).toEqual([409, "CONFLICT"]);
  });
});

describe("A17: re-issue through the API", () => {
  it("A17: at the price's last instant the API answers 409 REISSUE_NOT_NEEDED; 1 ms later the judge asks the same agency (due in 15 days); clerks and agencies get 403", async () => {
    // Valued on 11 March, valid for 40 days: the price ends on 20 April at 10:00 Beijing.
    const s = await submittedReport({ validDays: 40 });
    clock.advance(DAY);
    const { objectionDueAt } = await deliverReport(db(), clock, s.clerk, s.reportId);
    clock.set(new Date(objectionDueAt!.getTime() + MS));
    const fixed = await fixReferencePrice(db(), clock, s.judge, s.procedureId);

    const path = `/api/v1/procedures/${s.procedureId}/reissue`;
    clock.set(fixed.validUntil);
    const early = await call(path, s.tokens.judge);
    expect([early.status, errorOf(early.json).code]).toEqual([409, "REISSUE_NOT_NEEDED"]);
    clock.advance(MS);
    expect((await call(path, s.tokens.clerk)).status).toBe(403);
    expect((await call(path, s.tokens.agency)).status).toBe(403);
    const asked = await call(path, s.tokens.judge);
    expect(asked.status).toBe(200);
    expect(asked.json.commissionId).toBe(s.commissionId);
    expect(asked.json.reportDueAt).toBe(endOfDays(clock.now(), 15).toISOString());
    expect(await lastEvent(s.procedureId)).toMatchObject({ action: "appraisal.reissue_asked", data: expect.objectContaining({ rule: "A17" }) });
  });
});
