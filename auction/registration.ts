import { and, eq, inArray, isNotNull, isNull, lt, ne, notInArray, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx, Tx } from "../db/client.ts";
import { assets, bids, caseParties, lotDefaults, lotPriorityHolders, lots, partyLinks, referencePrices, registrations, type LotStatus } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { checkboxField } from "../core/validation.ts";
import { uniqueViolation } from "../db/errors.ts";
import { authorize, bidderProfiles, noticeAccounts, notify, users, type SessionUser } from "../identity/index.ts";
import { newBidderCode } from "./bidder-codes.ts";
import { needsHousingEligibility } from "../core/ruleset.ts";
import { lotLife, nextLotState, storedStatus } from "./lifecycle.ts";
import { draftNextLot } from "./next-round.ts";

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
  // C8: a winner who defaulted on this asset may not bid for it again, under any account.
  const [defaulted] = await tx
    .select({ lotId: lotDefaults.lotId })
    .from(lotDefaults)
    .where(and(eq(lotDefaults.assetId, lot.assetId), eq(lotDefaults.identityNumber, identityNumber)))
    .limit(1);
  if (defaulted) return "C8";
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

/** Registrations that still hold their place in a lot (a refused one does not). */
const HOLDING = ["awaiting_court", "awaiting_deposit", "active"] as const;

/** The real people and companies a registration acts through: the bidder, and the proxy bidding for them (C6). */
function actingIdentities(profile: { identityNumber: string; proxyIdentityNumber: string | null }): string[] {
  return profile.proxyIdentityNumber ? [profile.identityNumber, profile.proxyIdentityNumber] : [profile.identityNumber];
}

/**
 * P11: one real person or company (by ID number or credit code, whatever its accounts) holds at most one
 * registration per lot, and a proxy represents at most one bidder per lot. True when another account's
 * registration for the lot acts through one of `identities`, as its bidder or as its proxy. The caller holds the
 * lot's row lock, so registrations for one lot are checked one at a time and parallel attempts cannot both pass.
 */
async function heldByAnother(db: DbOrTx, lotId: string, userId: string, identities: string[], since?: Date): Promise<boolean> {
  // At payment (`since`: when this registration was made) the place belongs to the earlier or already paid one,
  // so two registrations that came to share a person do not refuse each other.
  const holds = since ? and(inArray(registrations.status, [...HOLDING]), or(eq(registrations.status, "active"), lt(registrations.createdAt, since))) : inArray(registrations.status, [...HOLDING]);
  const [other] = await db
    .select({ id: registrations.id })
    .from(registrations)
    .innerJoin(bidderProfiles, eq(bidderProfiles.userId, registrations.userId))
    .where(
      and(
        eq(registrations.lotId, lotId),
        ne(registrations.userId, userId),
        holds,
        or(inArray(bidderProfiles.identityNumber, identities), inArray(bidderProfiles.proxyIdentityNumber, identities)),
      ),
    )
    .limit(1);
  return other !== undefined;
}

/** The refusal names only the rule, never the other registration or whose it is (P11, P4). */
const onePerPerson = () => new AppError("ONE_REGISTRATION_PER_PERSON");

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
      refuseAdmission(lot, now);
      const [profile] = await tx.select().from(bidderProfiles).where(eq(bidderProfiles.userId, actor.id));
      if (!profile) throw new AppError("FORBIDDEN");
      // C2, C6: bids and deposits are in the bidder's real name, so the name must be verified first.
      if (!profile.realNameVerifiedAt) throw new AppError("REAL_NAME_UNVERIFIED");
      const [asset] = await tx.select({ category: assets.category, caseId: assets.caseId }).from(assets).where(eq(assets.id, lot.assetId));
      if (needsHousingEligibility(asset!.category) && !input.housingEligibilityDeclared) {
        throw new AppError("VALIDATION_FAILED", { fields: { housingEligibilityDeclared: "validation.mustAccept" } });
      }
      // C7 "directly or through others": a barred person may not bid as someone's proxy either.
      const barred =
        (await barredReason(tx, lot, profile.identityNumber)) ??
        (profile.proxyIdentityNumber ? await barredReason(tx, lot, profile.proxyIdentityNumber) : null);
      if (barred) throw new AppError("BIDDER_BARRED", { details: { rule: barred } });
      if (await heldByAnother(tx, lotId, actor.id, actingIdentities(profile))) throw onePerPerson();

      // C3: the exemption is the applicant's right on its case, so it comes from a link the court confirmed
      // (ADR 016), never from an identity number that anyone may register with (a company's credit code is public).
      const [creditor] = await tx
        .select({ claimFen: caseParties.claimFen })
        .from(caseParties)
        .innerJoin(partyLinks, and(eq(partyLinks.partyId, caseParties.id), eq(partyLinks.userId, actor.id), eq(partyLinks.status, "confirmed")))
        .where(and(eq(caseParties.caseId, asset!.caseId), eq(caseParties.role, "applicant")))
        .limit(1);
      // C3: an applicant creditor pays only the part of the deposit its claim does not cover.
      // Without a recorded claim the exemption cannot be measured: the full deposit is due.
      // F9: a sale-off's bidders prepay the full price (its deposit is the part a default forfeits); C3 applies to either.
      const owed = lot.round === "sale_off" ? lot.startingPriceFen : lot.depositFen;
      const depositDue = creditor?.claimFen != null ? (creditor.claimFen < owed ? owed - creditor.claimFen : 0n) : owed;
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

/** What a bidder is about to pay as a deposit, and in whose name (C2). */
export interface DepositToPay {
  registrationId: string;
  lotId: string;
  caseId: string;
  lotTitle: string;
  amountFen: bigint;
  /** The bidder's verified real name: the instrument must be in this name (C2, P11). */
  payerName: string;
}

/**
 * Checks that the bidder may pay the deposit now (C2, C4, P11) before any money moves: registered and awaiting the
 * deposit, the lot still open, and no other registration for the lot acting through the same person. The escrow
 * context calls it before it starts a payment; `confirmDeposit` checks again when the money has arrived.
 */
export async function depositToPay(db: Db, clock: Clock, actor: SessionUser, lotId: string): Promise<DepositToPay> {
  authorize(actor, "lots.bid");
  const [reg] = await db.select().from(registrations).where(and(eq(registrations.lotId, lotId), eq(registrations.userId, actor.id)));
  if (!reg) throw new AppError("NOT_REGISTERED");
  if (reg.status === "active") throw new AppError("DEPOSIT_ALREADY_PAID");
  if (reg.status !== "awaiting_deposit") throw new AppError("CONFLICT");
  // No money is taken for a lot that can no longer admit the bidder (C4).
  const [lot] = await db.select({ status: lots.status, closesAt: lots.closesAt, title: lots.title, caseId: assets.caseId }).from(lots).innerJoin(assets, eq(assets.id, lots.assetId)).where(eq(lots.id, lotId));
  refuseAdmission(lot!, clock.now());
  // P11 again at payment: a proxy declared since registering may act for another bidder of this lot already.
  const profile = await actingAs(db, actor.id);
  if (await heldByAnother(db, lotId, actor.id, actingIdentities(profile), reg.createdAt)) throw onePerPerson();
  return { registrationId: reg.id, lotId, caseId: lot!.caseId, lotTitle: lot!.title, amountFen: reg.depositDueFen, payerName: profile.legalName };
}

/**
 * C4: a lot admits bidders (registration, deposit) until its bidding closes; P15: none while the court holds it, so
 * no money comes in that a long hold would have to send back (P2).
 */
function refuseAdmission(lot: { status: LotStatus; closesAt: Date }, now: Date): void {
  if (lot.status === "suspended" || lot.status === "stayed") throw new AppError("LOT_SUSPENDED");
  if (lot.status !== "published" || now.getTime() >= lot.closesAt.getTime()) throw new AppError("LOT_CLOSED");
}

const actingAs = async (tx: DbOrTx, userId: string) =>
  (
    await tx
      .select({ legalName: bidderProfiles.legalName, identityNumber: bidderProfiles.identityNumber, proxyIdentityNumber: bidderProfiles.proxyIdentityNumber })
      .from(bidderProfiles)
      .where(eq(bidderProfiles.userId, userId))
  )[0]!;

/**
 * The deposit has arrived (the escrow context booked it in this transaction): issue the bidder code (C4). Refused,
 * with nothing changed, when the lot closed or was held meanwhile (C4, P15) or another registration took the person's place (P11);
 * the escrow then releases the money. A second call for an active registration returns its code.
 */
export async function confirmDeposit(tx: Tx, clock: Clock, registrationId: string, reference: string): Promise<{ bidderCode: string }> {
  const [reg] = await tx.select({ lotId: registrations.lotId }).from(registrations).where(eq(registrations.id, registrationId));
  if (!reg) throw new AppError("NOT_FOUND");
  // Lock order: lot, then registration (DESIGN §4).
  const [lot] = await tx.select({ status: lots.status, closesAt: lots.closesAt }).from(lots).where(eq(lots.id, reg.lotId)).for("update");
  const [current] = await tx.select().from(registrations).where(eq(registrations.id, registrationId)).for("update");
  if (current!.status === "active") return { bidderCode: current!.bidderCode! };
  if (current!.status !== "awaiting_deposit") throw new AppError("CONFLICT");
  refuseAdmission(lot!, clock.now());
  if (await heldByAnother(tx, reg.lotId, current!.userId, actingIdentities(await actingAs(tx, current!.userId)), current!.createdAt)) throw onePerPerson();
  return { bidderCode: await activate(tx, clock, reg.lotId, registrationId, current!.priorityRank, reference) };
}

/**
 * The winner did not pay the balance (悔拍, F4): record the default, so the defaulter is barred from the same asset's
 * later lots by identity number or credit code (C8). Called by the escrow context in the transaction that forfeits
 * the deposit; a second call changes nothing.
 */
export async function recordDefault(tx: Tx, clock: Clock, lotId: string, registrationId: string): Promise<void> {
  // 悔拍 through the machine: the lot ends defaulted and the asset's re-auction is drafted (C8 bars the defaulter).
  const [lot] = await tx.select().from(lots).where(eq(lots.id, lotId)).for("update");
  if (lot?.status === "defaulted") return;
  const step = lot ? nextLotState(lotLife({ ...lot, balance: "due" }, clock.now()), { type: "balance_overdue" }) : null;
  if (!lot || !step?.ok) throw new AppError(step?.ok === false ? step.code : "NOT_FOUND");
  await tx.update(lots).set({ status: storedStatus(step.life.state), seq: lot.seq + 1 }).where(eq(lots.id, lotId));
  await draftNextLot(tx, clock, lot, step.effects);
  const [row] = await tx
    .select({ assetId: lots.assetId, identityNumber: bidderProfiles.identityNumber })
    .from(registrations)
    .innerJoin(lots, eq(lots.id, registrations.lotId))
    .innerJoin(bidderProfiles, eq(bidderProfiles.userId, registrations.userId))
    .where(and(eq(registrations.id, registrationId), eq(registrations.lotId, lotId)));
  if (!row) throw new AppError("NOT_FOUND");
  const [created] = await tx
    .insert(lotDefaults)
    .values({ lotId, assetId: row.assetId, registrationId, identityNumber: row.identityNumber, defaultedAt: clock.now() })
    .onConflictDoNothing()
    .returning({ lotId: lotDefaults.lotId });
  if (created) await appendAudit(tx, clock, { actorId: null, action: "auction.winner_defaulted", entityType: "lot", entityId: lotId, data: { registrationId } });
}

/** What the escrow needs to settle a lot's deposits: the lot's outcome and each registration by id (no names). */
export interface LotForSettlement {
  lotId: string;
  caseId: string;
  status: LotStatus;
  closedAt: Date | null;
  priceFen: bigint | null;
  balanceDueDays: number;
  winnerRegistrationId: string | null;
  /** A hold that lasted its day (P2): its deposits are to be released. */
  holdDepositsReleasedAt: Date | null;
  /** F9: a sale-off's winner who defaults forfeits only the deposit portion of the prepaid price; null: the whole deposit (F4). */
  forfeitCapFen: bigint | null;
  registrations: { id: string; userId: string; status: string }[];
}

export async function lotForSettlement(db: DbOrTx, lotId: string): Promise<LotForSettlement | null> {
  const [lot] = await db
    .select({
      status: lots.status,
      closedAt: lots.closedAt,
      priceFen: lots.currentPriceFen,
      balanceDueDays: lots.balanceDueDays,
      winnerRegistrationId: lots.winnerRegistrationId,
      holdDepositsReleasedAt: lots.holdDepositsReleasedAt,
      round: lots.round,
      depositFen: lots.depositFen,
      caseId: assets.caseId,
    })
    .from(lots)
    .innerJoin(assets, eq(assets.id, lots.assetId))
    .where(eq(lots.id, lotId));
  if (!lot) return null;
  const regs = await db.select({ id: registrations.id, userId: registrations.userId, status: registrations.status }).from(registrations).where(eq(registrations.lotId, lotId));
  const { round, depositFen, ...rest } = lot;
  return { lotId, ...rest, forfeitCapFen: round === "sale_off" ? depositFen : null, registrations: regs };
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

/**
 * E4: at the close, the lot's priority holders who did not take part (no registration admitted to bid under their
 * identity number) are recorded as having waived. Called in the closing transaction.
 */
export async function recordWaivers(tx: Tx, clock: Clock, lotId: string, closedAt: Date): Promise<void> {
  const took = await tx
    .select({ identityNumber: bidderProfiles.identityNumber })
    .from(registrations)
    .innerJoin(bidderProfiles, eq(bidderProfiles.userId, registrations.userId))
    .where(and(eq(registrations.lotId, lotId), isNotNull(registrations.bidderCode)));
  const tookPart = took.map((r) => r.identityNumber);
  const waived = await tx
    .update(lotPriorityHolders)
    .set({ waivedAt: closedAt })
    .where(and(eq(lotPriorityHolders.lotId, lotId), isNull(lotPriorityHolders.waivedAt), tookPart.length > 0 ? notInArray(lotPriorityHolders.identityNumber, tookPart) : undefined))
    .returning({ rank: lotPriorityHolders.rank });
  if (waived.length > 0) {
    await appendAudit(tx, clock, { actorId: null, action: "auction.priority_waived", entityType: "lot", entityId: lotId, data: { ranks: waived.map((w) => w.rank).sort((a, b) => a - b) } });
  }
}

/**
 * G3, P2: everyone registered for the lot (refused registrations aside) is told of the court's intervention on their
 * account page, in the intervention's transaction. Who registered stays sealed from everyone else (P4).
 */
export async function noticeRegistrants(tx: Tx, clock: Clock, lotId: string, kind: "lot_suspended" | "lot_stayed" | "lot_resumed" | "lot_withdrawn" | "lot_relisted" | "lot_revoked"): Promise<void> {
  const registered = await tx
    .select({ userId: registrations.userId })
    .from(registrations)
    .where(and(eq(registrations.lotId, lotId), ne(registrations.status, "refused")));
  await noticeAccounts(tx, clock, registered.map((r) => r.userId), kind, lotId);
}

/**
 * At the close of a sold lot, in its transaction: the buyer is told they won, and everyone else who bid that they did
 * not. Each is told only about their own registration (P4).
 */
export async function noticeOutcome(tx: Tx, clock: Clock, lotId: string, winnerRegistrationId: string): Promise<void> {
  const bidders = await tx
    .selectDistinct({ userId: registrations.userId, registrationId: registrations.id })
    .from(registrations)
    .innerJoin(bids, eq(bids.registrationId, registrations.id))
    .where(eq(registrations.lotId, lotId));
  await notify(
    tx,
    clock,
    bidders.map((b) => ({ userId: b.userId, kind: b.registrationId === winnerRegistrationId ? ("lot_won" as const) : ("lot_lost" as const), lotId })),
  );
}
