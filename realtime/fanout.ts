import type { Namespace } from "socket.io";
import type { ClosedLot, HeldLot, LotPublisher, PublishedBid, ResumedLot } from "../auction/index.ts";
import type { BidAcceptedEvent, LotClosedEvent, LotExtendedEvent, LotResumedEvent, LotSuspendedEvent, ServerToClientEvents } from "../core/live-events.ts";
import { bidFrame, closedEvent, extendedEvent, resumedEvent, suspendedEvent } from "./wire.ts";

export const lotRoom = (lotId: string) => `lot:${lotId}`;

/**
 * Each watcher of a lot is also in one of its shard rooms, so a crowd can be sent to a shard at a time.
 * 32 small shards (about 5 ms of writing each at 5,000 watchers) measured better in the closing storm
 * than 16 and no worse than 64 (ADR 010).
 */
export const LOT_SHARDS = 32;
/**
 * A crowd's message is spread over this share of the lot's tick (5,000 watchers: 200 ms of 500), shard
 * k leaving no earlier than k/LOT_SHARDS of it: sent as fast as possible, a frame to 5,000 watchers
 * saturated both cores for ~150 ms (the node writing, the receivers reading) and the acks sent meanwhile
 * arrived late. Spread over 200 ms, the storm's ack p99 fell from ~142 to ~45–80 ms while screen p99
 * rose ~50 ms (ADR 010).
 */
export const SPREAD_SHARE = 0.4;
export const shardRoom = (lotId: string, shard: number) => `${lotRoom(lotId)}~${shard}`;
/** The lot of a lot room or shard room (null for another room). */
export const lotOfRoom = (room: string): string | null => (room.startsWith("lot:") ? room.slice(4).replace(/~\d+$/, "") : null);

/** Takes a socket out of the lot's room and its shard room. */
export function leaveLotRooms(socket: { rooms: ReadonlySet<string>; leave(room: string): unknown }, lotId: string): void {
  for (const room of [...socket.rooms]) if (lotOfRoom(room) === lotId) void socket.leave(room);
}

interface Pending {
  /** As the auction published them: packed into the frame as they are. */
  bids: PublishedBid[];
  /** The close instant after the highest-sequence bid of the tick. */
  closesAt: Date | null;
  lastSeq: number;
  extended: boolean;
}

/** lot:extended: the last one sent, and the latest close waiting to be announced. */
interface ExtendedNotice {
  sentAt: number;
  timer: NodeJS.Timeout | null;
  latest: { seq: number; closesAt: Date } | null;
}

/** What goes to a lot's watchers in order: bids, extensions, the close. */
type LotMessage =
  | { event: "bid:accepted"; payload: BidAcceptedEvent }
  | { event: "lot:extended"; payload: LotExtendedEvent }
  | { event: "lot:closed"; payload: LotClosedEvent }
  | { event: "lot:suspended"; payload: LotSuspendedEvent }
  | { event: "lot:resumed"; payload: LotResumedEvent };

interface Outbox {
  queue: LotMessage[];
  sending: boolean;
}

/**
 * At most one lot:extended per lot this often, or every 10 ticks in a crowd whose tick is longer:
 * bid:accepted already carries the close and the flag, the notice is for clients that wait for it.
 */
export const EXTENDED_EVERY_MS = 1000;

export interface FanoutOptions {
  /** The longest tick, ms. */
  maxTickMs?: number;
  /** A message to more local watchers than this goes out shard room by shard room, spread over part of the tick. */
  shardAbove?: number;
}

/**
 * Coalesces what happens on a lot within one tick into one broadcast carrying every bid of the tick,
 * so a closing storm costs a watcher one message per tick, not one per bid. Nothing is dropped:
 * each bid's sequence number lets a client see a gap and ask for the snapshot again.
 *
 * The tick is a leading edge: a bid on a lot that has sent nothing for a tick goes out at once (with
 * the bids published in the same synchronous run: those a transaction accepted together travel together);
 * while bids keep coming, they go out at most once a tick. The tick grows with the room: a crowd of
 * thousands gets fewer, fuller frames.
 *
 * Sending a frame writes to every watcher's socket, and nothing else runs on the node meanwhile
 * (about 25 µs a watcher: 5,000 watchers hold the event loop for a tenth of a second, bids and acks
 * wait behind it). So a message for more than `shardAbove` local watchers goes out shard room by
 * shard room, yielding to the event loop between shards and paced by time over SPREAD_SHARE of the
 * tick, so the burst of writing (and of the receivers' reading) is flatter. Each lot's messages leave
 * in order, each after the one before has reached every shard (one outbox per lot); across nodes the
 * adapter keeps a lot's publishes in order (realtime/adapter.ts).
 *
 * A moved close (D3) travels in the bid:accepted frame (`closesAt`, `extended`); lot:extended is
 * also sent, at most once a second per lot (once every 10 ticks in a crowd), carrying the latest close.
 */
export class LotFanout implements LotPublisher {
  private namespace: Namespace<Record<string, never>, ServerToClientEvents> | null = null;
  private readonly pending = new Map<string, Pending>();
  /** Per lot: the tick's timer, or a marker for a send at the end of this turn's synchronous work. */
  private readonly timers = new Map<string, NodeJS.Timeout | symbol>();
  /** When each lot last sent bid:accepted (performance.now()). */
  private readonly lastSent = new Map<string, number>();
  private readonly notices = new Map<string, ExtendedNotice>();
  private readonly outboxes = new Map<string, Outbox>();
  private readonly maxTickMs: number;
  private readonly shardAbove: number;
  private joins = 0;

  constructor(options: FanoutOptions = {}) {
    this.maxTickMs = options.maxTickMs ?? 500;
    this.shardAbove = options.shardAbove ?? 1000;
  }

  /**
   * About 1 ms per 50 watchers up to 1,000 watchers (20 ms), then growing with the square of the room
   * (2,000 → 80 ms, 5,000 → 500 ms), between 2 ms and the maximum: each frame costs the node a write
   * per watcher, so a crowd gets fewer, fuller frames.
   */
  tickFor(watchers: number): number {
    const linear = watchers / 50;
    return Math.min(this.maxTickMs, Math.max(2, Math.round(linear * Math.max(1, watchers / 1000))));
  }

  attach(namespace: Namespace<Record<string, never>, ServerToClientEvents>): void {
    this.namespace = namespace;
  }

  /** The rooms a new watcher of the lot joins: the lot's, and a shard room (in turn, so shards stay even). */
  roomsFor(lotId: string): string[] {
    return [lotRoom(lotId), shardRoom(lotId, this.joins++ % LOT_SHARDS)];
  }

  bidAccepted(lotId: string, bid: PublishedBid): void {
    const p = this.pending.get(lotId) ?? { bids: [], closesAt: null, lastSeq: -1, extended: false };
    p.bids.push(bid);
    if (bid.seq > p.lastSeq) {
      p.lastSeq = bid.seq;
      p.closesAt = bid.closesAt;
    }
    p.extended ||= bid.extended;
    this.pending.set(lotId, p);
    if (this.timers.has(lotId)) return;
    const wait = (this.lastSent.get(lotId) ?? -Infinity) + this.tickFor(this.localWatchers(lotId)) - performance.now();
    if (wait > 0) return void this.timers.set(lotId, setTimeout(() => this.flush(lotId), wait));
    // Leading edge: once the caller's synchronous work is done (the desk publishes a whole batch in
    // one go, then answers its senders), so the batch travels in one frame, ahead of the acks.
    const marker = Symbol(lotId);
    this.timers.set(lotId, marker);
    queueMicrotask(() => {
      if (this.timers.get(lotId) === marker) this.flush(lotId);
    });
  }

  lotClosed(lotId: string, lot: ClosedLot): void {
    // Whatever is pending goes out first, so the close always follows its last bid; a later
    // lot:extended would only contradict the close.
    this.flush(lotId);
    this.dropNotice(lotId);
    this.lastSent.delete(lotId);
    this.send(lotId, { event: "lot:closed", payload: closedEvent(lotId, lot) });
  }

  lotHeld(lotId: string, hold: HeldLot): void {
    // As at the close: the bids before the hold go out first, and no extension notice follows it.
    this.flush(lotId);
    this.dropNotice(lotId);
    this.send(lotId, { event: "lot:suspended", payload: suspendedEvent(lotId, hold) });
  }

  lotResumed(lotId: string, resumed: ResumedLot): void {
    this.send(lotId, { event: "lot:resumed", payload: resumedEvent(lotId, resumed) });
  }

  /** Sends one lot's pending tick now. */
  flush(lotId: string): void {
    const timer = this.timers.get(lotId);
    if (timer && typeof timer !== "symbol") clearTimeout(timer);
    this.timers.delete(lotId);
    const p = this.pending.get(lotId);
    this.pending.delete(lotId);
    if (!p || p.bids.length === 0 || !this.namespace) return;
    // Bids of one tick may commit out of call order across connections: send them in lot order.
    p.bids.sort((a, b) => a.seq - b.seq);
    const frame = bidFrame(lotId, p.bids, p.closesAt!, p.extended);
    this.send(lotId, { event: "bid:accepted", payload: frame });
    this.lastSent.set(lotId, performance.now());
    if (p.extended) this.extendedNotice(lotId, frame.seq, p.closesAt!);
  }

  /** How many watch the lot on this node. */
  localWatchers(lotId: string): number {
    return this.namespace?.adapter.rooms.get(lotRoom(lotId))?.size ?? 0;
  }

  /** Queues a message for the lot's watchers behind the lot's earlier ones. */
  private send(lotId: string, message: LotMessage): void {
    let box = this.outboxes.get(lotId);
    if (!box) this.outboxes.set(lotId, (box = { queue: [], sending: false }));
    box.queue.push(message);
    if (!box.sending) void this.drain(lotId, box);
  }

  /**
   * Sends the lot's queued messages in order. A room of at most shardAbove local watchers gets each
   * message in one broadcast, at once (this runs synchronously up to the first shard); a larger one
   * gets it shard room by shard room, yielding to the event loop between shards, shard k not before
   * k/LOT_SHARDS of the spread (a shard that is already due waits only for the next turn).
   */
  private async drain(lotId: string, box: Outbox): Promise<void> {
    box.sending = true;
    try {
      for (let message = box.queue.shift(); message; message = box.queue.shift()) {
        const namespace = this.namespace;
        if (!namespace) continue;
        const emit = (room: string) => (namespace.to(room).emit as (event: string, payload: unknown) => boolean)(message.event, message.payload);
        if (this.localWatchers(lotId) <= this.shardAbove) {
          emit(lotRoom(lotId));
          continue;
        }
        const start = performance.now();
        const spread = SPREAD_SHARE * this.tickFor(this.localWatchers(lotId));
        for (let shard = 0; shard < LOT_SHARDS; shard++) {
          if (shard > 0) {
            const due = start + (shard * spread) / LOT_SHARDS - performance.now();
            await new Promise<void>((resolve) => (due >= 1 ? setTimeout(resolve, Math.ceil(due)) : setImmediate(resolve)));
          }
          emit(shardRoom(lotId, shard));
        }
      }
    } finally {
      box.sending = false;
      this.outboxes.delete(lotId);
    }
  }

  /** D3: lot:extended at once if none went out lately, else the latest close when the interval is up. */
  private extendedNotice(lotId: string, seq: number, closesAt: Date): void {
    let n = this.notices.get(lotId);
    if (!n) this.notices.set(lotId, (n = { sentAt: -Infinity, timer: null, latest: null }));
    n.latest = { seq, closesAt };
    if (n.timer) return;
    const every = Math.max(EXTENDED_EVERY_MS, 10 * this.tickFor(this.localWatchers(lotId)));
    const wait = n.sentAt + every - performance.now();
    if (wait <= 0) return this.sendNotice(lotId, n);
    n.timer = setTimeout(() => this.sendNotice(lotId, n), wait);
  }

  private sendNotice(lotId: string, n: ExtendedNotice): void {
    n.timer = null;
    const latest = n.latest;
    n.latest = null;
    if (!latest) return;
    n.sentAt = performance.now();
    this.send(lotId, { event: "lot:extended", payload: extendedEvent(lotId, latest.seq, latest.closesAt) });
  }

  private dropNotice(lotId: string): void {
    const n = this.notices.get(lotId);
    if (n?.timer) clearTimeout(n.timer);
    this.notices.delete(lotId);
  }

  private readonly watcherTimers = new Map<string, NodeJS.Timeout>();

  /**
   * The lot's watcher count changed (P4: watchers, never registrants). Coalesced to one message a
   * second per lot, so a crowd arriving does not cost a message per arrival per watcher. The count
   * needs no order: it goes to the whole room at once.
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
    for (const lotId of [...this.notices.keys()]) this.dropNotice(lotId);
    for (const timer of this.watcherTimers.values()) clearTimeout(timer);
    this.watcherTimers.clear();
  }
}
