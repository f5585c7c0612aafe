/**
 * A small reference model of the bidding rules, written from RULEBOOK sections D, E and P10, and
 * deliberately independent of the engine (it does not import `decideBid` or the ruleset module):
 * property tests run the same commands through both and compare every answer.
 *
 * Rules modelled:
 * - D4/P10: a bid's time is `at`, an instant in ms; the 5-minute windows are exact to the ms.
 * - Before the start of bidding → LOT_NOT_OPEN; at or after the close instant → LOT_CLOSED.
 * - A resend of a (bidder, clientBidId) that was accepted before gets the first answer again,
 *   marked as a replay, even after the close. A refused bid changes nothing, so its clientBidId
 *   may be sent again later and is then judged as a new bid.
 * - D1: the first bid is ≥ the starting price (else BID_BELOW_START), in whole increments above it
 *   (else BID_OFF_INCREMENT).
 * - The leader may not bid again (ALREADY_LEADING).
 * - E2/E3: a priority holder may bid exactly the current price; it takes the lead only when the
 *   leader holds no priority or a numerically larger rank (rank 1 is the highest). An equal or
 *   higher-ranked leader bid earlier and keeps the lead → PRIORITY_MATCH_LOSES.
 * - D1: otherwise a later bid is ≥ price + increment (else BID_TOO_LOW) and rises in whole
 *   increments (else BID_OFF_INCREMENT).
 * - D3: an accepted bid with less than 5 minutes left moves the close to 5 minutes after it, with
 *   no cap.
 * - D6/E2/E3: every accepted bid takes the lead, so the winner at the close is the last accepted
 *   bid; no bid → the lot fails.
 */

const MINUTE = 60_000;
/** D3: the last-minutes window and the extension it gives. */
export const MODEL_WINDOW_MS = 5 * MINUTE;
export const MODEL_EXTENSION_MS = 5 * MINUTE;

export type ModelRefusal =
  | "LOT_NOT_OPEN"
  | "LOT_CLOSED"
  | "BID_BELOW_START"
  | "BID_TOO_LOW"
  | "BID_OFF_INCREMENT"
  | "ALREADY_LEADING"
  | "PRIORITY_MATCH_LOSES";

export interface ModelBid {
  /** 1-based position among accepted bids. */
  index: number;
  bidder: string;
  rank: number | null;
  amount: bigint;
  at: number;
  clientBidId: string;
  /** The close instant after this bid. */
  closesAt: number;
  extended: boolean;
}

export type ModelAnswer =
  | { ok: true; replay: boolean; bid: ModelBid; closesAt: number; extended: boolean }
  | { ok: false; code: ModelRefusal };

export interface ModelState {
  startsAt: number;
  closesAt: number;
  start: bigint;
  increment: bigint;
  price: bigint | null;
  leader: { bidder: string; rank: number | null } | null;
  /** Accepted bids in order. */
  bids: ModelBid[];
  /** bidder → clientBidId → the accepted bid (for replays). */
  accepted: Map<string, Map<string, ModelBid>>;
}

const ms = (t: Date | number) => (typeof t === "number" ? t : t.getTime());

export function newModel(lot: { startsAt: Date | number; closesAt: Date | number; start: bigint; increment: bigint }): ModelState {
  if (lot.increment <= 0n) throw new RangeError("increment must be positive");
  return {
    startsAt: ms(lot.startsAt),
    closesAt: ms(lot.closesAt),
    start: lot.start,
    increment: lot.increment,
    price: null,
    leader: null,
    bids: [],
    accepted: new Map(),
  };
}

/** Judges one bid. An accepted bid updates `state` in place; a refusal or a replay leaves it as it was. */
export function modelBid(state: ModelState, bidder: string, rank: number | null, amount: bigint, clientBidId: string, at: Date | number): ModelAnswer {
  const t = ms(at);
  const earlier = state.accepted.get(bidder)?.get(clientBidId);
  if (earlier) return { ok: true, replay: true, bid: earlier, closesAt: earlier.closesAt, extended: earlier.extended };

  if (t < state.startsAt) return { ok: false, code: "LOT_NOT_OPEN" };
  if (t >= state.closesAt) return { ok: false, code: "LOT_CLOSED" };

  const refusal = judge(state, bidder, rank, amount);
  if (refusal) return { ok: false, code: refusal };

  const extended = state.closesAt - t < MODEL_WINDOW_MS;
  if (extended) state.closesAt = t + MODEL_EXTENSION_MS;
  const bid: ModelBid = { index: state.bids.length + 1, bidder, rank, amount, at: t, clientBidId, closesAt: state.closesAt, extended };
  state.bids.push(bid);
  state.price = amount;
  state.leader = { bidder, rank };
  let mine = state.accepted.get(bidder);
  if (!mine) state.accepted.set(bidder, (mine = new Map()));
  mine.set(clientBidId, bid);
  return { ok: true, replay: false, bid, closesAt: state.closesAt, extended };
}

function judge(state: ModelState, bidder: string, rank: number | null, amount: bigint): ModelRefusal | null {
  const { price, increment } = state;
  if (price === null) {
    if (amount < state.start) return "BID_BELOW_START";
    if ((amount - state.start) % increment !== 0n) return "BID_OFF_INCREMENT";
    return null;
  }
  if (state.leader?.bidder === bidder) return "ALREADY_LEADING";
  if (rank !== null && amount === price) {
    const leaderRank = state.leader?.rank ?? null;
    if (leaderRank === null || leaderRank > rank) return null;
    return "PRIORITY_MATCH_LOSES";
  }
  if (amount < price + increment) return "BID_TOO_LOW";
  if ((amount - price) % increment !== 0n) return "BID_OFF_INCREMENT";
  return null;
}

export type ModelClose =
  | { kind: "not_yet"; closesAt: number }
  | { kind: "closed"; outcome: "sold"; winner: string; price: bigint; closedAt: number }
  | { kind: "closed"; outcome: "failed"; winner: null; price: null; closedAt: number };

/** The outcome at `at`: the last accepted bid wins at the close instant (D6, E2, E3); no bid → failed. */
export function modelClose(state: ModelState, at: Date | number): ModelClose {
  if (ms(at) < state.closesAt) return { kind: "not_yet", closesAt: state.closesAt };
  const last = state.bids.at(-1);
  return last
    ? { kind: "closed", outcome: "sold", winner: last.bidder, price: last.amount, closedAt: state.closesAt }
    : { kind: "closed", outcome: "failed", winner: null, price: null, closedAt: state.closesAt };
}
