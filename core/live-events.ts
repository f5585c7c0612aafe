/**
 * The Socket.IO `/live` protocol: event maps shared by the server (realtime/) and the browser (app/).
 * Amounts are fen as decimal strings; instants are ISO strings.
 */
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

export interface ClientToServerEvents {
  /** Anyone: the server's clock. */
  "time:sync": (ack: Ack<{ now: string }>) => void;
  /** Signed-in only: who this socket is signed in as (checked against the session on every call). */
  "session:whoami": (ack: Ack<{ userId: string; displayName: string; role: string }>) => void;
  /** Anyone, anonymous too: watch a lot; answers with the snapshot. */
  "lot:join": (payload: { lotId: string }, ack: Ack<LotSnapshotWire>) => void;
  "lot:leave": (payload: { lotId: string }) => void;
  /** Registered bidders: the same placeBid as the HTML form. */
  "bid:place": (payload: { lotId: string; amountFen: string; clientBidId: string }, ack: Ack<{ bid: WireBid; closesAt: string; extended: boolean; replay: boolean }>) => void;
}

export interface BidAcceptedEvent {
  lotId: string;
  seq: number;
  /** Every bid accepted on the lot during one tick, in sequence order. */
  bids: WireBid[];
  closesAt: string;
}

export interface ServerToClientEvents {
  "bid:accepted": (event: BidAcceptedEvent) => void;
  /** A late bid moved the close (D3). */
  "lot:extended": (event: { lotId: string; seq: number; closesAt: string }) => void;
  /** How many watch the lot (on this node); sent at most once a second when it changes. */
  "lot:watchers": (event: { lotId: string; watchers: number }) => void;
  "lot:closed": (event: { lotId: string; seq: number; outcome: "sold" | "failed"; priceFen: string | null; bidderCode: string | null; closedAt: string }) => void;
}

export interface SocketData {
  /** The session token from the handshake cookie; re-checked on each signed-in event. */
  sessionToken: string | null;
  /** Recent bid:place times, for the per-socket rate limit. */
  bidTimes: number[];
}
