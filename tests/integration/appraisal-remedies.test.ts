// A18 defects in a report, A19 service by posting, A20 review of an objection's decision: each rule at its
// boundary with the test clock, each step audited, bad input refused with a stable code and nothing written.
import { and, asc, count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import type { Database, Db } from "../../db/client.ts";
import { auditEvents, commissions, lots, priceProcedures, referencePrices, reportObjections, valuationReports } from "../../db/schema/index.ts";
import { createLotDraft } from "../../auction/index.ts";
import {
  acceptCommission,
  agreeAgencies,
  askReissue,
  deadlinesAtAGlance,
  decideObjection,
  deliverReport,
  explainReportDefect,
  extendDefectDeadline,
  fileObjection,
  fixReferencePrice,
  markReportDefect,
  passDefectOn,
  recordReportPosted,
  recordReviewOutcome,
  requestReview,
  resumeProcedure,
  startProcedure,
  submitAppraisalReport,
  submitCorrectedAppraisalReport,
  suspendProcedure,
  sweepAppraisalDeadlines,
} from "../../appraisal/index.ts";
import { lotDraftInput, makeBidder } from "../fixtures/auction.ts";
import { appraisalReportInput, makePricingCase, pdfFile } from "../fixtures/appraisal.ts";
import { createTestDatabase } from "../support/database.ts";
import { codeOf, refusal } from "../support/refusals.ts";

const DAY = 24 * 60 * 60 * 1000;
const MS = 1;
const START = new Date("2026-03-02T02:00:00Z"); // 10:00 on 2 March, Beijing
const clock = new TestClock(START);
let database: Database;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(() => database?.close());

async function events(entityId: string) {
  return db.select({ action: auditEvents.action, actorId: auditEvents.actorId, data: auditEvents.data }).from(auditEvents).where(eq(auditEvents.entityId, entityId)).orderBy(asc(auditEvents.seq));
}

async function report(id: string) {
  const [row] = await db.select().from(valuationReports).where(eq(valuationReports.id, id));
  return row!;
}

async function objection(id: string) {
  const [row] = await db.select().from(reportObjections).where(eq(reportObjections.id, id));
  return row!;
}

/** An appraisal whose first agency accepted on 2 March and submitted its report on 12 March (10:00 Beijing). */
async function submittedReport() {
  clock.set(START);
  const c = await makePricingCase(db, clock);
  const p = await startProcedure(db, clock, c.clerk, c.assetId, { method: "appraisal", basisKind: "both_parties_ask", basis: "双方当事人申请委托评估" });
  const { commissionId } = await agreeAgencies(db, clock, c.clerk, p.id, c.agencies.map((a) => a.agency.id));
  const agency = c.agencies[0]!.member;
  await acceptCommission(db, clock, agency, commissionId);
  clock.advance(10 * DAY);
  const submitted = await submitAppraisalReport(db, clock, agency, commissionId, appraisalReportInput(clock.now()));
  return { ...c, procedureId: p.id, commissionId, agency, reportId: submitted.id };
}

/** …delivered to the parties on 13 March: objections until the end of 18 March, Beijing. */
async function deliveredReport() {
  const s = await submittedReport();
  clock.advance(DAY);
  const delivered = await deliverReport(db, clock, s.clerk, s.reportId);
  expect(delivered.objectionDueAt).toEqual(new Date("2026-03-18T16:00:00Z"));
  return { ...s, objectionDueAt: delivered.objectionDueAt! };
}

describe("A18: a defect in an appraisal report", () => {
  it("A18: the judge marks a defect; the agency's 3 days end at 24:00 of the third day; at that instant the deadline is running, 1 ms later it is overdue at a glance and the sweep records it with nobody acting", async () => {
    const s = await deliveredReport();
    // Marked on 13 March at 10:00 Beijing: due by the end of 16 March.
    const { defectDueAt } = await markReportDefect(db, clock, s.judge, s.reportId, { kind: "signatory", note: "报告签字评估师与选定机构登记人员不一致" });
    expect(defectDueAt).toEqual(new Date("2026-03-16T16:00:00Z"));
    expect(await report(s.reportId)).toMatchObject({ defectKind: "signatory", defectMarkedBy: s.judge.id, defectDueAt, defectAnsweredAt: null, defectOverdueAt: null });
    expect((await events(s.reportId)).at(-1)).toEqual({ action: "appraisal.report_defect_marked", actorId: s.judge.id, data: expect.objectContaining({ rule: "A18", kind: "signatory" }) });

    clock.set(defectDueAt);
    const running = (await deadlinesAtAGlance(db, clock, s.clerk)).find((d) => d.kind === "report_defect" && d.entityId === s.reportId);
    expect(running).toMatchObject({ rule: "A18", dueAt: defectDueAt, overdue: false });
    const atDue = await sweepAppraisalDeadlines(db, clock);
    expect(atDue.errors).toEqual([]);
    expect((await report(s.reportId)).defectOverdueAt).toBeNull();

    clock.set(new Date(defectDueAt.getTime() + MS));
    const overdue = (await deadlinesAtAGlance(db, clock, s.clerk)).find((d) => d.kind === "report_defect" && d.entityId === s.reportId);
    expect(overdue).toMatchObject({ rule: "A18", overdue: true });
    const after = await sweepAppraisalDeadlines(db, clock);
    expect(after.defectsOverdue).toBe(1);
    expect((await report(s.reportId)).defectOverdueAt).toEqual(clock.now());
    expect((await events(s.reportId)).at(-1)).toEqual({ action: "appraisal.report_defect_overdue", actorId: null, data: expect.objectContaining({ rule: "A18" }) });
    // Idempotent: a second sweep records nothing more.
    expect((await sweepAppraisalDeadlines(db, clock)).defectsOverdue).toBe(0);
  });

  it("A18: a defect left unanswered past its 3 days: the judge gives a new deadline of 3 days, once, audited; nothing is offered while the deadline runs, and clerks and a second extension are refused without writing", async () => {
    const s = await deliveredReport();
    const { defectDueAt } = await markReportDefect(db, clock, s.judge, s.reportId, { kind: "scope", note: "未评估附属车位" });
    clock.set(defectDueAt);
    expect(await codeOf(extendDefectDeadline(db, clock, s.judge, s.reportId))).toBe("DEFECT_NOT_OVERDUE");
    expect(await codeOf(passDefectOn(db, clock, s.judge, s.reportId))).toBe("DEFECT_NOT_OVERDUE");
    clock.set(new Date("2026-03-17T02:00:00Z")); // 10:00 on 17 March, Beijing: a day after the deadline
    await sweepAppraisalDeadlines(db, clock);
    const before = (await events(s.reportId)).length;
    expect(await codeOf(extendDefectDeadline(db, clock, s.clerk, s.reportId))).toBe("FORBIDDEN");
    expect(await events(s.reportId)).toHaveLength(before);

    const extended = await extendDefectDeadline(db, clock, s.judge, s.reportId);
    // Three days from now: the end of 20 March, Beijing.
    expect(extended.defectDueAt).toEqual(new Date("2026-03-20T16:00:00Z"));
    expect(await report(s.reportId)).toMatchObject({ defectDueAt: extended.defectDueAt, defectOverdueAt: null, defectExtendedAt: clock.now(), excluded: false });
    expect((await events(s.reportId)).at(-1)).toEqual({ action: "appraisal.report_defect_extended", actorId: s.judge.id, data: { rule: "A18", previousDueAt: defectDueAt.toISOString(), defectDueAt: extended.defectDueAt.toISOString() } });
    expect((await deadlinesAtAGlance(db, clock, s.clerk)).find((d) => d.kind === "report_defect" && d.entityId === s.reportId)).toMatchObject({ dueAt: extended.defectDueAt, overdue: false });

    // The new deadline passes too: overdue again, and only the next-ranked agency is left as a way on.
    clock.set(new Date(extended.defectDueAt.getTime() + MS));
    expect((await sweepAppraisalDeadlines(db, clock)).defectsOverdue).toBe(1);
    const again = (await events(s.reportId)).length;
    expect(await codeOf(extendDefectDeadline(db, clock, s.judge, s.reportId))).toBe("DEFECT_EXTENDED_ONCE");
    expect(await events(s.reportId)).toHaveLength(again);
    // The agency may still explain late, which closes the defect and every way on.
    await explainReportDefect(db, clock, s.agency, s.reportId, { explanation: "车位不属于查封范围" });
    expect(await codeOf(passDefectOn(db, clock, s.judge, s.reportId))).toBe("DEFECT_NOT_OVERDUE");
  });

  it("A18, A16: a defect left unanswered: the judge passes the work to the next-ranked agency as for a missed report — the report is set aside, the agency returns the materials in 3 days, the next one is offered the commission; audited", async () => {
    const s = await deliveredReport();
    const { defectDueAt } = await markReportDefect(db, clock, s.judge, s.reportId, { kind: "signatory", note: "签字评估师非本机构人员" });
    clock.set(new Date(defectDueAt.getTime() + MS));
    const passed = await passDefectOn(db, clock, s.judge, s.reportId);
    expect(passed.nextCommissionId).not.toBeNull();
    expect(await report(s.reportId)).toMatchObject({ excluded: true, defectAnsweredAt: null });
    const [first] = await db.select().from(commissions).where(eq(commissions.id, s.commissionId));
    // Passed on in the first instant of 17 March (Beijing): the materials come back by the end of 20 March.
    expect(first).toMatchObject({ status: "overdue", materialsDueAt: new Date("2026-03-20T16:00:00Z") });
    const [next] = await db.select().from(commissions).where(eq(commissions.id, passed.nextCommissionId!));
    expect(next).toMatchObject({ status: "offered", rank: 2, agencyId: s.agencies[1]!.agency.id });
    expect((await events(s.reportId)).at(-1)).toEqual({
      action: "appraisal.report_defect_passed_on",
      actorId: s.judge.id,
      data: { rule: "A18", defectDueAt: defectDueAt.toISOString(), commissionId: s.commissionId, agencyId: s.agencies[0]!.agency.id, materialsDueAt: "2026-03-20T16:00:00.000Z", nextCommissionId: passed.nextCommissionId },
    });
    expect((await events(passed.nextCommissionId!)).at(-1)).toEqual({ action: "appraisal.commission_offered", actorId: s.judge.id, data: expect.objectContaining({ rule: "A16", rank: 2 }) });
    // The defect owes nothing any more; the materials return is what is due now.
    const glance = await deadlinesAtAGlance(db, clock, s.clerk);
    expect(glance.find((d) => d.kind === "report_defect" && d.entityId === s.reportId)).toBeUndefined();
    expect(glance.find((d) => d.kind === "materials_return" && d.entityId === s.commissionId)).toMatchObject({ rule: "A16" });
    // The first agency can no longer explain, nor can the judge act twice; the procedure stays open.
    expect(await codeOf(explainReportDefect(db, clock, s.agency, s.reportId, { explanation: "迟到的说明" }))).toBe("CONFLICT");
    expect(await codeOf(passDefectOn(db, clock, s.judge, s.reportId))).toBe("DEFECT_NOT_OVERDUE");
    expect(await db.select({ status: priceProcedures.status }).from(priceProcedures).where(eq(priceProcedures.id, s.procedureId))).toEqual([{ status: "open" }]);
    expect(await codeOf(fixReferencePrice(db, clock, s.judge, s.procedureId))).toBe("REPORT_NOT_DELIVERED");
  });

  it("A18: the price cannot be fixed from a report with an open defect; once the agency explains (late, and recorded so) it can", async () => {
    const s = await deliveredReport();
    await markReportDefect(db, clock, s.judge, s.reportId, { kind: "facts", note: "建筑面积与登记不符" });
    clock.set(new Date(s.objectionDueAt.getTime() + MS));
    expect(await codeOf(fixReferencePrice(db, clock, s.judge, s.procedureId))).toBe("REPORT_DEFECT_OPEN");

    // Only the agency that wrote it explains.
    expect(await codeOf(explainReportDefect(db, clock, s.agencies[1]!.member, s.reportId, { explanation: "无关机构" }))).toBe("FORBIDDEN");
    const { late } = await explainReportDefect(db, clock, s.agency, s.reportId, { explanation: "面积依据最新不动产登记簿，已核实无误" });
    expect(late).toBe(true);
    expect(await report(s.reportId)).toMatchObject({ defectExplanation: "面积依据最新不动产登记簿，已核实无误", defectAnsweredAt: clock.now(), excluded: false });
    expect((await events(s.reportId)).at(-1)).toEqual({ action: "appraisal.report_defect_explained", actorId: s.agency.id, data: { rule: "A18", late: true } });
    // Nothing open to explain any more.
    expect(await codeOf(explainReportDefect(db, clock, s.agency, s.reportId, { explanation: "再次说明" }))).toBe("CONFLICT");

    const fixed = await fixReferencePrice(db, clock, s.judge, s.procedureId);
    expect(fixed.amountFen).toBe(100_000_000n);
  });

  it("A18: a corrected report within the 3 days replaces the marked one (excluded), goes to the parties again, and the price is fixed from it", async () => {
    const s = await deliveredReport();
    const { defectDueAt } = await markReportDefect(db, clock, s.judge, s.reportId, { kind: "scope", note: "评估范围遗漏地下车位" });
    clock.set(defectDueAt);
    const corrected = await submitCorrectedAppraisalReport(db, clock, s.agency, s.reportId, appraisalReportInput(clock.now(), { valueFen: 112_000_000n }));
    expect(corrected.late).toBe(false);
    expect(await report(s.reportId)).toMatchObject({ excluded: true, defectAnsweredAt: defectDueAt });
    expect(await report(corrected.id)).toMatchObject({ commissionId: s.commissionId, excluded: false, deliveredAt: null, valueFen: 112_000_000n });
    expect((await events(s.reportId)).at(-1)).toEqual({ action: "appraisal.report_defect_corrected", actorId: s.agency.id, data: expect.objectContaining({ rule: "A18", late: false, replacedBy: corrected.id }) });
    // The defect is closed: nothing at a glance for the old report.
    expect((await deadlinesAtAGlance(db, clock, s.clerk)).filter((d) => d.kind === "report_defect" && d.entityId === s.reportId)).toEqual([]);

    // The corrected report must reach the parties and its own objection window pass (A19, A20).
    clock.advance(MS);
    expect(await codeOf(fixReferencePrice(db, clock, s.judge, s.procedureId))).toBe("REPORT_NOT_DELIVERED");
    const { objectionDueAt } = await deliverReport(db, clock, s.clerk, corrected.id);
    clock.set(new Date(objectionDueAt!.getTime() + MS));
    const fixed = await fixReferencePrice(db, clock, s.judge, s.procedureId);
    expect(fixed.amountFen).toBe(112_000_000n);
  });

  it("A18, A24: a suspension moves the defect's deadline by the suspended time, and the sweep leaves it alone meanwhile", async () => {
    const s = await deliveredReport();
    const { defectDueAt } = await markReportDefect(db, clock, s.judge, s.reportId, { kind: "facts", note: "坐落地址错误" });
    clock.advance(DAY);
    const suspendedAt = clock.now();
    await suspendProcedure(db, clock, s.judge, s.procedureId, { reason: "案外人异议" });
    clock.set(new Date(defectDueAt.getTime() + DAY));
    expect((await sweepAppraisalDeadlines(db, clock)).errors).toEqual([]);
    expect((await report(s.reportId)).defectOverdueAt).toBeNull();
    const { suspendedMs } = await resumeProcedure(db, clock, s.judge, s.procedureId);
    expect(suspendedMs).toBe(clock.now().getTime() - suspendedAt.getTime());
    expect((await report(s.reportId)).defectDueAt).toEqual(new Date(defectDueAt.getTime() + suspendedMs));
  });

  it("A18: bad input is refused with a stable code and writes nothing: a clerk marking, an unknown kind, an empty note, a second mark, a non-PDF correction", async () => {
    const s = await deliveredReport();
    const before = (await events(s.reportId)).length;
    expect(await codeOf(markReportDefect(db, clock, s.clerk, s.reportId, { kind: "facts", note: "书记员不能标记" }))).toBe("FORBIDDEN");
    const bad = await refusal(markReportDefect(db, clock, s.judge, s.reportId, { kind: "typo", note: " " }));
    expect(bad.code).toBe("VALIDATION_FAILED");
    expect(Object.keys(bad.fields ?? {}).sort()).toEqual(["kind", "note"]);
    expect(await report(s.reportId)).toMatchObject({ defectMarkedAt: null, defectDueAt: null });
    expect(await events(s.reportId)).toHaveLength(before);

    await markReportDefect(db, clock, s.judge, s.reportId, { kind: "facts", note: "坐落地址错误" });
    expect(await codeOf(markReportDefect(db, clock, s.judge, s.reportId, { kind: "scope", note: "再次标记" }))).toBe("CONFLICT");
    const reportsBefore = await db.select({ n: count() }).from(valuationReports).where(eq(valuationReports.procedureId, s.procedureId));
    const notPdf = await refusal(submitCorrectedAppraisalReport(db, clock, s.agency, s.reportId, appraisalReportInput(clock.now(), { file: pdfFile({ bytes: new TextEncoder().encode("not a pdf") }) })));
    expect(notPdf.code).toBe("VALIDATION_FAILED");
    expect(notPdf.fields).toHaveProperty("file");
    expect(await db.select({ n: count() }).from(valuationReports).where(eq(valuationReports.procedureId, s.procedureId))).toEqual(reportsBefore);
    expect(await report(s.reportId)).toMatchObject({ excluded: false, defectAnsweredAt: null });
  });
});

describe("A19: service by posting on 中国执行信息公开网", () => {
  it("A19: a posted report is deemed served at the end of the 15th day after posting; the 5-day objection window runs from then: an objection at its last instant is taken, 1 ms later it is late; the price waits for the window", async () => {
    const s = await submittedReport();
    // Posted on 13 March (recorded two days later): deemed served at the end of 28 March, Beijing.
    const postedAt = new Date("2026-03-13T02:00:00Z");
    clock.set(new Date("2026-03-15T02:00:00Z"));
    const posted = await recordReportPosted(db, clock, s.clerk, s.reportId, { postedAt: postedAt.toISOString() });
    expect(posted.deemedServedAt).toEqual(new Date("2026-03-28T16:00:00Z"));
    expect(posted.objectionDueAt).toEqual(new Date("2026-04-02T16:00:00Z"));
    expect(await report(s.reportId)).toMatchObject({ postedAt, deliveredAt: posted.deemedServedAt, objectionDueAt: posted.objectionDueAt });
    expect((await events(s.reportId)).at(-1)).toEqual({ action: "appraisal.report_posted", actorId: s.clerk.id, data: expect.objectContaining({ rule: "A19" }) });
    // Posted is delivered in law: no second delivery.
    expect(await codeOf(deliverReport(db, clock, s.clerk, s.reportId))).toBe("CONFLICT");

    // A direct delivery on 13 March would have closed the window at the end of 18 March; the posted report's is still open.
    clock.set(new Date("2026-03-19T02:00:00Z"));
    expect(await codeOf(fixReferencePrice(db, clock, s.judge, s.procedureId))).toBe("OBJECTIONS_PENDING");

    clock.set(posted.objectionDueAt!);
    const taken = await fileObjection(db, clock, s.applicant, s.reportId, { kind: "procedural", grounds: "评估机构未通知当事人现场勘验" });
    expect(await codeOf(fixReferencePrice(db, clock, s.judge, s.procedureId))).toBe("OBJECTIONS_PENDING");
    clock.advance(MS);
    expect(await codeOf(fileObjection(db, clock, s.debtor, s.reportId, { kind: "procedural", grounds: "逾期异议" }))).toBe("OBJECTION_LATE");
    await decideObjection(db, clock, s.judge, taken.id, { decision: "rejected" });
    // A20: then the applicant's 10 days to seek review of the rejection.
    expect(await codeOf(fixReferencePrice(db, clock, s.judge, s.procedureId))).toBe("REVIEW_WINDOW_OPEN");
    clock.advance(11 * DAY);
    const fixed = await fixReferencePrice(db, clock, s.judge, s.procedureId);
    expect(fixed.amountFen).toBe(100_000_000n);
  });

  it("A19: a posting in the future, before the report was received, or by someone outside the court is refused and writes nothing", async () => {
    const s = await submittedReport();
    const before = (await events(s.reportId)).length;
    const future = await refusal(recordReportPosted(db, clock, s.clerk, s.reportId, { postedAt: new Date(clock.now().getTime() + MS).toISOString() }));
    expect(future).toMatchObject({ code: "VALIDATION_FAILED", fields: { postedAt: "appraisal.error.postedFuture" } });
    const early = await refusal(recordReportPosted(db, clock, s.clerk, s.reportId, { postedAt: new Date(clock.now().getTime() - MS).toISOString() }));
    expect(early).toMatchObject({ code: "VALIDATION_FAILED", fields: { postedAt: "appraisal.error.postedBeforeReport" } });
    expect((await refusal(recordReportPosted(db, clock, s.clerk, s.reportId, { postedAt: "yesterday" }))).code).toBe("VALIDATION_FAILED");
    expect(await codeOf(recordReportPosted(db, clock, s.agency, s.reportId))).toBe("FORBIDDEN");
    expect(await report(s.reportId)).toMatchObject({ postedAt: null, deliveredAt: null, objectionDueAt: null });
    expect(await events(s.reportId)).toHaveLength(before);
    // Posting at this very instant is fine.
    expect((await recordReportPosted(db, clock, s.clerk, s.reportId)).postedAt).toEqual(clock.now());
  });
});

describe("A20: review (复议) of the decision on a procedural objection", () => {
  /** Both parties object on procedure; both objections are rejected on 14 March at 10:00 Beijing. */
  async function rejectedObjections() {
    const s = await deliveredReport();
    const byApplicant = await fileObjection(db, clock, s.applicant, s.reportId, { kind: "procedural", grounds: "未通知到场" });
    const byDebtor = await fileObjection(db, clock, s.debtor, s.reportId, { kind: "procedural", grounds: "评估机构未回避" });
    clock.advance(DAY);
    await decideObjection(db, clock, s.judge, byApplicant.id, { decision: "rejected", note: "已通知" });
    await decideObjection(db, clock, s.judge, byDebtor.id, { decision: "rejected", note: "无回避事由" });
    return { ...s, byApplicant: byApplicant.id, byDebtor: byDebtor.id };
  }

  it("A20: review is sought within 10 days of the decision: the last instant of day 10 is taken, day 11 is refused; only the objecting party may ask", async () => {
    const s = await rejectedObjections();
    // Decided on 14 March: day 10 is 24 March, ending at 24:00 Beijing.
    const lastInstant = new Date("2026-03-24T16:00:00Z");
    const glance = (await deadlinesAtAGlance(db, clock, s.clerk)).find((d) => d.kind === "objection_review" && d.entityId === s.byApplicant);
    expect(glance).toMatchObject({ rule: "A20", dueAt: lastInstant, overdue: false });

    clock.set(lastInstant);
    // The other party did not object: it cannot ask for review of this decision.
    expect(await codeOf(requestReview(db, clock, s.debtor, s.byApplicant, { grounds: "代为申请" }))).toBe("REVIEW_NOT_ALLOWED");
    const outsider = await makeBidder(db, clock);
    expect(await codeOf(requestReview(db, clock, outsider, s.byApplicant, { grounds: "无关" }))).toBe("FORBIDDEN");
    const asked = await requestReview(db, clock, s.applicant, s.byApplicant, { grounds: "法院未审查通知回执" });
    expect(asked.reviewRequestedAt).toEqual(lastInstant);
    expect(await objection(s.byApplicant)).toMatchObject({ reviewRequestedAt: lastInstant, reviewRequestedBy: s.applicant.id, reviewGrounds: "法院未审查通知回执", reviewDecidedAt: null });
    expect((await events(s.byApplicant)).at(-1)).toEqual({ action: "appraisal.review_requested", actorId: s.applicant.id, data: expect.objectContaining({ rule: "A20" }) });
    // Once only.
    expect(await codeOf(requestReview(db, clock, s.applicant, s.byApplicant, { grounds: "再次申请" }))).toBe("REVIEW_NOT_ALLOWED");

    clock.advance(MS);
    expect(await codeOf(requestReview(db, clock, s.debtor, s.byDebtor, { grounds: "第十一日申请" }))).toBe("REVIEW_LATE");
    expect(await objection(s.byDebtor)).toMatchObject({ reviewRequestedAt: null });
  });

  it("A20, A24: the 10 days for review are the party's statutory period, not an appraisal step: it may ask while the procedure is suspended; the outcome waits for the resumption", async () => {
    const s = await rejectedObjections();
    await suspendProcedure(db, clock, s.judge, s.procedureId, { reason: "案件中止执行" });
    clock.set(new Date("2026-03-24T16:00:00Z"));
    const asked = await requestReview(db, clock, s.applicant, s.byApplicant, { grounds: "法院未审查通知回执" });
    expect(asked.reviewRequestedAt).toEqual(clock.now());
    expect(await codeOf(recordReviewOutcome(db, clock, s.judge, s.byApplicant, { outcome: "rejected" }))).toBe("PROCEDURE_NOT_OPEN");
    clock.advance(MS);
    expect(await codeOf(requestReview(db, clock, s.debtor, s.byDebtor, { grounds: "第十一日申请" }))).toBe("REVIEW_LATE");
    await resumeProcedure(db, clock, s.judge, s.procedureId);
    await recordReviewOutcome(db, clock, s.judge, s.byApplicant, { outcome: "rejected" });
    expect(await objection(s.byApplicant)).toMatchObject({ reviewOutcome: "rejected" });
  });

  it("A20: a pending review blocks the price until the judge records its outcome; rejected lets the price be fixed", async () => {
    const s = await rejectedObjections();
    await requestReview(db, clock, s.applicant, s.byApplicant, { grounds: "法院未审查通知回执" });
    clock.set(new Date(s.objectionDueAt.getTime() + MS));
    expect(await codeOf(fixReferencePrice(db, clock, s.judge, s.procedureId))).toBe("REVIEW_PENDING");

    const before = (await events(s.byApplicant)).length;
    expect(await codeOf(recordReviewOutcome(db, clock, s.clerk, s.byApplicant, { outcome: "rejected" }))).toBe("FORBIDDEN");
    expect((await refusal(recordReviewOutcome(db, clock, s.judge, s.byApplicant, { outcome: "maybe" }))).code).toBe("VALIDATION_FAILED");
    expect(await events(s.byApplicant)).toHaveLength(before);
    expect(await objection(s.byApplicant)).toMatchObject({ reviewOutcome: null, reviewDecidedAt: null });
    // No review was asked on the debtor's objection: there is no outcome to record.
    expect(await codeOf(recordReviewOutcome(db, clock, s.judge, s.byDebtor, { outcome: "rejected" }))).toBe("CONFLICT");

    await recordReviewOutcome(db, clock, s.judge, s.byApplicant, { outcome: "rejected", note: "复议申请理由不成立" });
    expect(await objection(s.byApplicant)).toMatchObject({ status: "rejected", reviewOutcome: "rejected", reviewDecidedBy: s.judge.id });
    expect((await events(s.byApplicant)).at(-1)).toEqual({ action: "appraisal.review_decided", actorId: s.judge.id, data: expect.objectContaining({ rule: "A20", outcome: "rejected", reportExcluded: false }) });
    expect(await codeOf(recordReviewOutcome(db, clock, s.judge, s.byApplicant, { outcome: "upheld" }))).toBe("CONFLICT");
    // The debtor asked for no review, and its 10 days still run (to the end of 24 March, Beijing).
    expect(await codeOf(fixReferencePrice(db, clock, s.judge, s.procedureId))).toBe("REVIEW_WINDOW_OPEN");
    clock.set(new Date(new Date("2026-03-24T16:00:00Z").getTime() + MS));
    expect((await fixReferencePrice(db, clock, s.judge, s.procedureId)).amountFen).toBe(100_000_000n);
  });

  it("A20: while the party's 10 days to seek review run, fixing the price is refused with REVIEW_WINDOW_OPEN and writes nothing; a review asked holds it with REVIEW_PENDING; after the tenth day it is fixed", async () => {
    const s = await rejectedObjections();
    // Past the 5 days for objections (18 March), inside the 10 days for review (to the end of 24 March, Beijing).
    clock.set(new Date(s.objectionDueAt.getTime() + MS));
    const before = await db.select({ n: count() }).from(auditEvents);
    expect(await codeOf(fixReferencePrice(db, clock, s.judge, s.procedureId))).toBe("REVIEW_WINDOW_OPEN");
    const lastInstant = new Date("2026-03-24T16:00:00Z");
    clock.set(lastInstant);
    expect(await codeOf(fixReferencePrice(db, clock, s.judge, s.procedureId))).toBe("REVIEW_WINDOW_OPEN");
    expect(await db.select({ n: count() }).from(auditEvents)).toEqual(before);
    expect(await db.select({ n: count() }).from(referencePrices).where(eq(referencePrices.assetId, s.assetId))).toEqual([{ n: 0 }]);
    expect(await db.select({ status: priceProcedures.status }).from(priceProcedures).where(eq(priceProcedures.id, s.procedureId))).toEqual([{ status: "open" }]);
    // On its last instant the debtor asks: the price now waits for the review's outcome, past the window too.
    await requestReview(db, clock, s.debtor, s.byDebtor, { grounds: "评估机构应当回避" });
    clock.advance(MS);
    expect(await codeOf(fixReferencePrice(db, clock, s.judge, s.procedureId))).toBe("REVIEW_PENDING");
    await recordReviewOutcome(db, clock, s.judge, s.byDebtor, { outcome: "rejected" });
    expect((await fixReferencePrice(db, clock, s.judge, s.procedureId)).amountFen).toBe(100_000_000n);
  });

  it("A20: the window's end alone does not hold the price once each objecting party has asked and been answered", async () => {
    const s = await rejectedObjections();
    clock.set(new Date(s.objectionDueAt.getTime() + MS));
    await requestReview(db, clock, s.applicant, s.byApplicant, { grounds: "法院未审查通知回执" });
    await requestReview(db, clock, s.debtor, s.byDebtor, { grounds: "评估机构应当回避" });
    await recordReviewOutcome(db, clock, s.judge, s.byApplicant, { outcome: "rejected" });
    expect(await codeOf(fixReferencePrice(db, clock, s.judge, s.procedureId))).toBe("REVIEW_PENDING");
    await recordReviewOutcome(db, clock, s.judge, s.byDebtor, { outcome: "rejected" });
    // Both reviews decided, inside the 10 days: nothing is left for a party to ask.
    expect((await fixReferencePrice(db, clock, s.judge, s.procedureId)).amountFen).toBe(100_000_000n);
  });

  it("A20: a review upheld makes the objection hold: the report is set aside and the agency's commission reopens for a new report (A17's 15 days)", async () => {
    const s = await rejectedObjections();
    await requestReview(db, clock, s.applicant, s.byApplicant, { grounds: "法院未审查通知回执" });
    const { reopenedCommissionId } = await recordReviewOutcome(db, clock, s.judge, s.byApplicant, { outcome: "upheld" });
    expect(reopenedCommissionId).toBe(s.commissionId);
    expect(await objection(s.byApplicant)).toMatchObject({ status: "upheld", reviewOutcome: "upheld" });
    expect(await report(s.reportId)).toMatchObject({ excluded: true });
    const [c] = await db.select().from(commissions).where(and(eq(commissions.id, s.commissionId), inArray(commissions.status, ["accepted"])));
    // Decided on 14 March: the new report is due by the end of 29 March, Beijing.
    expect(c?.reportDueAt).toEqual(new Date("2026-03-29T16:00:00Z"));
    // The procedure goes on from the report stage: open, the agency's new report due among the court's deadlines.
    expect(await db.select({ status: priceProcedures.status }).from(priceProcedures).where(eq(priceProcedures.id, s.procedureId))).toEqual([{ status: "open" }]);
    expect((await deadlinesAtAGlance(db, clock, s.clerk)).find((d) => d.kind === "report_due" && d.entityId === s.commissionId)).toMatchObject({ rule: "A15", dueAt: c!.reportDueAt });
    clock.set(new Date(s.objectionDueAt.getTime() + MS));
    expect(await codeOf(fixReferencePrice(db, clock, s.judge, s.procedureId))).toBe("REPORT_NOT_DELIVERED");
  });

  it("A20: an upheld objection, or a technical one, admits no review; empty grounds write nothing", async () => {
    const s = await deliveredReport();
    const procedural = await fileObjection(db, clock, s.applicant, s.reportId, { kind: "procedural", grounds: "未通知到场" });
    const technical = await fileObjection(db, clock, s.debtor, s.reportId, { kind: "technical", grounds: "参数取值不当" });
    const empty = await refusal(requestReview(db, clock, s.applicant, procedural.id, { grounds: "  " }));
    expect(empty.code).toBe("VALIDATION_FAILED");
    await decideObjection(db, clock, s.judge, procedural.id, { decision: "upheld" });
    expect(await codeOf(requestReview(db, clock, s.applicant, procedural.id, { grounds: "复议" }))).toBe("REVIEW_NOT_ALLOWED");
    expect(await codeOf(requestReview(db, clock, s.debtor, technical.id, { grounds: "复议" }))).toBe("REVIEW_NOT_ALLOWED");
    expect(await objection(procedural.id)).toMatchObject({ reviewRequestedAt: null, reviewGrounds: null });
  });
});

describe("A17: a new report after the reference price expired", () => {
  /** A price fixed on 19 March from a report valued on 11 March (10:00) and valid for 40 days: it ends on 20 April at 10:00, Beijing. */
  async function pricedShortValidity() {
    clock.set(START);
    const c = await makePricingCase(db, clock);
    const p = await startProcedure(db, clock, c.clerk, c.assetId, { method: "appraisal", basisKind: "both_parties_ask", basis: "双方当事人申请委托评估" });
    const { commissionId } = await agreeAgencies(db, clock, c.clerk, p.id, c.agencies.map((a) => a.agency.id));
    const agency = c.agencies[0]!.member;
    await acceptCommission(db, clock, agency, commissionId);
    clock.advance(10 * DAY);
    const valuationDate = new Date(clock.now().getTime() - DAY);
    const submitted = await submitAppraisalReport(db, clock, agency, commissionId, appraisalReportInput(clock.now(), { valuationDate, validUntil: new Date(valuationDate.getTime() + 40 * DAY) }));
    clock.advance(DAY);
    const { objectionDueAt } = await deliverReport(db, clock, c.clerk, submitted.id);
    clock.set(new Date(objectionDueAt!.getTime() + MS));
    const fixed = await fixReferencePrice(db, clock, c.judge, p.id);
    return { ...c, procedureId: p.id, commissionId, agency, reportId: submitted.id, fixed };
  }

  it("A17: at the price's last instant no re-issue is needed; 1 ms later the judge asks the same agency, due in 15 days; the new report is delivered, objected to in its window, and fixes a new price", async () => {
    const s = await pricedShortValidity();
    clock.set(s.fixed.validUntil);
    expect(await codeOf(askReissue(db, clock, s.judge, s.procedureId))).toBe("REISSUE_NOT_NEEDED");
    clock.advance(MS);
    expect(await codeOf(askReissue(db, clock, s.clerk, s.procedureId))).toBe("FORBIDDEN");
    const asked = await askReissue(db, clock, s.judge, s.procedureId);
    expect(asked.commissionId).toBe(s.commissionId);
    // Asked on 20 April, Beijing: due by the end of 5 May.
    expect(asked.reportDueAt).toEqual(new Date("2026-05-05T16:00:00Z"));
    const [p] = await db.select().from(priceProcedures).where(eq(priceProcedures.id, s.procedureId));
    expect(p).toMatchObject({ status: "open", referencePriceId: null, endedAt: null });
    const [c] = await db.select().from(commissions).where(eq(commissions.id, s.commissionId));
    expect(c).toMatchObject({ status: "accepted", reportDueAt: asked.reportDueAt });
    expect(await report(s.reportId)).toMatchObject({ excluded: true });
    expect((await events(s.procedureId)).at(-1)).toEqual({ action: "appraisal.reissue_asked", actorId: s.judge.id, data: expect.objectContaining({ rule: "A17", commissionId: s.commissionId }) });
    // Once reopened it cannot be asked again.
    expect(await codeOf(askReissue(db, clock, s.judge, s.procedureId))).toBe("CONFLICT");

    clock.advance(5 * DAY);
    const reissued = await submitAppraisalReport(db, clock, s.agency, s.commissionId, appraisalReportInput(clock.now(), { valueFen: 95_000_000n }));
    expect(await codeOf(fixReferencePrice(db, clock, s.judge, s.procedureId))).toBe("REPORT_NOT_DELIVERED");
    const { objectionDueAt } = await deliverReport(db, clock, s.clerk, reissued.id);
    clock.set(objectionDueAt!);
    await fileObjection(db, clock, s.debtor, reissued.id, { kind: "procedural", grounds: "重新出具的报告未通知现场勘验" });
    clock.advance(MS);
    expect(await codeOf(fixReferencePrice(db, clock, s.judge, s.procedureId))).toBe("OBJECTIONS_PENDING");
    const [o] = await db.select().from(reportObjections).where(eq(reportObjections.reportId, reissued.id));
    await decideObjection(db, clock, s.judge, o!.id, { decision: "rejected" });
    // A20: the debtor's 10 days to seek review of the rejection come first.
    expect(await codeOf(fixReferencePrice(db, clock, s.judge, s.procedureId))).toBe("REVIEW_WINDOW_OPEN");
    clock.advance(11 * DAY);
    const again = await fixReferencePrice(db, clock, s.judge, s.procedureId);
    expect(again.amountFen).toBe(95_000_000n);
    expect(again.referencePriceId).not.toBe(s.fixed.referencePriceId);
    const prices = await db.select({ id: referencePrices.id }).from(referencePrices).where(eq(referencePrices.assetId, s.assetId));
    expect(prices).toHaveLength(2);
  });

  it("A17, A23: once the first auction was announced within the validity, no re-issue is asked; nothing is written", async () => {
    const s = await pricedShortValidity();
    const lot = await createLotDraft(db, clock, s.clerk, lotDraftInput(s.assetId, clock.now()));
    await db.update(lots).set({ publishedAt: clock.now() }).where(eq(lots.id, lot.id));
    clock.set(new Date(s.fixed.validUntil.getTime() + MS));
    const before = (await events(s.procedureId)).length;
    expect(await codeOf(askReissue(db, clock, s.judge, s.procedureId))).toBe("REISSUE_NOT_NEEDED");
    expect(await events(s.procedureId)).toHaveLength(before);
    const [p] = await db.select().from(priceProcedures).where(eq(priceProcedures.id, s.procedureId));
    expect(p).toMatchObject({ status: "priced" });
  });
});
