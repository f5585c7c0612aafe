/**
 * The watchers of the load generator (load.ts), in a worker thread of their own: thousands of
 * Socket.IO clients that join a lot and record which bids reach them and when. A crowd of 5,000
 * receives thousands of frames a tick; on the bidders' thread that work would hold back the bidders'
 * sends and the reading of their acks (real bidders do not share a browser with the crowd), so the
 * two run on separate event loops. Instants are absolute (performance.timeOrigin + now), the same
 * clock on both threads.
 */
import { parentPort } from "node:worker_threads";
import { io, type Socket } from "socket.io-client";
import { packedSeqs, type BidAcceptedEvent, type ClientToServerEvents, type ServerToClientEvents } from "../../core/live-events.ts";
import type { GroupResult, OpenResult } from "./protocol.ts";
import { Histogram, type Summary } from "./stats.ts";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export type CrowdCommand =
  | { kind: "openWatchers"; url: string; count: number; lotId: string; group: string; batch: number }
  | { kind: "closeWatchers"; group?: string }
  /** Starts recording the bids with sequence numbers baseSeq+1 … baseSeq+cap for the watchers of `groups`. */
  | { kind: "beginPhase"; groups: string[]; baseSeq: number; cap: number }
  /**
   * Waits until every watcher has every acknowledged bid (or drainMs after the last ack), then gives the
   * bid-to-screen latencies, from each bid's due time, per group.
   */
  | { kind: "endPhase"; seqDue: [number, number][]; lastAckAt: number; drainMs: number; poolAs?: string }
  | { kind: "pooled"; name: string }
  | { kind: "exit" };

export type CrowdResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export const now = () => performance.timeOrigin + performance.now();

interface Watcher {
  socket: Client;
  group: string;
  /** Which bids of the current phase arrived (index: seq − baseSeq − 1). */
  recv: Uint8Array;
  maxSeq: number;
}

interface EventRecord {
  bidSeqs: number[];
  arrivals: Map<string, number[]>;
}

interface GroupCounters {
  duplicated: number;
  outOfOrder: number;
  messages: number;
  disconnects: number;
}

interface Phase {
  groups: string[];
  baseSeq: number;
  cap: number;
  events: Map<number, EventRecord>;
  counters: Map<string, GroupCounters>;
  /** New (watcher, bid) receipts. */
  received: number;
}

const watchers: Watcher[] = [];
/** Bid-to-screen samples pooled over several runs, by name. */
const pooled = new Map<string, Histogram>();
let phase: Phase | null = null;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function counters(group: string): GroupCounters | null {
  if (!phase) return null;
  let c = phase.counters.get(group);
  if (!c) phase.counters.set(group, (c = { duplicated: 0, outOfOrder: 0, messages: 0, disconnects: 0 }));
  return c;
}

/**
 * A watcher's frame. The generator plays thousands of browsers on one core, so it reads the sequence
 * numbers only (walking the packed column); a browser unpacks the whole frame (unpackBids).
 */
function onBids(w: Watcher, event: BidAcceptedEvent): void {
  const at = now();
  const p = phase;
  if (!p || !p.groups.includes(w.group)) return;
  const c = counters(w.group)!;
  c.messages += 1;
  let inRange = false;
  const steps = event.bids.seqStep;
  let seq = event.bids.first.seq;
  for (let k = 0; k <= steps.length; k++) {
    if (k > 0) seq += steps[k - 1]!;
    const i = seq - p.baseSeq - 1;
    if (i < 0 || i >= p.cap) continue;
    inRange = true;
    if (w.recv[i]) {
      c.duplicated += 1;
      continue;
    }
    w.recv[i] = 1;
    p.received += 1;
    if (seq < w.maxSeq) c.outOfOrder += 1;
    else w.maxSeq = seq;
  }
  if (!inRange) return;
  let record = p.events.get(event.seq);
  if (!record) p.events.set(event.seq, (record = { bidSeqs: packedSeqs(event.bids), arrivals: new Map() }));
  let arrivals = record.arrivals.get(w.group);
  if (!arrivals) record.arrivals.set(w.group, (arrivals = []));
  arrivals.push(at);
}

function open(url: string): Promise<Client> {
  const socket: Client = io(`${url}/live`, { transports: ["websocket"], forceNew: true, reconnection: false, timeout: 30_000 });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Runs `fn` over `items` with at most `width` at a time. */
async function inBatches<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) await fn(items[i]!);
    }),
  );
}

async function openWatchers(url: string, count: number, lotId: string, group: string, batch: number): Promise<OpenResult> {
  const start = performance.now();
  let failed = 0;
  let firstError: string | null = null;
  await inBatches(
    Array.from({ length: count }, (_, i) => i),
    batch,
    async () => {
      try {
        const socket = await open(url);
        const w: Watcher = { socket, group, recv: new Uint8Array(0), maxSeq: 0 };
        socket.on("bid:accepted", (event) => onBids(w, event));
        socket.on("disconnect", () => {
          const c = phase?.groups.includes(group) ? counters(group) : null;
          if (c) c.disconnects += 1;
        });
        const joined = await socket.timeout(30_000).emitWithAck("lot:join", { lotId });
        if (!joined.ok) throw new Error(`lot:join refused: ${joined.code}`);
        watchers.push(w);
      } catch (error) {
        failed += 1;
        firstError ??= String(error);
      }
    },
  );
  return { opened: watchers.filter((w) => w.group === group).length, failed, firstError, ms: performance.now() - start };
}

function closeWatchers(group?: string): void {
  for (let i = watchers.length - 1; i >= 0; i--) {
    if (group === undefined || watchers[i]!.group === group) {
      watchers[i]!.socket.disconnect();
      watchers.splice(i, 1);
    }
  }
}

function beginPhase(c: Extract<CrowdCommand, { kind: "beginPhase" }>): null {
  for (const w of watchers) {
    if (!c.groups.includes(w.group)) continue;
    w.recv = new Uint8Array(c.cap);
    w.maxSeq = c.baseSeq;
  }
  phase = { groups: c.groups, baseSeq: c.baseSeq, cap: c.cap, events: new Map(), counters: new Map(), received: 0 };
  for (const g of c.groups) counters(g);
  return null;
}

async function endPhase(c: Extract<CrowdCommand, { kind: "endPhase" }>): Promise<{ groups: GroupResult[]; drained: boolean }> {
  const p = phase;
  if (!p) throw new Error("no phase");
  const included = watchers.filter((w) => p.groups.includes(w.group));
  const seqDue = new Map(c.seqDue);
  const expected = seqDue.size * included.length;
  let drained = false;
  for (;;) {
    if (p.received >= expected) {
      drained = true;
      break;
    }
    if (now() - c.lastAckAt > c.drainMs) break;
    await sleep(10);
  }
  phase = null;

  // Bid-to-screen latency: each (watcher, bid) pair, from the bid's due time.
  const groups = p.groups.filter((g) => included.some((w) => w.group === g));
  const histograms = new Map(groups.map((g) => [g, new Histogram()]));
  const pool = c.poolAs ? (pooled.get(c.poolAs) ?? pooled.set(c.poolAs, new Histogram()).get(c.poolAs)!) : null;
  for (const record of p.events.values()) {
    for (const [group, arrivals] of record.arrivals) {
      const h = histograms.get(group);
      if (!h) continue;
      for (const seq of record.bidSeqs) {
        const d = seqDue.get(seq);
        if (d === undefined) continue;
        for (const at of arrivals) {
          h.add(at - d);
          pool?.add(at - d);
        }
      }
    }
  }
  const results: GroupResult[] = groups.map((group) => {
    const members = included.filter((w) => w.group === group);
    let lost = 0;
    for (const w of members) for (const seq of seqDue.keys()) if (!w.recv[seq - p.baseSeq - 1]) lost += 1;
    const k = p.counters.get(group)!;
    return { group, watchers: members.length, screen: histograms.get(group)!.summary(), lost, duplicated: k.duplicated, outOfOrder: k.outOfOrder, messages: k.messages, disconnects: k.disconnects };
  });
  for (const w of included) w.recv = new Uint8Array(0);
  return { groups: results, drained };
}

async function handle(command: CrowdCommand): Promise<unknown> {
  switch (command.kind) {
    case "openWatchers":
      return openWatchers(command.url, command.count, command.lotId, command.group, command.batch);
    case "closeWatchers":
      closeWatchers(command.group);
      return null;
    case "beginPhase":
      return beginPhase(command);
    case "endPhase":
      return endPhase(command);
    case "pooled":
      return (pooled.get(command.name) ?? new Histogram()).summary() satisfies Summary;
    case "exit":
      closeWatchers();
      return null;
  }
}

if (parentPort) {
  const port = parentPort;
  port.on("message", (message: { id: number; command: CrowdCommand }) => {
    void handle(message.command).then(
      (result) => port.postMessage({ id: message.id, ok: true, result } satisfies CrowdResponse),
      (error: unknown) => port.postMessage({ id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies CrowdResponse),
    );
  });
}
