/**
 * The load generator: its own process, driven by run.ts over IPC. Opens Socket.IO clients (bidders
 * and watchers) and sends bids — in a closed loop for R1, on a fixed schedule for the latency runs —
 * and measures ack latency and bid-to-screen latency from the scheduled send time.
 *
 * Two event loops: the bidders (and the probe) here, the watchers in a worker thread (crowd.ts), so
 * that a crowd's thousands of frames a tick do not hold back the bidders' sends and acks. Due times
 * and arrivals are absolute instants (performance.timeOrigin + now), one clock for both threads.
 */
import { Worker } from "node:worker_threads";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../core/live-events.ts";
import type { CrowdCommand, CrowdResponse } from "./crowd.ts";
import type { Command, GroupResult, OpenResult, R1RoundResult, Request, Response, ScheduledResult } from "./protocol.ts";
import { summarize, type Summary } from "./stats.ts";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Bidder {
  socket: Client;
  sends: number[];
}

let cookies: string[] = [];
/** Bidder sockets by set name (e.g. one set per server). */
const bidderSets = new Map<string, Bidder[]>();

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const now = () => performance.timeOrigin + performance.now();

/** The watchers' thread. */
const crowdWorker = new Worker(new URL("./crowd.ts", import.meta.url));
let crowdIds = 1;
const crowdPending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
crowdWorker.on("message", (m: CrowdResponse) => {
  const p = crowdPending.get(m.id);
  crowdPending.delete(m.id);
  if (m.ok) p?.resolve(m.result);
  else p?.reject(new Error(`crowd: ${m.error}`));
});
crowdWorker.on("error", (error) => {
  for (const p of crowdPending.values()) p.reject(error);
  crowdPending.clear();
});
function crowd<T>(command: CrowdCommand): Promise<T> {
  const id = crowdIds++;
  return new Promise<T>((resolve, reject) => {
    crowdPending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    crowdWorker.postMessage({ id, command });
  });
}

function open(url: string, cookie: string | null): Promise<Client> {
  const socket: Client = io(`${url}/live`, {
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
    timeout: 30_000,
    extraHeaders: cookie ? { cookie } : {},
  });
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

async function signIn(url: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${url}/sign-in`, {
    method: "POST",
    body: new URLSearchParams({ username, password }),
    headers: { origin: url },
    redirect: "manual",
  });
  if (response.status !== 302) throw new Error(`sign-in of ${username} answered ${response.status}`);
  const sid = response.headers
    .getSetCookie()
    .map((line) => line.split(";")[0]!)
    .find((pair) => pair.startsWith("sid="));
  if (!sid) throw new Error("sign-in set no sid cookie");
  return sid;
}

async function openBidders(set: string, url: string, count: number, anonymous: boolean, perBidder = 1): Promise<OpenResult> {
  closeBidders(set);
  const bidders: Bidder[] = [];
  bidderSets.set(set, bidders);
  const start = performance.now();
  const mine = anonymous ? Array.from({ length: count }, () => null) : cookies.slice(0, count);
  if (mine.length < count) throw new Error(`only ${cookies.length} bidder cookies for ${count} bidders`);
  // Round after round of every bidder, so that sockets next to each other are different bidders.
  const list = Array.from({ length: perBidder }, () => mine).flat();
  let failed = 0;
  let firstError: string | null = null;
  const opened: (Bidder | undefined)[] = [];
  await inBatches(
    list.map((cookie, i) => ({ cookie, i })),
    50,
    async ({ cookie, i }) => {
      try {
        opened[i] = { socket: await open(url, cookie), sends: [] };
      } catch (error) {
        failed += 1;
        firstError ??= String(error);
      }
    },
  );
  // In list order (the opens finish in any order).
  for (const b of opened) if (b) bidders.push(b);
  return { opened: bidders.length, failed, firstError, ms: performance.now() - start };
}

function closeBidders(set?: string): void {
  for (const [name, bidders] of bidderSets) {
    if (set !== undefined && name !== set) continue;
    for (const b of bidders) b.socket.disconnect();
    bidderSets.delete(name);
  }
}

function biddersOf(set: string): Bidder[] {
  const bidders = bidderSets.get(set);
  if (!bidders || bidders.length === 0) throw new Error(`no bidder sockets in set ${set}`);
  return bidders;
}

/**
 * The server's event-loop responsiveness while a run goes on: an anonymous socket asks time:sync
 * (answered synchronously by the server) every 25 ms and records the round trip.
 */
async function startProbe(url: string | undefined): Promise<() => number[]> {
  if (!url) return () => [];
  const socket = await open(url, null);
  const rtts: number[] = [];
  let running = true;
  const loop = async () => {
    while (running) {
      const t0 = performance.now();
      try {
        await socket.timeout(10_000).emitWithAck("time:sync");
        rtts.push(performance.now() - t0);
      } catch {
        rtts.push(10_000);
      }
      await sleep(25);
    }
  };
  const done = loop();
  return () => {
    running = false;
    void done.finally(() => socket.disconnect());
    return rtts;
  };
}

/** A bidder that may send now: not busy with another bid and under the per-socket rate. */
function eligible(b: Bidder, now: number, perSecond: number): boolean {
  while (b.sends.length > 0 && now - b.sends[0]! >= 1000) b.sends.shift();
  return b.sends.length < perSecond;
}

type PlaceAck = Parameters<Parameters<ClientToServerEvents["bid:place"]>[1]>[0];

function place(b: Bidder, lotId: string, amountFen: bigint, clientBidId: string, timeoutMs = 30_000): Promise<PlaceAck> {
  b.sends.push(performance.now());
  return new Promise((resolve) => {
    b.socket.timeout(timeoutMs).emit("bid:place", { lotId, amountFen: amountFen.toString(), clientBidId }, (error: Error | null, response: PlaceAck) => {
      resolve(error ? { ok: false, code: "ACK_TIMEOUT", message: String(error) } : response);
    });
  });
}

/** R1: `concurrency` bids in flight at all times, for `durationMs`. */
async function r1Round(c: Extract<Command, { kind: "r1Round" }>): Promise<R1RoundResult> {
  const idle = [...biddersOf(c.set)];
  const base = BigInt(c.basePriceFen);
  const increment = BigInt(c.incrementFen);
  let k = 0n;
  let n = 0;
  let starvedMs = 0;
  const acks: number[] = [];
  const result: R1RoundResult = { attempted: 0, accepted: 0, refused: {}, elapsedMs: 0, ack: summarize([]), starvedMs: 0, probe: summarize([]) };
  const stopProbe = await startProbe(c.probeUrl);
  const start = performance.now();
  const end = start + c.durationMs;
  const worker = async () => {
    while (performance.now() < end) {
      const now = performance.now();
      const i = idle.findIndex((b) => eligible(b, now, c.perSocketPerSecond));
      if (i < 0) {
        await sleep(1);
        starvedMs += performance.now() - now;
        continue;
      }
      const [bidder] = idle.splice(i, 1);
      k += 1n;
      const t0 = performance.now();
      const response = await place(bidder!, c.lotId, base + k * increment, `bench-${c.tag}-${++n}`);
      idle.push(bidder!);
      const t1 = performance.now();
      if (t1 > end) break;
      result.attempted += 1;
      if (response.ok) {
        result.accepted += 1;
        acks.push(t1 - t0);
      } else result.refused[response.code] = (result.refused[response.code] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: c.concurrency }, worker));
  result.elapsedMs = Math.min(performance.now(), end) - start;
  result.ack = summarize(acks);
  result.starvedMs = starvedMs;
  result.probe = summarize(stopProbe());
  return result;
}

/**
 * A fixed schedule: bid i is due at start + i / rate (round robin over the bidder sockets), sent late
 * if the generator lags, and every latency is measured from when it was due.
 */
async function scheduled(c: Extract<Command, { kind: "scheduled" }>): Promise<ScheduledResult> {
  const bidders = biddersOf(c.set);
  const total = Math.max(1, Math.round((c.rate * c.durationMs) / 1000));
  await crowd({ kind: "beginPhase", groups: c.groups, baseSeq: c.baseSeq, cap: total + 1000 });

  const base = BigInt(c.basePriceFen);
  const increment = BigInt(c.incrementFen);
  const due = new Float64Array(total);
  const lag: number[] = [];
  const ackMs: number[] = [];
  const seqDue = new Map<number, number>();
  const refused: Record<string, number> = {};
  let acked = 0;
  let lastAckAt = 0;
  const interval = 1000 / c.rate;
  const stopProbe = await startProbe(c.probeUrl);
  const start = now() + 20;
  let i = 0;
  while (i < total) {
    const t = now();
    while (i < total && start + i * interval <= t) {
      const index = i++;
      due[index] = start + index * interval;
      lag.push(t - due[index]!);
      const bidder = bidders[index % bidders.length]!;
      void place(bidder, c.lotId, base + BigInt(index + 1) * increment, `bench-${c.tag}-${index}`).then((response) => {
        const at = now();
        acked += 1;
        lastAckAt = at;
        ackMs.push(at - due[index]!);
        if (response.ok) seqDue.set(response.data.bid.seq, due[index]!);
        else refused[response.code] = (refused[response.code] ?? 0) + 1;
      });
    }
    if (i < total) await sleep(Math.max(0, start + i * interval - now()));
  }
  // Every ack (bounded by the emit timeout), then the broadcasts still on their way.
  const ackDeadline = now() + 35_000;
  while (acked < total && now() < ackDeadline) await sleep(10);
  const probe = summarize(stopProbe());
  const { groups, drained } = await crowd<{ groups: GroupResult[]; drained: boolean }>({
    kind: "endPhase",
    seqDue: [...seqDue],
    lastAckAt: Math.max(lastAckAt, start),
    drainMs: c.drainMs,
    ...(c.poolAs ? { poolAs: c.poolAs } : {}),
  });
  const elapsedMs = now() - start;
  return { sent: total, accepted: seqDue.size, refused, ack: summarize(ackMs), sendLag: summarize(lag), groups, drained, elapsedMs, probe };
}

async function handle(command: Command): Promise<unknown> {
  switch (command.kind) {
    case "signIn":
      return signIn(command.url, command.username, command.password);
    case "setCookies":
      cookies = command.cookies;
      return cookies.length;
    case "openBidders":
      return openBidders(command.set, command.url, command.count, command.anonymous, command.perBidder);
    case "closeBidders":
      closeBidders(command.set);
      return null;
    case "pooled":
      return crowd<Summary>({ kind: "pooled", name: command.name });
    case "openWatchers":
      return crowd<OpenResult>(command);
    case "closeWatchers":
      return crowd(command);
    case "r1Round":
      return r1Round(command);
    case "scheduled":
      return scheduled(command);
    case "exit":
      closeBidders();
      await crowd({ kind: "exit" });
      setTimeout(() => process.exit(0), 100);
      return null;
  }
}

process.on("message", (message: Request) => {
  void handle(message.command).then(
    (result) => process.send!({ id: message.id, ok: true, result } satisfies Response),
    (error: unknown) => process.send!({ id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies Response),
  );
});
// The orchestrator is gone: so is the load.
process.on("disconnect", () => process.exit(0));
process.on("SIGINT", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
