import { createHash } from "node:crypto";
import { and, asc, count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import { verifyChain } from "../../core/audit.ts";
import type { AppError } from "../../core/errors.ts";
import type { Database, Db } from "../../db/client.ts";
import { agencyRankings, auditEvents, commissions, inquiryRequests, priceProcedures, reportObjections, valuationReports } from "../../db/schema/index.ts";
import { createLotDraft, validReferencePrice } from "../../auction/index.ts";
import {
  acceptCommission,
  checkReportInput,
  storeValuationReport,
  suspendAgency,
  agreeAgencies,
  answerObjection,
  assetProcedures,
  declineCommission,
  decideObjection,
  deliverReport,
  drawAndCommission,
  fileObjection,
  fixReferencePrice,
  forwardObjection,
  openDraw,
  procedureView,
  reportFile,
  startProcedure,
  submitAppraisalReport,
} from "../../appraisal/index.ts";
import { makeCourt, lotDraftInput, makeBidder } from "../fixtures/auction.ts";
import { appraisalReportInput, makeAdmin, makeAgency, makePricingCase, PDF_BYTES, pdfFile } from "../fixtures/appraisal.ts";
import { createTestDatabase } from "../support/database.ts";
import { codeOf, fieldsOf } from "../support/refusals.ts";
import { testDrawSeedKeys } from "../support/platform.ts";

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

async function actions(entityIds: string[]) {
  const rows = await db.select({ action: auditEvents.action, actorId: auditEvents.actorId, data: auditEvents.data }).from(auditEvents).where(inArray(auditEvents.entityId, entityIds)).orderBy(asc(auditEvents.seq));
  return rows;
}

/** A case with an appraisal started and the three agencies agreed; the first has accepted. */
async function acceptedAppraisal() {
  clock.set(START);
  const c = await makePricingCase(db, clock);
  const p = await startProcedure(db, clock, c.clerk, c.assetId, { method: "appraisal", basisKind: "both_parties_ask", basis: "双方当事人申请委托评估" });
  const { commissionId } = await agreeAgencies(db, clock, c.clerk, p.id, c.agencies.map((a) => a.agency.id));
  await acceptCommission(db, clock, c.agencies[0]!.member, commissionId);
  return { ...c, procedureId: p.id, commissionId, first: c.agencies[0]!.member };
}

/** …and its report submitted and delivered to the parties. */
async function deliveredReport() {
  const s = await acceptedAppraisal();
  clock.advance(10 * DAY);
  const report = await submitAppraisalReport(db, clock, s.first, s.commissionId, appraisalReportInput(clock.now()));
  clock.advance(DAY);
  const delivered = await deliverReport(db, clock, s.clerk, report.id);
  return { ...s, reportId: report.id, ...delivered };
}

describe("the whole appraisal path", () => {
  it("A1, A11, A13, A14, A19, A20, A21, A23: procedure → agreed ranking → accept → upload → deliver → objection → forward → answer → decide → fix the price → a lot is set up from it", async () => {
    clock.set(START);
    const c = await makePricingCase(db, clock);
    const [a1, a2, a3] = c.agencies;

    // A1, A11: started 10 days after seizure, on the ground that both parties ask.
    const started = await startProcedure(db, clock, c.clerk, c.assetId, { method: "appraisal", basisKind: "both_parties_ask", basis: "双方当事人申请委托评估" });
    expect(started.lateStart).toBe(false);

    // A13, A14: the parties' ranking; the first-ranked is commissioned.
    const { commissionId } = await agreeAgencies(db, clock, c.clerk, started.id, [a1!.agency.id, a2!.agency.id, a3!.agency.id]);
    const [offer] = await db.select().from(commissions).where(eq(commissions.id, commissionId));
    expect(offer).toMatchObject({ agencyId: a1!.agency.id, rank: 1, status: "offered" });

    clock.advance(DAY);
    const { reportDueAt } = await acceptCommission(db, clock, a1!.member, commissionId);
    expect(reportDueAt).toEqual(new Date("2026-04-02T16:00:00Z")); // the end of 2 April, Beijing: 30 days after 3 March

    clock.advance(20 * DAY);
    const report = await submitAppraisalReport(db, clock, a1!.member, commissionId, appraisalReportInput(clock.now()));
    expect(report.sha256).toBe(createHash("sha256").update(PDF_BYTES).digest("hex"));

    // Before delivery the parties cannot read or object to it (A19).
    expect(await codeOf(reportFile(db, c.applicant, report.id))).toBe("FORBIDDEN");
    expect(await codeOf(fileObjection(db, clock, c.applicant, report.id, { kind: "technical", grounds: "可比案例选取不当" }))).toBe("REPORT_NOT_DELIVERED");

    clock.advance(2 * DAY);
    const delivered = await deliverReport(db, clock, c.clerk, report.id);
    const file = await reportFile(db, c.applicant, report.id);
    expect(Buffer.from(file.content)).toEqual(Buffer.from(PDF_BYTES));

    // A21: technical objection, forwarded, explained, decided.
    clock.advance(DAY);
    const objection = await fileObjection(db, clock, c.applicant, report.id, { kind: "technical", grounds: "可比案例选取不当" });
    // The window is still open, and an objection is pending: no price yet.
    expect(await codeOf(fixReferencePrice(db, clock, c.judge, started.id))).toBe("OBJECTIONS_PENDING");
    clock.advance(DAY);
    await forwardObjection(db, clock, c.clerk, objection.id);
    clock.advance(DAY);
    await answerObjection(db, clock, a1!.member, objection.id, { answer: "可比案例均为同一商圈近期成交，选取适当" });
    await decideObjection(db, clock, c.judge, objection.id, { decision: "rejected", note: "评估机构说明合理" });

    // A20: only once the window is over.
    clock.set(delivered.objectionDueAt!);
    expect(await codeOf(fixReferencePrice(db, clock, c.judge, started.id))).toBe("OBJECTIONS_PENDING");
    clock.advance(MS);
    const fixed = await fixReferencePrice(db, clock, c.judge, started.id);
    expect(fixed.amountFen).toBe(100_000_000n);

    // The auction context sees it as the asset's valid reference price, and a lot can be set up from it.
    const reference = await validReferencePrice(db, c.assetId, clock.now());
    expect(reference).toMatchObject({ id: fixed.referencePriceId, method: "appraisal", amountFen: 100_000_000n, agencyId: a1!.agency.id });
    const lot = await createLotDraft(db, clock, c.clerk, lotDraftInput(c.assetId, clock.now()));
    expect(lot.id).toBeTruthy();

    const [procedure] = await db.select().from(priceProcedures).where(eq(priceProcedures.id, started.id));
    expect(procedure).toMatchObject({ status: "priced", referencePriceId: fixed.referencePriceId, selection: "agreed", basisKind: "both_parties_ask" });

    // P5, A27: every step is in the audit chain, and the chain holds.
    const trail = await actions([started.id, commissionId, report.id, objection.id]);
    expect(trail.map((e) => e.action)).toEqual([
      "appraisal.procedure_started",
      "appraisal.agencies_agreed",
      "appraisal.commission_offered",
      "appraisal.commission_accepted",
      "appraisal.report_submitted",
      "appraisal.report_delivered",
      "appraisal.objection_filed",
      "appraisal.objection_forwarded",
      "appraisal.objection_answered",
      "appraisal.objection_decided",
      "appraisal.reference_price_fixed",
    ]);
    expect((await verifyChain(db)).ok).toBe(true);

    // The court's page and the parties' list show it.
    const view = await procedureView(db, c.judge, started.id);
    expect(view.ranking.map((r) => r.agencyId)).toEqual([a1!.agency.id, a2!.agency.id, a3!.agency.id]);
    expect(view.reports).toHaveLength(1);
    expect(view.reports[0]).not.toHaveProperty("content");
    expect((await assetProcedures(db, c.debtor, c.assetId))[0]).toMatchObject({ id: started.id, status: "priced" });
  });
});

describe("A13: the parties' agreed ranking", () => {
  it("A13: three distinct active agencies in the agreed order; a decline passes the commission to the next in that order", async () => {
    clock.set(START);
    const c = await makePricingCase(db, clock);
    const p = await startProcedure(db, clock, c.judge, c.assetId, { method: "appraisal", basisKind: "law_requires", basis: "法律规定须委托评估" });
    const ids = [c.agencies[2]!.agency.id, c.agencies[0]!.agency.id, c.agencies[1]!.agency.id];
    const { commissionId } = await agreeAgencies(db, clock, c.clerk, p.id, ids);
    const ranking = await db.select().from(agencyRankings).where(eq(agencyRankings.procedureId, p.id)).orderBy(asc(agencyRankings.rank));
    expect(ranking.map((r) => r.agencyId)).toEqual(ids);

    const { next } = await declineCommission(db, clock, c.agencies[2]!.member, commissionId, { reason: "本机构近期业务饱和" });
    const [second] = await db.select().from(commissions).where(eq(commissions.id, next!.commissionId));
    expect(second).toMatchObject({ rank: 2, agencyId: c.agencies[0]!.agency.id, status: "offered" });
  });

  it("A13: duplicates, a suspended agency or fewer than three are refused, and nothing is written", async () => {
    clock.set(START);
    const c = await makePricingCase(db, clock);
    const admin = await makeAdmin(db, clock);
    const suspended = await makeAgency(db, clock);
    await suspendAgency(db, clock, admin, suspended.agency.id, { reason: "停业整顿" });
    const p = await startProcedure(db, clock, c.judge, c.assetId, { method: "appraisal", basisKind: "law_requires", basis: "法律规定须委托评估" });
    const [a, b] = c.agencies.map((x) => x.agency.id);
    expect(await codeOf(agreeAgencies(db, clock, c.clerk, p.id, [a!, a!, b!]))).toBe("AGENCIES_INVALID");
    expect(await codeOf(agreeAgencies(db, clock, c.clerk, p.id, [a!, b!, suspended.agency.id]))).toBe("AGENCIES_INVALID");
    expect(await codeOf(agreeAgencies(db, clock, c.clerk, p.id, [a!, b!]))).toBe("VALIDATION_FAILED");
    // Only the court records the agreement.
    expect(await codeOf(agreeAgencies(db, clock, c.applicant, p.id, c.agencies.map((x) => x.agency.id)))).toBe("FORBIDDEN");
    const [rankings] = await db.select({ n: count() }).from(agencyRankings).where(eq(agencyRankings.procedureId, p.id));
    const [offers] = await db.select({ n: count() }).from(commissions).where(eq(commissions.procedureId, p.id));
    expect([rankings!.n, offers!.n]).toEqual([0, 0]);
  });

  it("A13, A14: a drawn ranking and the first-ranked agency's commission come in one transaction", async () => {
    clock.set(START);
    const c = await makePricingCase(db, clock);
    const p = await startProcedure(db, clock, c.judge, c.assetId, { method: "appraisal", basisKind: "online_inquiry_failed", basis: "网络询价未能确定参考价" });
    const draw = await openDraw(db, clock, testDrawSeedKeys, c.judge, p.id, { regionScope: "library", entropyCutoffAt: new Date(clock.now().getTime() + 60 * 60 * 1000) });
    clock.advance(60 * 60 * 1000);
    const { commissionId } = await drawAndCommission(db, clock, testDrawSeedKeys, c.judge, draw.drawId);
    const ranking = await db.select().from(agencyRankings).where(eq(agencyRankings.procedureId, p.id)).orderBy(asc(agencyRankings.rank));
    const [offer] = await db.select().from(commissions).where(eq(commissions.id, commissionId!));
    expect(ranking).toHaveLength(3);
    expect(offer).toMatchObject({ rank: 1, agencyId: ranking[0]!.agencyId, status: "offered" });
    // Agreeing after a draw is refused: the selection is made.
    expect(await codeOf(agreeAgencies(db, clock, c.clerk, p.id, c.agencies.map((x) => x.agency.id)))).toBe("CONFLICT");
  });
});

describe("A11, A1: starting a procedure", () => {
  it("A11, A5: an appraisal and an online inquiry each need a ground of their own; one running procedure per asset; only the court's staff start it", async () => {
    clock.set(START);
    const c = await makePricingCase(db, clock);
    expect(await fieldsOf(startProcedure(db, clock, c.judge, c.assetId, { method: "appraisal", basis: "评估" }))).toEqual({ basisKind: "validation.required" });
    expect(await codeOf(startProcedure(db, clock, c.judge, c.assetId, { method: "appraisal", basisKind: "parties_wish" as never, basis: "评估" }))).toBe("VALIDATION_FAILED");
    // A5: an online inquiry names its own ground, not an appraisal's.
    expect(await fieldsOf(startProcedure(db, clock, c.judge, c.assetId, { method: "online_inquiry", basisKind: "law_requires", basis: "询价" }))).toEqual({ basisKind: "validation.invalid" });
    const other = await makeCourt(db, clock);
    expect(await codeOf(startProcedure(db, clock, other.judge, c.assetId, { method: "appraisal", basisKind: "law_requires", basis: "评估" }))).toBe("FORBIDDEN");
    expect(await codeOf(startProcedure(db, clock, c.applicant, c.assetId, { method: "appraisal", basisKind: "law_requires", basis: "评估" }))).toBe("FORBIDDEN");
    const [none] = await db.select({ n: count() }).from(priceProcedures).where(eq(priceProcedures.assetId, c.assetId));
    expect(none!.n).toBe(0);

    await startProcedure(db, clock, c.judge, c.assetId, { method: "appraisal", basisKind: "law_requires", basis: "评估" });
    expect(await codeOf(startProcedure(db, clock, c.judge, c.assetId, { method: "online_inquiry", basisKind: "parties_jointly_chose", basis: "询价" }))).toBe("PROCEDURE_RUNNING");
    // Two starts at once: the database keeps one.
    const d = await makePricingCase(db, clock);
    const both = await Promise.allSettled([
      startProcedure(db, clock, d.judge, d.assetId, { method: "appraisal", basisKind: "law_requires", basis: "评估" }),
      startProcedure(db, clock, d.clerk, d.assetId, { method: "appraisal", basisKind: "law_requires", basis: "评估" }),
    ]);
    expect(both.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = both.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((refused.reason as AppError).code).toBe("PROCEDURE_RUNNING");
  });
});

describe("A14, A19: reports", () => {
  it("A14: only the agency that accepted uploads, before its deadline; the value is positive", async () => {
    const s = await acceptedAppraisal();
    clock.advance(DAY);
    const stranger = await makeAgency(db, clock);
    const second = s.agencies[1]!.member;
    expect(await codeOf(submitAppraisalReport(db, clock, stranger.member, s.commissionId, appraisalReportInput(clock.now())))).toBe("FORBIDDEN");
    expect(await codeOf(submitAppraisalReport(db, clock, second, s.commissionId, appraisalReportInput(clock.now())))).toBe("FORBIDDEN");
    expect(await codeOf(submitAppraisalReport(db, clock, s.judge, s.commissionId, appraisalReportInput(clock.now())))).toBe("FORBIDDEN");
    expect(await fieldsOf(submitAppraisalReport(db, clock, s.first, s.commissionId, appraisalReportInput(clock.now(), { valueFen: 0n })))).toEqual({ valueFen: "validation.amount" });
    const [none] = await db.select({ n: count() }).from(valuationReports).where(eq(valuationReports.procedureId, s.procedureId));
    expect(none!.n).toBe(0);
    // At the deadline exactly it is still on time.
    const [c] = await db.select().from(commissions).where(eq(commissions.id, s.commissionId));
    clock.set(c!.reportDueAt!);
    const report = await submitAppraisalReport(db, clock, s.first, s.commissionId, appraisalReportInput(clock.now()));
    expect(c!.reportDueAt).toEqual(new Date("2026-04-01T16:00:00Z")); // 24:00 on 1 April, Beijing
    // A19: received at 00:00 on 2 April, due to the parties by the end of 5 April.
    expect(report.deliveryDueAt).toEqual(new Date("2026-04-05T16:00:00Z"));
    // A second report for the same commission is refused.
    expect(await codeOf(submitAppraisalReport(db, clock, s.first, s.commissionId, appraisalReportInput(clock.now())))).toBe("CONFLICT");
  });

  it("A15: a report one millisecond after the deadline is refused", async () => {
    const s = await acceptedAppraisal();
    const [c] = await db.select().from(commissions).where(eq(commissions.id, s.commissionId));
    clock.set(new Date(c!.reportDueAt!.getTime() + MS));
    expect(await codeOf(submitAppraisalReport(db, clock, s.first, s.commissionId, appraisalReportInput(clock.now())))).toBe("REPORT_OVERDUE");
  });

  it("bad uploads: not a PDF, too large, empty, a PDF with a wrong extension or a wrong MIME type — each a clear message, nothing written", async () => {
    const s = await acceptedAppraisal();
    clock.advance(DAY);
    const now = clock.now();
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const tooLarge = new Uint8Array(20 * 1024 * 1024 + 1);
    tooLarge.set(PDF_BYTES);
    const cases: [ReturnType<typeof pdfFile> | null, string][] = [
      [pdfFile({ name: "报告.pdf", bytes: png }), "file.error.type.document"],
      [pdfFile({ name: "报告.png", type: "image/png", bytes: png }), "file.error.type.document"],
      [pdfFile({ bytes: tooLarge }), "file.error.tooLarge.document"],
      [pdfFile({ bytes: new Uint8Array(0) }), "file.error.empty"],
      [pdfFile({ name: "报告.docx" }), "file.error.extension"],
      [pdfFile({ type: "image/jpeg" }), "file.error.mime"],
      [null, "file.error.missing"],
    ];
    for (const [file, message] of cases) {
      const fields = await fieldsOf(submitAppraisalReport(db, clock, s.first, s.commissionId, { ...appraisalReportInput(now), file: file as never }));
      expect(fields, message).toEqual({ file: message });
    }
    const [none] = await db.select({ n: count() }).from(valuationReports).where(eq(valuationReports.procedureId, s.procedureId));
    const [c] = await db.select({ status: commissions.status }).from(commissions).where(eq(commissions.id, s.commissionId));
    expect(none!.n).toBe(0);
    expect(c!.status).toBe("accepted");
  });

  it("A23: a validity of more than one year from the valuation date is refused; exactly one year is accepted", async () => {
    const s = await acceptedAppraisal();
    clock.advance(DAY);
    const valuationDate = new Date("2026-03-01T16:00:00Z");
    const oneYear = new Date("2027-03-01T16:00:00Z");
    expect(await fieldsOf(submitAppraisalReport(db, clock, s.first, s.commissionId, appraisalReportInput(clock.now(), { valuationDate, validUntil: new Date(oneYear.getTime() + MS) })))).toEqual({
      validUntil: "appraisal.error.validityTooLong",
    });
    await submitAppraisalReport(db, clock, s.first, s.commissionId, appraisalReportInput(clock.now(), { valuationDate, validUntil: oneYear }));
  });

  it("A19: the report is due to the parties within 3 days; a late delivery is made and recorded as late; the parties read it only after delivery", async () => {
    const s = await acceptedAppraisal();
    clock.advance(DAY);
    const report = await submitAppraisalReport(db, clock, s.first, s.commissionId, appraisalReportInput(clock.now()));
    expect(await codeOf(deliverReport(db, clock, s.applicant, report.id))).toBe("FORBIDDEN");
    const outsider = await makeBidder(db, clock);
    clock.set(new Date(report.deliveryDueAt.getTime() + MS));
    await deliverReport(db, clock, s.clerk, report.id);
    const [event] = await db.select({ data: auditEvents.data }).from(auditEvents).where(and(eq(auditEvents.entityId, report.id), eq(auditEvents.action, "appraisal.report_delivered")));
    expect(event!.data).toMatchObject({ rule: "A19", late: true });
    expect(await codeOf(deliverReport(db, clock, s.clerk, report.id))).toBe("CONFLICT");
    expect((await reportFile(db, s.debtor, report.id)).sha256).toBe(report.sha256);
    expect((await reportFile(db, s.first, report.id)).fileName).toBe("评估报告.pdf");
    expect(await codeOf(reportFile(db, outsider, report.id))).toBe("FORBIDDEN");
    expect(await codeOf(reportFile(db, s.agencies[1]!.member, report.id))).toBe("FORBIDDEN");
  });
});

describe("who sees a procedure (P4, A21)", () => {
  it("the court's view of a procedure is for the court and the case's parties only: not the commissioned agency, not another agency", async () => {
    const s = await deliveredReport();
    expect((await procedureView(db, s.clerk, s.procedureId)).reports).toHaveLength(1);
    expect((await procedureView(db, s.debtor, s.procedureId)).reports).toHaveLength(1);
    // The agency works from its own portal, which never shows who objected (A21) or other agencies' offers.
    expect(await codeOf(procedureView(db, s.first, s.procedureId))).toBe("FORBIDDEN");
    expect(await codeOf(procedureView(db, s.agencies[1]!.member, s.procedureId))).toBe("FORBIDDEN");
  });
});

describe("A20–A22: objections", () => {
  it("A20: an objection on day 5 after delivery is accepted; on day 6 it is refused", async () => {
    const s = await deliveredReport();
    // Delivered on 13 March (Beijing): day 5 is 18 March.
    expect(s.objectionDueAt).toEqual(new Date("2026-03-18T16:00:00Z"));
    clock.set(new Date("2026-03-18T15:59:59.999Z"));
    await fileObjection(db, clock, s.debtor, s.reportId, { kind: "procedural", grounds: "评估机构未通知当事人现场勘验" });
    clock.set(new Date("2026-03-18T16:00:00.001Z"));
    expect(await codeOf(fileObjection(db, clock, s.applicant, s.reportId, { kind: "technical", grounds: "参数取值不当" }))).toBe("OBJECTION_LATE");
    const rows = await db.select().from(reportObjections).where(eq(reportObjections.reportId, s.reportId));
    expect(rows).toHaveLength(1);
    // A20: a procedural objection is decided by the court within 15 days, without forwarding.
    expect(rows[0]!.decisionDueAt).toEqual(new Date("2026-04-02T16:00:00Z"));
    expect(rows[0]!.forwardDueAt).toBeNull();
  });

  it("A21: a technical objection is forwarded within 3 days and explained within 5; only the report's author answers; only parties object", async () => {
    const s = await deliveredReport();
    const outsider = await makeBidder(db, clock);
    expect(await codeOf(fileObjection(db, clock, outsider, s.reportId, { kind: "technical", grounds: "x" }))).toBe("FORBIDDEN");
    expect(await codeOf(fileObjection(db, clock, s.applicant, s.reportId, { kind: "other", grounds: "x" }))).toBe("VALIDATION_FAILED");
    const o = await fileObjection(db, clock, s.applicant, s.reportId, { kind: "technical", grounds: "可比案例选取不当" });
    const [filed] = await db.select().from(reportObjections).where(eq(reportObjections.id, o.id));
    // Filed on 13 March 10:00 Beijing: forwarded by the end of 16 March.
    expect(filed!.forwardDueAt).toEqual(new Date("2026-03-16T16:00:00Z"));
    // Not decided before it was explained.
    expect(await codeOf(decideObjection(db, clock, s.judge, o.id, { decision: "rejected" }))).toBe("CONFLICT");
    clock.advance(2 * DAY);
    const { answerDueAt } = await forwardObjection(db, clock, s.clerk, o.id);
    expect(answerDueAt).toEqual(new Date("2026-03-20T16:00:00Z"));
    expect(await codeOf(answerObjection(db, clock, s.agencies[1]!.member, o.id, { answer: "x" }))).toBe("FORBIDDEN");
    clock.set(new Date(answerDueAt.getTime() + MS));
    expect(await codeOf(answerObjection(db, clock, s.first, o.id, { answer: "说明" }))).toBe("OBJECTION_ANSWER_LATE");
    // Clerks do not decide: the judge does.
    expect(await codeOf(decideObjection(db, clock, s.clerk, o.id, { decision: "rejected" }))).toBe("FORBIDDEN");
  });

  it("A21: an upheld objection makes the report unusable; the agency's commission reopens for a corrected report", async () => {
    const s = await deliveredReport();
    const o = await fileObjection(db, clock, s.applicant, s.reportId, { kind: "technical", grounds: "面积引用错误" });
    await forwardObjection(db, clock, s.clerk, o.id);
    await answerObjection(db, clock, s.first, o.id, { answer: "经核，面积引用有误" });
    const { reopenedCommissionId } = await decideObjection(db, clock, s.judge, o.id, { decision: "upheld" });
    expect(reopenedCommissionId).toBe(s.commissionId);
    clock.set(new Date(s.objectionDueAt!.getTime() + MS));
    expect(await codeOf(fixReferencePrice(db, clock, s.judge, s.procedureId, { reportId: s.reportId }))).toBe("REPORT_UNUSABLE");
    expect(await codeOf(fixReferencePrice(db, clock, s.judge, s.procedureId))).toBe("REPORT_NOT_DELIVERED");
    const corrected = await submitAppraisalReport(db, clock, s.first, s.commissionId, appraisalReportInput(clock.now(), { valueFen: 95_000_000n }));
    const delivered = await deliverReport(db, clock, s.clerk, corrected.id);
    clock.set(new Date(delivered.objectionDueAt!.getTime() + MS));
    const fixed = await fixReferencePrice(db, clock, s.judge, s.procedureId);
    expect(fixed.amountFen).toBe(95_000_000n);
  });

  it("A21: technical review is a decision pending: the price waits until the judge decides after the review", async () => {
    const s = await deliveredReport();
    const o = await fileObjection(db, clock, s.applicant, s.reportId, { kind: "technical", grounds: "成新率取值过低" });
    await forwardObjection(db, clock, s.clerk, o.id);
    await answerObjection(db, clock, s.first, o.id, { answer: "取值依据行业标准" });
    await decideObjection(db, clock, s.judge, o.id, { decision: "technical_review" });
    clock.set(new Date(s.objectionDueAt!.getTime() + MS));
    expect(await codeOf(fixReferencePrice(db, clock, s.judge, s.procedureId))).toBe("OBJECTIONS_PENDING");
    expect(await codeOf(decideObjection(db, clock, s.judge, o.id, { decision: "technical_review" }))).toBe("CONFLICT");
    await decideObjection(db, clock, s.judge, o.id, { decision: "rejected", note: "专业技术评审意见：评估报告合理" });
    await fixReferencePrice(db, clock, s.judge, s.procedureId);
  });

  it("A22: objections to a directed-inquiry price are not accepted", async () => {
    clock.set(START);
    const c = await makePricingCase(db, clock);
    const p = await startProcedure(db, clock, c.judge, c.assetId, { method: "directed_inquiry", basis: "该房产有计税基准价" });
    // The directed inquiry's answer is stored as a report against its request (the inquiry module does this).
    const [request] = await db
      .insert(inquiryRequests)
      .values({ procedureId: p.id, platformId: null, addressee: "某区税务局", sentAt: clock.now(), dueAt: new Date(clock.now().getTime() + 5 * DAY) })
      .returning();
    const report = await db.transaction((tx) => storeValuationReport(tx, clock, c.judge.id, { procedureId: p.id, inquiryRequestId: request!.id }, checkReportInput(clock.now(), appraisalReportInput(clock.now()))));
    await deliverReport(db, clock, c.clerk, report.id);
    expect(await codeOf(fileObjection(db, clock, c.applicant, report.id, { kind: "procedural", grounds: "价格过低" }))).toBe("OBJECTION_NOT_ALLOWED");
    const [none] = await db.select({ n: count() }).from(reportObjections).where(eq(reportObjections.reportId, report.id));
    expect(none!.n).toBe(0);
  });
});

describe("A23: the reference price's validity", () => {
  it("A23: the price is valid from the valuation date to the report's validity; an expired report cannot be used (its last instant still can, as the auction reads it)", async () => {
    const s = await acceptedAppraisal();
    clock.advance(DAY);
    const valuationDate = new Date(clock.now().getTime() - DAY);
    const validUntil = new Date(valuationDate.getTime() + 40 * DAY);
    const report = await submitAppraisalReport(db, clock, s.first, s.commissionId, appraisalReportInput(clock.now(), { valuationDate, validUntil }));
    await deliverReport(db, clock, s.clerk, report.id);
    clock.set(new Date(validUntil.getTime() + MS));
    expect(await codeOf(fixReferencePrice(db, clock, s.judge, s.procedureId))).toBe("REPORT_EXPIRED");
    // At the validity's last instant (long after the objection window) the report still prices the asset,
    // and the auction reads that price as valid at that instant.
    clock.set(validUntil);
    expect(await codeOf(fixReferencePrice(db, clock, s.clerk, s.procedureId))).toBe("FORBIDDEN");
    const fixed = await fixReferencePrice(db, clock, s.judge, s.procedureId);
    expect(await validReferencePrice(db, s.assetId, clock.now())).toMatchObject({ id: fixed.referencePriceId });
    expect([fixed.validFrom, fixed.validUntil]).toEqual([valuationDate, validUntil]);
  });
});
