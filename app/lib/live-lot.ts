import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { useRevalidator } from "react-router";
import type { Socket } from "socket.io-client";
import { parseYuan } from "../../core/money.ts";
import { nextBidFen, type PriceLadder } from "../../core/next-bid.ts";
import { unpackBids, type BidAcceptedEvent, type ClientToServerEvents, type LotSnapshotWire, type ServerToClientEvents, type WireBid } from "../../core/live-events.ts";

// The lot page's live state: the socket on /live, the lot as the last event left it, and the server's
// clock. Pure parts first (the reducer and the amount rules), then the hook that drives them.

/** idle: not started (the server's render and the first one in the browser), or not needed for this lot. */
export type LiveStatus = "idle" | "connecting" | "live" | "reconnecting" | "offline";

/** What the page shows that events can change. The loader's lot fits it as it is. */
export interface LiveLotData {
  id: string;
  seq: number;
  phase: string;
  startingPriceFen: string;
  incrementFen: string;
  currentPriceFen: string | null;
  closesAt: string;
  /** Newest first. */
  bids: WireBid[];
  bidCount: number;
}

export interface LiveState {
  data: LiveLotData;
  status: LiveStatus;
  /** From the last snapshot; null before one arrived. */
  watchers: number | null;
  /** The close instant of the last extension seen while watching (for the notice). */
  extendedTo: string | null;
  /** An event skipped a sequence number: the snapshot must be fetched again. */
  stale: boolean;
  /** The lot closed while watching: the page data must be loaded again for the result. */
  closed: boolean;
  /** Counts the court's holds and resumptions seen while watching: each loads the page data again (its reason). */
  interventions: number;
}

export type LiveAction =
  | { type: "status"; status: LiveStatus }
  | { type: "loader"; data: LiveLotData }
  | { type: "snapshot"; snapshot: LotSnapshotWire }
  | { type: "accepted"; event: BidAcceptedEvent }
  | { type: "extended"; seq: number; closesAt: string }
  | { type: "closed"; seq: number }
  /** P15: held by the court (暂缓 or 中止), or resumed to the new close. */
  | { type: "held"; seq: number; phase: "suspended" | "stayed" }
  | { type: "resumed"; seq: number; phase: "announced" | "bidding"; closesAt: string }
  | { type: "watchers"; watchers: number };

const OPEN_PHASES = new Set(["bidding", "ended", "suspended", "stayed"]);

const pick = (lot: LiveLotData): LiveLotData => ({
  id: lot.id,
  seq: lot.seq,
  phase: lot.phase,
  startingPriceFen: lot.startingPriceFen,
  incrementFen: lot.incrementFen,
  currentPriceFen: lot.currentPriceFen,
  closesAt: lot.closesAt,
  bids: lot.bids.map((b) => ({ bidderCode: b.bidderCode, amountFen: b.amountFen, placedAt: b.placedAt, seq: b.seq, priority: b.priority })),
  bidCount: lot.bidCount,
});

export function initialLiveState(lot: LiveLotData): LiveState {
  return { data: pick(lot), status: "idle", watchers: null, extendedTo: null, stale: false, closed: false, interventions: 0 };
}

/** Both lists newest first; one row per sequence number. */
export function mergeBids(newer: readonly WireBid[], older: readonly WireBid[]): WireBid[] {
  const bySeq = new Map<number, WireBid>();
  for (const b of [...older, ...newer]) bySeq.set(b.seq, b);
  return [...bySeq.values()].sort((a, b) => b.seq - a.seq);
}

function applySnapshot(state: LiveState, s: LotSnapshotWire): LiveState {
  const d = state.data;
  const oldest = s.bids.at(-1)?.seq;
  // The snapshot holds the latest bids only: keep older rows when they join up with it.
  const joinsUp = oldest === undefined || (d.bids[0]?.seq ?? 0) >= oldest - 1;
  const bids = joinsUp ? mergeBids(s.bids, d.bids) : s.bids;
  const known = new Set(d.bids.map((b) => b.seq));
  const added = s.bids.filter((b) => !known.has(b.seq) && b.seq > d.seq).length;
  const newer = s.seq >= d.seq;
  const data: LiveLotData = {
    ...d,
    seq: Math.max(s.seq, d.seq),
    phase: newer ? s.phase : d.phase,
    startingPriceFen: s.startingPriceFen,
    incrementFen: s.incrementFen,
    currentPriceFen: newer ? s.currentPriceFen : d.currentPriceFen,
    closesAt: newer ? s.closesAt : d.closesAt,
    bids,
    bidCount: s.bidCount ?? d.bidCount + added,
  };
  const closedMeanwhile = OPEN_PHASES.has(d.phase) && !OPEN_PHASES.has(data.phase);
  return { ...state, data, watchers: s.watchers, stale: false, closed: state.closed || closedMeanwhile };
}

function applyAccepted(state: LiveState, event: BidAcceptedEvent): LiveState {
  if (state.stale) return state; // the snapshot on its way replaces everything
  const d = state.data;
  const fresh = unpackBids(event.bids).filter((b) => b.seq > d.seq);
  if (fresh.length === 0) return state; // seen already (the snapshot had it)
  // Each bid moves the lot's sequence by one: anything else means something was missed.
  if (fresh.some((b, i) => b.seq !== d.seq + 1 + i)) return { ...state, stale: true };
  const newest = fresh.at(-1)!;
  return {
    ...state,
    data: { ...d, seq: newest.seq, currentPriceFen: newest.amountFen, closesAt: event.closesAt, bids: mergeBids([...fresh].reverse(), d.bids), bidCount: d.bidCount + fresh.length },
    // D3: the frame says when its bids moved the close (lot:extended follows at most once a second).
    extendedTo: event.extended ? event.closesAt : state.extendedTo,
  };
}

export function liveReducer(state: LiveState, action: LiveAction): LiveState {
  switch (action.type) {
    case "status":
      return state.status === action.status ? state : { ...state, status: action.status };
    case "loader": {
      // Another lot, or page data at least as new as what the socket said: take it.
      const other = action.data.id !== state.data.id;
      if (other) return { ...initialLiveState(action.data), status: state.status };
      if (action.data.seq >= state.data.seq) return { ...state, data: pick(action.data), stale: false, closed: state.closed && OPEN_PHASES.has(action.data.phase) };
      return state;
    }
    case "snapshot":
      return action.snapshot.lotId === state.data.id ? applySnapshot(state, action.snapshot) : state;
    case "accepted":
      return action.event.lotId === state.data.id ? applyAccepted(state, action.event) : state;
    case "extended":
      // Sent after the bids it follows, with the sequence number of the last of them.
      if (action.seq > state.data.seq) return { ...state, stale: true };
      if (action.seq < state.data.seq) return state;
      return { ...state, data: { ...state.data, closesAt: action.closesAt }, extendedTo: action.closesAt };
    case "closed":
      return { ...state, data: { ...state.data, seq: Math.max(action.seq, state.data.seq), phase: "ended" }, closed: true };
    case "held":
    case "resumed": {
      // Each moves the lot's sequence by one, after the bids before it.
      if (action.seq > state.data.seq + 1) return { ...state, stale: true };
      if (action.seq <= state.data.seq) return state;
      const closesAt = action.type === "resumed" ? action.closesAt : state.data.closesAt;
      return { ...state, data: { ...state.data, seq: action.seq, phase: action.phase, closesAt }, extendedTo: null, interventions: state.interventions + 1 };
    }
    case "watchers":
      return { ...state, watchers: action.watchers };
  }
}

type LivePrices = Pick<LiveLotData, "currentPriceFen" | "startingPriceFen" | "incrementFen">;

/** The page's prices (fen as decimal strings) as the amounts D1 works with. */
function priceLadder(d: LivePrices): PriceLadder {
  return { startingPriceFen: BigInt(d.startingPriceFen), incrementFen: BigInt(d.incrementFen), currentPriceFen: d.currentPriceFen === null ? null : BigInt(d.currentPriceFen) };
}

/** D1's lowest valid bid for the page's lot (core/next-bid.ts, the server's own rule), as a fen string. */
export function minimumBidFen(d: LivePrices): string {
  return nextBidFen(priceLadder(d)).toString();
}

/** The amounts the quick buttons offer: 1, 2 and 5 increments above the current price (from the start if none). */
export function quickAmounts(d: LivePrices): { steps: number; fen: string }[] {
  const ladder = priceLadder(d);
  const next = nextBidFen(ladder);
  return [1, 2, 5].map((steps) => ({ steps, fen: (next + BigInt(steps - 1) * ladder.incrementFen).toString() }));
}

/** What a person typed in yuan as integer fen (no floating point), or null when it is not an amount. */
export function yuanToFen(text: string): string | null {
  try {
    return parseYuan(text).toString();
  } catch {
    return null;
  }
}

/** A fresh id for one bid attempt (the server keeps [A-Za-z0-9_-]{8,64}); works outside secure contexts too. */
export function newClientBidId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Seconds left as days and a clock: { days: 1, clock: "02:03:04" }. */
export function splitSeconds(total: number): { days: number; clock: string } {
  const s = Math.max(0, Math.floor(total));
  const days = Math.floor(s / 86_400);
  const pad = (n: number) => String(n).padStart(2, "0");
  return { days, clock: `${pad(Math.floor((s % 86_400) / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}` };
}

// ---- The hook ---------------------------------------------------------------------------

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Without a joined lot this long after starting (or after a drop), the page says it is offline. */
const OFFLINE_AFTER_MS = 5_000;
const ACK_TIMEOUT_MS = 8_000;
const CONNECT_TIMEOUT_MS = 10_000;
const RESYNC_EVERY_MS = 30_000;
/** A bid is sent at most this many times (always with the same clientBidId) before giving up. */
const BID_SENDS = 3;

export type BidOutcome =
  | { kind: "accepted"; bid: WireBid; closesAt: string; extended: boolean; replay: boolean }
  | { kind: "refused"; code: string; message: string }
  /** No answer after every resend: the bid may or may not have been taken. */
  | { kind: "unknown" };

export interface LiveLot extends LiveState {
  /** The server's time, in whole seconds (ms), once known; null before (render the server's text then). */
  serverNow: number | null;
  placeBid(amountFen: string): Promise<BidOutcome>;
}

/**
 * Watches one lot over Socket.IO once the page has hydrated (only when `enabled`: a lot in bidding or
 * awaiting its close). The first render equals the server's, so hydration matches; everything live
 * comes from effects.
 */
export function useLiveLot(lotId: string, initial: LiveLotData, enabled: boolean): LiveLot {
  const [state, dispatch] = useReducer(liveReducer, initial, initialLiveState);
  const [serverNow, setServerNow] = useState<number | null>(null);
  const socketRef = useRef<LiveSocket | null>(null);
  const joinRef = useRef<() => void>(() => {});
  /** Server time minus browser time. */
  const offsetRef = useRef<number | null>(null);
  /** The bid whose answer never came: sent again with the same clientBidId. */
  const pendingRef = useRef<{ amountFen: string; clientBidId: string } | null>(null);
  const { revalidate } = useRevalidator();

  // New page data (after a bid from the form, a revalidation, another lot).
  useEffect(() => dispatch({ type: "loader", data: initial }), [initial]);

  useEffect(() => {
    if (!enabled) return;
    let disposed = false;
    let opened: LiveSocket | null = null;
    let resync: ReturnType<typeof setInterval> | undefined;
    let offlineTimer: ReturnType<typeof setTimeout> | undefined;
    const offlineSoon = () => {
      clearTimeout(offlineTimer);
      offlineTimer = setTimeout(() => dispatch({ type: "status", status: "offline" }), OFFLINE_AFTER_MS);
    };
    dispatch({ type: "status", status: "connecting" });
    offlineSoon();
    // socket.io-client comes when a lot needs it, not with the page: a page load carries less, and paints sooner.
    void import("socket.io-client").then(
      ({ io }) => {
        if (disposed) return;
        // Same origin (the session cookie goes with the handshake). A handshake that hangs is given up
        // after CONNECT_TIMEOUT_MS and tried again (Socket.IO's default waits 20 s).
        const socket: LiveSocket = io("/live", { transports: ["websocket", "polling"], timeout: CONNECT_TIMEOUT_MS });
        opened = socket;
        socketRef.current = socket;

        const join = () =>
          socket.timeout(ACK_TIMEOUT_MS).emit("lot:join", { lotId }, (err, res) => {
            if (disposed || !socket.connected) return;
            if (err || !res.ok) return void setTimeout(() => !disposed && socket.connected && join(), 3_000);
            offsetRef.current = Date.parse(res.data.serverTime) - Date.now();
            dispatch({ type: "snapshot", snapshot: res.data });
            clearTimeout(offlineTimer);
            dispatch({ type: "status", status: "live" });
          });
        const syncTime = () => {
          const sent = Date.now();
          socket.timeout(ACK_TIMEOUT_MS).emit("time:sync", (err, res) => {
            if (disposed || err || !res.ok) return;
            const now = Date.now();
            offsetRef.current = Date.parse(res.data.now) + (now - sent) / 2 - now;
          });
        };
        joinRef.current = join;

        let connects = 0;
        socket.on("connect", () => {
          // Rooms do not survive a reconnection: join again (a fresh snapshot fills any gap) and re-sync the clock.
          join();
          if (connects++ > 0) syncTime();
        });
        socket.on("disconnect", (reason) => {
          if (disposed) return;
          dispatch({ type: "status", status: "reconnecting" });
          offlineSoon();
          // After a server-side disconnect Socket.IO does not retry by itself.
          if (reason === "io server disconnect") setTimeout(() => !disposed && socket.connect(), 2_000);
        });
        socket.on("bid:accepted", (event) => dispatch({ type: "accepted", event }));
        socket.on("lot:extended", (event) => event.lotId === lotId && dispatch({ type: "extended", seq: event.seq, closesAt: event.closesAt }));
        socket.on("lot:closed", (event) => event.lotId === lotId && dispatch({ type: "closed", seq: event.seq }));
        socket.on("lot:suspended", (event) => event.lotId === lotId && dispatch({ type: "held", seq: event.seq, phase: event.kind === "suspend" ? "suspended" : "stayed" }));
        socket.on("lot:resumed", (event) => {
          if (event.lotId !== lotId) return;
          dispatch({ type: "resumed", seq: event.seq, phase: event.phase, closesAt: event.closesAt });
          // A hold may last hours (a laptop asleep meanwhile): count the restored time on a fresh reading of the server's clock.
          syncTime();
        });
        socket.on("lot:watchers", (event) => event.lotId === lotId && dispatch({ type: "watchers", watchers: event.watchers }));
        resync = setInterval(() => socket.connected && syncTime(), RESYNC_EVERY_MS);
      },
      // Not loaded (the network dropped): the page says it is offline; a reload tries again.
      () => !disposed && dispatch({ type: "status", status: "offline" }),
    );

    return () => {
      disposed = true;
      clearTimeout(offlineTimer);
      clearInterval(resync);
      socketRef.current = null;
      joinRef.current = () => {};
      if (opened) closeQuietly(opened);
      dispatch({ type: "status", status: "idle" });
    };
  }, [lotId, enabled]);

  // A gap in the sequence: fetch the snapshot again.
  useEffect(() => {
    if (state.stale) joinRef.current();
  }, [state.stale]);

  // The close: reload the page data, which brings the result.
  useEffect(() => {
    if (state.closed) void revalidate();
  }, [state.closed, revalidate]);

  // A hold or a resumption: the page shows it at once; the page data brings its reason and the history (G3).
  useEffect(() => {
    if (state.interventions > 0) void revalidate();
  }, [state.interventions, revalidate]);

  // The countdown's clock: the browser's clock moved by the server's offset, never the browser's alone.
  const ticking = state.status !== "idle";
  useEffect(() => {
    if (!ticking) return;
    const tick = () => {
      if (offsetRef.current !== null) setServerNow(Math.floor((Date.now() + offsetRef.current) / 1000) * 1000);
    };
    tick();
    const timer = setInterval(tick, 250);
    return () => clearInterval(timer);
  }, [ticking]);

  const placeBid = useCallback(
    async (amountFen: string): Promise<BidOutcome> => {
      // The same amount after an unanswered attempt reuses its id: the server replays instead of bidding twice.
      const earlier = pendingRef.current;
      const attempt = earlier && earlier.amountFen === amountFen ? earlier : { amountFen, clientBidId: newClientBidId() };
      pendingRef.current = attempt;
      for (let send = 0; send < BID_SENDS; send++) {
        const socket = socketRef.current;
        if (!socket) break;
        if (!socket.connected && !(await connected(socket, OFFLINE_AFTER_MS))) continue;
        try {
          const res = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck("bid:place", { lotId, amountFen, clientBidId: attempt.clientBidId });
          pendingRef.current = null;
          return res.ok ? { kind: "accepted", ...res.data } : { kind: "refused", code: res.code, message: res.message };
        } catch {
          // No answer in time (or the connection dropped): send the same clientBidId again.
        }
      }
      return { kind: "unknown" };
    },
    [lotId],
  );

  return { ...state, serverNow: ticking ? serverNow : null, placeBid };
}

function connected(socket: LiveSocket, timeoutMs: number): Promise<boolean> {
  if (socket.connected) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.off("connect", onConnect);
      resolve(ok);
    };
    const onConnect = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on("connect", onConnect);
  });
}

/**
 * Leaves the page's socket. Closing a WebSocket that is still opening makes Chromium log an error,
 * so a socket not yet connected is closed once it connects or fails.
 */
function closeQuietly(socket: LiveSocket) {
  socket.off();
  if (socket.connected) return void socket.disconnect();
  const close = () => socket.disconnect();
  socket.once("connect", close);
  socket.once("connect_error", close);
}
