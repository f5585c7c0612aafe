import { and, eq, inArray, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "../db/client.ts";
import { assets, caseParties, lotPriorityHolders, lots, referencePrices, registrations } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { checkboxField } from "../core/validation.ts";
import { uniqueViolation } from "../db/errors.ts";
import { authorize, bidderProfiles, users, type SessionUser } from "../identity/index.ts";
import { newBidderCode } from "./bidder-codes.ts";
import type { DepositGateway } from "./deposit-gateway.ts";
import { needsHousingEligibility } from "../core/ruleset.ts";

export const applySchema = z.object({
  /** B9: the bidder has read the special warnings. */
  acceptWarnings: checkboxField.refine((v) => v, "validation.mustAccept"),
  /** C7: not court, platform or appraiser staff, nor their close relative. */
  declareNotBarred: checkboxField.refine((v) => v, "validation.mustAccept"),
  /** C11, B14: for residential lots, the housing purchase-eligibility promise. */
  housingEligibilityDeclared: checkboxField,
});
export type ApplyInput = z.infer<typeof applySchema>;

/**
 * Why a bidder may not take part (C7, C9/P1), or null. Staff of the enforcing court, of the
 * platform, and of the agency that valued the asset are barred under any account: matched by
 * real-name identity number.
 */
async function barredReason(tx: Tx, lot: typeof lots.$inferSelect, identityNumber: string): Promise<string | null> {
  const [ref] = await tx.select({ agencyId: referencePrices.agencyId }).from(referencePrices).where(eq(referencePrices.id, lot.referencePriceId));
  const staffScopes = [eq(users.courtId, lot.courtId), eq(users.role, "admin")];
  if (ref?.agencyId) staffScopes.push(eq(users.agencyId, ref.agencyId));
  const [staff] = await tx
    .select({ role: users.role })
    .from(users)
    .where(and(eq(users.staffIdentityNumber, identityNumber), or(...staffScopes)))
    .limit(1);
  if (staff) return "C7";
  if (!lot.debtorMayBid) {
    const [debtor] = await tx
      .select({ id: caseParties.id })
      .from(caseParties)
      .innerJoin(assets, eq(assets.caseId, caseParties.caseId))
      .where(and(eq(assets.id, lot.assetId), eq(caseParties.role, "debtor"), eq(caseParties.identityNumber, identityNumber)))
      .limit(1);
    if (debtor) return "C9";
  }
  return null;
}

/**
 * A signed-in bidder applies for a lot. Eligibility is checked; the deposit due is the lot's,
 * less an applicant creditor's claim (C3); priority holders named by the court get their rank (E1).
 * Nothing about the application is visible to anyone but the bidder until the lot closes (P4).
 */
export async function applyForLot(db: Db, clock: Clock, actor: SessionUser, lotId: string, input: ApplyInput): Promise<{ registrationId: string }> {
  authorize(actor, "lots.bid");
  try {
    return await db.transaction(async (tx) => {
      const [lot] = await tx.select().from(lots).where(eq(lots.id, lotId)).for("update");
      if (!lot || lot.status === "draft") throw new AppError("NOT_FOUND");
      const now = clock.now();
      // C4: registration is open until bidding closes.
      if (lot.status !== "published" || now.getTime() >= lot.closesAt.getTime()) throw new AppError("LOT_CLOSED");
      const [profile] = await tx.select().from(bidderProfiles).where(eq(bidderProfiles.userId, actor.id));
      if (!profile) throw new AppError("FORBIDDEN");
      const [asset] = await tx.select({ category: assets.category, caseId: assets.caseId }).from(assets).where(eq(assets.id, lot.assetId));
      if (needsHousingEligibility(asset!.category) && !input.housingEligibilityDeclared) {
        throw new AppError("VALIDATION_FAILED", { fields: { housingEligibilityDeclared: "validation.mustAccept" } });
      }
      // C7 "directly or through others": a barred person may not bid as someone's proxy either.
      const barred =
        (await barredReason(tx, lot, profile.identityNumber)) ??
        (profile.proxyIdentityNumber ? await barredReason(tx, lot, profile.proxyIdentityNumber) : null);
      if (barred) throw new AppError("BIDDER_BARRED", { details: { rule: barred } });

      const [creditor] = await tx
        .select({ claimFen: caseParties.claimFen })
        .from(caseParties)
        .where(and(eq(caseParties.caseId, asset!.caseId), eq(caseParties.role, "applicant"), eq(caseParties.identityNumber, profile.identityNumber)))
        .limit(1);
      // C3: an applicant creditor pays only the part of the deposit its claim does not cover.
      // Without a recorded claim the exemption cannot be measured: the full deposit is due.
      const depositDue = creditor?.claimFen != null ? (creditor.claimFen < lot.depositFen ? lot.depositFen - creditor.claimFen : 0n) : lot.depositFen;
      const [holder] = await tx
        .select({ rank: lotPriorityHolders.rank, basis: lotPriorityHolders.basis })
        .from(lotPriorityHolders)
        .where(and(eq(lotPriorityHolders.lotId, lotId), eq(lotPriorityHolders.identityNumber, profile.identityNumber)));

      const [row] = await tx
        .insert(registrations)
        .values({
          lotId,
          userId: actor.id,
          status: "awaiting_deposit",
          priorityRank: holder?.rank ?? null,
          priorityProof: holder?.basis ?? null,
          depositDueFen: depositDue,
          housingEligibilityDeclared: input.housingEligibilityDeclared,
          createdAt: now,
        })
        .returning({ id: registrations.id });
      const registrationId = row!.id;
      // The audit names no one: the registration id is a pseudonym until the close (P4).
      await appendAudit(tx, clock, { actorId: null, action: "auction.registered", entityType: "lot", entityId: lotId, data: { registrationId } });
      if (depositDue === 0n) await activate(tx, clock, lotId, registrationId, holder?.rank ?? null, "EXEMPT-C3");
      return { registrationId };
    });
  } catch (error) {
    if (uniqueViolation(error) === "registrations_lot_user_unique") throw new AppError("ALREADY_REGISTERED");
    throw error;
  }
}

/** C4: once the deposit is confirmed the bidder gets a random per-lot code and may bid. */
async function activate(tx: Tx, clock: Clock, lotId: string, registrationId: string, priorityRank: number | null, reference: string): Promise<string> {
  const taken = new Set(
    (await tx.select({ code: registrations.bidderCode }).from(registrations).where(eq(registrations.lotId, lotId))).map((r) => r.code),
  );
  let code = newBidderCode(priorityRank);
  while (taken.has(code)) code = newBidderCode(priorityRank);
  await tx
    .update(registrations)
    .set({ status: "active", bidderCode: code, depositReference: reference, depositPaidAt: clock.now() })
    .where(eq(registrations.id, registrationId));
  await appendAudit(tx, clock, { actorId: null, action: "auction.deposit_confirmed", entityType: "lot", entityId: lotId, data: { registrationId, bidderCode: code } });
  return code;
}

/** Takes the deposit through the gateway (C2) and, once paid, issues the bidder code (C4). */
export async function payDeposit(db: Db, clock: Clock, gateway: DepositGateway, actor: SessionUser, lotId: string): Promise<{ bidderCode: string | null }> {
  authorize(actor, "lots.bid");
  const [reg] = await db.select().from(registrations).where(and(eq(registrations.lotId, lotId), eq(registrations.userId, actor.id)));
  if (!reg) throw new AppError("NOT_REGISTERED");
  if (reg.status === "active") return { bidderCode: reg.bidderCode };
  if (reg.status !== "awaiting_deposit") throw new AppError("CONFLICT");
  // No money is taken for a lot that can no longer admit the bidder (C4).
  const [open] = await db.select({ status: lots.status, closesAt: lots.closesAt }).from(lots).where(eq(lots.id, lotId));
  if (open!.status !== "published" || clock.now().getTime() >= open!.closesAt.getTime()) throw new AppError("LOT_CLOSED");
  const [profile] = await db.select({ legalName: bidderProfiles.legalName }).from(bidderProfiles).where(eq(bidderProfiles.userId, actor.id));
  const result = await gateway.collect({ registrationId: reg.id, amountFen: reg.depositDueFen, payerName: profile!.legalName });
  if (result.status !== "paid") return { bidderCode: null };
  return db.transaction(async (tx) => {
    // Lock order: lot, then registration (DESIGN §4).
    const [lot] = await tx.select({ status: lots.status, closesAt: lots.closesAt }).from(lots).where(eq(lots.id, lotId)).for("update");
    const [current] = await tx.select().from(registrations).where(eq(registrations.id, reg.id)).for("update");
    if (current!.status === "active") return { bidderCode: current!.bidderCode };
    // A deposit confirmed after the close does not admit the bidder (C4); the escrow releases it.
    if (lot!.status !== "published" || clock.now().getTime() >= lot!.closesAt.getTime()) throw new AppError("LOT_CLOSED");
    return { bidderCode: await activate(tx, clock, lotId, reg.id, current!.priorityRank, result.reference) };
  });
}

/** The bidder's own registration for a lot (only they may read it before the close). */
export async function ownRegistration(db: Db, actor: SessionUser, lotId: string) {
  const [reg] = await db
    .select({
      status: registrations.status,
      bidderCode: registrations.bidderCode,
      priorityRank: registrations.priorityRank,
      depositDueFen: registrations.depositDueFen,
      depositPaidAt: registrations.depositPaidAt,
    })
    .from(registrations)
    .where(and(eq(registrations.lotId, lotId), eq(registrations.userId, actor.id)));
  return reg ?? null;
}

/** A bidder's registrations across lots, for "my registrations". */
export async function ownRegistrations(db: Db, actor: SessionUser) {
  return db
    .select({
      lotId: lots.id,
      lotTitle: lots.title,
      lotStatus: lots.status,
      closesAt: lots.closesAt,
      status: registrations.status,
      bidderCode: registrations.bidderCode,
      depositDueFen: registrations.depositDueFen,
      won: sql<boolean>`${lots.winnerRegistrationId} = ${registrations.id}`,
    })
    .from(registrations)
    .innerJoin(lots, eq(lots.id, registrations.lotId))
    .where(and(eq(registrations.userId, actor.id), inArray(registrations.status, ["awaiting_court", "awaiting_deposit", "active"])))
    .orderBy(lots.closesAt);
}
