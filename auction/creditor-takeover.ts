// 以物抵债 (F7, F12, P8): after a failed auction, instead of the next round, the court may give the asset to an applicant
// creditor at that auction's reserve (its starting price). The creditor pays in what the price exceeds the claim by.
// An applicant not eligible to buy housing may not take a home (F12). The asset's later drafts are then not published.
import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "../db/client.ts";
import { assets, caseParties, creditorTakeovers, lots } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { needsHousingEligibility } from "../core/ruleset.ts";
import { checkboxField } from "../core/validation.ts";
import { authorize, type SessionUser } from "../identity/index.ts";

export const takeoverSchema = z.object({
  partyId: z.uuid({ error: "validation.required" }),
  /** F12: for a home, the court has checked that the creditor is eligible to buy it. */
  creditorEligible: checkboxField,
});

/** F7, F12: records the takeover of a failed lot's asset by an applicant creditor of its case. */
export async function recordCreditorTakeover(db: Db, clock: Clock, actor: SessionUser, lotId: string, input: z.infer<typeof takeoverSchema>): Promise<{ excessFen: bigint }> {
  return db.transaction(async (tx) => {
    const [lot] = await tx.select().from(lots).where(eq(lots.id, lotId)).for("update");
    if (!lot) throw new AppError("NOT_FOUND");
    authorize(actor, "lots.publish", { courtId: lot.courtId });
    const [asset] = await tx.select().from(assets).where(eq(assets.id, lot.assetId));
    // After a failure only, and before a later round of the asset is announced.
    const [later] = await tx.select({ id: lots.id }).from(lots).where(and(eq(lots.previousLotId, lotId), ne(lots.status, "draft")));
    if (lot.status !== "failed" || later) throw new AppError("LOT_TRANSITION_ILLEGAL");
    const [party] = await tx.select().from(caseParties).where(and(eq(caseParties.id, input.partyId), eq(caseParties.caseId, asset!.caseId), eq(caseParties.role, "applicant")));
    if (!party) throw new AppError("VALIDATION_FAILED", { fields: { partyId: "validation.required" } });
    if (needsHousingEligibility(asset!.category) && !input.creditorEligible) throw new AppError("CREDITOR_INELIGIBLE_FOR_HOUSING");
    const priceFen = lot.startingPriceFen;
    const excessFen = party.claimFen !== null && priceFen > party.claimFen ? priceFen - party.claimFen : 0n;
    const [row] = await tx
      .insert(creditorTakeovers)
      .values({ assetId: asset!.id, lotId, partyId: party.id, priceFen, claimFen: party.claimFen, excessFen, recordedBy: actor.id, recordedAt: clock.now() })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError("CONFLICT");
    await appendAudit(tx, clock, { actorId: actor.id, action: "auction.creditor_takeover", entityType: "lot", entityId: lotId, data: { partyId: party.id, priceFen, excessFen } });
    return { excessFen };
  });
}

/** The asset's takeover by a creditor, if any: its later lots are not published (F7). */
export async function assetTakeover(db: DbOrTx, assetId: string) {
  const [row] = await db
    .select({ lotId: creditorTakeovers.lotId, priceFen: creditorTakeovers.priceFen, excessFen: creditorTakeovers.excessFen, partyName: caseParties.name, recordedAt: creditorTakeovers.recordedAt })
    .from(creditorTakeovers)
    .innerJoin(caseParties, eq(caseParties.id, creditorTakeovers.partyId))
    .where(eq(creditorTakeovers.assetId, assetId));
  return row ?? null;
}
