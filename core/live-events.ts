import { z } from "zod";

/**
 * The Socket.IO `/live` protocol: event maps shared by the server (realtime/) and the browser (app/),
 * the schema of each client message, and the packed form of a frame's bids.
 * Amounts are fen as decimal strings; instants are ISO strings.
 */

/**
 * One zod schema per client message that carries a payload; its handler (realtime/handlers/) parses
 * the payload with it before anything else, and ClientToServerEvents takes its payload types from them.
 * The browser imports this module for the event maps and `unpackBids`, never for the schemas: built in
 * one function marked pure, they are dropped from the page's bundle, and zod with them (about 50 kB).
 */
export const CLIENT_PAYLOADS = /* @__PURE__ */ (() => ({
  "lot:join": z.object({ lotId: z.uuid() }),
  "lot:leave": z.object({ lotId: z.uuid() }),
  /** The wire shape only: whether the amount and the clientBidId make a bid is auction's `bidSchema`'s to say. */
  "bid:place": z.object({ lotId: z.uuid(), amountFen: z.string(), clientBidId: z.string() }),
}))();
export type PayloadEvent = keyof typeof CLIENT_PAYLOADS;
export type ClientPayload<E extends PayloadEvent> = z.infer<(typeof CLIENT_PAYLOADS)[E]>;

export type AckResult<T> = { ok: true; data: T } | { ok: false; code: string; message: string };
export type Ack<T> = (response: AckResult<T>) => void;

export interface WireBid {
  bidderCode: string;
  amountFen: string;
  placedAt: string;
  /** The lot's sequence number after this bid: gaps tell a client it missed something. */
  seq: number;
  priority: boolean;
}

export interface LotSnapshotWire {
  lotId: string;
  seq: number;
  phase: string;
  startingPriceFen: string;
  incrementFen: string;
  currentPriceFen: string | null;
  biddingStartsAt: string;
  closesAt: string;
  /** The server's clock, so countdowns do not trust the browser's. */
  serverTime: string;
  /** Newest first (the latest 50). */
  bids: WireBid[];
  /** The number of accepted bids (the list above is capped). */
  bidCount: number;
  watchers: number;
}

/** The answer to bid:place: the bid (or, for a resent clientBidId, the first answer) and the close after it. */
export interface BidPlacedWire {
  bid: WireBid;
  closesAt: string;
  extended: boolean;
  replay: boolean;
}

export interface ClientToServerEvents {
  /** Anyone: the server's clock. */
  "time:sync": (ack: Ack<{ now: string }>) => void;
  /** Signed-in only: who this socket is signed in as (checked against the session on every call). */
  "session:whoami": (ack: Ack<{ userId: string; displayName: string; role: string }>) => void;
  /** Anyone, anonymous too: watch a lot; answers with the snapshot. */
  "lot:join": (payload: ClientPayload<"lot:join">, ack: Ack<LotSnapshotWire>) => void;
  "lot:leave": (payload: ClientPayload<"lot:leave">) => void;
  /** Bidders ("lots.bid"): decided in the lot's batch (auction/bid-desk.ts), by the same statements as the HTML form's placeBid. */
  "bid:place": (payload: ClientPayload<"bid:place">, ack: Ack<BidPlacedWire>) => void;
  /** Signed-in only: this socket hears the account's notices:unread; answers with the unread count now. */
  "notices:watch": (ack: Ack<{ count: number }>) => void;
}

/**
 * The bids of one bid:accepted frame, oldest first, column by column. In a closing storm a crowd of
 * thousands receives every bid, so a frame is what every watcher's browser parses many times a
 * second: this form is about a fifth of the bytes of a WireBid list (about 18 bytes a bid). After the
 * first bid, sequence number, time and amount are differences from the bid before (fen differences
 * are far below 2^53, so exact as JSON numbers). The server packs its accepted bids as they are
 * (`packBids`); the browser gets WireBids back (`unpackBids`).
 */
export interface PackedBids {
  /** The first bid: its sequence number, time (ms since the epoch) and amount (fen, decimal). */
  first: { seq: number; at: number; fen: string };
  /** For each bid after the first: how much later its sequence number, time (ms) and amount (fen). */
  seqStep: number[];
  atStep: number[];
  fenStep: number[];
  /** Every bid's bidder code, the first included. */
  codes: string[];
  /** Positions (in this frame) of priority holders' bids (E1); absent when there are none. */
  priority?: number[];
}

/** An accepted bid as the server holds it: what a frame carries of it, packed with no conversion before. */
export interface FrameBid {
  seq: number;
  placedAt: Date;
  amountFen: bigint;
  bidderCode: string;
  /** Set for a priority holder's bid (E1); the frame says only that it is one. */
  priorityRank: number | null;
}

/** Packs bids (in sequence order, at least one) for a frame. */
export function packBids(bids: readonly FrameBid[]): PackedBids {
  const first = bids[0];
  if (!first) throw new RangeError("a frame carries at least one bid");
  const packed: PackedBids = { first: { seq: first.seq, at: first.placedAt.getTime(), fen: first.amountFen.toString() }, seqStep: [], atStep: [], fenStep: [], codes: [] };
  const priority: number[] = [];
  let prev = first;
  bids.forEach((b, i) => {
    packed.codes.push(b.bidderCode);
    if (b.priorityRank !== null) priority.push(i);
    if (i === 0) return;
    packed.seqStep.push(b.seq - prev.seq);
    packed.atStep.push(b.placedAt.getTime() - prev.placedAt.getTime());
    packed.fenStep.push(Number(b.amountFen - prev.amountFen));
    prev = b;
  });
  if (priority.length > 0) packed.priority = priority;
  return packed;
}

/** The bids of a frame as WireBids, oldest first. */
export function unpackBids(packed: PackedBids): WireBid[] {
  const priority = new Set(packed.priority ?? []);
  let seq = packed.first.seq;
  let at = packed.first.at;
  let fen = BigInt(packed.first.fen);
  return packed.codes.map((bidderCode, i) => {
    if (i > 0) {
      seq += packed.seqStep[i - 1]!;
      at += packed.atStep[i - 1]!;
      fen += BigInt(packed.fenStep[i - 1]!);
    }
    return { bidderCode, amountFen: fen.toString(), placedAt: new Date(at).toISOString(), seq, priority: priority.has(i) };
  });
}

/** Only the sequence numbers of a frame's bids (what a client needs to see a gap), without the rest. */
export function packedSeqs(packed: PackedBids): number[] {
  const seqs = [packed.first.seq];
  for (const step of packed.seqStep) seqs.push(seqs[seqs.length - 1]! + step);
  return seqs;
}

export interface BidAcceptedEvent {
  lotId: string;
  seq: number;
  /** Every bid accepted on the lot during one tick, in sequence order (`unpackBids`). */
  bids: PackedBids;
  /** The close instant after the last of them. */
  closesAt: string;
  /** A bid of this frame moved the close (D3): a client shows the extension from here (lot:extended is coalesced). */
  extended?: boolean;
}

export interface LotExtendedEvent {
  lotId: string;
  seq: number;
  closesAt: string;
}

export interface LotClosedEvent {
  lotId: string;
  seq: number;
  outcome: "sold" | "failed";
  priceFen: string | null;
  bidderCode: string | null;
  closedAt: string;
}

/** P15: the court held the lot (暂缓 or 中止): no bids, the countdown stands still, the reason is posted (G3). */
export interface LotSuspendedEvent {
  lotId: string;
  seq: number;
  kind: "suspend" | "stay";
  reason: string;
  heldAt: string;
}

/** P15: bidding goes on, to the new close (the time left at the hold, from the resumption). */
export interface LotResumedEvent {
  lotId: string;
  seq: number;
  phase: "announced" | "bidding";
  reason: string;
  biddingStartsAt: string;
  closesAt: string;
}

export interface ServerToClientEvents {
  "bid:accepted": (event: BidAcceptedEvent) => void;
  /** A late bid moved the close (D3); at most once a second per lot, with the latest close (bid:accepted carries it too). */
  "lot:extended": (event: LotExtendedEvent) => void;
  /** How many watch the lot (on this node); sent at most once a second when it changes. */
  "lot:watchers": (event: { lotId: string; watchers: number }) => void;
  "lot:closed": (event: LotClosedEvent) => void;
  "lot:suspended": (event: LotSuspendedEvent) => void;
  "lot:resumed": (event: LotResumedEvent) => void;
  /** To the account's own sockets (after notices:watch): its unread notices changed. */
  "notices:unread": (event: { count: number }) => void;
}

export interface SocketData {
  /** The session token from the handshake cookie; re-checked on each signed-in event. */
  sessionToken: string | null;
  /** Recent bid:place times, for the per-socket rate limit. */
  bidTimes: number[];
}
