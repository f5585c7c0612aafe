// Valuation reports (A14, A17, A19, A23): the agency uploads its report as a PDF before its deadline;
// the court delivers it to the parties, who may then read it and object.
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "../db/client.ts";
import { commissions, inquiryRequests, priceProcedures, valuationReports } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { CN_SPC_2016 } from "../core/ruleset.ts";
import { fenField, instantField, parseInput, parseOrThrow, plainText } from "../core/validation.ts";
import { cases, checkUpload, FILE_RULES } from "../auction/index.ts";
import { authorize, can, type SessionUser } from "../identity/index.ts";
import { lockOwnCommission, offerNext } from "./commissions.ts";
import { partyOf } from "./parties.ts";
import { lockCourtProcedure, lockProcedure, requireOpen } from "./procedures.ts";
import {
  checkReportValidity,
  deemedServedAt,
  defectDueAt,
  defectOpen,
  defectRemedies,
  deliveryDueAt,
  isPast,
  materialsDueAt,
  objectionDueAt,
  objectionsAllowed,
  postedObjectionDueAt,
  type DefectRemedy,
} from "./rules/appraisal.ts";

export interface UploadedFile {
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** A report is a PDF document of at most this size (the platform's document limit). */
export const REPORT_MAX_BYTES = FILE_RULES.document.maxBytes;

/**
 * A report's file: present, not empty, at most 20 MB, a PDF by its first bytes, named .pdf and not
 * declared as another type. Returns a message key ("file.error.*") when it is not.
 */
export function checkReportUpload(file: UploadedFile | null | undefined): { ok: true; contentType: string } | { ok: false; error: string } {
  if (!file) return { ok: false, error: "file.error.missing" };
  return checkUpload("document", file);
}

export const reportInputSchema = z.object({
  /** A14: the report states its method (e.g. 市场法, 收益法, 成本法), its result and its validity. */
  valuationMethod: plainText({ max: 100, multiline: true }),
  // Routes may hand over an amount they already parsed.
  valueFen: z.preprocess((v) => (typeof v === "bigint" ? v.toString() : v), fenField),
  valuationDate: instantField,
  validUntil: instantField,
});
const reportDatesSchema = reportInputSchema.pick({ valuationDate: true, validUntil: true });
export type ReportInput = z.input<typeof reportInputSchema> & { file: UploadedFile | null | undefined };
export type CheckedReport = z.infer<typeof reportInputSchema> & { file: UploadedFile; sha256: string };

/** A14, A23 over the report's two dates when both are readable, as field errors (none when either is not). */
export function reportDatesFault(now: Date, dates: { valuationDate?: Date; validUntil?: Date }): Record<string, string> {
  if (!dates.valuationDate || !dates.validUntil) return {};
  const fault = checkReportValidity(CN_SPC_2016, { valuationDate: dates.valuationDate, validUntil: dates.validUntil, now });
  return fault ? { [fault.field]: fault.error } : {};
}

/**
 * Checks a report before anything is written: its fields, its validity (A14, A23: after the valuation
 * date, at most a year from it, not over already) and its file. Every fault is named at once.
 */
export function checkReportInput(now: Date, input: ReportInput): CheckedReport {
  const { file, ...fields } = input;
  const parsed = parseInput(reportInputSchema, fields as Record<string, unknown>);
  const errors: Record<string, string> = parsed.ok ? {} : { ...parsed.fields };
  // The validity rules need only the two dates: they are checked whatever else is wrong, so one round names all.
  const dates = reportDatesSchema.safeParse(fields);
  Object.assign(errors, reportDatesFault(now, dates.success ? dates.data : {}));
  const upload = checkReportUpload(file);
  if (!upload.ok) errors.file = upload.error;
  if (!parsed.ok || Object.keys(errors).length > 0) throw new AppError("VALIDATION_FAILED", { fields: errors });
  return { ...parsed.data, file: file!, sha256: createHash("sha256").update(file!.bytes).digest("hex") };
}

/**
 * Stores a checked report — an agency's (commissionId) or a platform's (inquiryRequestId) — in the
 * caller's transaction, with its SHA-256 and its A19 delivery deadline, and audits it.
 */
export async function storeValuationReport(
  tx: Tx,
  clock: Clock,
  submittedBy: string,
  source: { procedureId: string; commissionId: string } | { procedureId: string; inquiryRequestId: string },
  report: CheckedReport,
): Promise<{ id: string; sha256: string; deliveryDueAt: Date }> {
  const now = clock.now();
  const due = deliveryDueAt(CN_SPC_2016, now);
  const [row] = await tx
    .insert(valuationReports)
    .values({
      procedureId: source.procedureId,
      commissionId: "commissionId" in source ? source.commissionId : null,
      inquiryRequestId: "inquiryRequestId" in source ? source.inquiryRequestId : null,
      valuationMethod: report.valuationMethod,
      valueFen: report.valueFen,
      valuationDate: report.valuationDate,
      validUntil: report.validUntil,
      fileName: report.file.name,
      sizeBytes: report.file.bytes.length,
      sha256: report.sha256,
      content: report.file.bytes,
      submittedBy,
      submittedAt: now,
      deliveryDueAt: due,
    })
    .returning({ id: valuationReports.id });
  await appendAudit(tx, clock, {
    actorId: submittedBy,
    action: "appraisal.report_submitted",
    entityType: "valuation_report",
    entityId: row!.id,
    data: { rule: "A14", ...source, sha256: report.sha256, valueFen: report.valueFen, valuationMethod: report.valuationMethod, valuationDate: report.valuationDate, validUntil: report.validUntil, deliveryDueAt: due },
  });
  return { id: row!.id, sha256: report.sha256, deliveryDueAt: due };
}

/**
 * A14: the commissioned agency uploads its report: only the agency that accepted, only before its
 * deadline (A15, with extensions) — once overdue (A16) the commission has passed on.
 */
export async function submitAppraisalReport(db: Db, clock: Clock, user: SessionUser, commissionId: string, input: ReportInput): Promise<{ id: string; sha256: string; deliveryDueAt: Date }> {
  const report = checkReportInput(clock.now(), input);
  return db.transaction(async (tx) => {
    const { p, c } = await lockOwnCommission(tx, user, commissionId);
    if (c.status === "overdue") throw new AppError("REPORT_OVERDUE");
    if (c.status !== "accepted" || !c.reportDueAt) throw new AppError("CONFLICT");
    if (isPast(c.reportDueAt, clock.now())) throw new AppError("REPORT_OVERDUE");
    await tx.update(commissions).set({ status: "reported" }).where(eq(commissions.id, c.id));
    return storeValuationReport(tx, clock, user.id, { procedureId: p.id, commissionId: c.id }, report);
  });
}

/**
 * A19: the court delivers the report to the parties (due within 3 days of receipt; a late delivery is
 * still made, and recorded as late). From delivery the parties may read it and, where A22 allows,
 * object within 5 days (A20, A21).
 */
export async function deliverReport(db: Db, clock: Clock, actor: SessionUser, reportId: string): Promise<{ deliveredAt: Date; objectionDueAt: Date | null }> {
  return db.transaction(async (tx) => {
    const [ref] = await tx.select({ procedureId: valuationReports.procedureId }).from(valuationReports).where(eq(valuationReports.id, reportId));
    if (!ref) throw new AppError("NOT_FOUND");
    const p = await lockCourtProcedure(tx, actor, ref.procedureId, "appraisal.manage");
    requireOpen(p);
    const [report] = await tx.select({ deliveredAt: valuationReports.deliveredAt, deliveryDueAt: valuationReports.deliveryDueAt, excluded: valuationReports.excluded }).from(valuationReports).where(eq(valuationReports.id, reportId)).for("update");
    if (report!.deliveredAt) throw new AppError("CONFLICT");
    if (report!.excluded) throw new AppError("REPORT_UNUSABLE");
    const now = clock.now();
    const windowEnds = objectionsAllowed(p.method) ? objectionDueAt(CN_SPC_2016, now) : null;
    await tx.update(valuationReports).set({ deliveredAt: now, objectionDueAt: windowEnds }).where(eq(valuationReports.id, reportId));
    await appendAudit(tx, clock, {
      actorId: actor.id,
      action: "appraisal.report_delivered",
      entityType: "valuation_report",
      entityId: reportId,
      data: { rule: "A19", late: isPast(report!.deliveryDueAt, now), objectionDueAt: windowEnds },
    });
    return { deliveredAt: now, objectionDueAt: windowEnds };
  });
}

export const postingSchema = z.object({
  /** When the report was posted on 中国执行信息公开网; the time of recording when not given. */
  postedAt: z.preprocess((v) => (v === "" || v === null ? undefined : v), instantField.optional()),
});

/**
 * A19: the report could not be served on a party, so the court posted it on 中国执行信息公开网. It is
 * deemed served 15 days after the posting: that instant is the report's effective delivery (`deliveredAt`),
 * and the 5-day objection window (A20, A21) and the price run from it. The posting may be recorded after
 * the fact, never for a time still to come or before the report was received.
 */
export async function recordReportPosted(db: Db, clock: Clock, actor: SessionUser, reportId: string, input: { postedAt?: Date | string } = {}): Promise<{ postedAt: Date; deemedServedAt: Date; objectionDueAt: Date | null }> {
  const data = parseOrThrow(postingSchema, input);
  return db.transaction(async (tx) => {
    const [ref] = await tx.select({ procedureId: valuationReports.procedureId }).from(valuationReports).where(eq(valuationReports.id, reportId));
    if (!ref) throw new AppError("NOT_FOUND");
    const p = await lockCourtProcedure(tx, actor, ref.procedureId, "appraisal.manage");
    requireOpen(p);
    const [report] = await tx.select().from(valuationReports).where(eq(valuationReports.id, reportId)).for("update");
    if (report!.deliveredAt) throw new AppError("CONFLICT");
    if (report!.excluded) throw new AppError("REPORT_UNUSABLE");
    const now = clock.now();
    const postedAt = data.postedAt ?? now;
    if (isPast(now, postedAt)) throw new AppError("VALIDATION_FAILED", { fields: { postedAt: "appraisal.error.postedFuture" } });
    if (postedAt.getTime() < report!.submittedAt.getTime()) throw new AppError("VALIDATION_FAILED", { fields: { postedAt: "appraisal.error.postedBeforeReport" } });
    const deemed = deemedServedAt(CN_SPC_2016, postedAt);
    const windowEnds = objectionsAllowed(p.method) ? postedObjectionDueAt(CN_SPC_2016, postedAt) : null;
    await tx.update(valuationReports).set({ postedAt, deliveredAt: deemed, objectionDueAt: windowEnds }).where(eq(valuationReports.id, reportId));
    await appendAudit(tx, clock, {
      actorId: actor.id,
      action: "appraisal.report_posted",
      entityType: "valuation_report",
      entityId: reportId,
      data: { rule: "A19", postedAt, deemedServedAt: deemed, objectionDueAt: windowEnds, late: isPast(report!.deliveryDueAt, postedAt) },
    });
    return { postedAt, deemedServedAt: deemed, objectionDueAt: windowEnds };
  });
}

// ---------------------------------------------------------------------------------------------
// A18: defects in an appraisal report
// ---------------------------------------------------------------------------------------------

export const DEFECT_KINDS = ["facts", "scope", "signatory"] as const;
export const defectSchema = z.object({
  kind: z.enum(DEFECT_KINDS, { error: "validation.invalid" }),
  note: plainText({ max: 2000, multiline: true }),
});

type ReportRow = typeof valuationReports.$inferSelect;

/** Locks the procedure and an appraisal report (one written under a commission); a platform's report has A9 instead. */
async function lockAppraisalReport(tx: Tx, reportId: string): Promise<{ p: Awaited<ReturnType<typeof lockProcedure>>; report: ReportRow }> {
  const [ref] = await tx.select({ procedureId: valuationReports.procedureId, commissionId: valuationReports.commissionId }).from(valuationReports).where(eq(valuationReports.id, reportId));
  if (!ref || !ref.commissionId) throw new AppError("NOT_FOUND");
  const p = await lockProcedure(tx, ref.procedureId);
  const [report] = await tx.select().from(valuationReports).where(eq(valuationReports.id, reportId)).for("update");
  return { p, report: report! };
}

/**
 * A18: the judge marks a defect in an agency's report — its facts, its scope, or a signing institution or
 * appraiser other than the one selected — with a note. The agency explains or sends a corrected report
 * within 3 days; until then the price cannot be fixed from the report. A report already explained may be
 * marked again (the court was not satisfied); one with an open defect may not.
 */
export async function markReportDefect(db: Db, clock: Clock, actor: SessionUser, reportId: string, input: { kind: string; note: string }): Promise<{ defectDueAt: Date }> {
  const data = parseOrThrow(defectSchema, input);
  return db.transaction(async (tx) => {
    const { p, report } = await lockAppraisalReport(tx, reportId);
    authorize(actor, "appraisal.decide", { courtId: p.courtId });
    requireOpen(p);
    if (report.excluded || defectOpen(report)) throw new AppError("CONFLICT");
    const now = clock.now();
    const due = defectDueAt(CN_SPC_2016, now);
    await tx
      .update(valuationReports)
      .set({ defectKind: data.kind, defectNote: data.note, defectMarkedAt: now, defectMarkedBy: actor.id, defectDueAt: due, defectExplanation: null, defectAnsweredAt: null, defectOverdueAt: null, defectExtendedAt: null })
      .where(eq(valuationReports.id, report.id));
    await appendAudit(tx, clock, {
      actorId: actor.id,
      action: "appraisal.report_defect_marked",
      entityType: "valuation_report",
      entityId: report.id,
      data: { rule: "A18", kind: data.kind, note: data.note, defectDueAt: due },
    });
    return { defectDueAt: due };
  });
}

/** The agency member's own report with an open defect, locked. */
async function lockOwnDefectiveReport(tx: Tx, user: SessionUser, reportId: string) {
  const { p, report } = await lockAppraisalReport(tx, reportId);
  const [c] = await tx.select({ id: commissions.id, agencyId: commissions.agencyId }).from(commissions).where(eq(commissions.id, report.commissionId!));
  authorize(user, "agency.work", { agencyId: c?.agencyId });
  requireOpen(p);
  if (!defectOpen(report)) throw new AppError("CONFLICT");
  return { p, report, commissionId: c!.id };
}

export const defectExplanationSchema = z.object({ explanation: plainText({ max: 10_000, multiline: true }) });

/**
 * A18: the agency explains the defect. Due within 3 days; a late explanation is still taken (the court
 * needs it to go on) and recorded as late — the missed deadline has already been shown and recorded.
 */
export async function explainReportDefect(db: Db, clock: Clock, user: SessionUser, reportId: string, input: { explanation: string }): Promise<{ late: boolean }> {
  const data = parseOrThrow(defectExplanationSchema, input);
  return db.transaction(async (tx) => {
    const { report } = await lockOwnDefectiveReport(tx, user, reportId);
    const now = clock.now();
    const late = isPast(report.defectDueAt!, now);
    await tx.update(valuationReports).set({ defectExplanation: data.explanation, defectAnsweredAt: now }).where(eq(valuationReports.id, report.id));
    await appendAudit(tx, clock, { actorId: user.id, action: "appraisal.report_defect_explained", entityType: "valuation_report", entityId: report.id, data: { rule: "A18", late } });
    return { late };
  });
}

/**
 * A18: the agency sends a corrected report instead. It replaces the marked one, which is excluded (like an
 * A9 correction) and closed; the new report is delivered to the parties and open to objections afresh (A19–A21).
 */
export async function submitCorrectedAppraisalReport(db: Db, clock: Clock, user: SessionUser, reportId: string, input: ReportInput): Promise<{ id: string; sha256: string; deliveryDueAt: Date; late: boolean }> {
  const checked = checkReportInput(clock.now(), input);
  return db.transaction(async (tx) => {
    const { p, report, commissionId } = await lockOwnDefectiveReport(tx, user, reportId);
    const now = clock.now();
    const late = isPast(report.defectDueAt!, now);
    const stored = await storeValuationReport(tx, clock, user.id, { procedureId: p.id, commissionId }, checked);
    await tx.update(valuationReports).set({ excluded: true, defectAnsweredAt: now }).where(eq(valuationReports.id, report.id));
    await appendAudit(tx, clock, {
      actorId: user.id,
      action: "appraisal.report_defect_corrected",
      entityType: "valuation_report",
      entityId: report.id,
      data: { rule: "A18", late, replacedBy: stored.id, sha256: stored.sha256 },
    });
    return { ...stored, late };
  });
}

/**
 * A18: the sweep records that a defect's 3 days passed with neither explanation nor correction. Nobody
 * acts: the audit event has no actor. Idempotent; suspended procedures are left alone (A24).
 */
export async function recordDefectOverdue(db: Db, clock: Clock, reportId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { p, report } = await lockAppraisalReport(tx, reportId);
    const now = clock.now();
    if (p.status !== "open" || !defectOpen(report) || report.defectOverdueAt || !isPast(report.defectDueAt!, now)) return false;
    await tx.update(valuationReports).set({ defectOverdueAt: now }).where(eq(valuationReports.id, report.id));
    await appendAudit(tx, clock, { actorId: null, action: "appraisal.report_defect_overdue", entityType: "valuation_report", entityId: report.id, data: { rule: "A18", defectDueAt: report.defectDueAt } });
    return true;
  });
}

/** Locks an appraisal report for the judge's way on from an overdue defect (A18), checking that the way is open. */
async function lockOverdueDefect(tx: Tx, clock: Clock, actor: SessionUser, reportId: string, remedy: DefectRemedy) {
  const { p, report } = await lockAppraisalReport(tx, reportId);
  authorize(actor, "appraisal.decide", { courtId: p.courtId });
  requireOpen(p);
  const remedies = defectRemedies(report, clock.now());
  if (!remedies.includes(remedy)) throw new AppError(remedies.length > 0 ? "DEFECT_EXTENDED_ONCE" : "DEFECT_NOT_OVERDUE");
  return { p, report };
}

/**
 * A18: the agency let its 3 days pass without explaining or correcting the defect; the judge gives it a new
 * deadline of 3 days from now, once (see `defectRemedies`). The defect is no longer overdue until that one passes.
 */
export async function extendDefectDeadline(db: Db, clock: Clock, actor: SessionUser, reportId: string): Promise<{ defectDueAt: Date }> {
  return db.transaction(async (tx) => {
    const { report } = await lockOverdueDefect(tx, clock, actor, reportId, "extend");
    const now = clock.now();
    const due = defectDueAt(CN_SPC_2016, now);
    await tx.update(valuationReports).set({ defectDueAt: due, defectOverdueAt: null, defectExtendedAt: now }).where(eq(valuationReports.id, report.id));
    await appendAudit(tx, clock, {
      actorId: actor.id,
      action: "appraisal.report_defect_extended",
      entityType: "valuation_report",
      entityId: report.id,
      data: { rule: "A18", previousDueAt: report.defectDueAt!, defectDueAt: due },
    });
    return { defectDueAt: due };
  });
}

/**
 * A18, A16: the judge passes the work to the next-ranked agency, as for a missed report: the defective report is
 * set aside, its agency's commission is overdue and returns the materials within 3 days, and the next-ranked
 * agency is offered the commission (when the ranking is used up the procedure needs a new selection, A13).
 */
export async function passDefectOn(db: Db, clock: Clock, actor: SessionUser, reportId: string): Promise<{ nextCommissionId: string | null }> {
  return db.transaction(async (tx) => {
    const { p, report } = await lockOverdueDefect(tx, clock, actor, reportId, "pass_on");
    const [c] = await tx.select().from(commissions).where(eq(commissions.id, report.commissionId!)).for("update");
    const now = clock.now();
    const materials = materialsDueAt(CN_SPC_2016, now);
    await tx.update(valuationReports).set({ excluded: true }).where(eq(valuationReports.id, report.id));
    await tx.update(commissions).set({ status: "overdue", materialsDueAt: materials }).where(eq(commissions.id, c!.id));
    const next = await offerNext(tx, clock, actor.id, p.id, "A16");
    await appendAudit(tx, clock, {
      actorId: actor.id,
      action: "appraisal.report_defect_passed_on",
      entityType: "valuation_report",
      entityId: report.id,
      data: { rule: "A18", defectDueAt: report.defectDueAt!, commissionId: c!.id, agencyId: c!.agencyId, materialsDueAt: materials, nextCommissionId: next?.commissionId ?? null },
    });
    return { nextCommissionId: next?.commissionId ?? null };
  });
}

/**
 * A report's PDF for download: for the court's staff, the agency or platform that wrote it, and — once
 * delivered to them (A19) — the parties of the case.
 */
export async function reportFile(db: Db, user: SessionUser, reportId: string): Promise<{ fileName: string; contentType: string; sizeBytes: number; sha256: string; content: Uint8Array }> {
  const [row] = await db
    .select({
      r: valuationReports,
      caseId: priceProcedures.caseId,
      courtId: cases.courtId,
      agencyId: commissions.agencyId,
      platformId: inquiryRequests.platformId,
    })
    .from(valuationReports)
    .innerJoin(priceProcedures, eq(priceProcedures.id, valuationReports.procedureId))
    .innerJoin(cases, eq(cases.id, priceProcedures.caseId))
    .leftJoin(commissions, eq(commissions.id, valuationReports.commissionId))
    .leftJoin(inquiryRequests, and(eq(inquiryRequests.id, valuationReports.inquiryRequestId)))
    .where(eq(valuationReports.id, reportId));
  if (!row) throw new AppError("NOT_FOUND");
  const allowed =
    can(user, "appraisal.manage", { courtId: row.courtId }) ||
    can(user, "agency.work", { agencyId: row.agencyId }) ||
    can(user, "platform.work", { platformId: row.platformId }) ||
    (row.r.deliveredAt !== null && can(user, "cases.party", { isParty: (await partyOf(db, user, row.caseId)) !== null }));
  if (!allowed) throw new AppError("FORBIDDEN");
  return { fileName: row.r.fileName, contentType: "application/pdf", sizeBytes: row.r.sizeBytes, sha256: row.r.sha256, content: row.r.content };
}
