import type { Namespace } from "socket.io";
import type { BidView, LotPublisher } from "../auction/index.ts";
import type { ServerToClientEvents, WireBid } from "../core/live-events.ts";

export const lotRoom = (lotId: string) => `lot:${lotId}`;

export const wireBid = (b: BidView): WireBid => ({
  bidderCode: b.bidderCode,
  amountFen: b.amountFen.toString(),
  placedAt: b.placedAt.toISOString(),
  seq: b.seq,
  priority: b.priority,
});

interface Pending {
  bids: WireBid[];
  /** The close instant after the highest-sequence bid of the tick. */
  closesAt: Date | null;
  lastSeq: number;
  extended: boolean;
}

/**
 * Coalesces what happens on a lot within one tick into one broadcast carrying every bid of the tick,
 * so a closing storm costs a watcher one message per tick, not one per bid. Nothing is dropped:
 * each bid's sequence number lets a client see a gap and ask for the snapshot again.
 *
 * The tick grows with the room: a small room hears of a bid almost at once, a crowd of thousands in
 * batches (one frame per watcher costs the same whatever it carries).
 */
export class LotFanout implements LotPublisher {
  private namespace: Namespace<Record<string, never>, ServerToClientEvents> | null = null;
  private readonly pending = new Map<string, Pending>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly maxTickMs: number;

  constructor(maxTickMs = 100) {
    this.maxTickMs = maxTickMs;
  }

  /** About 1 ms per 50 watchers, between 2 ms and the maximum: 1,000 watchers → 20 ms, 5,000 → 100 ms. */
  tickFor(watchers: number): number {
    return Math.min(this.maxTickMs, Math.max(2, Math.round(watchers / 50)));
  }

  attach(namespace: Namespace<Record<string, never>, ServerToClientEvents>): void {
    this.namespace = namespace;
  }

  bidAccepted(lotId: string, bid: BidView, closesAt: Date, extended: boolean): void {
    const p = this.pending.get(lotId) ?? { bids: [], closesAt: null, lastSeq: -1, extended: false };
    p.bids.push(wireBid(bid));
    if (bid.seq > p.lastSeq) {
      p.lastSeq = bid.seq;
      p.closesAt = closesAt;
    }
    p.extended ||= extended;
    this.pending.set(lotId, p);
    if (!this.timers.has(lotId)) {
      const watchers = this.namespace?.adapter.rooms.get(lotRoom(lotId))?.size ?? 0;
      this.timers.set(lotId, setTimeout(() => this.flush(lotId), this.tickFor(watchers)));
    }
  }

  lotClosed(lotId: string, result: Parameters<LotPublisher["lotClosed"]>[1]): void {
    // Whatever is pending goes out first, so the close always follows its last bid.
    this.flush(lotId);
    this.namespace?.to(lotRoom(lotId)).emit("lot:closed", {
      lotId,
      seq: result.seq,
      outcome: result.outcome,
      priceFen: result.priceFen?.toString() ?? null,
      bidderCode: result.bidderCode,
      closedAt: result.closedAt.toISOString(),
    });
  }

  /** Sends one lot's pending tick now. */
  flush(lotId: string): void {
    const timer = this.timers.get(lotId);
    if (timer) clearTimeout(timer);
    this.timers.delete(lotId);
    const p = this.pending.get(lotId);
    this.pending.delete(lotId);
    if (!p || p.bids.length === 0 || !this.namespace) return;
    // Bids of one tick may commit out of call order across connections: send them in lot order.
    p.bids.sort((a, b) => a.seq - b.seq);
    const seq = p.bids.at(-1)!.seq;
    const room = this.namespace.to(lotRoom(lotId));
    room.emit("bid:accepted", { lotId, seq, bids: p.bids, closesAt: p.closesAt!.toISOString() });
    if (p.extended) room.emit("lot:extended", { lotId, seq, closesAt: p.closesAt!.toISOString() });
  }

  private readonly watcherTimers = new Map<string, NodeJS.Timeout>();

  /**
   * The lot's watcher count changed (P4: watchers, never registrants). Coalesced to one message a
   * second per lot, so a crowd arriving does not cost a message per arrival per watcher.
   */
  watchersChanged(lotId: string): void {
    if (this.watcherTimers.has(lotId)) return;
    this.watcherTimers.set(
      lotId,
      setTimeout(() => {
        this.watcherTimers.delete(lotId);
        const room = lotRoom(lotId);
        const watchers = this.namespace?.adapter.rooms.get(room)?.size ?? 0;
        if (watchers > 0) this.namespace?.to(room).emit("lot:watchers", { lotId, watchers });
      }, 1000),
    );
  }

  close(): void {
    for (const lotId of [...this.timers.keys()]) this.flush(lotId);
    for (const timer of this.watcherTimers.values()) clearTimeout(timer);
    this.watcherTimers.clear();
  }
}
