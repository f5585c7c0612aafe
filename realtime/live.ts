import type { IncomingMessage, Server as HttpServer } from "node:http";
import { Server, type ServerOptions } from "socket.io";
import type { Logger } from "pino";
import type { Db } from "../db/client.ts";
import type { Clock } from "../core/clock.ts";
import { BidDesk, type BidDeskOptions } from "../auction/index.ts";
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from "../core/live-events.ts";
import type { LotFanout } from "./fanout.ts";
import { handshakeToken, SocketSessions } from "./sessions.ts";
import { listen, liveHandlers } from "./handlers/index.ts";
import { ConnectionCounts, DEFAULT_LIVE_LIMITS, type LiveLimits } from "./limits.ts";

export { SESSION_CACHE_MS } from "./sessions.ts";

export interface LiveDeps {
  db: Db;
  clock: Clock;
  sessionSecret: string;
  /** Sessions unused this long have ended (SESSION_IDLE_MINUTES); default 30 minutes. */
  sessionIdleMs?: number;
  /** Origins allowed besides the site's own. */
  allowedOrigins: string[];
  log: Logger;
  fanout: LotFanout;
  /** bid:place calls allowed per socket per second. */
  bidRatePerSecond?: number;
  /** Cross-node rooms (realtime/adapter.ts); absent: in-memory rooms, one node. */
  adapter?: ServerOptions["adapter"] | null;
  /** The per-lot bid queue's batch size and admission (auction/bid-desk.ts). */
  desk?: BidDeskOptions;
  /** How long a socket's session lookup is reused for bid:place, ms (0: every time). */
  sessionCacheMs?: number;
  /**
   * The site's own origin as this request addressed it (scheme, host, port; the server derives it behind a
   * trusted proxy too, server/origin-guard.ts). Absent: http and the Host header.
   */
  siteOrigin?: (req: IncomingMessage) => string | null;
  /** The client's address (behind a trusted proxy, from X-Forwarded-For). Absent: the peer's address. */
  clientAddress?: (req: IncomingMessage) => string;
  /** Per-address connections and per-socket request rates (realtime/limits.ts). */
  limits?: Partial<LiveLimits>;
}

function hostOrigin(req: IncomingMessage): string | null {
  try {
    return new URL(`http://${req.headers.host ?? ""}`).origin;
  } catch {
    return null;
  }
}

/**
 * A browser always sends Origin on a cross-site socket; a page from another site must not open one
 * with the visitor's cookie. Clients that send no Origin (not browsers) are let through: they carry
 * no ambient cookie.
 */
export function originAllowed(req: IncomingMessage, allowed: string[], siteOrigin: (req: IncomingMessage) => string | null = hostOrigin): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (origin === "null") return false;
  // The whole origin: https against http, or another port on the same host, is another origin.
  return allowed.includes(origin) || origin === siteOrigin(req);
}

/**
 * Socket.IO on the site's HTTP server: namespace /live, authenticated from the session cookie. Its
 * events are handled one module each (realtime/handlers/), made once from the components here.
 */
/** The Socket.IO server with the /live protocol's event maps. */
export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export function attachLive(httpServer: HttpServer, deps: LiveDeps): LiveServer {
  const limits = { ...DEFAULT_LIVE_LIMITS, ...deps.limits };
  const addressOf = deps.clientAddress ?? ((req: IncomingMessage) => req.socket.remoteAddress ?? "");
  const connections = new ConnectionCounts(limits.connectionsPerAddress);
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(httpServer, {
    serveClient: false,
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
    // Asked once per new connection (not for its later requests).
    allowRequest: (req, callback) => {
      if (!originAllowed(req, deps.allowedOrigins, deps.siteOrigin)) return callback("ORIGIN_REJECTED", false);
      if (!connections.admits(addressOf(req))) return callback("RATE_LIMITED", false);
      callback(null, true);
    },
  });
  io.engine.on("connection", (conn: { request: IncomingMessage; once(event: "close", listener: () => void): void }) => {
    const address = addressOf(conn.request);
    connections.opened(address);
    conn.once("close", () => connections.closed(address));
  });
  const live = io.of("/live");
  deps.fanout.attach(live);
  const handlers = liveHandlers({
    db: deps.db,
    clock: deps.clock,
    log: deps.log,
    fanout: deps.fanout,
    // Bids wait for their lot in one queue per lot on this node and are decided in batches; each
    // batch publishes its accepted bids to the fan-out after commit, in sequence order (ADR 010).
    desk: new BidDesk(deps.db, deps.clock, deps.fanout, { onPublishError: (err, lotId) => deps.log.error({ err, lotId }, "publishing accepted bids failed"), ...deps.desk }),
    sessions: new SocketSessions(deps.db, deps.clock, deps.log, deps.sessionCacheMs, deps.sessionIdleMs),
    bidRatePerSecond: deps.bidRatePerSecond ?? 10,
    limits,
  });

  live.use((socket, next) => {
    socket.data.sessionToken = handshakeToken(socket.handshake.headers.cookie, deps.sessionSecret);
    socket.data.bidTimes = [];
    next();
  });
  live.on("connection", (socket) => listen(socket, handlers, deps.log));
  return io;
}
