// Fixing the reference price from an appraisal (A14, A20–A23, A25). The price is written where the
// auction context reads "the asset's valid reference price", so a lot can be set up from it.
import { and, desc, eq, inArray, isNotNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { commissions, priceProcedures, reportObjections, valuationReports } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { parseOrThrow } from "../core/validation.ts";
import { CN_SPC_2016 } from "../core/ruleset.ts";
import { insertReferencePrice } from "../auction/index.ts";
import type { SessionUser } from "../identity/index.ts";
import { lockCourtProcedure, requireOpen } from "./procedures.ts";
import { refuseWhileReviewOpen } from "./objections.ts";
import { cappedValidUntil, defectOpen, isPast, objectionPending, saleStartDueAt } from "./rules/appraisal.ts";

export const fixPriceSchema = z.object({
  reportId: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.uuid({ error: "validation.invalid" }).optional()),
});

/**
 * The judge fixes the reference price from the appraisal report (the newest usable one unless named):
 * it must have been delivered to the parties (A19: directly, or deemed served 15 days after posting), the
 * objection window must be over (A20, A21), every objection decided and none upheld, no review of a
 * decision pending nor still open to a party (A20) and no defect open (A18). The price is the report's value; it is valid from the
 * valuation date until the report's validity ends, never more than one year (A23). A25: the sale is due
 * to start within 10 days, shown among the court's deadlines.
 */
export async function fixReferencePrice(
  db: Db,
  clock: Clock,
  actor: SessionUser,
  procedureId: string,
  input: { reportId?: string } = {},
): Promise<{ referencePriceId: string; amountFen: bigint; validFrom: Date; validUntil: Date; saleStartDueAt: Date }> {
  const { reportId } = parseOrThrow(fixPriceSchema, input);
  return db.transaction(async (tx) => {
    const p = await lockCourtProcedure(tx, actor, procedureId, "appraisal.decide");
    requireOpen(p);
    if (p.method !== "appraisal") throw new AppError("CONFLICT");
    const [report] = await tx
      .select()
      .from(valuationReports)
      .where(
        and(
          eq(valuationReports.procedureId, p.id),
          isNotNull(valuationReports.commissionId),
          reportId ? eq(valuationReports.id, reportId) : eq(valuationReports.excluded, false),
        ),
      )
      .orderBy(desc(valuationReports.submittedAt))
      .limit(1)
      .for("update");
    if (!report) throw new AppError(reportId ? "NOT_FOUND" : "REPORT_NOT_DELIVERED");
    if (report.excluded) throw new AppError("REPORT_UNUSABLE");
    const now = clock.now();
    if (!report.deliveredAt || !report.objectionDueAt) throw new AppError("REPORT_NOT_DELIVERED");
    if (!isPast(report.objectionDueAt, now)) throw new AppError("OBJECTIONS_PENDING");
    // A18: not from a report whose defect is neither explained nor corrected.
    if (defectOpen(report)) throw new AppError("REPORT_DEFECT_OPEN");
    const objections = await tx
      .select({
        kind: reportObjections.kind,
        status: reportObjections.status,
        decidedAt: reportObjections.decidedAt,
        reviewRequestedAt: reportObjections.reviewRequestedAt,
        reviewDecidedAt: reportObjections.reviewDecidedAt,
      })
      .from(reportObjections)
      .where(eq(reportObjections.reportId, report.id));
    if (objections.some((o) => objectionPending(o.status))) throw new AppError("OBJECTIONS_PENDING");
    // A20: not while a review of an objection's decision is pending, nor while a party may still ask for one.
    refuseWhileReviewOpen(objections, now);
    if (objections.some((o) => o.status === "upheld")) throw new AppError("REPORT_UNUSABLE");
    // A23: the report's validity, capped at a year from the valuation date; an expired report needs re-issuing (A17).
    const validUntil = cappedValidUntil(CN_SPC_2016, report.valuationDate, report.validUntil);
    // The validity's last instant still belongs to it, as validReferencePrice (auction) and askReissue read it.
    if (isPast(validUntil, now)) throw new AppError("REPORT_EXPIRED");
    const [commission] = await tx.select({ agencyId: commissions.agencyId }).from(commissions).where(eq(commissions.id, report.commissionId!));
    const price = await insertReferencePrice(tx, clock, {
      assetId: p.assetId,
      method: "appraisal",
      amountFen: report.valueFen,
      documentTitle: `评估报告（${report.valuationMethod}）${report.fileName}`.slice(0, 200),
      agencyId: commission!.agencyId,
      validFrom: report.valuationDate,
      validUntil,
      fixedBy: actor.id,
    });
    await tx
      .update(priceProcedures)
      .set({ status: "priced", referencePriceId: price.id, dueAt: null, endedAt: now, endReason: "priced" })
      .where(eq(priceProcedures.id, p.id));
    // Commissions of other ranks that are still offered end with the procedure.
    await tx.update(commissions).set({ status: "withdrawn" }).where(and(eq(commissions.procedureId, p.id), inArray(commissions.status, ["offered", "accepted"])));
    const saleDue = saleStartDueAt(CN_SPC_2016, now);
    await appendAudit(tx, clock, {
      actorId: actor.id,
      action: "appraisal.reference_price_fixed",
      entityType: "price_procedure",
      entityId: p.id,
      data: {
        rule: "A23",
        assetId: p.assetId,
        method: "appraisal",
        reportId: report.id,
        reportSha256: report.sha256,
        amountFen: report.valueFen,
        agencyId: commission!.agencyId,
        validFrom: report.valuationDate,
        validUntil,
        capped: validUntil.getTime() !== report.validUntil.getTime(),
        referencePriceId: price.id,
        saleStartDueAt: saleDue,
      },
    });
    return { referencePriceId: price.id, amountFen: report.valueFen, validFrom: report.valuationDate, validUntil, saleStartDueAt: saleDue };
  });
}
