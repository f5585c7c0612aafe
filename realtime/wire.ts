import { errorMessage, type ErrorCode } from "../core/errors.ts";
import type { AcceptedBid, ClosedLot, HeldLot, LotSnapshot, ResumedLot } from "../auction/index.ts";
import {
  packBids,
  type AckResult,
  type BidAcceptedEvent,
  type BidPlacedWire,
  type FrameBid,
  type LotClosedEvent,
  type LotExtendedEvent,
  type LotResumedEvent,
  type LotSuspendedEvent,
  type LotSnapshotWire,
  type WireBid,
} from "../core/live-events.ts";

// Every mapping from what the auction holds (fen as bigint, instants as Date) to what goes on the
// wire (decimal strings, ISO instants), in one place. A frame's bids are packed straight from the
// accepted bids (`packBids`): in a crowd that is the per-bid work that counts.

/** A refusal as an ack: its stable code and the message in zh-CN. */
export function refusal(code: ErrorCode): AckResult<never> {
  return { ok: false, code, message: errorMessage(code, "zh-CN") };
}

type ShownBid = Pick<FrameBid, "bidderCode" | "amountFen" | "placedAt" | "seq">;

function wireBid(b: ShownBid, priority: boolean): WireBid {
  return { bidderCode: b.bidderCode, amountFen: b.amountFen.toString(), placedAt: b.placedAt.toISOString(), seq: b.seq, priority };
}

/** lot:join's answer: the lot now, its latest bids by code (P4), and how many watch it on this node. */
export function snapshotWire(s: LotSnapshot, watchers: number): LotSnapshotWire {
  return {
    lotId: s.id,
    seq: s.seq,
    phase: s.phase,
    startingPriceFen: s.startingPriceFen.toString(),
    incrementFen: s.incrementFen.toString(),
    currentPriceFen: s.currentPriceFen?.toString() ?? null,
    biddingStartsAt: s.biddingStartsAt.toISOString(),
    closesAt: s.closesAt.toISOString(),
    serverTime: s.serverTime.toISOString(),
    bids: s.bids.map((b) => wireBid(b, b.priority)),
    bidCount: s.bidCount,
    watchers,
  };
}

/** bid:place's answer to its sender. */
export function bidPlaced(bid: AcceptedBid): BidPlacedWire {
  return { bid: wireBid(bid, bid.priorityRank !== null), closesAt: bid.closesAt.toISOString(), extended: bid.extended, replay: bid.replay };
}

/** One tick's accepted bids (in sequence order, at least one) and the close after the last of them. */
export function bidFrame(lotId: string, bids: readonly FrameBid[], closesAt: Date, extended: boolean): BidAcceptedEvent {
  return { lotId, seq: bids.at(-1)!.seq, bids: packBids(bids), closesAt: closesAt.toISOString(), extended };
}

export function extendedEvent(lotId: string, seq: number, closesAt: Date): LotExtendedEvent {
  return { lotId, seq, closesAt: closesAt.toISOString() };
}

export function closedEvent(lotId: string, lot: ClosedLot): LotClosedEvent {
  return { lotId, seq: lot.seq, outcome: lot.outcome, priceFen: lot.priceFen?.toString() ?? null, bidderCode: lot.bidderCode, closedAt: lot.closedAt.toISOString() };
}

export function suspendedEvent(lotId: string, hold: HeldLot): LotSuspendedEvent {
  return { lotId, seq: hold.seq, kind: hold.kind, reason: hold.reason, heldAt: hold.heldAt.toISOString() };
}

export function resumedEvent(lotId: string, resumed: ResumedLot): LotResumedEvent {
  return { lotId, seq: resumed.seq, phase: resumed.phase, reason: resumed.reason, biddingStartsAt: resumed.biddingStartsAt.toISOString(), closesAt: resumed.closesAt.toISOString() };
}
