// A17 (RP 19, 11): a reference price that ran out before the first auction was announced needs a new
// report. For an appraisal the same agency re-issues it within 15 days; the procedure reopens, and the new
// report goes through delivery, objections and the fixing of the price again (A19–A23).
import { and, eq, gt, inArray, isNotNull, ne } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { commissions, priceProcedures, valuationReports } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { CN_SPC_2016 } from "../core/ruleset.ts";
import type { SessionUser } from "../identity/index.ts";
import { lockCourtProcedure } from "./procedures.ts";
import { isPast, reissueDueAt } from "./rules/appraisal.ts";
import { lots, referencePrices } from "../auction/index.ts";

/**
 * A17: the judge asks the agency whose report priced the asset for a re-issued report. Allowed on the
 * asset's newest procedure, priced by appraisal, once its reference price has expired and while no
 * first-auction announcement has been published for the asset (after one, A23 lets the sale go on without
 * a new price). The procedure reopens; the agency's commission is due again in 15 days; the old reports
 * are set aside so that only the re-issued one can price the asset.
 *
 * Online inquiry: a platform re-issues within 3 days, which is the period of a fresh online inquiry (A8),
 * so the court starts a new online inquiry of the asset instead; this function refuses that method.
 */
export async function askReissue(db: Db, clock: Clock, actor: SessionUser, procedureId: string): Promise<{ commissionId: string; reportDueAt: Date }> {
  return db.transaction(async (tx) => {
    const p = await lockCourtProcedure(tx, actor, procedureId, "appraisal.decide");
    if (p.status !== "priced" || p.method !== "appraisal" || !p.referencePriceId) throw new AppError("CONFLICT");
    const now = clock.now();
    const [price] = await tx.select({ id: referencePrices.id, validUntil: referencePrices.validUntil }).from(referencePrices).where(eq(referencePrices.id, p.referencePriceId));
    if (!price || !isPast(price.validUntil, now)) throw new AppError("REISSUE_NOT_NEEDED");
    const [announced] = await tx
      .select({ id: lots.id })
      .from(lots)
      .where(and(eq(lots.assetId, p.assetId), eq(lots.round, "first"), isNotNull(lots.publishedAt)))
      .limit(1);
    if (announced) throw new AppError("REISSUE_NOT_NEEDED");
    // Only the asset's newest pricing can be reopened, and not beside another that is running.
    const [other] = await tx
      .select({ id: priceProcedures.id, status: priceProcedures.status })
      .from(priceProcedures)
      .where(and(eq(priceProcedures.assetId, p.assetId), ne(priceProcedures.id, p.id), gt(priceProcedures.startedAt, p.startedAt)))
      .limit(1);
    if (other) throw new AppError("CONFLICT");
    const [running] = await tx
      .select({ id: priceProcedures.id })
      .from(priceProcedures)
      .where(and(eq(priceProcedures.assetId, p.assetId), inArray(priceProcedures.status, ["open", "suspended"])))
      .limit(1);
    if (running) throw new AppError("PROCEDURE_RUNNING");
    const [c] = await tx
      .select()
      .from(commissions)
      .where(and(eq(commissions.procedureId, p.id), eq(commissions.status, "reported")))
      .for("update");
    if (!c) throw new AppError("CONFLICT");

    const due = reissueDueAt(CN_SPC_2016, now, "appraisal");
    await tx.update(priceProcedures).set({ status: "open", referencePriceId: null, endedAt: null, endReason: null }).where(eq(priceProcedures.id, p.id));
    await tx.update(commissions).set({ status: "accepted", reportDueAt: due }).where(eq(commissions.id, c.id));
    const setAside = await tx
      .update(valuationReports)
      .set({ excluded: true })
      .where(and(eq(valuationReports.procedureId, p.id), eq(valuationReports.excluded, false)))
      .returning({ id: valuationReports.id });
    await appendAudit(tx, clock, {
      actorId: actor.id,
      action: "appraisal.reissue_asked",
      entityType: "price_procedure",
      entityId: p.id,
      data: { rule: "A17", expiredReferencePriceId: price.id, expiredAt: price.validUntil, commissionId: c.id, agencyId: c.agencyId, reportDueAt: due, reportsSetAside: setAside.map((r) => r.id) },
    });
    return { commissionId: c.id, reportDueAt: due };
  });
}
