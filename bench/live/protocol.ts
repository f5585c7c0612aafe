/** Messages between the orchestrator (run.ts) and the load generator (load.ts), over the child's IPC channel. */
import type { Summary } from "./stats.ts";

export type Command =
  | { kind: "signIn"; url: string; username: string; password: string }
  | { kind: "setCookies"; cookies: string[] }
  /** Opens (replacing) the bidder set `set`: `perBidder` sockets (default 1) per cookie of the first `count`, or `count` anonymous ones. */
  | { kind: "openBidders"; set: string; url: string; count: number; anonymous: boolean; perBidder?: number }
  | { kind: "closeBidders"; set?: string }
  /** Opens `count` watchers on `url`, each joining the lot's room; `group` names them for the results. */
  | { kind: "openWatchers"; url: string; count: number; lotId: string; group: string; batch: number }
  | { kind: "closeWatchers"; group?: string }
  | { kind: "r1Round"; set: string; lotId: string; concurrency: number; durationMs: number; basePriceFen: string; incrementFen: string; tag: string; perSocketPerSecond: number; probeUrl?: string }
  /** Bids from the bidder set `set`; only the watchers of `groups` are measured; `poolAs` also pools their samples under that name. */
  | { kind: "scheduled"; set: string; groups: string[]; poolAs?: string; lotId: string; rate: number; durationMs: number; basePriceFen: string; incrementFen: string; baseSeq: number; drainMs: number; tag: string; probeUrl?: string }
  /** The pooled bid-to-screen samples of every run with poolAs = name. */
  | { kind: "pooled"; name: string }
  | { kind: "exit" };

export interface Request {
  id: number;
  command: Command;
}

export type Response = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export interface OpenResult {
  opened: number;
  failed: number;
  firstError: string | null;
  ms: number;
}

export interface R1RoundResult {
  attempted: number;
  accepted: number;
  refused: Record<string, number>;
  elapsedMs: number;
  ack: Summary;
  /** Time workers spent waiting for a bidder socket under the per-socket rate limit (client-side limit). */
  starvedMs: number;
  /** time:sync round trips on an idle socket during the round: the server's event-loop lag. */
  probe: Summary;
}

export interface GroupResult {
  group: string;
  watchers: number;
  /** (watcher, bid) pairs: one sample per accepted bid per watcher. */
  screen: Summary;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  messages: number;
  disconnects: number;
}

export interface ScheduledResult {
  sent: number;
  accepted: number;
  refused: Record<string, number>;
  /** Ack latency from the scheduled send time. */
  ack: Summary;
  /** How late the sender itself was against the schedule (the load generator's own lag). */
  sendLag: Summary;
  groups: GroupResult[];
  drained: boolean;
  elapsedMs: number;
  /** time:sync round trips on an idle socket during the run: the server's event-loop lag. */
  probe: Summary;
}
