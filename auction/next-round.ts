// The asset's next lot (F6, F8, C8): when a lot fails, its winner defaults, or the court revokes its sale or takes a
// long-held lot down, the transaction that ends it drafts the next one. The court adjusts the draft within the round's
// rules (auction/rules/lot-setup.ts) and publishes it; nothing is announced without a judge.
import { desc, eq } from "drizzle-orm";
import type { DbOrTx, Tx } from "../db/client.ts";
import { assets, lotAnnouncements, lotPriorityHolders, lots, type LotRound } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { announcementLeadMs, ceilRatio, CN_SPC_2016, endOfDays, floorRatio } from "../core/ruleset.ts";
import type { LotEffect } from "./lifecycle.ts";
import type { LotSetupContext } from "./rules/lot-setup.ts";

type LotRow = typeof lots.$inferSelect;
const DAY = 24 * 60 * 60 * 1000;
/** Proposed bidding starts at 10:00 Beijing time. */
const TEN_AM_MS = 10 * 60 * 60 * 1000;

/** Carries out a step's draft_next_lot effect, if it has one: the new draft's id. */
export async function draftNextLot(tx: Tx, clock: Clock, ended: LotRow, effects: readonly LotEffect[]): Promise<string | null> {
  const effect = effects.find((e) => e.kind === "draft_next_lot");
  if (!effect || effect.kind !== "draft_next_lot") return null;
  const [existing] = await tx.select({ id: lots.id }).from(lots).where(eq(lots.previousLotId, ended.id));
  if (existing) return existing.id;
  const [asset] = await tx.select({ category: assets.category }).from(assets).where(eq(assets.id, ended.assetId));
  const plan = proposal(clock.now(), ended, effect.round, asset!.category);
  const now = clock.now();
  const [row] = await tx
    .insert(lots)
    .values({
      assetId: ended.assetId,
      courtId: ended.courtId,
      round: effect.round,
      previousLotId: ended.id,
      status: "draft",
      ruleset: ended.ruleset,
      title: ended.title,
      referencePriceId: ended.referencePriceId,
      referencePriceFen: ended.referencePriceFen,
      loanAvailable: ended.loanAvailable,
      ...plan,
      closesAt: plan.biddingEndsAt,
      announceAt: now,
      panelDecision: ended.panelDecision,
      debtorMayBid: ended.debtorMayBid,
      balanceDueDays: ended.balanceDueDays,
      createdBy: ended.createdBy,
      createdAt: now,
    })
    .returning({ id: lots.id });
  const lotId = row!.id;
  const [announcement] = await tx.select().from(lotAnnouncements).where(eq(lotAnnouncements.lotId, ended.id)).orderBy(desc(lotAnnouncements.version)).limit(1);
  if (announcement) await tx.insert(lotAnnouncements).values({ lotId, version: 1, content: announcement.content, reason: null, createdBy: ended.createdBy, createdAt: now });
  const holders = await tx.select().from(lotPriorityHolders).where(eq(lotPriorityHolders.lotId, ended.id));
  if (holders.length > 0) await tx.insert(lotPriorityHolders).values(holders.map(({ id: _id, lotId: _lot, ...h }) => ({ ...h, lotId })));
  await appendAudit(tx, clock, {
    actorId: null,
    action: "auction.next_lot_drafted",
    entityType: "lot",
    entityId: lotId,
    data: { previousLotId: ended.id, round: effect.round, startingPriceFen: plan.startingPriceFen },
  });
  return lotId;
}

/**
 * The draft's numbers: a second auction at 80% of the failed start (F6's floor), a sale-off at the second auction's
 * start, open 60 days (F9; its bidders prepay the price, and the deposit is the part a default forfeits), a re-auction after a default or revocation at the same price. Bidding
 * is proposed for the first day the notices allow: the parties' 3 days (B10), then the round's lead (B5, B6, P8).
 */
function proposal(now: Date, ended: LotRow, round: LotRound, category: typeof assets.$inferSelect.category) {
  const rules = CN_SPC_2016;
  const startingPriceFen = round === "second" && ended.round === "first" ? ceilRatio(ended.startingPriceFen, rules.reauctionStartMin) : ended.startingPriceFen;
  const depositFen = depositAtSameShare(ended, startingPriceFen);
  const leadDays = Math.ceil((rules.partyNoticeLeadMs + announcementLeadMs(rules, round, category)) / DAY);
  const biddingStartsAt = new Date(endOfDays(now, leadDays).getTime() + TEN_AM_MS);
  const biddingMs = round === "sale_off" ? rules.saleOffPeriodMs : Math.max(rules.minBiddingMs, ended.biddingEndsAt.getTime() - ended.biddingStartsAt.getTime());
  const incrementFen = ended.incrementFen > startingPriceFen ? startingPriceFen : ended.incrementFen;
  return { startingPriceFen, depositFen, incrementFen, biddingStartsAt, biddingEndsAt: new Date(biddingStartsAt.getTime() + biddingMs) };
}

/** The deposit keeps its share of the start, within C1's 5%–20%. */
function depositAtSameShare(ended: LotRow, startingPriceFen: bigint): bigint {
  const rules = CN_SPC_2016;
  const fen = floorRatio(startingPriceFen, { num: ended.depositFen, den: ended.startingPriceFen });
  const min = ceilRatio(startingPriceFen, rules.depositMin);
  const max = floorRatio(startingPriceFen, rules.depositMax);
  return fen < min ? min : fen > max ? max : fen;
}

/**
 * What a second auction or a sale-off is measured against (F6, F9): the failed lot of the round before, found by
 * following the asset's chain of lots back past re-auctions of the same round. Its failure time counts only when this
 * lot follows it directly.
 */
export async function failedRoundOf(db: DbOrTx, lot: Pick<LotRow, "round" | "previousLotId">): Promise<LotSetupContext["failedRound"]> {
  if (lot.round === "first") return null;
  const wanted: LotRound = lot.round === "second" ? "first" : "second";
  let previousId = lot.previousLotId;
  let direct = true;
  for (let hops = 0; previousId && hops < 50; hops++) {
    const [previous] = await db
      .select({ id: lots.id, round: lots.round, status: lots.status, startingPriceFen: lots.startingPriceFen, closedAt: lots.closedAt, previousLotId: lots.previousLotId })
      .from(lots)
      .where(eq(lots.id, previousId));
    if (!previous) return null;
    if (previous.round === wanted) {
      return previous.status === "failed" ? { startingPriceFen: previous.startingPriceFen, failedAt: direct ? previous.closedAt : null } : null;
    }
    previousId = previous.previousLotId;
    direct = false;
  }
  return null;
}

/** The asset's rounds, oldest first: what the public lot page links to (一拍, 二拍, 变卖). */
export async function lotRounds(db: DbOrTx, assetId: string) {
  return db
    .select({ id: lots.id, round: lots.round, status: lots.status, previousLotId: lots.previousLotId, biddingStartsAt: lots.biddingStartsAt })
    .from(lots)
    .where(eq(lots.assetId, assetId))
    .orderBy(lots.createdAt);
}
