// Accounts acting for a case's parties (ADR 016). A party's rights on a case — reading it and its reports,
// objections, negotiation figures, entropy for the draw — come only from a link the court confirmed: the account
// redeemed a one-time code the court handed to the party, or the court confirmed the account's claim. A matching
// identity number alone grants nothing: a company's credit code is public, and anyone may register with it.
import { createHash, randomInt } from "node:crypto";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx, Tx } from "../db/client.ts";
import { caseParties, cases, partyLinkCodes, partyLinks } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { parseOrThrow } from "../core/validation.ts";
import { authorize, countAttempt, courts, users, verifiedIdentityOf, type AttemptLimit, type SessionUser } from "../identity/index.ts";
import { CASE_NUMBER } from "./cases.ts";

export type CaseParty = typeof caseParties.$inferSelect;

/** How long a link code works after the court issues it. */
export const LINK_CODE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Redemptions and claims per account and hour: a code cannot be guessed by trying (ASVS V2.2.1). */
export const PARTY_LINK_LIMIT: AttemptLimit = { max: 10, windowMs: 60 * 60 * 1000 };

// No 0/O, 1/I/L: the code is read out or written down and typed. 12 of 31 characters ≈ 59 bits.
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const CODE_LENGTH = 12;

/** A new code, shown in groups of four: XXXX-XXXX-XXXX. */
function newLinkCode(): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code.match(/.{4}/g)!.join("-");
}

/** Only the hash is stored, of the code without its separators and in capitals, as a person may type it. */
const hashCode = (typed: string) => createHash("sha256").update(typed.toUpperCase().replace(/[^0-9A-Z]/g, "")).digest("hex");

export const redeemSchema = z.object({
  code: z.string({ error: "validation.required" }).trim().min(1, "validation.required").max(40, "validation.tooLong"),
});
export const claimSchema = z.object({
  // Typed by a party from their papers: half-width brackets and spaces are taken as the full-width number.
  caseNumber: z
    .string({ error: "validation.required" })
    .transform((v) => v.replace(/\s+/g, "").replace(/\(/g, "（").replace(/\)/g, "）"))
    .pipe(z.string().regex(CASE_NUMBER, "validation.caseNumber")),
});

/** The party and the court of its case, for the court's scope check. */
async function partyWithCourt(db: DbOrTx, partyId: string) {
  const [row] = await db
    .select({ party: caseParties, courtId: cases.courtId })
    .from(caseParties)
    .innerJoin(cases, eq(cases.id, caseParties.caseId))
    .where(eq(caseParties.id, partyId));
  return row ?? null;
}

/** Court staff (judge or clerk) of the party's case's court: anyone else is refused, unknown parties not found. */
async function courtParty(db: DbOrTx, actor: SessionUser, partyId: string) {
  authorize(actor, "cases.link_parties");
  const found = await partyWithCourt(db, partyId);
  if (!found) throw new AppError("NOT_FOUND");
  authorize(actor, "cases.link_parties", { courtId: found.courtId });
  return found.party;
}

/**
 * The court issues a one-time link code for a party, to hand to that party. It is shown once, in this answer;
 * only its hash is kept. It works for 7 days and once; issuing another voids the party's earlier unused ones.
 */
export async function issuePartyLinkCode(db: Db, clock: Clock, actor: SessionUser, partyId: string): Promise<{ code: string; expiresAt: Date }> {
  return db.transaction(async (tx) => {
    const party = await courtParty(tx, actor, partyId);
    const now = clock.now();
    await tx
      .update(partyLinkCodes)
      .set({ voidedAt: now })
      .where(and(eq(partyLinkCodes.partyId, partyId), isNull(partyLinkCodes.usedAt), isNull(partyLinkCodes.voidedAt)));
    const code = newLinkCode();
    const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
    const [row] = await tx.insert(partyLinkCodes).values({ partyId, codeHash: hashCode(code), issuedBy: actor.id, issuedAt: now, expiresAt }).returning({ id: partyLinkCodes.id });
    await appendAudit(tx, clock, { actorId: actor.id, action: "auction.party_link_code_issued", entityType: "case", entityId: party.caseId, data: { partyId, codeId: row!.id, expiresAt } });
    return { code, expiresAt };
  });
}

/** The signed-in account's verified identity, for linking: none verified → REAL_NAME_UNVERIFIED. */
async function requireVerified(db: DbOrTx, actor: SessionUser) {
  const identity = await verifiedIdentityOf(db, actor.id);
  if (!identity) throw new AppError("REAL_NAME_UNVERIFIED");
  return identity;
}

async function countLinkAttempt(db: Db, clock: Clock, actor: SessionUser): Promise<void> {
  if (!(await countAttempt(db, clock, `party-link:user:${actor.id}`, PARTY_LINK_LIMIT))) throw new AppError("RATE_LIMITED");
}

/** Writes the confirmed link (confirming a pending claim of the same account, if there is one). */
async function confirmLink(tx: Tx, clock: Clock, input: { partyId: string; userId: string; decidedBy: string; source: "code" | "claim" }): Promise<string> {
  const now = clock.now();
  const [live] = await tx
    .select({ id: partyLinks.id })
    .from(partyLinks)
    .where(and(eq(partyLinks.partyId, input.partyId), eq(partyLinks.userId, input.userId), inArray(partyLinks.status, ["pending", "confirmed"])))
    .for("update");
  if (live) {
    await tx.update(partyLinks).set({ status: "confirmed", decidedBy: input.decidedBy, decidedAt: now }).where(eq(partyLinks.id, live.id));
    return live.id;
  }
  const [row] = await tx
    .insert(partyLinks)
    .values({ partyId: input.partyId, userId: input.userId, status: "confirmed", source: input.source, createdAt: now, decidedBy: input.decidedBy, decidedAt: now })
    .returning({ id: partyLinks.id });
  return row!.id;
}

/**
 * The party, signed in, redeems the code the court gave them: the account is linked to the party. The code must
 * be unused, not voided and not past its 7 days (else LINK_CODE_INVALID, one answer for all, so nothing is learnt
 * by trying), and the account's verified real name must be the party's (PARTY_IDENTITY_MISMATCH): a code that
 * reached someone else links nobody. Attempts are counted per account first.
 */
export async function redeemPartyLinkCode(db: Db, clock: Clock, actor: SessionUser, input: z.input<typeof redeemSchema>): Promise<{ caseId: string; partyId: string }> {
  authorize(actor, "cases.claim_party");
  const { code: typed } = parseOrThrow(redeemSchema, input);
  await countLinkAttempt(db, clock, actor);
  return db.transaction(async (tx) => {
    const [code] = await tx.select().from(partyLinkCodes).where(eq(partyLinkCodes.codeHash, hashCode(typed))).for("update");
    const now = clock.now();
    if (!code || code.usedAt || code.voidedAt || code.expiresAt.getTime() <= now.getTime()) throw new AppError("LINK_CODE_INVALID");
    const identity = await requireVerified(tx, actor);
    const found = (await partyWithCourt(tx, code.partyId))!;
    if (found.party.identityNumber !== identity.identityNumber) throw new AppError("PARTY_IDENTITY_MISMATCH");
    await tx.update(partyLinkCodes).set({ usedAt: now, usedBy: actor.id }).where(eq(partyLinkCodes.id, code.id));
    // The court confirmed the link when it issued the code to this party: its issuer is recorded as the confirmer.
    const linkId = await confirmLink(tx, clock, { partyId: code.partyId, userId: actor.id, decidedBy: code.issuedBy, source: "code" });
    await appendAudit(tx, clock, {
      actorId: actor.id,
      action: "auction.party_linked",
      entityType: "case",
      entityId: found.party.caseId,
      data: { partyId: code.partyId, linkId, userId: actor.id, source: "code" },
    });
    return { caseId: found.party.caseId, partyId: code.partyId };
  });
}

/**
 * A signed-in account claims to be a party of the case with this number: a pending link for each party of the
 * case whose identity number is the account's verified one, for the court to confirm or refuse. The claim gives
 * no right until then. No such case, or no such party in it: NOT_FOUND alike, so a claim learns nothing of
 * another person's cases.
 */
export async function claimParty(db: Db, clock: Clock, actor: SessionUser, input: z.input<typeof claimSchema>): Promise<{ caseId: string; claimed: number }> {
  authorize(actor, "cases.claim_party");
  const { caseNumber } = parseOrThrow(claimSchema, input);
  const identity = await requireVerified(db, actor);
  await countLinkAttempt(db, clock, actor);
  return db.transaction(async (tx) => {
    const parties = await tx
      .select({ id: caseParties.id, caseId: caseParties.caseId })
      .from(caseParties)
      .innerJoin(cases, eq(cases.id, caseParties.caseId))
      .where(and(eq(cases.caseNumber, caseNumber), eq(caseParties.identityNumber, identity.identityNumber)))
      .orderBy(asc(caseParties.role));
    if (parties.length === 0) throw new AppError("NOT_FOUND");
    const live = await tx
      .select({ partyId: partyLinks.partyId })
      .from(partyLinks)
      .where(and(eq(partyLinks.userId, actor.id), inArray(partyLinks.partyId, parties.map((p) => p.id)), inArray(partyLinks.status, ["pending", "confirmed"])));
    const open = parties.filter((p) => !live.some((l) => l.partyId === p.id));
    // Already claimed or linked: nothing new to ask the court.
    if (open.length === 0) throw new AppError("CONFLICT");
    for (const party of open) {
      const [row] = await tx.insert(partyLinks).values({ partyId: party.id, userId: actor.id, status: "pending", source: "claim", createdAt: clock.now() }).returning({ id: partyLinks.id });
      await appendAudit(tx, clock, { actorId: actor.id, action: "auction.party_claimed", entityType: "case", entityId: party.caseId, data: { partyId: party.id, linkId: row!.id } });
    }
    return { caseId: parties[0]!.caseId, claimed: open.length };
  });
}

/** A link of the court's case, locked, with its party; court staff of another court are refused. */
async function courtLink(tx: Tx, actor: SessionUser, linkId: string) {
  authorize(actor, "cases.link_parties");
  const [link] = await tx.select().from(partyLinks).where(eq(partyLinks.id, linkId)).for("update");
  if (!link) throw new AppError("NOT_FOUND");
  const party = await courtParty(tx, actor, link.partyId);
  return { link, party };
}

/** The court confirms a pending claim (the account now acts for the party) or refuses it (it never does). */
export async function decidePartyClaim(db: Db, clock: Clock, actor: SessionUser, linkId: string, decision: "confirm" | "refuse"): Promise<void> {
  await db.transaction(async (tx) => {
    const { link, party } = await courtLink(tx, actor, linkId);
    if (link.status !== "pending") throw new AppError("CONFLICT");
    const base = { partyId: link.partyId, linkId, userId: link.userId };
    if (decision === "confirm") {
      await confirmLink(tx, clock, { partyId: link.partyId, userId: link.userId, decidedBy: actor.id, source: "claim" });
      await appendAudit(tx, clock, { actorId: actor.id, action: "auction.party_linked", entityType: "case", entityId: party.caseId, data: { ...base, source: "claim" } });
    } else {
      await tx.update(partyLinks).set({ status: "refused", decidedBy: actor.id, decidedAt: clock.now() }).where(eq(partyLinks.id, linkId));
      await appendAudit(tx, clock, { actorId: actor.id, action: "auction.party_claim_refused", entityType: "case", entityId: party.caseId, data: base });
    }
  });
}

/** The court ends a confirmed link: from now on the account has no right on the case as that party. */
export async function revokePartyLink(db: Db, clock: Clock, actor: SessionUser, linkId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const { link, party } = await courtLink(tx, actor, linkId);
    if (link.status !== "confirmed") throw new AppError("CONFLICT");
    await tx.update(partyLinks).set({ status: "revoked", revokedBy: actor.id, revokedAt: clock.now() }).where(eq(partyLinks.id, linkId));
    await appendAudit(tx, clock, { actorId: actor.id, action: "auction.party_link_revoked", entityType: "case", entityId: party.caseId, data: { partyId: link.partyId, linkId, userId: link.userId } });
  });
}

/** For the court's case page: the live links (pending and confirmed) of the case's parties, and each party's open code. */
export async function casePartyLinks(db: Db, actor: SessionUser, caseId: string, now: Date) {
  const [theCase] = await db.select({ courtId: cases.courtId }).from(cases).where(eq(cases.id, caseId));
  if (!theCase) throw new AppError("NOT_FOUND");
  authorize(actor, "cases.link_parties", { courtId: theCase.courtId });
  const links = await db
    .select({ id: partyLinks.id, partyId: partyLinks.partyId, status: partyLinks.status, source: partyLinks.source, createdAt: partyLinks.createdAt, decidedAt: partyLinks.decidedAt, username: users.username, name: users.displayName })
    .from(partyLinks)
    .innerJoin(caseParties, eq(caseParties.id, partyLinks.partyId))
    .innerJoin(users, eq(users.id, partyLinks.userId))
    .where(and(eq(caseParties.caseId, caseId), inArray(partyLinks.status, ["pending", "confirmed"])))
    .orderBy(asc(partyLinks.createdAt));
  const codes = await db
    .select({ partyId: partyLinkCodes.partyId, issuedAt: partyLinkCodes.issuedAt, expiresAt: partyLinkCodes.expiresAt })
    .from(partyLinkCodes)
    .innerJoin(caseParties, eq(caseParties.id, partyLinkCodes.partyId))
    .where(and(eq(caseParties.caseId, caseId), isNull(partyLinkCodes.usedAt), isNull(partyLinkCodes.voidedAt)));
  return { links, openCodes: codes.filter((c) => c.expiresAt.getTime() > now.getTime()) };
}

/** The signed-in account's own links and claims, for its page: case, court, party, state. */
export async function ownPartyLinks(db: Db, actor: SessionUser) {
  authorize(actor, "cases.claim_party");
  return db
    .select({ id: partyLinks.id, status: partyLinks.status, createdAt: partyLinks.createdAt, caseId: cases.id, caseNumber: cases.caseNumber, courtName: courts.name, role: caseParties.role, partyName: caseParties.name })
    .from(partyLinks)
    .innerJoin(caseParties, eq(caseParties.id, partyLinks.partyId))
    .innerJoin(cases, eq(cases.id, caseParties.caseId))
    .innerJoin(courts, eq(courts.id, cases.courtId))
    .where(eq(partyLinks.userId, actor.id))
    .orderBy(asc(partyLinks.createdAt))
    .limit(200);
}

/** The party the account stands for in this case through a confirmed link, or null: the only source of `cases.party`. */
export async function linkedPartyOf(db: DbOrTx, userId: string, caseId: string): Promise<CaseParty | null> {
  const [row] = await db
    .select({ party: caseParties })
    .from(partyLinks)
    .innerJoin(caseParties, eq(caseParties.id, partyLinks.partyId))
    .where(and(eq(partyLinks.userId, userId), eq(partyLinks.status, "confirmed"), eq(caseParties.caseId, caseId)))
    .orderBy(asc(caseParties.id))
    .limit(1);
  return row?.party ?? null;
}

/** Every party the account stands for through a confirmed link, in any case. */
export async function linkedPartiesOf(db: DbOrTx, userId: string): Promise<CaseParty[]> {
  const rows = await db
    .select({ party: caseParties })
    .from(partyLinks)
    .innerJoin(caseParties, eq(caseParties.id, partyLinks.partyId))
    .where(and(eq(partyLinks.userId, userId), eq(partyLinks.status, "confirmed")))
    .orderBy(asc(caseParties.caseId), asc(caseParties.role))
    .limit(500);
  return rows.map((r) => r.party);
}

/** Whether the account stands for a party of any case through a confirmed link: the menu offers "my cases" only then. */
export async function standsForAParty(db: DbOrTx, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: partyLinks.id })
    .from(partyLinks)
    .where(and(eq(partyLinks.userId, userId), eq(partyLinks.status, "confirmed")))
    .limit(1);
  return row !== undefined;
}
