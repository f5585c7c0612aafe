// A17 (RP 19, 11): a reference price that ran out before the first auction was announced needs a new
// report. For an appraisal the same agency re-issues it within 15 days; the procedure reopens, and the new
// report goes through delivery, objections and the fixing of the price again (A19–A23). For an online
// inquiry the platforms answer within 3 days: a new inquiry of the asset, on the same ground (A5–A10).
import { and, eq, gt, inArray, isNotNull, ne } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { commissions, ONLINE_INQUIRY_GROUNDS, priceProcedures, valuationReports } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { CN_SPC_2016 } from "../core/ruleset.ts";
import type { SessionUser } from "../identity/index.ts";
import { sendOnlineInquiry } from "./inquiry.ts";
import { lockCourtProcedure, type PriceProcedure } from "./procedures.ts";
import { isPast, reissueDueAt } from "./rules/appraisal.ts";
import { assets, lots, referencePrices } from "../auction/index.ts";

/**
 * What a re-issue started: the procedure that waits for the new report or results (the same one for an
 * appraisal, a new inquiry for an online inquiry), when they are due, and the appraisal's commission.
 */
export interface ReissueAsked {
  procedureId: string;
  reportDueAt: Date;
  commissionId: string | null;
}

/**
 * A17: the judge asks for a new report on an expired price. Allowed on the asset's newest procedure, priced
 * by appraisal or online inquiry, once its reference price has expired and while no first-auction
 * announcement has been published for the asset (after one, A23 lets the sale go on without a new price).
 *
 * Appraisal: the agency whose report priced the asset re-issues it. The procedure reopens; the agency's
 * commission is due again in 15 days; the old reports are set aside so that only the re-issued one can price
 * the asset. Online inquiry: the platforms re-issue within 3 days, the period of a fresh inquiry (A8), so a
 * new online inquiry of the asset is sent, on the expired one's ground, to every platform now eligible (A7);
 * it then runs as any inquiry (A8–A10) and its mean is the new price.
 */
export async function askReissue(db: Db, clock: Clock, actor: SessionUser, procedureId: string): Promise<ReissueAsked> {
  return db.transaction(async (tx) => {
    const p = await lockCourtProcedure(tx, actor, procedureId, "appraisal.decide");
    if (p.status !== "priced" || (p.method !== "appraisal" && p.method !== "online_inquiry") || !p.referencePriceId) throw new AppError("CONFLICT");
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
    if (p.method === "online_inquiry") return newInquiry(tx, clock, actor, p, price);
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
    return { procedureId: p.id, commissionId: c.id, reportDueAt: due };
  });
}

/** A17 for an online inquiry: the new inquiry, due in the platforms' 3 days, recorded on the expired one. */
async function newInquiry(tx: Tx, clock: Clock, judge: SessionUser, expired: PriceProcedure, price: { id: string; validUntil: Date }): Promise<ReissueAsked> {
  // The new inquiry stands on the expired one's ground (A5), which every online inquiry is started with.
  const ground = ONLINE_INQUIRY_GROUNDS.find((g) => g === expired.basisKind);
  if (!ground) throw new AppError("CONFLICT");
  const [asset] = await tx.select({ id: assets.id, category: assets.category }).from(assets).where(eq(assets.id, expired.assetId));
  const due = reissueDueAt(CN_SPC_2016, clock.now(), "online_inquiry");
  const sent = await sendOnlineInquiry(tx, clock, judge, asset!, { ground, basis: expired.basis }, due);
  await appendAudit(tx, clock, {
    actorId: judge.id,
    action: "appraisal.inquiry_reissue_asked",
    entityType: "price_procedure",
    entityId: expired.id,
    data: { rule: "A17", expiredReferencePriceId: price.id, expiredAt: price.validUntil, newProcedureId: sent.procedureId, reportDueAt: due, platforms: sent.requests.map((r) => r.platformId) },
  });
  return { procedureId: sent.procedureId, commissionId: null, reportDueAt: due };
}
