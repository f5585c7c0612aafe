/**
 * What-if (bench only, `--profile`): preloaded into the app server (`node --import`), changes
 * realtime/fanout.ts' tick from "the first bid starts a 50 ms timer" to a leading edge: a bid goes out
 * at once when the lot has sent nothing for a tick and no earlier sequence number is still missing;
 * otherwise it waits for the rest of the tick as today. Still at most one message per lot per tick,
 * still in sequence order, but a lone bid no longer waits 50 ms.
 */
import { LotFanout } from "../../../realtime/fanout.ts";
import type { BidView } from "../../../auction/index.ts";

interface Internals {
  pending: Map<string, { bids: { seq: number }[] }>;
  timers: Map<string, NodeJS.Timeout>;
  tickMs: number;
}
interface Sent {
  at: number;
  seq: number;
}

const sent = new WeakMap<LotFanout, Map<string, Sent>>();
const sentOf = (f: LotFanout) => sent.get(f) ?? (sent.set(f, new Map()), sent.get(f)!);

const originalAccepted = LotFanout.prototype.bidAccepted;
const originalFlush = LotFanout.prototype.flush;

LotFanout.prototype.flush = function (this: LotFanout, lotId: string) {
  const self = this as unknown as Internals;
  const bids = self.pending.get(lotId)?.bids ?? [];
  originalFlush.call(this, lotId);
  if (bids.length === 0) return;
  const last = sentOf(this).get(lotId);
  sentOf(this).set(lotId, { at: Date.now(), seq: Math.max(last?.seq ?? 0, ...bids.map((b) => b.seq)) });
};

LotFanout.prototype.bidAccepted = function (this: LotFanout, lotId: string, bid: BidView, closesAt: Date, extended: boolean) {
  const self = this as unknown as Internals;
  const hadTimer = self.timers.has(lotId);
  // Queues the bid (and starts a full tick's timer if none was running), exactly as today…
  originalAccepted.call(this, lotId, bid, closesAt, extended);
  const last = sentOf(this).get(lotId);
  const since = last ? Date.now() - last.at : Infinity;
  const seqs = self.pending.get(lotId)!.bids.map((b) => b.seq).sort((a, b) => a - b);
  const contiguous = last === undefined || seqs.every((s, i) => s === last.seq + 1 + i);
  // …then sends at once if a tick has passed since the last message and nothing earlier is missing,
  if (since >= self.tickMs && contiguous) return this.flush(lotId);
  // …or shortens a fresh timer to the rest of the tick when only the rate limit holds it back.
  if (!hadTimer && contiguous && since < self.tickMs) {
    clearTimeout(self.timers.get(lotId));
    self.timers.set(lotId, setTimeout(() => this.flush(lotId), self.tickMs - since));
  }
};
