// What a party of a case reads (/my/cases): the cases the signed-in account stands for a party in, and one such
// case with its assets and their procedures. Someone who is no party of a case learns nothing about it.
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../db/client.ts";
import { priceProcedures } from "../db/schema/index.ts";
import { AppError } from "../core/errors.ts";
import { authorize, can, courts, type SessionUser } from "../identity/index.ts";
import { assets, cases } from "../auction/index.ts";
import { partyOf, partyRolesOf } from "./parties.ts";
import { procedureView } from "./procedures.ts";
import { procedureExtras } from "./procedure-reads.ts";

/** The cases in which the signed-in account stands for a party (through a link the court confirmed), newest first. */
export async function partyCases(db: DbOrTx, user: SessionUser) {
  authorize(user, "cases.party");
  const roles = await partyRolesOf(db, user);
  if (roles.length === 0) return [];
  const caseRows = await db
    .select({ caseId: cases.id, caseNumber: cases.caseNumber, courtName: courts.name, createdAt: cases.createdAt })
    .from(cases)
    .innerJoin(courts, eq(courts.id, cases.courtId))
    .where(inArray(cases.id, [...new Set(roles.map((r) => r.caseId))]));
  const rows = roles
    .map((r) => ({ ...caseRows.find((c) => c.caseId === r.caseId)!, role: r.role, partyName: r.name }))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || a.role.localeCompare(b.role));
  if (rows.length === 0) return [];
  const ids = [...new Set(rows.map((r) => r.caseId))];
  const running = await db
    .select({ caseId: priceProcedures.caseId })
    .from(priceProcedures)
    .where(and(inArray(priceProcedures.caseId, ids), inArray(priceProcedures.status, ["open", "suspended"])));
  const assetRows = await db.select({ caseId: assets.caseId }).from(assets).where(inArray(assets.caseId, ids));
  const count = (list: { caseId: string }[], caseId: string) => list.filter((r) => r.caseId === caseId).length;
  // One row per case, even should the account stand for both sides.
  const seen = new Set<string>();
  return rows
    .filter((r) => (seen.has(r.caseId) ? false : (seen.add(r.caseId), true)))
    .map((r) => ({ ...r, assets: count(assetRows, r.caseId), running: count(running, r.caseId) }));
}

/** One case as its party sees it: the case, the party it stands for, the assets and each asset's procedures. */
export async function partyCase(db: DbOrTx, user: SessionUser, caseId: string) {
  const [theCase] = await db
    .select({ id: cases.id, caseNumber: cases.caseNumber, enforcementBasis: cases.enforcementBasis, courtName: courts.name })
    .from(cases)
    .innerJoin(courts, eq(courts.id, cases.courtId))
    .where(eq(cases.id, caseId));
  if (!theCase) throw new AppError("NOT_FOUND");
  const party = await partyOf(db, user, caseId);
  // Someone who is no party of the case learns nothing about it, not even that it exists: not found, not forbidden.
  if (!party || !can(user, "cases.party", { isParty: true })) throw new AppError("NOT_FOUND");
  const assetRows = await db
    .select({ id: assets.id, title: assets.title, category: assets.category, regionCode: assets.regionCode })
    .from(assets)
    .where(eq(assets.caseId, caseId))
    .orderBy(asc(assets.createdAt));
  const procedures = await db
    .select({ id: priceProcedures.id, assetId: priceProcedures.assetId, method: priceProcedures.method, status: priceProcedures.status, startedAt: priceProcedures.startedAt })
    .from(priceProcedures)
    .where(eq(priceProcedures.caseId, caseId))
    .orderBy(desc(priceProcedures.startedAt));
  return { theCase, party: { id: party.id, role: party.role, name: party.name }, assets: assetRows, procedures };
}

/**
 * One case as its party reads it on its page and through the API: each procedure as the party sees it (delivered
 * reports only), with the party's own negotiation figures and not the other side's.
 */
export async function partyCaseView(db: DbOrTx, user: SessionUser, caseId: string) {
  const found = await partyCase(db, user, caseId);
  const procedures = await Promise.all(
    found.procedures.map(async (p) => {
      const view = await procedureView(db, user, p.id);
      const extras = await procedureExtras(db, view);
      return { ...view, ...extras, figures: extras.figures.filter((f) => f.partyId === found.party.id) };
    }),
  );
  return { ...found, procedures };
}
