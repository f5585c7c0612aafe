// Who is a party of a case on the platform. A party (applicant or debtor, case_parties) acts through any
// signed-in account whose real-name identity number equals the party's identity number: the court records
// parties by ID number, and accounts are verified by the same number.
import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "../db/client.ts";
import { AppError } from "../core/errors.ts";
import { bidderProfiles, can, type SessionUser } from "../identity/index.ts";
import { caseParties } from "../auction/index.ts";

export type CaseParty = typeof caseParties.$inferSelect;

/** The case_parties row the signed-in user stands for in this case, or null when they are no party of it. */
export async function partyOf(db: DbOrTx, user: SessionUser, caseId: string): Promise<CaseParty | null> {
  const [row] = await db
    .select({ party: caseParties })
    .from(bidderProfiles)
    .innerJoin(caseParties, and(eq(caseParties.identityNumber, bidderProfiles.identityNumber), eq(caseParties.caseId, caseId)))
    .where(eq(bidderProfiles.userId, user.id))
    .orderBy(asc(caseParties.id))
    .limit(1);
  return row?.party ?? null;
}

/**
 * The party the user acts for in the case, authorized as "cases.party". Anyone else is refused with FORBIDDEN,
 * or with NOT_A_PARTY where the use case has always answered with that code (the draw, the negotiation).
 */
export async function actingParty(db: DbOrTx, user: SessionUser, caseId: string, refusal: "FORBIDDEN" | "NOT_A_PARTY" = "FORBIDDEN"): Promise<CaseParty> {
  const party = await partyOf(db, user, caseId);
  if (!can(user, "cases.party", { isParty: party !== null })) throw new AppError(refusal);
  return party!;
}

/** Every party of a case, applicants first, then in a stable order. */
export async function partiesOf(db: DbOrTx, caseId: string): Promise<CaseParty[]> {
  return db.select().from(caseParties).where(eq(caseParties.caseId, caseId)).orderBy(asc(caseParties.role), asc(caseParties.id));
}

/** Every case_parties row the signed-in user stands for, in any case: the cases they may follow as a party. */
export async function partyRolesOf(db: DbOrTx, user: SessionUser): Promise<CaseParty[]> {
  return db
    .select({ party: caseParties })
    .from(bidderProfiles)
    .innerJoin(caseParties, eq(caseParties.identityNumber, bidderProfiles.identityNumber))
    .where(eq(bidderProfiles.userId, user.id))
    .orderBy(asc(caseParties.caseId), asc(caseParties.role))
    .limit(500)
    .then((rows) => rows.map((r) => r.party));
}
