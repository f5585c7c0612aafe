import { and, asc, desc, eq, gt, like, lte, ne, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { assets, bids, cases, lotAnnouncements, lotInterventions, lotPriorityHolders, lots, referencePrices, registrations } from "../db/schema/index.ts";
import type { Clock } from "../core/clock.ts";
import type { AssetCategory, LotStatus, PriorityHolderKind } from "../db/schema/index.ts";
import { bidderProfiles, courts, mask } from "../identity/index.ts";
import { lotPhase, type LotPhase } from "./lot-phase.ts";
import { listLotFiles } from "./lot-files.ts";
import { lotRounds } from "./next-round.ts";

/**
 * Everything anyone — the public, bidders, judges, admins — may read about a lot. Sealed identities
 * (I1, I2, P4) are enforced here, where the data is read: bids carry codes only, no query counts
 * registrations, and the buyer's name is read only for a sold lot.
 */

export interface BidView {
  bidderCode: string;
  amountFen: bigint;
  placedAt: Date;
  seq: number;
  priority: boolean;
}

const bidColumns = { bidderCode: bids.bidderCode, amountFen: bids.amountFen, placedAt: bids.placedAt, seq: bids.seq, priorityRank: bids.priorityRank };
const toBidView = (b: { bidderCode: string; amountFen: bigint; placedAt: Date; seq: number; priorityRank: number | null }): BidView => ({
  bidderCode: b.bidderCode,
  amountFen: b.amountFen,
  placedAt: b.placedAt,
  seq: b.seq,
  priority: b.priorityRank !== null,
});

/** The bid history by code, newest first (D5). `afterSeq` gives only what a client has not seen. */
export async function bidHistory(db: Db, lotId: string, options: { limit?: number; afterSeq?: number } = {}): Promise<BidView[]> {
  const where = options.afterSeq === undefined ? eq(bids.lotId, lotId) : and(eq(bids.lotId, lotId), gt(bids.seq, options.afterSeq));
  const rows = await db.select(bidColumns).from(bids).where(where).orderBy(desc(bids.seq)).limit(options.limit ?? 200);
  return rows.map(toBidView);
}

export async function getPublicLot(db: Db, clock: Clock, lotId: string, options: { includeDraft?: boolean } = {}) {
  const [row] = await db
    .select({
      lot: lots,
      asset: assets,
      caseNumber: cases.caseNumber,
      enforcementBasis: cases.enforcementBasis,
      courtName: courts.name,
      reference: { method: referencePrices.method, amountFen: referencePrices.amountFen, documentTitle: referencePrices.documentTitle, validUntil: referencePrices.validUntil },
    })
    .from(lots)
    .innerJoin(assets, eq(assets.id, lots.assetId))
    .innerJoin(cases, eq(cases.id, assets.caseId))
    .innerJoin(courts, eq(courts.id, lots.courtId))
    .innerJoin(referencePrices, eq(referencePrices.id, lots.referencePriceId))
    .where(eq(lots.id, lotId));
  if (!row || (row.lot.status === "draft" && !options.includeDraft)) return null;
  const { lot } = row;
  // The rest depends only on the lot: asked together, so a page waits for one round trip, not seven.
  const [announcements, priorityHolders, interventions, bidRows, files, buyer, rounds] = await Promise.all([
    db
      .select({ version: lotAnnouncements.version, content: lotAnnouncements.content, reason: lotAnnouncements.reason, createdAt: lotAnnouncements.createdAt })
      .from(lotAnnouncements)
      .where(eq(lotAnnouncements.lotId, lotId))
      .orderBy(desc(lotAnnouncements.version)),
    priorityHoldersOf(db, lot),
    // G3: every intervention, with its reason, is public on the lot's page.
    db
      .select({ kind: lotInterventions.kind, by: lotInterventions.by, reason: lotInterventions.reason, ground: lotInterventions.ground, closesAt: lotInterventions.closesAt, at: lotInterventions.at })
      .from(lotInterventions)
      .where(eq(lotInterventions.lotId, lotId))
      .orderBy(asc(lotInterventions.at)),
    bidHistory(db, lotId),
    listLotFiles(db, lotId),
    lot.status === "sold" ? buyerOf(db, lot.id) : null,
    lotRounds(db, lot.assetId),
  ]);
  const now = clock.now();
  return {
    id: lot.id,
    title: lot.title,
    round: lot.round,
    previousLotId: lot.previousLotId,
    status: lot.status,
    phase: lotPhase(lot, now),
    serverTime: now,
    startingPriceFen: lot.startingPriceFen,
    depositFen: lot.depositFen,
    incrementFen: lot.incrementFen,
    currentPriceFen: lot.currentPriceFen,
    bidCount: lot.bidCount,
    seq: lot.seq,
    announceAt: lot.announceAt,
    biddingStartsAt: lot.biddingStartsAt,
    biddingEndsAt: lot.biddingEndsAt,
    closesAt: lot.closesAt,
    closedAt: lot.closedAt,
    /** While held: since when (P15: the countdown stands at closesAt − heldAt). */
    heldAt: lot.heldAt,
    heldFrom: lot.heldFrom,
    /** P2: the hold outlasted its day and the deposits went back; the lot cannot resume, only be announced anew. */
    holdDepositsReleasedAt: lot.holdDepositsReleasedAt,
    balanceDueDays: lot.balanceDueDays,
    partiesNotifiedAt: lot.partiesNotifiedAt,
    panelDecision: lot.panelDecision,
    caseNumber: row.caseNumber,
    enforcementBasis: row.enforcementBasis,
    courtName: row.courtName,
    asset: {
      category: row.asset.category,
      regionCode: row.asset.regionCode,
      description: row.asset.description,
      encumbrances: row.asset.encumbrances,
      occupancy: row.asset.occupancy,
      lease: row.asset.lease,
      taxes: row.asset.taxes,
      knownDefects: row.asset.knownDefects,
    },
    reference: row.reference,
    announcements,
    interventions,
    priorityHolders,
    bids: bidRows,
    files,
    buyer,
    /** The asset's rounds (一拍, 二拍, 变卖, re-auctions), oldest first; drafts are the court's. */
    rounds: rounds.filter((r) => options.includeDraft || r.status !== "draft" || r.id === lot.id),
  };
}

export type PublicLot = NonNullable<Awaited<ReturnType<typeof getPublicLot>>>;

export type PriorityHolderView = { rank: number; kind: PriorityHolderKind } | { rank: number; kind: PriorityHolderKind; name: string; basis: string };

/**
 * B8, P16: priority holders are announced by kind and rank. A holder bids under a code showing their
 * rank (E1), so their name — and the basis, which may carry it — wait for the close (P4). The court
 * setting up a draft sees what it entered; identity numbers are never shown.
 */
async function priorityHoldersOf(db: Db, lot: { id: string; status: LotStatus; closedAt: Date | null }): Promise<PriorityHolderView[]> {
  const rows = await db
    .select({ rank: lotPriorityHolders.rank, kind: lotPriorityHolders.kind, name: lotPriorityHolders.name, basis: lotPriorityHolders.basis })
    .from(lotPriorityHolders)
    .where(eq(lotPriorityHolders.lotId, lot.id))
    .orderBy(asc(lotPriorityHolders.rank));
  const named = lot.status === "draft" || lot.closedAt !== null;
  return named ? rows : rows.map(({ rank, kind }) => ({ rank, kind }));
}

/** I3, E5: after a sale — and only then — the buyer's real identity is published. */
async function buyerOf(db: Db, lotId: string) {
  const [row] = await db
    .select({ name: bidderProfiles.legalName, identityNumber: bidderProfiles.identityNumber, bidderCode: registrations.bidderCode, priceFen: lots.currentPriceFen, closedAt: lots.closedAt })
    .from(lots)
    .innerJoin(registrations, eq(registrations.id, lots.winnerRegistrationId))
    .innerJoin(bidderProfiles, eq(bidderProfiles.userId, registrations.userId))
    .where(and(eq(lots.id, lotId), eq(lots.status, "sold")));
  return row ? { name: row.name, identityMasked: mask(row.identityNumber), bidderCode: row.bidderCode!, priceFen: row.priceFen!, closedAt: row.closedAt! } : null;
}

export { buyerOf };

export interface LotFilters {
  phase?: LotPhase;
  category?: AssetCategory;
  regionPrefix?: string;
  courtId?: string;
}

/** The public lot list: published and closed lots, soonest close first. */
export async function listPublicLots(db: Db, clock: Clock, filters: LotFilters = {}) {
  const now = clock.now();
  const where: SQL[] = [ne(lots.status, "draft")];
  if (filters.category) where.push(eq(assets.category, filters.category));
  if (filters.courtId) where.push(eq(lots.courtId, filters.courtId));
  // Region codes are digits only (validated at the boundary), so the prefix is safe in LIKE.
  if (filters.regionPrefix) where.push(like(assets.regionCode, `${filters.regionPrefix.replace(/\D/g, "")}%`));
  // Stored as such; announced, bidding and ended are published lots told apart by the clock.
  if (filters.phase === "sold" || filters.phase === "failed" || filters.phase === "suspended" || filters.phase === "stayed" || filters.phase === "withdrawn") {
    where.push(eq(lots.status, filters.phase));
  }
  else if (filters.phase === "announced") where.push(eq(lots.status, "published"), gt(lots.biddingStartsAt, now));
  else if (filters.phase === "bidding") where.push(eq(lots.status, "published"), lte(lots.biddingStartsAt, now), gt(lots.closesAt, now));
  else if (filters.phase === "ended") where.push(eq(lots.status, "published"), lte(lots.closesAt, now));
  const rows = await db
    .select({ lot: lots, category: assets.category, regionCode: assets.regionCode, courtName: courts.name })
    .from(lots)
    .innerJoin(assets, eq(assets.id, lots.assetId))
    .innerJoin(courts, eq(courts.id, lots.courtId))
    .where(and(...where))
    .orderBy(asc(lots.closesAt))
    .limit(200);
  return rows.map((r) => ({
    id: r.lot.id,
    title: r.lot.title,
    category: r.category,
    regionCode: r.regionCode,
    courtName: r.courtName,
    phase: lotPhase(r.lot, now),
    startingPriceFen: r.lot.startingPriceFen,
    currentPriceFen: r.lot.currentPriceFen,
    biddingStartsAt: r.lot.biddingStartsAt,
    closesAt: r.lot.closesAt,
    bidCount: r.lot.bidCount,
  }));
}

/** A bidder's own accepted bids, across lots. */
export async function ownBids(db: Db, userId: string) {
  return db
    .select({ lotId: bids.lotId, lotTitle: lots.title, lotStatus: lots.status, bidderCode: bids.bidderCode, amountFen: bids.amountFen, placedAt: bids.placedAt, leading: sql<boolean>`${lots.leadingBidId} = ${bids.id}` })
    .from(bids)
    .innerJoin(registrations, eq(registrations.id, bids.registrationId))
    .innerJoin(lots, eq(lots.id, bids.lotId))
    .where(eq(registrations.userId, userId))
    .orderBy(desc(bids.placedAt))
    .limit(200);
}


/** What a watcher needs on joining a lot (and after a gap): small, one lot row and the latest bids. */
export async function lotSnapshot(db: Db, clock: Clock, lotId: string, bidLimit = 50) {
  const [lot] = await db
    .select({
      id: lots.id,
      status: lots.status,
      biddingStartsAt: lots.biddingStartsAt,
      closesAt: lots.closesAt,
      startingPriceFen: lots.startingPriceFen,
      incrementFen: lots.incrementFen,
      currentPriceFen: lots.currentPriceFen,
      seq: lots.seq,
      bidCount: lots.bidCount,
    })
    .from(lots)
    .where(and(eq(lots.id, lotId), ne(lots.status, "draft")));
  if (!lot) return null;
  const now = clock.now();
  return { ...lot, phase: lotPhase(lot, now), serverTime: now, bids: await bidHistory(db, lotId, { limit: bidLimit }) };
}

export type LotSnapshot = NonNullable<Awaited<ReturnType<typeof lotSnapshot>>>;
