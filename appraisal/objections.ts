// Objections to a valuation report (A20–A22): a party objects within 5 days of delivery; the court
// forwards a technical objection within 3 days and the appraiser explains within 5; the judge decides.
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "../db/client.ts";
import { commissions, inquiryRequests, OBJECTION_KINDS, reportObjections, valuationReports } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { parseOrThrow, plainText } from "../core/validation.ts";
import { CN_SPC_2016 } from "../core/ruleset.ts";
import { authorize, can, type SessionUser } from "../identity/index.ts";
import { actingParty } from "./parties.ts";
import { lockProcedure, requireOpen } from "./procedures.ts";
import {
  allowedDecisions,
  answerDueAt,
  decisionDueAt,
  forwardDueAt,
  isPast,
  OBJECTION_DECISIONS,
  objectionsAllowed,
  reissueDueAt,
  reviewAllowed,
  reviewDueAt,
  reviewHold,
  type ReviewHold,
} from "./rules/appraisal.ts";

export type ReportObjection = typeof reportObjections.$inferSelect;
type Report = typeof valuationReports.$inferSelect;

/** Locks the report's procedure, then the report (the workflow's lock order). */
async function lockReport(tx: Tx, reportId: string) {
  const [ref] = await tx.select({ procedureId: valuationReports.procedureId }).from(valuationReports).where(eq(valuationReports.id, reportId));
  if (!ref) throw new AppError("NOT_FOUND");
  const p = await lockProcedure(tx, ref.procedureId);
  const [report] = await tx.select().from(valuationReports).where(eq(valuationReports.id, reportId)).for("update");
  return { p, report: report! };
}

/** Locks an objection after its procedure and report. */
async function lockObjection(tx: Tx, objectionId: string) {
  const [ref] = await tx.select({ reportId: reportObjections.reportId }).from(reportObjections).where(eq(reportObjections.id, objectionId));
  if (!ref) throw new AppError("NOT_FOUND");
  const { p, report } = await lockReport(tx, ref.reportId);
  const [o] = await tx.select().from(reportObjections).where(eq(reportObjections.id, objectionId)).for("update");
  return { p, report, o: o! };
}

export const objectionSchema = z.object({
  kind: z.enum(OBJECTION_KINDS, { error: "validation.invalid" }),
  grounds: plainText({ max: 5000, multiline: true }),
});

/**
 * A20, A21: a party of the case objects in writing to a delivered report, within 5 days of delivery
 * (the fifth day's end is on time, the sixth day is late). A22: late objections, and objections to
 * negotiated or directed-inquiry prices, are refused.
 */
export async function fileObjection(db: Db, clock: Clock, user: SessionUser, reportId: string, input: { kind: string; grounds: string }): Promise<{ id: string }> {
  const data = parseOrThrow(objectionSchema, input);
  return db.transaction(async (tx) => {
    const { p, report } = await lockReport(tx, reportId);
    const party = await actingParty(tx, user, p.caseId);
    if (!objectionsAllowed(p.method)) throw new AppError("OBJECTION_NOT_ALLOWED");
    requireOpen(p);
    if (!report.deliveredAt || !report.objectionDueAt) throw new AppError("REPORT_NOT_DELIVERED");
    if (report.excluded) throw new AppError("REPORT_UNUSABLE");
    const now = clock.now();
    if (isPast(report.objectionDueAt, now)) throw new AppError("OBJECTION_LATE");
    const technical = data.kind === "technical";
    const [row] = await tx
      .insert(reportObjections)
      .values({
        reportId,
        partyId: party.id,
        kind: data.kind,
        grounds: data.grounds,
        status: "filed",
        filedBy: user.id,
        filedAt: now,
        forwardDueAt: technical ? forwardDueAt(CN_SPC_2016, now) : null,
        decisionDueAt: technical ? null : decisionDueAt(CN_SPC_2016, now),
      })
      .returning({ id: reportObjections.id });
    await appendAudit(tx, clock, {
      actorId: user.id,
      action: "appraisal.objection_filed",
      entityType: "report_objection",
      entityId: row!.id,
      data: { rule: technical ? "A21" : "A20", reportId, partyId: party.id, kind: data.kind },
    });
    return row!;
  });
}

/** A21: the court forwards a technical objection to the appraiser (due within 3 days of filing); the answer is due 5 days later. */
export async function forwardObjection(db: Db, clock: Clock, actor: SessionUser, objectionId: string): Promise<{ answerDueAt: Date }> {
  return db.transaction(async (tx) => {
    const { p, o } = await lockObjection(tx, objectionId);
    authorize(actor, "appraisal.manage", { courtId: p.courtId });
    requireOpen(p);
    if (o.kind !== "technical" || o.status !== "filed") throw new AppError("CONFLICT");
    const now = clock.now();
    const due = answerDueAt(CN_SPC_2016, now);
    await tx.update(reportObjections).set({ status: "forwarded", forwardedAt: now, answerDueAt: due }).where(eq(reportObjections.id, o.id));
    await appendAudit(tx, clock, {
      actorId: actor.id,
      action: "appraisal.objection_forwarded",
      entityType: "report_objection",
      entityId: o.id,
      data: { rule: "A21", answerDueAt: due, late: o.forwardDueAt ? isPast(o.forwardDueAt, now) : false },
    });
    return { answerDueAt: due };
  });
}

/** Whether `user` works for the agency or platform that wrote the report. */
async function isAuthor(tx: Tx, user: SessionUser, report: Report): Promise<boolean> {
  if (report.commissionId) {
    const [c] = await tx.select({ agencyId: commissions.agencyId }).from(commissions).where(eq(commissions.id, report.commissionId));
    return can(user, "agency.work", { agencyId: c?.agencyId });
  }
  if (report.inquiryRequestId) {
    const [r] = await tx.select({ platformId: inquiryRequests.platformId }).from(inquiryRequests).where(eq(inquiryRequests.id, report.inquiryRequestId));
    return can(user, "platform.work", { platformId: r?.platformId });
  }
  return false;
}

export const answerSchema = z.object({ answer: plainText({ max: 10_000, multiline: true }) });

/** A21: the appraiser (or platform) that wrote the report explains, within 5 days of receiving the objection. */
export async function answerObjection(db: Db, clock: Clock, user: SessionUser, objectionId: string, input: { answer: string }): Promise<void> {
  const { answer } = parseOrThrow(answerSchema, input);
  await db.transaction(async (tx) => {
    const { p, report, o } = await lockObjection(tx, objectionId);
    if (!(await isAuthor(tx, user, report))) throw new AppError("FORBIDDEN");
    requireOpen(p);
    if (o.status !== "forwarded" || !o.answerDueAt) throw new AppError("CONFLICT");
    const now = clock.now();
    if (isPast(o.answerDueAt, now)) throw new AppError("OBJECTION_ANSWER_LATE");
    await tx.update(reportObjections).set({ status: "answered", answer, answeredAt: now }).where(eq(reportObjections.id, o.id));
    await appendAudit(tx, clock, { actorId: user.id, action: "appraisal.objection_answered", entityType: "report_objection", entityId: o.id, data: { rule: "A21" } });
  });
}

/**
 * An upheld objection (or a review that upholds it, A20) sets the report aside: it is excluded (A10 for
 * platform reports), and for an appraisal the same agency's commission reopens for a corrected report, due
 * on the appraiser's re-issue period (15 days, A17) — the law names no period for a correction after an
 * upheld objection, so the platform uses the nearest one. Returns the reopened commission's id.
 */
async function setReportAside(tx: Tx, now: Date, report: Report): Promise<string | null> {
  await tx.update(valuationReports).set({ excluded: true }).where(eq(valuationReports.id, report.id));
  if (!report.commissionId) return null;
  const [c] = await tx.select().from(commissions).where(eq(commissions.id, report.commissionId)).for("update");
  if (!c || c.status !== "reported") return null;
  const due = reissueDueAt(CN_SPC_2016, now, "appraisal");
  await tx.update(commissions).set({ status: "accepted", reportDueAt: due }).where(eq(commissions.id, c.id));
  return c.id;
}

export const decisionSchema = z.object({
  decision: z.enum(OBJECTION_DECISIONS, { error: "validation.invalid" }),
  note: z.preprocess((v) => (v === "" || v === null ? undefined : v), plainText({ max: 5000, multiline: true }).optional()),
});

/**
 * The judge decides an objection (A20, A21; see `allowedDecisions` for which decision fits which state).
 * Upheld means the report cannot be used: it is excluded (A10 for platform reports). For an appraisal,
 * the same agency's commission reopens for a corrected report, due on the appraiser's re-issue period
 * (15 days, A17) — the law names no period for a correction after an upheld objection, so the platform
 * uses the nearest one. If the court wants another agency instead, it withdraws the procedure (A24) and
 * starts a new selection.
 */
export async function decideObjection(db: Db, clock: Clock, actor: SessionUser, objectionId: string, input: { decision: string; note?: string }): Promise<{ reopenedCommissionId: string | null }> {
  const data = parseOrThrow(decisionSchema, input);
  return db.transaction(async (tx) => {
    const { p, report, o } = await lockObjection(tx, objectionId);
    authorize(actor, "appraisal.decide", { courtId: p.courtId });
    requireOpen(p);
    if (!allowedDecisions(o.kind, o.status).includes(data.decision)) throw new AppError("CONFLICT", { fields: { decision: "appraisal.error.decisionNotAllowed" } });
    const now = clock.now();
    await tx
      .update(reportObjections)
      .set({ status: data.decision, decision: data.decision, decisionNote: data.note ?? null, decidedBy: actor.id, decidedAt: now })
      .where(eq(reportObjections.id, o.id));
    const reopened = data.decision === "upheld" ? await setReportAside(tx, now, report) : null;
    await appendAudit(tx, clock, {
      actorId: actor.id,
      action: "appraisal.objection_decided",
      entityType: "report_objection",
      entityId: o.id,
      data: { rule: o.kind === "technical" ? "A21" : "A20", decision: data.decision, reportId: report.id, reportExcluded: data.decision === "upheld", reopenedCommissionId: reopened },
    });
    return { reopenedCommissionId: reopened };
  });
}

/**
 * A21: an appraiser that did not explain within 5 days sends the objection to the industry association's
 * technical review. Nobody acts: the audit event has no actor. Idempotent.
 */
export async function sendUnansweredToReview(db: Db, clock: Clock, objectionId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { p, o } = await lockObjection(tx, objectionId);
    if (p.status !== "open" || o.status !== "forwarded" || !o.answerDueAt || !isPast(o.answerDueAt, clock.now())) return false;
    await tx.update(reportObjections).set({ status: "technical_review" }).where(eq(reportObjections.id, o.id));
    await appendAudit(tx, clock, {
      actorId: null,
      action: "appraisal.objection_to_technical_review",
      entityType: "report_objection",
      entityId: o.id,
      data: { rule: "A21", answerDueAt: o.answerDueAt },
    });
    return true;
  });
}

export const reviewRequestSchema = z.object({ grounds: plainText({ max: 5000, multiline: true }) });

/**
 * A20 (CPL 236): the party whose procedural objection was rejected asks for review (复议) within 10 days
 * of the decision (the tenth day's end is on time, the eleventh is late). Once, and only that party
 * (through any of its accounts). While the review is pending the reference price cannot be fixed.
 */
export async function requestReview(db: Db, clock: Clock, user: SessionUser, objectionId: string, input: { grounds: string }): Promise<{ reviewRequestedAt: Date }> {
  const data = parseOrThrow(reviewRequestSchema, input);
  return db.transaction(async (tx) => {
    const { p, o } = await lockObjection(tx, objectionId);
    const party = await actingParty(tx, user, p.caseId);
    if (party.id !== o.partyId || !reviewAllowed(o) || !o.decidedAt) throw new AppError("REVIEW_NOT_ALLOWED");
    // A20, A24: the 10 days are the party's period under CPL 236, not a step of the appraisal, so a suspension
    // neither stops nor blocks them (resuming does not move them); the court records the outcome once resumed.
    if (p.status !== "open" && p.status !== "suspended") throw new AppError("PROCEDURE_NOT_OPEN");
    const now = clock.now();
    const due = reviewDueAt(CN_SPC_2016, o.decidedAt);
    if (isPast(due, now)) throw new AppError("REVIEW_LATE");
    await tx.update(reportObjections).set({ reviewGrounds: data.grounds, reviewRequestedAt: now, reviewRequestedBy: user.id }).where(eq(reportObjections.id, o.id));
    await appendAudit(tx, clock, {
      actorId: user.id,
      action: "appraisal.review_requested",
      entityType: "report_objection",
      entityId: o.id,
      data: { rule: "A20", partyId: party.id, decidedAt: o.decidedAt, reviewDueAt: due },
    });
    return { reviewRequestedAt: now };
  });
}

/**
 * A20: the price waits for a party's review: REVIEW_PENDING while one is asked and undecided, REVIEW_WINDOW_OPEN
 * while the 10 days to ask for one run (the court's page says until when, from the same rule).
 */
export function refuseWhileReviewOpen(objections: Parameters<typeof reviewHold>[1], now: Date): void {
  const hold = reviewHold(CN_SPC_2016, objections, now);
  if (hold) throw new AppError(hold.kind === "review_pending" ? "REVIEW_PENDING" : "REVIEW_WINDOW_OPEN");
}

/**
 * A20: what holds up a procedure's price on account of a review, for the court's page: read from the objections
 * the price is fixed over — an appraisal's newest usable report (as `fixReferencePrice` picks it), every
 * platform report of an online inquiry. The other methods admit no objection (A22).
 */
export function priceReviewHold(
  view: { procedure: { method: string }; reports: readonly Pick<Report, "id" | "commissionId" | "excluded" | "submittedAt">[]; objections: readonly ReportObjection[] },
  now: Date,
): ReviewHold | null {
  const { method } = view.procedure;
  if (method === "online_inquiry") return reviewHold(CN_SPC_2016, view.objections, now);
  if (method !== "appraisal") return null;
  const usable = view.reports.filter((r) => r.commissionId && !r.excluded).sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime())[0];
  return usable ? reviewHold(CN_SPC_2016, view.objections.filter((o) => o.reportId === usable.id), now) : null;
}

export const REVIEW_OUTCOMES = ["upheld", "rejected"] as const;
export const reviewOutcomeSchema = z.object({
  outcome: z.enum(REVIEW_OUTCOMES, { error: "validation.invalid" }),
  note: z.preprocess((v) => (v === "" || v === null ? undefined : v), plainText({ max: 5000, multiline: true }).optional()),
});

/**
 * A20: the judge records the outcome of the review. Upheld: the objection holds after all — the report is
 * set aside as for an objection upheld at first (`setReportAside`). Rejected: the decision stands. Either
 * way the reference price may then be fixed (from a usable report).
 */
export async function recordReviewOutcome(db: Db, clock: Clock, actor: SessionUser, objectionId: string, input: { outcome: string; note?: string }): Promise<{ reopenedCommissionId: string | null }> {
  const data = parseOrThrow(reviewOutcomeSchema, input);
  return db.transaction(async (tx) => {
    const { p, report, o } = await lockObjection(tx, objectionId);
    authorize(actor, "appraisal.decide", { courtId: p.courtId });
    requireOpen(p);
    if (!o.reviewRequestedAt || o.reviewDecidedAt) throw new AppError("CONFLICT");
    const now = clock.now();
    const upheld = data.outcome === "upheld";
    await tx
      .update(reportObjections)
      .set({ reviewOutcome: data.outcome, reviewNote: data.note ?? null, reviewDecidedBy: actor.id, reviewDecidedAt: now, ...(upheld ? { status: "upheld" as const } : {}) })
      .where(eq(reportObjections.id, o.id));
    const reopened = upheld ? await setReportAside(tx, now, report) : null;
    await appendAudit(tx, clock, {
      actorId: actor.id,
      action: "appraisal.review_decided",
      entityType: "report_objection",
      entityId: o.id,
      data: { rule: "A20", outcome: data.outcome, reportId: report.id, reportExcluded: upheld, reopenedCommissionId: reopened },
    });
    return { reopenedCommissionId: reopened };
  });
}
