import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { bidderProfiles, bids, lots, registrations } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { fenField } from "../core/validation.ts";
import type { SessionUser } from "../identity/index.ts";
import { CN_SPC_2016 } from "../core/ruleset.ts";
import { decideBid } from "./rules/bidding.ts";
import type { BidView } from "./public-reads.ts";

/** A bid as form, API or socket send it: the amount in fen as a decimal string or integer, and a client-made id. */
export const bidSchema = z.object({
  amountFen: fenField,
  clientBidId: z.string({ error: "validation.required" }).regex(/^[A-Za-z0-9_-]{8,64}$/, "validation.clientBidId"),
});
export type BidInput = z.infer<typeof bidSchema>;

export interface AcceptedBid {
  id: string;
  priorityRank: number | null;
  lotId: string;
  bidderCode: string;
  amountFen: bigint;
  placedAt: Date;
  seq: number;
  /** The close instant after this bid; later than before when the bid extended it (D3). */
  closesAt: Date;
  extended: boolean;
  /** True when this answer is the replay of an earlier send of the same clientBidId. */
  replay: boolean;
}

/**
 * Places one bid (D1–D6, E2, E3, P10). One transaction: lock the lot, check the bidder, replay a
 * retried clientBidId, take the bid time, apply the rules, write the bid, move the close, audit.
 * Whoever calls it broadcasts only after it returns (after commit).
 */
export async function placeBid(db: Db, clock: Clock, actor: SessionUser, lotId: string, input: BidInput): Promise<AcceptedBid> {
  if (actor.role !== "bidder") throw new AppError("FORBIDDEN");
  return db.transaction(async (tx) => {
    // Every statement here runs while the lot's row is locked, so each is a prepared statement:
    // one round trip instead of two (drizzle leaves unnamed queries unprepared).
    const [lot] = await tx.select().from(lots).where(eq(lots.id, lotId)).for("update").prepare("bid_lock_lot").execute();
    if (!lot || lot.status === "draft") throw new AppError("NOT_FOUND");
    const [reg] = await tx
      .select({
        id: registrations.id,
        status: registrations.status,
        bidderCode: registrations.bidderCode,
        priorityRank: registrations.priorityRank,
        kind: bidderProfiles.kind,
        courtConfirmedAt: bidderProfiles.courtConfirmedAt,
        proxyName: bidderProfiles.proxyName,
      })
      .from(registrations)
      .innerJoin(bidderProfiles, eq(bidderProfiles.userId, registrations.userId))
      .where(and(eq(registrations.lotId, lotId), eq(registrations.userId, actor.id)))
      .prepare("bid_registration")
      .execute();
    if (!reg || reg.status === "refused") throw new AppError("NOT_REGISTERED");
    // C6: a company, or a person bidding through a proxy, bids only once the court has confirmed who acts for them.
    const representedBy = reg.kind === "company" || reg.proxyName !== null;
    if (reg.status === "awaiting_court" || (representedBy && !reg.courtConfirmedAt)) throw new AppError("AWAITING_COURT");
    if (reg.status !== "active" || !reg.bidderCode) throw new AppError("DEPOSIT_NOT_PAID");

    // A resend of the same clientBidId gets the first answer, even after the close.
    const [earlier] = await tx
      .select()
      .from(bids)
      .where(and(eq(bids.registrationId, reg.id), eq(bids.clientBidId, input.clientBidId)))
      .prepare("bid_replay")
      .execute();
    if (earlier) {
      return { ...earlier, replay: true };
    }

    const leader = lot.leadingBidId
      ? (await tx.select({ registrationId: bids.registrationId, priorityRank: bids.priorityRank }).from(bids).where(eq(bids.id, lot.leadingBidId)).prepare("bid_leader").execute())[0] ?? null
      : null;
    // P10: the bid time is taken once the lot is locked, so no bid is timed before one it follows.
    const at = clock.now();
    const decision = decideBid(
      CN_SPC_2016,
      { ...lot, leader },
      { registrationId: reg.id, priorityRank: reg.priorityRank, amountFen: input.amountFen, at },
    );
    if (!decision.ok) throw new AppError(decision.code);

    const seq = lot.seq + 1;
    const [bid] = await tx
      .insert(bids)
      .values({
        lotId,
        registrationId: reg.id,
        bidderCode: reg.bidderCode,
        amountFen: input.amountFen,
        priorityRank: reg.priorityRank,
        placedAt: at,
        clientBidId: input.clientBidId,
        seq,
        closesAt: decision.closesAt,
        extended: decision.extended,
      })
      .returning()
      .prepare("bid_insert")
      .execute();
    await tx
      .update(lots)
      .set({ currentPriceFen: input.amountFen, leadingBidId: bid!.id, bidCount: lot.bidCount + 1, seq, closesAt: decision.closesAt })
      .where(eq(lots.id, lotId))
      .prepare("bid_update_lot")
      .execute();
    await appendAudit(tx, clock, {
      actorId: null, // sealed: the code stands for the bidder (P4)
      action: "auction.bid_accepted",
      entityType: "lot",
      entityId: lotId,
      data: { bidId: bid!.id, bidderCode: reg.bidderCode, amountFen: input.amountFen, seq, closesAt: decision.closesAt },
    });
    return { ...bid!, replay: false };
  });
}

/** The public form of an accepted bid: its code, amount, time and sequence — never who placed it. */
export function publicBid(bid: AcceptedBid & { priorityRank: number | null }): BidView {
  return { bidderCode: bid.bidderCode, amountFen: bid.amountFen, placedAt: bid.placedAt, seq: bid.seq, priority: bid.priorityRank !== null };
}
