// Online price inquiry (A5–A10, P7): the court asks every listed platform at once, platforms answer with a
// report or ask for the one extension, the deadline sweep applies A8, the court marks errors (A9) and fixes
// the mean (A10). Also the shared steps of the three non-appraisal methods: opening a procedure, fixing its
// price, failing it, and the deadline sweep that negotiation and directed inquiry use too.
import { and, asc, desc, eq, inArray, isNotNull, lt } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "../db/client.ts";
import {
  inquiryRequests,
  ONLINE_INQUIRY_GROUNDS,
  platformListings,
  priceProcedures,
  reportObjections,
  valuationReports,
  type AssetCategory,
  type ObjectionStatus,
  type PriceMethod,
  type ProcedureMethod,
} from "../db/schema/index.ts";
import { appendAudit, type AuditData } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { parseOrThrow, plainText } from "../core/validation.ts";
import { addMonths, CN_SPC_2016 } from "../core/ruleset.ts";
import { authorize, type SessionUser } from "../identity/index.ts";
import { assets, cases, insertReferencePrice } from "../auction/index.ts";
import { failProcedure, lockProcedure, requireOpen, startProcedure, type PriceProcedure } from "./procedures.ts";
import { eligiblePlatforms } from "./platforms.ts";
import { checkReportInput, reportInputSchema, storeValuationReport, type CheckedReport, type ReportInput } from "./reports.ts";
import { refuseWhileReviewOpen } from "./objections.ts";
import { isPast, objectionPending, saleStartDueAt } from "./rules/appraisal.ts";
import {
  beforeDeadline,
  reportingOver,
  correctionDueAt,
  correctionsNeeded,
  decideInquiryMean,
  decideReportDeadline,
  extendedDueAt,
  reportDueAt,
  strikeOffDecision,
  type ObjectionState,
  type PlatformResult,
} from "./rules/inquiry.ts";

const RULES = CN_SPC_2016;

// ---------------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------------

export { ONLINE_INQUIRY_GROUNDS };

export const onlineInquirySchema = z.object({
  ground: z.enum(ONLINE_INQUIRY_GROUNDS, { error: "validation.invalid" }),
  basis: plainText({ max: 1000, multiline: true }),
});
export type OnlineInquiryInput = z.input<typeof onlineInquirySchema>;

/** A platform's report (A7) or correction (A9), or a directed inquiry's answer (A4): the same fields as an appraisal report. */
export const inquiryReportSchema = reportInputSchema;

/** As sent by a form or the API (amounts as digit strings), or already parsed (amounts as bigint). */
export type InquiryReportInput = Omit<ReportInput, "valueFen"> & { valueFen: ReportInput["valueFen"] | bigint };

export const reportErrorSchema = z.object({ note: plainText({ max: 1000, multiline: true }) });

/** Checks a report's fields, validity (A14, A23) and PDF before anything is written; every fault is named at once. */
export function checkInquiryReport(now: Date, input: InquiryReportInput): CheckedReport {
  const valueFen = typeof input.valueFen === "bigint" ? input.valueFen.toString() : input.valueFen;
  return checkReportInput(now, { ...input, valueFen });
}

// ---------------------------------------------------------------------------------------------
// Shared steps of negotiation, directed inquiry and online inquiry
// ---------------------------------------------------------------------------------------------

export type Procedure = PriceProcedure & { courtId: string };

/** The asset, for the judge of the court that holds its case: choosing the method is the judge's decision. */
export async function judgeAsset(tx: Tx, actor: SessionUser, assetId: string) {
  const [row] = await tx.select({ asset: assets, courtId: cases.courtId }).from(assets).innerJoin(cases, eq(cases.id, assets.caseId)).where(eq(assets.id, assetId)).limit(1);
  if (!row) throw new AppError("NOT_FOUND");
  authorize(actor, "appraisal.decide", { courtId: row.courtId });
  return row.asset;
}

/** Locks a procedure of the given method (the workflow's lock order: procedure, then its requests and reports). */
export async function lockMethodProcedure(tx: Tx, procedureId: string, method: ProcedureMethod): Promise<Procedure> {
  const p = await lockProcedure(tx, procedureId);
  if (p.method !== method) throw new AppError("NOT_FOUND");
  return p;
}

/** Starts the procedure (startProcedure: one running per asset, A1) and returns it locked. */
export async function openProcedure(
  tx: Tx,
  clock: Clock,
  actor: SessionUser,
  assetId: string,
  input: { method: ProcedureMethod; basisKind?: (typeof ONLINE_INQUIRY_GROUNDS)[number]; basis: string; dueAt: Date | null },
): Promise<Procedure> {
  const { id } = await startProcedure(tx, clock, actor, assetId, { method: input.method, basisKind: input.basisKind, basis: input.basis, dueAt: input.dueAt ?? undefined });
  return lockProcedure(tx, id);
}

type PriceFixed = AuditData<"appraisal.reference_price_fixed">;

/**
 * Fixes the asset's reference price from a procedure (valid from now, never beyond a year, A23) and closes
 * it as priced. `fixedBy` is the judge who decided, or the case's judge when the price follows by law from
 * what happened (matching figures, an answer on time).
 */
export async function fixProcedurePrice(
  tx: Tx,
  clock: Clock,
  procedure: Procedure,
  input: { method: PriceMethod; amountFen: bigint; documentTitle: string; validUntil: Date; fixedBy?: string | undefined; actorId: string | null; rule: PriceFixed["rule"]; data?: Pick<PriceFixed, "reportId" | "used" | "excluded"> },
): Promise<{ referencePriceId: string; validFrom: Date; validUntil: Date }> {
  const now = clock.now();
  const validUntil = new Date(Math.min(input.validUntil.getTime(), addMonths(now, RULES.referencePriceMaxValidityMonths).getTime()));
  let fixedBy = input.fixedBy;
  if (!fixedBy) {
    const [c] = await tx.select({ judgeId: cases.judgeId }).from(cases).where(eq(cases.id, procedure.caseId)).limit(1);
    fixedBy = c!.judgeId;
  }
  const price = await insertReferencePrice(tx, clock, { assetId: procedure.assetId, method: input.method, amountFen: input.amountFen, documentTitle: input.documentTitle, agencyId: null, validFrom: now, validUntil, fixedBy });
  await tx
    .update(priceProcedures)
    .set({ status: "priced", referencePriceId: price.id, dueAt: null, endedAt: now, endReason: "priced" })
    .where(eq(priceProcedures.id, procedure.id));
  const saleDue = saleStartDueAt(RULES, now);
  await appendAudit(tx, clock, {
    actorId: input.actorId,
    action: "appraisal.reference_price_fixed",
    entityType: "price_procedure",
    entityId: procedure.id,
    data: { rule: input.rule, assetId: procedure.assetId, method: input.method, amountFen: input.amountFen, validFrom: now, validUntil, referencePriceId: price.id, saleStartDueAt: saleDue, ...input.data },
  });
  return { referencePriceId: price.id, validFrom: now, validUntil };
}

/** Ends a procedure without a price; `reason` is a stable key the court sees (and `next`, what comes next). */
export async function endWithoutPrice(tx: Tx, clock: Clock, procedure: PriceProcedure, actorId: string | null, reason: string, data: Omit<AuditData<"appraisal.procedure_failed">, "reason" | "method">): Promise<void> {
  await failProcedure(tx, clock, actorId, procedure.id, reason, { method: procedure.method, ...data });
  await tx.update(priceProcedures).set({ dueAt: null }).where(eq(priceProcedures.id, procedure.id));
}

// ---------------------------------------------------------------------------------------------
// The court starts an online inquiry (A5, A7, A8, P7)
// ---------------------------------------------------------------------------------------------

/**
 * A5, A7, P7: one request to every active platform that prices the asset's category, all sent at once and
 * due in 3 days (A8). Struck-off platforms get none (A6).
 */
export async function startOnlineInquiry(
  db: Db,
  clock: Clock,
  judge: SessionUser,
  assetId: string,
  raw: OnlineInquiryInput,
): Promise<{ procedureId: string; dueAt: Date; requests: { id: string; platformId: string }[] }> {
  const input = parseOrThrow(onlineInquirySchema, raw);
  return db.transaction(async (tx) => {
    const asset = await judgeAsset(tx, judge, assetId);
    return sendOnlineInquiry(tx, clock, judge, asset, input, reportDueAt(clock.now(), RULES));
  });
}

/**
 * A5, A7, P7: opens an online-inquiry procedure for the asset and sends its request to every eligible platform
 * at once, due at `dueAt`: the court's start of an inquiry, and a re-issue after an inquiry's price ran out (A17).
 */
export async function sendOnlineInquiry(
  tx: Tx,
  clock: Clock,
  judge: SessionUser,
  asset: { id: string; category: AssetCategory },
  input: { ground: (typeof ONLINE_INQUIRY_GROUNDS)[number]; basis: string },
  dueAt: Date,
): Promise<{ procedureId: string; dueAt: Date; requests: { id: string; platformId: string }[] }> {
  // P7: every active listed platform configured for the category; struck-off or barred ones are not (A6).
  const eligible = await eligiblePlatforms(tx, clock, asset.category);
  if (eligible.length === 0) throw new AppError("NO_INQUIRY_PLATFORM");
  const ask = eligible.map((p) => p.platformId);
  const now = clock.now();
  const procedure = await openProcedure(tx, clock, judge, asset.id, { method: "online_inquiry", basisKind: input.ground, basis: input.basis, dueAt });
  const names = new Map(eligible.map((p) => [p.platformId, p.name]));
  const requests = await tx
    .insert(inquiryRequests)
    .values(ask.map((platformId) => ({ procedureId: procedure.id, platformId, addressee: names.get(platformId)!, sentAt: now, dueAt })))
    .returning({ id: inquiryRequests.id, platformId: inquiryRequests.platformId });
  await appendAudit(tx, clock, {
    actorId: judge.id,
    action: "appraisal.online_inquiry_sent",
    entityType: "price_procedure",
    entityId: procedure.id,
    data: { assetId: asset.id, category: asset.category, platforms: ask, dueAt, ground: input.ground },
  });
  return { procedureId: procedure.id, dueAt, requests: requests.map((r) => ({ id: r.id, platformId: r.platformId! })) };
}

// ---------------------------------------------------------------------------------------------
// The platform's side (A7–A9)
// ---------------------------------------------------------------------------------------------

/** Locks the procedure, then the request; the request must be the user's platform's. */
async function lockOwnRequest(tx: Tx, user: SessionUser, requestId: string) {
  const [head] = await tx.select({ procedureId: inquiryRequests.procedureId, platformId: inquiryRequests.platformId }).from(inquiryRequests).where(eq(inquiryRequests.id, requestId)).limit(1);
  if (!head || head.platformId === null) throw new AppError("NOT_FOUND");
  const platformId = head.platformId;
  authorize(user, "platform.work", { platformId });
  const procedure = await lockMethodProcedure(tx, head.procedureId, "online_inquiry");
  const [request] = await tx.select().from(inquiryRequests).where(eq(inquiryRequests.id, requestId)).for("update");
  return { procedure, request: request!, platformId };
}

async function currentReport(tx: Tx, requestId: string) {
  const [row] = await tx
    .select({ id: valuationReports.id, submittedAt: valuationReports.submittedAt })
    .from(valuationReports)
    .where(eq(valuationReports.inquiryRequestId, requestId))
    .orderBy(desc(valuationReports.submittedAt), desc(valuationReports.id))
    .limit(1);
  return row ?? null;
}

/** The requests sent to the platform user's platform, newest first, with what the platform needs to price the asset. */
export async function platformInquiryRequests(db: Db, user: SessionUser) {
  // The list is of the user's own platform.
  authorize(user, "platform.work", { platformId: user.platformId });
  const rows = await db
    .select({
      id: inquiryRequests.id,
      procedureId: inquiryRequests.procedureId,
      procedureStatus: priceProcedures.status,
      sentAt: inquiryRequests.sentAt,
      dueAt: inquiryRequests.dueAt,
      extensionRequestedAt: inquiryRequests.extensionRequestedAt,
      extended: inquiryRequests.extended,
      late: inquiryRequests.late,
      errorNote: inquiryRequests.errorNote,
      correctionDueAt: inquiryRequests.correctionDueAt,
      correctedAt: inquiryRequests.correctedAt,
      asset: {
        id: assets.id,
        category: assets.category,
        regionCode: assets.regionCode,
        title: assets.title,
        description: assets.description,
        encumbrances: assets.encumbrances,
        occupancy: assets.occupancy,
        lease: assets.lease,
        taxes: assets.taxes,
        knownDefects: assets.knownDefects,
      },
    })
    .from(inquiryRequests)
    .innerJoin(priceProcedures, eq(priceProcedures.id, inquiryRequests.procedureId))
    .innerJoin(assets, eq(assets.id, priceProcedures.assetId))
    .where(eq(inquiryRequests.platformId, user.platformId!))
    .orderBy(desc(inquiryRequests.sentAt), asc(inquiryRequests.id));
  const ids = rows.map((r) => r.id);
  const reported = ids.length === 0 ? [] : await db.select({ requestId: valuationReports.inquiryRequestId }).from(valuationReports).where(inArray(valuationReports.inquiryRequestId, ids));
  const withReport = new Set(reported.map((r) => r.requestId));
  return rows.map((r) => ({ ...r, reported: withReport.has(r.id) }));
}

/** A7, A8: the platform's report, before its (possibly extended) deadline, once. */
export async function submitInquiryReport(db: Db, clock: Clock, user: SessionUser, requestId: string, raw: InquiryReportInput): Promise<{ reportId: string; sha256: string }> {
  const now = clock.now();
  const input = checkInquiryReport(now, raw);
  return db.transaction(async (tx) => {
    const { procedure, request, platformId } = await lockOwnRequest(tx, user, requestId);
    requireOpen(procedure);
    if (await currentReport(tx, requestId)) throw new AppError("INQUIRY_ALREADY_REPORTED");
    if (request.late || !beforeDeadline(now, request.dueAt)) throw new AppError("REPORT_OVERDUE");
    const report = await storeValuationReport(tx, clock, user.id, { procedureId: procedure.id, inquiryRequestId: requestId }, input);
    await appendAudit(tx, clock, {
      actorId: user.id,
      action: "appraisal.inquiry_report_submitted",
      entityType: "price_procedure",
      entityId: procedure.id,
      data: { requestId, platformId, reportId: report.id, valueFen: input.valueFen, validUntil: input.validUntil, sha256: report.sha256 },
    });
    return { reportId: report.id, sha256: report.sha256 };
  });
}

/** A8: a platform asks for the one 3-day extension before its report is due; the sweep grants it only if no report arrived. */
export async function askInquiryExtension(db: Db, clock: Clock, user: SessionUser, requestId: string): Promise<void> {
  const now = clock.now();
  await db.transaction(async (tx) => {
    const { procedure, request, platformId } = await lockOwnRequest(tx, user, requestId);
    requireOpen(procedure);
    if (await currentReport(tx, requestId)) throw new AppError("INQUIRY_ALREADY_REPORTED");
    if (request.late || request.extended || request.extensionRequestedAt || !beforeDeadline(now, request.dueAt)) throw new AppError("INQUIRY_EXTENSION_REFUSED");
    await tx.update(inquiryRequests).set({ extensionRequestedAt: now }).where(eq(inquiryRequests.id, requestId));
    await appendAudit(tx, clock, { actorId: user.id, action: "appraisal.inquiry_extension_asked", entityType: "price_procedure", entityId: procedure.id, data: { requestId, platformId } });
  });
}

/** A9: the platform's correction, before the correction deadline; it replaces the first report, which leaves the mean. */
export async function submitCorrectedReport(db: Db, clock: Clock, user: SessionUser, requestId: string, raw: InquiryReportInput): Promise<{ reportId: string; sha256: string }> {
  const now = clock.now();
  const input = checkInquiryReport(now, raw);
  return db.transaction(async (tx) => {
    const { procedure, request, platformId } = await lockOwnRequest(tx, user, requestId);
    requireOpen(procedure);
    const previous = await currentReport(tx, requestId);
    if (!previous || !request.correctionDueAt) throw new AppError("CONFLICT");
    if (request.correctedAt) throw new AppError("INQUIRY_ALREADY_REPORTED");
    if (request.late || !beforeDeadline(now, request.correctionDueAt)) throw new AppError("REPORT_OVERDUE");
    const report = await storeValuationReport(tx, clock, user.id, { procedureId: procedure.id, inquiryRequestId: requestId }, input);
    await tx.update(valuationReports).set({ excluded: true }).where(eq(valuationReports.id, previous.id));
    await tx.update(inquiryRequests).set({ correctedAt: now }).where(eq(inquiryRequests.id, requestId));
    await appendAudit(tx, clock, {
      actorId: user.id,
      action: "appraisal.inquiry_report_corrected",
      entityType: "price_procedure",
      entityId: procedure.id,
      data: { requestId, platformId, reportId: report.id, replaces: previous.id, valueFen: input.valueFen, validUntil: input.validUntil, sha256: report.sha256 },
    });
    return { reportId: report.id, sha256: report.sha256 };
  });
}

// ---------------------------------------------------------------------------------------------
// The court's review (A9) and the price (A10)
// ---------------------------------------------------------------------------------------------

/** The error of facts or scope is on the current report: marked, and not cleared by a later correction. */
function hasOpenError(r: typeof inquiryRequests.$inferSelect): boolean {
  return r.errorMarkedAt !== null && (r.correctedAt === null || r.errorMarkedAt.getTime() > r.correctedAt.getTime());
}

/** A9: the judge marks an error of facts or scope (wrong basic facts, outside or short of the asset) on a platform's current report. */
export async function markReportError(db: Db, clock: Clock, judge: SessionUser, reportId: string, raw: z.input<typeof reportErrorSchema>): Promise<void> {
  const input = parseOrThrow(reportErrorSchema, raw);
  await db.transaction(async (tx) => {
    const [head] = await tx.select({ procedureId: valuationReports.procedureId, requestId: valuationReports.inquiryRequestId }).from(valuationReports).where(eq(valuationReports.id, reportId)).limit(1);
    if (!head || !head.requestId) throw new AppError("NOT_FOUND");
    const procedure = await lockMethodProcedure(tx, head.procedureId, "online_inquiry");
    authorize(judge, "appraisal.decide", { courtId: procedure.courtId });
    requireOpen(procedure);
    const [request] = await tx.select().from(inquiryRequests).where(eq(inquiryRequests.id, head.requestId)).for("update");
    const current = await currentReport(tx, head.requestId);
    // Only the current report can be marked, and only once.
    if (current?.id !== reportId || hasOpenError(request!)) throw new AppError("CONFLICT");
    const now = clock.now();
    await tx.update(inquiryRequests).set({ errorNote: input.note, errorMarkedAt: now, errorMarkedBy: judge.id }).where(eq(inquiryRequests.id, request!.id));
    await appendAudit(tx, clock, { actorId: judge.id, action: "appraisal.inquiry_report_error_marked", entityType: "price_procedure", entityId: procedure.id, data: { reportId, requestId: request!.id, note: input.note } });
  });
}

interface RequestWithReport {
  request: typeof inquiryRequests.$inferSelect;
  report: typeof valuationReports.$inferSelect | null;
  reports: (typeof valuationReports.$inferSelect)[];
}

async function requestsOf(tx: Tx, procedureId: string, lock: boolean): Promise<RequestWithReport[]> {
  const query = tx.select().from(inquiryRequests).where(eq(inquiryRequests.procedureId, procedureId)).orderBy(asc(inquiryRequests.id));
  const requests = lock ? await query.for("update") : await query;
  const reports = await tx
    .select()
    .from(valuationReports)
    .where(eq(valuationReports.procedureId, procedureId))
    .orderBy(desc(valuationReports.submittedAt), desc(valuationReports.id));
  return requests.map((request) => {
    const own = reports.filter((r) => r.inquiryRequestId === request.id);
    return { request, report: own[0] ?? null, reports: own };
  });
}

/** Reports are all in (or late) and no correction is still running. */
function reportingOverFor(rows: RequestWithReport[], now: Date): boolean {
  return reportingOver(rows.map(({ request, report }) => ({ hasReport: report !== null, late: request.late, correctionDueAt: request.correctionDueAt, correctedAt: request.correctedAt })), now);
}

/** A9: when every report has an error of facts or scope, the platforms are asked to correct them within 3 days (once). */
export async function askCorrections(db: Db, clock: Clock, judge: SessionUser, procedureId: string): Promise<{ correctionDueAt: Date }> {
  return db.transaction(async (tx) => {
    const procedure = await lockMethodProcedure(tx, procedureId, "online_inquiry");
    authorize(judge, "appraisal.decide", { courtId: procedure.courtId });
    requireOpen(procedure);
    const now = clock.now();
    const rows = await requestsOf(tx, procedureId, true);
    // A9: corrections are asked once.
    if (rows.some((r) => r.request.correctionDueAt)) throw new AppError("CONFLICT");
    if (!reportingOverFor(rows, now)) throw new AppError("INQUIRY_REPORTS_OUTSTANDING");
    const reported = rows.filter((r) => r.report !== null);
    if (!correctionsNeeded(reported.map((r) => ({ errorMarked: hasOpenError(r.request) })))) throw new AppError("CORRECTIONS_NOT_ALLOWED");
    const due = correctionDueAt(now, RULES);
    await tx
      .update(inquiryRequests)
      .set({ correctionDueAt: due })
      .where(inArray(inquiryRequests.id, reported.map((r) => r.request.id)));
    await tx.update(priceProcedures).set({ dueAt: due }).where(eq(priceProcedures.id, procedureId));
    await appendAudit(tx, clock, {
      actorId: judge.id,
      action: "appraisal.inquiry_corrections_asked",
      entityType: "price_procedure",
      entityId: procedureId,
      data: { requests: reported.map((r) => r.request.id), correctionDueAt: due },
    });
    return { correctionDueAt: due };
  });
}

/** The objections against a platform's reports, summed up for A10: undecided beats upheld beats rejected. */
function objectionState(statuses: ObjectionStatus[], excluded: boolean): ObjectionState {
  if (statuses.some(objectionPending)) return "pending";
  if (excluded || statuses.includes("upheld")) return "upheld";
  if (statuses.includes("rejected")) return "rejected";
  return "none";
}

export type FixInquiryResult =
  | { kind: "priced"; referencePriceId: string; amountFen: bigint; validFrom: Date; validUntil: Date; used: string[] }
  | { kind: "failed"; reason: "no_valid_reports" };

/**
 * A10 (RP 13): the judge fixes the reference price as the mean of the valid results, rounded half-up to the
 * fen (P7, P9). Reports with an uncorrected error (A9), expired ones and objected ones (A10) drop out. If no
 * valid result is left, the inquiry failed and the court switches to appraisal (A11).
 */
export async function fixInquiryPrice(db: Db, clock: Clock, judge: SessionUser, procedureId: string): Promise<FixInquiryResult> {
  return db.transaction(async (tx) => {
    const procedure = await lockMethodProcedure(tx, procedureId, "online_inquiry");
    authorize(judge, "appraisal.decide", { courtId: procedure.courtId });
    requireOpen(procedure);
    const now = clock.now();
    const rows = await requestsOf(tx, procedureId, true);
    if (!reportingOverFor(rows, now)) throw new AppError("INQUIRY_REPORTS_OUTSTANDING");
    const reportIds = rows.flatMap((r) => r.reports.map((x) => x.id));
    const objections =
      reportIds.length === 0
        ? []
        : await tx
            .select({
              reportId: reportObjections.reportId,
              kind: reportObjections.kind,
              status: reportObjections.status,
              decidedAt: reportObjections.decidedAt,
              reviewRequestedAt: reportObjections.reviewRequestedAt,
              reviewDecidedAt: reportObjections.reviewDecidedAt,
            })
            .from(reportObjections)
            .where(inArray(reportObjections.reportId, reportIds));
    // A20: a review of an objection's decision, pending or still open to the party, holds up the price.
    refuseWhileReviewOpen(objections, now);
    const results: PlatformResult[] = rows
      .filter((r): r is RequestWithReport & { report: NonNullable<RequestWithReport["report"]> } => r.report !== null)
      .map(({ request, report, reports }) => {
        const own = new Set(reports.map((x) => x.id));
        return {
          requestId: request.id,
          reportId: report.id,
          valueFen: report.valueFen,
          validUntil: report.validUntil,
          errorMarked: hasOpenError(request),
          corrected: request.correctedAt !== null,
          excluded: report.excluded,
          objection: objectionState(
            objections.filter((o) => own.has(o.reportId)).map((o) => o.status),
            // An upheld objection takes the report out of the mean (the objection's decision sets `excluded`).
            report.excluded,
          ),
        };
      });
    const decision = decideInquiryMean(results, now, RULES, { correctionsAsked: rows.some((r) => r.request.correctionDueAt !== null) });
    if (!decision.ok && decision.reason === "corrections_needed") throw new AppError("CORRECTIONS_NEEDED");
    // A19–A21: the parties get every report that may count, and their 5 days to object, before the price is fixed.
    for (const { request, report } of rows) {
      if (!report || hasOpenError(request) || report.excluded) continue;
      if (!report.deliveredAt || !report.objectionDueAt) throw new AppError("REPORT_NOT_DELIVERED");
      if (!isPast(report.objectionDueAt, now)) throw new AppError("OBJECTIONS_PENDING");
    }
    if (!decision.ok) {
      if (decision.reason === "objections_pending") throw new AppError("OBJECTIONS_PENDING");
      await endWithoutPrice(tx, clock, procedure, judge.id, "online_inquiry_failed", { rule: "A11", next: "appraisal" });
      return { kind: "failed", reason: "no_valid_reports" };
    }
    const fixed = await fixProcedurePrice(tx, clock, procedure, {
      method: "online_inquiry",
      amountFen: decision.amountFen,
      documentTitle: `网络询价结果平均值（${decision.used.length}家平台）`,
      validUntil: decision.validUntil,
      fixedBy: judge.id,
      actorId: judge.id,
      rule: "A10",
      data: { used: decision.used, excluded: decision.excluded },
    });
    return { kind: "priced", ...fixed, amountFen: decision.amountFen, used: decision.used };
  });
}

// ---------------------------------------------------------------------------------------------
// The deadline sweep (A3, A4, A6, A8, A9)
// ---------------------------------------------------------------------------------------------

export type SweepOutcome =
  | { procedureId: string; method: "negotiation" | "directed_inquiry"; kind: "failed" }
  | { procedureId: string; method: "online_inquiry"; kind: "review" | "extended" | "failed"; late: string[]; extended: string[]; struckOff: string[] };

/**
 * Run every minute: each negotiation, directed inquiry and online inquiry whose current deadline has passed
 * takes its next step. Safe with many nodes: each procedure is handled in its own transaction under its
 * row lock, skipping ones another node holds, and re-checked after locking.
 */
export interface InquirySweepResult {
  outcomes: SweepOutcome[];
  /** Procedures whose step failed (each is retried by the next sweep); the job logs them. */
  errors: { procedureId: string; error: unknown }[];
}

export async function sweepInquiryDeadlines(db: Db, clock: Clock): Promise<InquirySweepResult> {
  const now = clock.now();
  const due = await db
    .select({ id: priceProcedures.id })
    .from(priceProcedures)
    .where(and(eq(priceProcedures.status, "open"), inArray(priceProcedures.method, ["negotiation", "directed_inquiry", "online_inquiry"]), isNotNull(priceProcedures.dueAt), lt(priceProcedures.dueAt, now)))
    .orderBy(asc(priceProcedures.dueAt));
  const result: InquirySweepResult = { outcomes: [], errors: [] };
  for (const { id } of due) {
    try {
      const outcome = await db.transaction(async (tx) => {
        const [procedure] = await tx.select().from(priceProcedures).where(eq(priceProcedures.id, id)).for("update", { skipLocked: true });
        if (!procedure || procedure.status !== "open" || !procedure.dueAt || beforeDeadline(now, procedure.dueAt)) return null;
        return sweepOne(tx, clock, procedure, now);
      });
      if (outcome) result.outcomes.push(outcome);
    } catch (error) {
      result.errors.push({ procedureId: id, error });
    }
  }
  return result;
}

async function sweepOne(tx: Tx, clock: Clock, procedure: PriceProcedure, now: Date): Promise<SweepOutcome> {
  if (procedure.method === "negotiation") {
    // A3: no matching figures by the court's deadline.
    await endWithoutPrice(tx, clock, procedure, null, "negotiation_deadline_passed", { rule: "A3" });
    return { procedureId: procedure.id, method: "negotiation", kind: "failed" };
  }
  if (procedure.method === "directed_inquiry") {
    // A4: only an answer returned on time is the reference price.
    await tx.update(inquiryRequests).set({ late: true, lateAt: procedure.dueAt }).where(eq(inquiryRequests.procedureId, procedure.id));
    await endWithoutPrice(tx, clock, procedure, null, "directed_inquiry_unanswered", { rule: "A4" });
    return { procedureId: procedure.id, method: "directed_inquiry", kind: "failed" };
  }
  const rows = await requestsOf(tx, procedure.id, true);
  const inCorrection = rows.some((r) => r.request.correctionDueAt !== null);
  let late: RequestWithReport[];
  let extended: RequestWithReport[] = [];
  let kind: "review" | "extended" | "failed";
  if (inCorrection) {
    // A9: corrections not in by their deadline count as late; if none came, nothing valid is left.
    late = rows.filter((r) => r.request.correctionDueAt && !r.request.correctedAt && !r.request.late && !beforeDeadline(now, r.request.correctionDueAt));
    kind = rows.some((r) => r.request.correctedAt !== null) ? "review" : "failed";
  } else {
    const decision = decideReportDeadline(rows.map(({ request, report }) => ({ id: request.id, reported: report !== null, extensionRequested: request.extensionRequestedAt !== null, extended: request.extended, late: request.late })));
    late = rows.filter((r) => decision.late.includes(r.request.id));
    if (decision.kind === "extended") extended = rows.filter((r) => decision.extend.includes(r.request.id));
    kind = decision.kind;
  }
  for (const r of late) {
    const missed = inCorrection ? r.request.correctionDueAt! : r.request.dueAt;
    await tx.update(inquiryRequests).set({ late: true, lateAt: missed }).where(eq(inquiryRequests.id, r.request.id));
  }
  let nextDue: Date | null = null;
  for (const r of extended) {
    const newDue = extendedDueAt(r.request.dueAt, RULES);
    nextDue = newDue;
    await tx.update(inquiryRequests).set({ extended: true, dueAt: newDue }).where(eq(inquiryRequests.id, r.request.id));
  }
  await appendAudit(tx, clock, {
    actorId: null,
    action: "appraisal.inquiry_deadline_passed",
    entityType: "price_procedure",
    entityId: procedure.id,
    data: { outcome: kind, late: late.map((r) => r.request.id), extended: extended.map((r) => r.request.id), extendedUntil: nextDue, phase: inCorrection ? "correction" : "report" },
  });
  if (kind === "failed") {
    // A8, A11: no report (or no correction) at all — the court switches to appraisal.
    await endWithoutPrice(tx, clock, procedure, null, "online_inquiry_failed", { rule: "A8", next: "appraisal" });
  } else {
    await tx.update(priceProcedures).set({ dueAt: nextDue }).where(eq(priceProcedures.id, procedure.id));
  }
  const struckOff = await applyStrikeOffs(
    tx,
    clock,
    late.map((r) => ({ platformId: r.request.platformId!, at: inCorrection ? r.request.correctionDueAt! : r.request.dueAt })),
  );
  return { procedureId: procedure.id, method: "online_inquiry", kind, late: late.map((r) => r.request.id), extended: extended.map((r) => r.request.id), struckOff };
}

/** A6: a platform whose late reports within the last 12 months reach five is struck off and barred for five years. */
async function applyStrikeOffs(tx: Tx, clock: Clock, lates: { platformId: string; at: Date }[]): Promise<string[]> {
  const struck: string[] = [];
  for (const { platformId, at } of lates) {
    const [listing] = await tx.select().from(platformListings).where(eq(platformListings.platformId, platformId)).for("update");
    if (!listing || listing.status !== "active") continue;
    const times = await tx
      .select({ lateAt: inquiryRequests.lateAt })
      .from(inquiryRequests)
      .where(and(eq(inquiryRequests.platformId, platformId), eq(inquiryRequests.late, true), isNotNull(inquiryRequests.lateAt)));
    const decision = strikeOffDecision(
      times.map((t) => t.lateAt!),
      at,
      RULES,
    );
    if (!decision.strike) continue;
    await tx.update(platformListings).set({ status: "struck_off", statusChangedAt: clock.now(), barredUntil: decision.barredUntil }).where(eq(platformListings.platformId, platformId));
    await appendAudit(tx, clock, {
      actorId: null,
      action: "appraisal.platform_struck_off",
      entityType: "inquiry_platform",
      entityId: platformId,
      data: { reason: "late_reports", lateReportsInYear: RULES.platformLateReportsLimit, barredUntil: decision.barredUntil },
    });
    struck.push(platformId);
  }
  return struck;
}
