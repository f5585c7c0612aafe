import type { Db } from "../db/client.ts";
import type { Clock } from "../core/clock.ts";
import { AppError, isAppError } from "../core/errors.ts";
import type { SessionUser } from "../identity/index.ts";
import { placeBids, placeBidsOn, releaseBidConnection, reserveBidConnection, type AcceptedBid, type BidAnswer, type BidConnection, type BidInput, type BidRequest, type PublishOptions } from "./bidding.ts";
import type { LotPublisher, PublishErrorHandler } from "./publisher.ts";

// The bid desk: one queue per lot on this node (ADR 010).

export interface BidDeskOptions {
  /** The most bids one transaction decides. */
  maxBatch?: number;
  /** A bid that could not be decided within about this long is answered BID_BUSY at once instead. */
  busyAfterMs?: number;
  /**
   * While a lot's bids trickle in (the last batch decided one or two), the next batch waits this long
   * for more: fewer, fuller transactions, less work for the node and the database. A bid on an idle
   * lot never waits, nor does a batch when bids come faster than batches.
   */
  lingerMs?: number;
  /**
   * Told when the publisher throws. The bids are committed by then: their senders still get their
   * answers and the lot's next batch still runs; watchers see a gap in the sequence and fetch the
   * snapshot again. By default the error is written to the console.
   */
  onPublishError?: PublishErrorHandler;
}

/** The desk lingers only after a batch of at most this many bids, and while no more than this many wait. */
const LINGER_AFTER = 2;

interface Waiting extends BidRequest {
  resolve(bid: AcceptedBid): void;
  reject(error: unknown): void;
}

interface Line {
  waiting: Waiting[];
  /** When the batch in flight started (performance.now()); null when none is. */
  since: number | null;
  /** Recent batch duration, ms (moving average). */
  batchMs: number;
}

/**
 * Takes the bids of this node's sockets and decides those waiting for the same lot together: while
 * one transaction holds a lot, the bids that arrive for it wait, in arrival order, and the next
 * transaction decides all of them (`placeBids`). A lone bid goes at once, in a batch of one. So a
 * lot's bids cost one lot lock, one audit append and two round trips per batch instead of per bid, and
 * they reach the lot lock in the order they reached this node.
 *
 * Each batch publishes its accepted bids after commit (placeBidsOn), then the desk answers each sender.
 * Other nodes and the HTML form take the same lot lock, so they interleave safely with the batches.
 *
 * Admission: a bid that finds more waiting than the desk can decide within `busyAfterMs` (judged by
 * how long recent batches took) is answered BID_BUSY at once: nothing was written, the sender may
 * send it again, and no one waits half a minute for an answer.
 */
export class BidDesk {
  private readonly lines = new Map<string, Line>();
  private readonly maxBatch: number;
  private readonly busyAfterMs: number;
  private readonly lingerMs: number;
  private readonly publishing: PublishOptions;
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly publisher: LotPublisher;

  constructor(db: Db, clock: Clock, publisher: LotPublisher, options: BidDeskOptions = {}) {
    this.db = db;
    this.clock = clock;
    this.publisher = publisher;
    this.maxBatch = options.maxBatch ?? 256;
    this.busyAfterMs = options.busyAfterMs ?? 100;
    this.lingerMs = options.lingerMs ?? 3;
    this.publishing = { onPublishError: options.onPublishError };
  }

  place(actor: SessionUser, lotId: string, input: BidInput): Promise<AcceptedBid> {
    let line = this.lines.get(lotId);
    if (!line) this.lines.set(lotId, (line = { waiting: [], since: null, batchMs: 0 }));
    if (line.since !== null && line.waiting.length >= this.capacity(line)) return Promise.reject(new AppError("BID_BUSY"));
    const promise = new Promise<AcceptedBid>((resolve, reject) => line.waiting.push({ actor, input, resolve, reject }));
    if (line.since === null) void this.run(lotId, line);
    return promise;
  }

  /** How many waiting bids the batches can decide within busyAfterMs; never fewer than one batch. */
  private capacity(line: Line): number {
    const running = line.since === null ? 0 : performance.now() - line.since;
    const perBatch = Math.max(1, line.batchMs, running);
    return Math.max(this.maxBatch, Math.floor((this.busyAfterMs / perBatch) * this.maxBatch));
  }

  private async run(lotId: string, line: Line): Promise<void> {
    line.since = performance.now();
    // One connection for as long as the lot's bids keep coming: batches follow each other without
    // waiting for a free connection of the pool (sessions and snapshots use it too).
    let c: BidConnection | null = null;
    try {
      for (let last = Infinity; line.waiting.length > 0; ) {
        // A trickle (the last batch decided one or two bids): wait a moment for more, unless the
        // waiting bids make a fair batch already.
        if (last <= LINGER_AFTER && this.lingerMs > 0 && line.waiting.length <= LINGER_AFTER) await new Promise((resolve) => setTimeout(resolve, this.lingerMs));
        const batch = line.waiting.splice(0, this.maxBatch);
        last = batch.length;
        line.since = performance.now();
        let answers: (BidAnswer | { ok: false; error: unknown })[];
        try {
          c ??= await reserveBidConnection(this.db);
          // Published after commit, in sequence order, before the senders hear (a publisher that
          // throws is reported, so the answers below and the bids waiting behind still go ahead).
          answers = await placeBidsOn(c, this.clock, this.publisher, lotId, batch, this.publishing);
        } catch (error) {
          // Not a refusal: the connection or the database failed. Let go of the connection, then try
          // each bid alone on a fresh one, so one bid's failure is not every bid's.
          if (c) releaseBidConnection(c);
          c = null;
          answers = await this.oneByOne(lotId, batch, error);
        }
        const ms = performance.now() - line.since;
        line.batchMs = line.batchMs === 0 ? ms : line.batchMs * 0.8 + ms * 0.2;
        answers.forEach((a, i) => (a.ok ? batch[i]!.resolve(a.bid) : batch[i]!.reject(a.error)));
      }
    } finally {
      // Given back as soon as the lot's bids stop: a reserved connection kept idle could die unseen,
      // and postgres.js 3.4.9 crashes the process when such a connection is used (porsager/postgres#1208).
      c?.release();
      line.since = null;
      this.lines.delete(lotId);
    }
  }

  /**
   * A failed batch, again bid by bid (a lone bid too: when the connection was lost with the COMMIT's
   * answer, the bids may be committed, and the retry answers them as what they are, never twice,
   * and publishes them, replays too: nobody did when they committed); a bid that fails alone gets
   * the error.
   */
  private async oneByOne(lotId: string, batch: Waiting[], error: unknown): Promise<(BidAnswer | { ok: false; error: unknown })[]> {
    if (isAppError(error)) return batch.map(() => ({ ok: false as const, error }));
    const answers: (BidAnswer | { ok: false; error: unknown })[] = [];
    for (const bid of batch) {
      try {
        answers.push((await placeBids(this.db, this.clock, this.publisher, lotId, [bid], { ...this.publishing, publishReplays: true }))[0]!);
      } catch (alone) {
        answers.push({ ok: false, error: alone });
      }
    }
    return answers;
  }
}
