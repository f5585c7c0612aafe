// What court staff read on their case, asset and lot pages: their own court's cases with parties and assets,
// an asset with its reference prices and lots, and where a lot belongs. Sealed identities (P4, I1): nothing here
// reads `registrations` or `bidder_profiles`; the lot monitor uses getPublicLot only. Court staff see only their
// own court's records: another court's are forbidden, unknown ids not found.
import { asc, count, desc, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { assets, caseParties, cases, lots, referencePrices } from "../db/schema/index.ts";
import { AppError } from "../core/errors.ts";
import { authorize, mask, users, type SessionUser } from "../identity/index.ts";
import { lotPhase, type LotPhase } from "./lot-phase.ts";

/** The court's cases, newest first, each with its count of assets. */
export async function listCourtCases(db: Db, user: SessionUser) {
  authorize(user, "cases.manage", { courtId: user.courtId });
  const courtId = user.courtId!;
  const rows = await db
    .select({ id: cases.id, caseNumber: cases.caseNumber, enforcementBasis: cases.enforcementBasis, createdAt: cases.createdAt, judgeName: users.displayName })
    .from(cases)
    .innerJoin(users, eq(users.id, cases.judgeId))
    .where(eq(cases.courtId, courtId))
    .orderBy(desc(cases.createdAt))
    .limit(500);
  const assetCounts = await db
    .select({ caseId: assets.caseId, n: count() })
    .from(assets)
    .innerJoin(cases, eq(cases.id, assets.caseId))
    .where(eq(cases.courtId, courtId))
    .groupBy(assets.caseId);
  const byCase = new Map(assetCounts.map((r) => [r.caseId, r.n]));
  return rows.map((r) => ({ ...r, assetCount: byCase.get(r.id) ?? 0 }));
}

/** One case of the court with its parties (identity numbers masked, I1) and assets. */
export async function getCourtCase(db: Db, user: SessionUser, caseId: string) {
  const [row] = await db
    .select({ id: cases.id, courtId: cases.courtId, caseNumber: cases.caseNumber, enforcementBasis: cases.enforcementBasis, createdAt: cases.createdAt, judgeName: users.displayName })
    .from(cases)
    .innerJoin(users, eq(users.id, cases.judgeId))
    .where(eq(cases.id, caseId));
  if (!row) throw new AppError("NOT_FOUND");
  authorize(user, "cases.manage", { courtId: row.courtId });
  const parties = await db
    .select({ id: caseParties.id, role: caseParties.role, name: caseParties.name, identityNumber: caseParties.identityNumber, claimFen: caseParties.claimFen })
    .from(caseParties)
    .where(eq(caseParties.caseId, caseId))
    .orderBy(asc(caseParties.role), asc(caseParties.name));
  const assetRows = await db
    .select({ id: assets.id, title: assets.title, category: assets.category, regionCode: assets.regionCode, seizedAt: assets.seizedAt })
    .from(assets)
    .where(eq(assets.caseId, caseId))
    .orderBy(asc(assets.createdAt));
  return {
    theCase: row,
    parties: parties.map((p) => ({ ...p, identityNumber: mask(p.identityNumber) })),
    assets: assetRows,
  };
}

/** One asset of the court with its case number, reference prices and lots (each with its phase now). */
export async function getCourtAsset(db: Db, user: SessionUser, assetId: string, now: Date) {
  const [row] = await db
    .select({ asset: assets, courtId: cases.courtId, caseNumber: cases.caseNumber })
    .from(assets)
    .innerJoin(cases, eq(cases.id, assets.caseId))
    .where(eq(assets.id, assetId));
  if (!row) throw new AppError("NOT_FOUND");
  authorize(user, "cases.manage", { courtId: row.courtId });
  const prices = await db
    .select({
      id: referencePrices.id,
      method: referencePrices.method,
      amountFen: referencePrices.amountFen,
      documentTitle: referencePrices.documentTitle,
      validFrom: referencePrices.validFrom,
      validUntil: referencePrices.validUntil,
      createdAt: referencePrices.createdAt,
    })
    .from(referencePrices)
    .where(eq(referencePrices.assetId, assetId))
    .orderBy(desc(referencePrices.createdAt));
  const lotRows = await db
    .select({ id: lots.id, title: lots.title, round: lots.round, status: lots.status, startingPriceFen: lots.startingPriceFen, biddingStartsAt: lots.biddingStartsAt, closesAt: lots.closesAt })
    .from(lots)
    .where(eq(lots.assetId, assetId))
    .orderBy(desc(lots.createdAt));
  const { asset } = row;
  return {
    asset: {
      id: asset.id,
      caseId: asset.caseId,
      title: asset.title,
      category: asset.category,
      regionCode: asset.regionCode,
      description: asset.description,
      encumbrances: asset.encumbrances,
      occupancy: asset.occupancy,
      lease: asset.lease,
      taxes: asset.taxes,
      knownDefects: asset.knownDefects,
      seizedAt: asset.seizedAt,
    },
    caseNumber: row.caseNumber,
    referencePrices: prices,
    lots: lotRows.map(({ status, ...l }) => ({ ...l, phase: lotPhase({ status, biddingStartsAt: l.biddingStartsAt, closesAt: l.closesAt }, now) as LotPhase })),
  };
}

/** The asset and case a lot belongs to, once the lot is known to be this court's. */
export async function courtLotPlace(db: Db, user: SessionUser, lotId: string) {
  const [row] = await db
    .select({ courtId: lots.courtId, assetId: lots.assetId, assetTitle: assets.title, caseId: assets.caseId })
    .from(lots)
    .innerJoin(assets, eq(assets.id, lots.assetId))
    .where(eq(lots.id, lotId));
  if (!row) throw new AppError("NOT_FOUND");
  authorize(user, "cases.manage", { courtId: row.courtId });
  return { assetId: row.assetId, assetTitle: row.assetTitle, caseId: row.caseId };
}
