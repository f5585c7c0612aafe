// Who is a party of a case on the platform. A party (applicant or debtor, case_parties) acts through an account
// the court linked to it (auction/party-links.ts): a link code the party redeemed, or a claim the court confirmed.
// An identity number that matches a party's grants nothing by itself (ADR 016).
import { asc, eq } from "drizzle-orm";
import type { DbOrTx } from "../db/client.ts";
import { AppError } from "../core/errors.ts";
import { can, type SessionUser } from "../identity/index.ts";
import { caseParties, linkedPartiesOf, linkedPartyOf, type CaseParty } from "../auction/index.ts";

export type { CaseParty };

/** The case_parties row the signed-in user stands for in this case, or null when they are no party of it. */
export function partyOf(db: DbOrTx, user: SessionUser, caseId: string): Promise<CaseParty | null> {
  return linkedPartyOf(db, user.id, caseId);
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
export function partyRolesOf(db: DbOrTx, user: SessionUser): Promise<CaseParty[]> {
  return linkedPartiesOf(db, user.id);
}
