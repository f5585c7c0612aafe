// Directed inquiry (A4, RP 5–6): when negotiation fails or is skipped and the asset has a tax base price or a
// government-set or government-guided price, the court asks the body that holds it (the tax authority or the
// price authority where the asset is). The answer returned by the court's deadline is the reference price;
// no answer by then fails the inquiry (sweepInquiryDeadlines). Objections to it are not accepted (A22).
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { inquiryRequests, valuationReports } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { instantField, parseOrThrow, plainText } from "../core/validation.ts";
import { authorize, can, type SessionUser } from "../identity/index.ts";
import { requireOpen } from "./procedures.ts";
import { storeValuationReport } from "./reports.ts";
import { checkInquiryReport, fixProcedurePrice, judgeAsset, lockMethodProcedure, openProcedure, type InquiryReportInput } from "./inquiry.ts";
import { beforeDeadline } from "./rules/inquiry.ts";

/** A4: the bodies asked, and the kind of price each holds. */
export const DIRECTED_ADDRESSEES = ["tax_authority", "price_authority"] as const;
export const DIRECTED_PRICE_KINDS = ["tax_base_price", "government_set_price", "government_guided_price"] as const;

export const directedInquirySchema = z.object({
  addresseeKind: z.enum(DIRECTED_ADDRESSEES, { error: "validation.invalid" }),
  /** The body's name, e.g. 国家税务总局北京市朝阳区税务局. */
  addressee: plainText({ max: 200, multiline: true }),
  priceKind: z.enum(DIRECTED_PRICE_KINDS, { error: "validation.invalid" }),
  dueAt: instantField,
  basis: plainText({ max: 1000, multiline: true }),
});

export type DirectedInquiryInput = z.input<typeof directedInquirySchema>;

/** A4: the judge sends the directed inquiry to the named body, with a deadline. */
export async function startDirectedInquiry(db: Db, clock: Clock, judge: SessionUser, assetId: string, raw: DirectedInquiryInput): Promise<{ procedureId: string; requestId: string; dueAt: Date }> {
  const input = parseOrThrow(directedInquirySchema, raw);
  const now = clock.now();
  if (!beforeDeadline(now, input.dueAt)) throw new AppError("VALIDATION_FAILED", { fields: { dueAt: "validation.future" } });
  return db.transaction(async (tx) => {
    // A4 is the judge's decision (startProcedure also lets clerks start a procedure).
    await judgeAsset(tx, judge, assetId);
    const procedure = await openProcedure(tx, clock, judge, assetId, {
      method: "directed_inquiry",
      basis: `${input.priceKind}: ${input.basis}`,
      dueAt: input.dueAt,
    });
    const [request] = await tx
      .insert(inquiryRequests)
      .values({ procedureId: procedure.id, platformId: null, addressee: `${input.addresseeKind}: ${input.addressee}`, sentAt: now, dueAt: input.dueAt })
      .returning({ id: inquiryRequests.id });
    await appendAudit(tx, clock, {
      actorId: judge.id,
      action: "appraisal.directed_inquiry_sent",
      entityType: "price_procedure",
      entityId: procedure.id,
      data: { requestId: request!.id, addresseeKind: input.addresseeKind, addressee: input.addressee, priceKind: input.priceKind, dueAt: input.dueAt },
    });
    return { procedureId: procedure.id, requestId: request!.id, dueAt: input.dueAt };
  });
}

/**
 * A4: court staff record the body's answer (its letter as a PDF, the price, its date and validity) before
 * the deadline; the price is fixed at once (valid until the answer's validity, at most a year, A23).
 */
export async function recordDirectedAnswer(
  db: Db,
  clock: Clock,
  actor: SessionUser,
  procedureId: string,
  raw: InquiryReportInput,
): Promise<{ reportId: string; referencePriceId: string; validUntil: Date }> {
  const now = clock.now();
  const input = checkInquiryReport(now, raw);
  return db.transaction(async (tx) => {
    const procedure = await lockMethodProcedure(tx, procedureId, "directed_inquiry");
    authorize(actor, "appraisal.manage", { courtId: procedure.courtId });
    requireOpen(procedure);
    if (!procedure.dueAt || !beforeDeadline(now, procedure.dueAt)) throw new AppError("DEADLINE_PASSED");
    const [request] = await tx.select().from(inquiryRequests).where(eq(inquiryRequests.procedureId, procedureId)).for("update");
    if (!request) throw new AppError("NOT_FOUND");
    const report = await storeValuationReport(tx, clock, actor.id, { procedureId, inquiryRequestId: request.id }, input);
    // A19, A22: the answer admits no objection, but the parties should see what their price rests on. The
    // procedure is priced at once (below), so no later delivery step could reach it (deliverReport needs an
    // open procedure): it is delivered now, through the parties' case page, with no objection window.
    await tx.update(valuationReports).set({ deliveredAt: now, objectionDueAt: null }).where(eq(valuationReports.id, report.id));
    await appendAudit(tx, clock, {
      actorId: actor.id,
      action: "appraisal.report_delivered",
      entityType: "valuation_report",
      entityId: report.id,
      data: { rule: "A19", late: false, objectionDueAt: null, objectionsAllowed: false },
    });
    await appendAudit(tx, clock, {
      actorId: actor.id,
      action: "appraisal.directed_answer_recorded",
      entityType: "price_procedure",
      entityId: procedureId,
      data: { requestId: request.id, reportId: report.id, valueFen: input.valueFen, validUntil: input.validUntil, sha256: report.sha256 },
    });
    const fixed = await fixProcedurePrice(tx, clock, procedure, {
      method: "directed_inquiry",
      amountFen: input.valueFen,
      documentTitle: `定向询价结果（${request.addressee.replace(/^\w+: /, "")}）`,
      validUntil: input.validUntil,
      // A judge recording the answer fixes the price; a clerk records it for the case's judge.
      fixedBy: can(actor, "appraisal.decide", { courtId: procedure.courtId }) ? actor.id : undefined,
      actorId: actor.id,
      rule: "A4",
      data: { reportId: report.id },
    });
    return { reportId: report.id, referencePriceId: fixed.referencePriceId, validUntil: fixed.validUntil };
  });
}
