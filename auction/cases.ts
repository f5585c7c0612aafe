import { and, desc, eq, gte, lte } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx, Tx } from "../db/client.ts";
import { ASSET_CATEGORIES, assets, caseParties, cases, PARTY_ROLES, referencePrices, type PriceMethod } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { fenField, instantField, plainText } from "../core/validation.ts";
import { authorize, users, validateCreditCode, validateResidentId, type SessionUser } from "../identity/index.ts";
import { addMonths, CN_SPC_2016 } from "../core/ruleset.ts";

/** 案号, e.g. （2026）京0105执1234号 — year, court code, 执 (or 执恢/执保), serial. */
export const CASE_NUMBER = /^（\d{4}）[\u4e00-\u9fa5]\d{2,4}执(恢|保|异)?\d{1,6}号$/u;

export const createCaseSchema = z.object({
  caseNumber: z.string({ error: "validation.required" }).trim().regex(CASE_NUMBER, "validation.caseNumber"),
  enforcementBasis: plainText({ max: 500, multiline: true }),
  /** The judge in charge, a judge of the actor's court: a clerk names one; a judge who names none takes the case. */
  judgeId: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.uuid({ error: "validation.caseJudge" }).optional()),
});

/** A party is a person (resident ID, GB 11643) or an organisation (unified social credit code, GB 32100). */
export const identityNumberField = z
  .string({ error: "validation.required" })
  .trim()
  .toUpperCase()
  .refine((v) => validateResidentId(v).ok || validateCreditCode(v).ok, "validation.identityNumber");

export const partySchema = z.object({
  role: z.enum(PARTY_ROLES, { error: "validation.invalid" }),
  name: plainText({ max: 100, multiline: true }),
  identityNumber: identityNumberField,
  claimFen: z
    .union([z.literal(""), fenField])
    .optional()
    .transform((v) => (v === "" || v === undefined ? null : v)),
});

export const assetSchema = z.object({
  category: z.enum(ASSET_CATEGORIES, { error: "validation.invalid" }),
  regionCode: z.string({ error: "validation.required" }).trim().regex(/^\d{6}$/, "validation.regionCode"),
  title: plainText({ max: 200, multiline: true }),
  description: plainText({ max: 5000, multiline: true }),
  encumbrances: plainText({ max: 2000, multiline: true }),
  occupancy: plainText({ max: 2000, multiline: true }),
  lease: plainText({ max: 2000, multiline: true }),
  taxes: plainText({ max: 2000, multiline: true }),
  knownDefects: plainText({ max: 2000, multiline: true }),
  seizedAt: instantField,
});

/** Until the appraisal workflow lands, the judge records a negotiated or directed-inquiry price (A3, A4). */
export const referencePriceSchema = z.object({
  method: z.enum(["negotiation", "directed_inquiry"], { error: "validation.invalid" }),
  amountFen: fenField,
  documentTitle: plainText({ max: 200, multiline: true }),
  validFrom: instantField,
  validUntil: instantField,
});

export type CreateCaseInput = z.infer<typeof createCaseSchema>;
export type PartyInput = z.infer<typeof partySchema>;
export type AssetInput = z.infer<typeof assetSchema>;
export type ReferencePriceInput = z.infer<typeof referencePriceSchema>;

/** The active judges of the actor's court, for naming a case's judge in charge. */
export async function courtJudges(db: DbOrTx, actor: SessionUser): Promise<{ id: string; displayName: string }[]> {
  authorize(actor, "cases.create", { courtId: actor.courtId });
  return db
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where(and(eq(users.role, "judge"), eq(users.courtId, actor.courtId!), eq(users.disabled, false)))
    .orderBy(users.displayName);
}

/** Court staff act only on their own court's cases. */
export async function requireCourtCase(db: DbOrTx, actor: SessionUser, caseId: string) {
  const [row] = await db.select().from(cases).where(eq(cases.id, caseId)).limit(1);
  if (!row) throw new AppError("NOT_FOUND");
  authorize(actor, "cases.manage", { courtId: row.courtId });
  return row;
}

/**
 * Court staff open a case in their own court, never another's: the court is the actor's, and the judge in charge
 * must be an active judge of it. A judge who names nobody takes the case; a clerk must name the judge.
 */
export async function createCase(db: Db, clock: Clock, actor: SessionUser, input: CreateCaseInput): Promise<{ id: string }> {
  authorize(actor, "cases.create", { courtId: actor.courtId });
  const judgeId = input.judgeId ?? (actor.role === "judge" ? actor.id : null);
  if (!judgeId) throw new AppError("VALIDATION_FAILED", { fields: { judgeId: "validation.caseJudge" } });
  return db.transaction(async (tx) => {
    const [judge] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, judgeId), eq(users.role, "judge"), eq(users.courtId, actor.courtId!), eq(users.disabled, false)))
      .limit(1);
    if (!judge) throw new AppError("VALIDATION_FAILED", { fields: { judgeId: "validation.caseJudge" } });
    const [dup] = await tx.select({ id: cases.id }).from(cases).where(eq(cases.caseNumber, input.caseNumber)).limit(1);
    if (dup) throw new AppError("CONFLICT", { fields: { caseNumber: "validation.caseNumberTaken" } });
    const [row] = await tx
      .insert(cases)
      .values({ courtId: actor.courtId!, caseNumber: input.caseNumber, judgeId, enforcementBasis: input.enforcementBasis, createdAt: clock.now() })
      .returning({ id: cases.id });
    await appendAudit(tx, clock, { actorId: actor.id, action: "auction.case_created", entityType: "case", entityId: row!.id, data: { caseNumber: input.caseNumber, judgeId } });
    return row!;
  });
}

export async function addParty(db: Db, clock: Clock, actor: SessionUser, caseId: string, input: PartyInput): Promise<{ id: string }> {
  return db.transaction(async (tx) => {
    await requireCourtCase(tx, actor, caseId);
    const [row] = await tx.insert(caseParties).values({ caseId, ...input }).returning({ id: caseParties.id });
    await appendAudit(tx, clock, { actorId: actor.id, action: "auction.party_added", entityType: "case", entityId: caseId, data: { partyId: row!.id, role: input.role } });
    return row!;
  });
}

export async function createAsset(db: Db, clock: Clock, actor: SessionUser, caseId: string, input: AssetInput): Promise<{ id: string }> {
  return db.transaction(async (tx) => {
    await requireCourtCase(tx, actor, caseId);
    const [row] = await tx.insert(assets).values({ caseId, ...input, createdAt: clock.now() }).returning({ id: assets.id });
    await appendAudit(tx, clock, { actorId: actor.id, action: "auction.asset_created", entityType: "asset", entityId: row!.id, data: { caseId, category: input.category } });
    return row!;
  });
}

export async function requireCourtAsset(db: DbOrTx, actor: SessionUser, assetId: string) {
  const [row] = await db.select().from(assets).where(eq(assets.id, assetId)).limit(1);
  if (!row) throw new AppError("NOT_FOUND");
  const theCase = await requireCourtCase(db, actor, row.caseId);
  return { asset: row, theCase };
}

/**
 * A23: a reference price is valid from its first day for at most one year. What is wrong with the period, on
 * the field at fault, or null. Pure, so a form can report it with the fields' own errors in one round.
 */
export function referenceValidityFault(validFrom: Date | undefined, validUntil: Date | undefined): { validUntil: string } | null {
  if (!validFrom || !validUntil) return null;
  if (validUntil.getTime() <= validFrom.getTime()) return { validUntil: "validation.validUntil" };
  if (validUntil.getTime() > addMonths(validFrom, CN_SPC_2016.referencePriceMaxValidityMonths).getTime()) return { validUntil: "validation.referenceValidityTooLong" };
  return null;
}

export async function recordReferencePrice(db: Db, clock: Clock, actor: SessionUser, assetId: string, input: ReferencePriceInput): Promise<{ id: string }> {
  const fault = referenceValidityFault(input.validFrom, input.validUntil);
  if (fault) throw new AppError("VALIDATION_FAILED", { fields: fault });
  return db.transaction(async (tx) => {
    await requireCourtAsset(tx, actor, assetId);
    const [row] = await tx
      .insert(referencePrices)
      .values({ assetId, ...input, fixedBy: actor.id, createdAt: clock.now() })
      .returning({ id: referencePrices.id });
    await appendAudit(tx, clock, {
      actorId: actor.id,
      action: "auction.reference_price_fixed",
      entityType: "asset",
      entityId: assetId,
      data: { method: input.method, amountFen: input.amountFen, validUntil: input.validUntil },
    });
    return row!;
  });
}

/**
 * Writes a reference price fixed by a pricing procedure of the appraisal context (appraisal, inquiry),
 * inside the caller's transaction; the caller audits it with the procedure. A23 holds here too.
 */
export async function insertReferencePrice(
  tx: Tx,
  clock: Clock,
  input: { assetId: string; method: PriceMethod; amountFen: bigint; documentTitle: string; agencyId: string | null; validFrom: Date; validUntil: Date; fixedBy: string },
): Promise<{ id: string }> {
  if (input.amountFen <= 0n) throw new AppError("VALIDATION_FAILED", { fields: { amountFen: "validation.amount" } });
  const fault = referenceValidityFault(input.validFrom, input.validUntil);
  if (fault) throw new AppError("VALIDATION_FAILED", { fields: fault });
  const [row] = await tx.insert(referencePrices).values({ ...input, createdAt: clock.now() }).returning({ id: referencePrices.id });
  return row!;
}

/** "The asset's valid reference price" at `at`: the newest one in force. The appraisal work writes the same records. */
export async function validReferencePrice(db: DbOrTx, assetId: string, at: Date) {
  const [row] = await db
    .select()
    .from(referencePrices)
    .where(and(eq(referencePrices.assetId, assetId), lte(referencePrices.validFrom, at), gte(referencePrices.validUntil, at)))
    .orderBy(desc(referencePrices.createdAt))
    .limit(1);
  return row ?? null;
}
