// Bounds on what one client may ask of the live layer (configured in server/config.ts, README
// "Configuration"): joins and "who am I" per socket per minute, and open sockets per client address.
// A socket's own counts live with the socket; the per-address count is this node's (a client that spreads
// over nodes gets the cap on each).
import type { LiveSocket } from "./handlers/handler.ts";

export interface LiveLimits {
  /** Sockets one client address may hold open on this node. */
  connectionsPerAddress: number;
  /** lot:join calls per socket per minute (a page joins once, and again after a reconnect). */
  joinsPerMinute: number;
  /** session:whoami calls per socket per minute (each asks the database). */
  whoamiPerMinute: number;
}

export const DEFAULT_LIVE_LIMITS: LiveLimits = { connectionsPerAddress: 100, joinsPerMinute: 60, whoamiPerMinute: 30 };

const WINDOW_MS = 60_000;
const recent = new WeakMap<LiveSocket, Map<string, number[]>>();

/** Counts one call of `event` on the socket; true when it is over `perMinute` in the last minute (the call is refused, not counted). */
export function overRate(socket: LiveSocket, event: string, perMinute: number, now = Date.now()): boolean {
  let events = recent.get(socket);
  if (!events) recent.set(socket, (events = new Map()));
  const times = (events.get(event) ?? []).filter((t) => now - t < WINDOW_MS);
  events.set(event, times);
  if (times.length >= perMinute) return true;
  times.push(now);
  return false;
}

/** Open sockets per client address on this node. */
export class ConnectionCounts {
  private readonly open = new Map<string, number>();
  private readonly cap: number;
  constructor(cap: number) {
    this.cap = cap;
  }

  admits(address: string): boolean {
    return (this.open.get(address) ?? 0) < this.cap;
  }

  opened(address: string): void {
    this.open.set(address, (this.open.get(address) ?? 0) + 1);
  }

  closed(address: string): void {
    const left = (this.open.get(address) ?? 1) - 1;
    if (left <= 0) this.open.delete(address);
    else this.open.set(address, left);
  }
}
