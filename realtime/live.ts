import type { IncomingMessage, Server as HttpServer } from "node:http";
import { parse } from "cookie";
import { Server, type ServerOptions, type Socket } from "socket.io";
import { z } from "zod";
import type { Logger } from "pino";
import type { Db } from "../db/client.ts";
import type { Clock } from "../core/clock.ts";
import { errorMessage, isAppError, type ErrorCode } from "../core/errors.ts";
import { authorize, findSessionUser, SESSION_COOKIE, unsealToken, type SessionUser } from "../identity/index.ts";
import { BidDesk, bidSchema, lotSnapshot, publicBid, type BidDeskOptions } from "../auction/index.ts";
import type { Ack, ClientToServerEvents, LotSnapshotWire, ServerToClientEvents, SocketData } from "../core/live-events.ts";
import { lotOfRoom, lotRoom, wireBid, type LotFanout } from "./fanout.ts";

export interface LiveDeps {
  db: Db;
  clock: Clock;
  sessionSecret: string;
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
}

/** A bid:place reuses its socket's session lookup this long: a sign-out or revocation reaches an open socket within it. */
export const SESSION_CACHE_MS = 1000;
/** The share of SESSION_CACHE_MS after which a bid refreshes the lookup in the background. */
const REFRESH_AT = 0.75;

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/**
 * A browser always sends Origin on a cross-site socket; a page from another site must not open one
 * with the visitor's cookie. Clients that send no Origin (not browsers) are let through: they carry
 * no ambient cookie.
 */
export function originAllowed(req: IncomingMessage, allowed: string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

const refuse = (ack: Ack<never>, code: ErrorCode | "RATE_LIMITED") => ack({ ok: false, code, message: errorMessage(code, "zh-CN") });

const joinSchema = z.object({ lotId: z.uuid() });
const bidPayloadSchema = z.object({ lotId: z.uuid(), amountFen: z.string(), clientBidId: z.string() });

/** Leaves the lot's room and its shard room. */
function leaveLot(socket: LiveSocket, lotId: string): void {
  for (const room of [...socket.rooms]) if (lotOfRoom(room) === lotId) void socket.leave(room);
}

/** Socket.IO on the site's HTTP server: namespace /live, authenticated from the session cookie. */
export function attachLive(httpServer: HttpServer, deps: LiveDeps): Server {
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(httpServer, {
    serveClient: false,
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
    allowRequest: (req, callback) => callback(originAllowed(req, deps.allowedOrigins) ? null : "ORIGIN_REJECTED", originAllowed(req, deps.allowedOrigins)),
  });
  const live = io.of("/live");
  deps.fanout.attach(live);
  const ratePerSecond = deps.bidRatePerSecond ?? 10;
  // Bids wait for their lot in one queue per lot on this node and are decided in batches; each
  // batch publishes its accepted bids to the fan-out after commit, in sequence order (ADR 010).
  const desk = new BidDesk(deps.db, deps.clock, deps.fanout, { onPublishError: (err, lotId) => deps.log.error({ err, lotId }, "publishing accepted bids failed"), ...deps.desk });
  const sessionCacheMs = deps.sessionCacheMs ?? SESSION_CACHE_MS;
  const sessions = new WeakMap<LiveSocket, { user: SessionUser | null; at: number; refreshing: Promise<SessionUser | null> | null }>();

  live.use((socket, next) => {
    const cookies = parse(socket.handshake.headers.cookie ?? "");
    socket.data.sessionToken = unsealToken(cookies[SESSION_COOKIE], deps.sessionSecret);
    socket.data.bidTimes = [];
    next();
  });

  // The session is looked up again on every signed-in event (bid:place: at most a second old, see below), so sign-out and revocation reach open sockets too.
  const signedIn = (socket: LiveSocket): Promise<SessionUser | null> => findSessionUser(deps.db, deps.clock, socket.data.sessionToken);
  /**
   * For bid:place, a socket's lookup is reused while it is younger than sessionCacheMs (real time),
   * and refreshed in the background once it is three quarters that old: a socket that keeps bidding
   * costs about one query a second and its bids do not wait for it, yet a sign-out or revocation
   * stops its bids within sessionCacheMs. The answer is only a gate: the bid itself re-reads the registration
   * under the lot lock.
   */
  const signedInRecently = async (socket: LiveSocket): Promise<SessionUser | null> => {
    if (!socket.data.sessionToken) return null;
    const now = performance.now();
    const cached = sessions.get(socket);
    const refresh = () => {
      const at = performance.now();
      const lookup = signedIn(socket).then(
        (user) => {
          if ((sessions.get(socket)?.at ?? -Infinity) <= at) sessions.set(socket, { user, at, refreshing: null });
          return user;
        },
        (error: unknown) => {
          const entry = sessions.get(socket);
          if (entry?.refreshing === lookup) entry.refreshing = null;
          throw error;
        },
      );
      if (cached) cached.refreshing = lookup;
      return lookup;
    };
    if (!cached || now - cached.at >= sessionCacheMs) return cached?.refreshing ?? refresh();
    if (now - cached.at >= sessionCacheMs * REFRESH_AT && !cached.refreshing) refresh().catch((error: unknown) => deps.log.warn({ err: error }, "session refresh failed"));
    return cached.user;
  };

  /** Runs a handler; a thrown AppError becomes its code in the ack, anything else INTERNAL (logged). */
  const guarded = async (ack: Ack<never>, event: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (error) {
      if (isAppError(error)) return refuse(ack, error.code);
      deps.log.error({ err: error, event }, "live handler failed");
      refuse(ack, "INTERNAL");
    }
  };

  const rateLimited = (socket: LiveSocket): boolean => {
    const now = Date.now();
    socket.data.bidTimes = socket.data.bidTimes.filter((t) => now - t < 1000);
    if (socket.data.bidTimes.length >= ratePerSecond) return true;
    socket.data.bidTimes.push(now);
    return false;
  };

  live.on("connection", (socket) => {
    socket.on("time:sync", (ack) => {
      if (typeof ack !== "function") return;
      ack({ ok: true, data: { now: deps.clock.now().toISOString() } });
    });

    socket.on("session:whoami", async (ack) => {
      if (typeof ack !== "function") return;
      await guarded(ack as Ack<never>, "session:whoami", async () => {
        const user = await signedIn(socket);
        if (!user) return refuse(ack as Ack<never>, "UNAUTHENTICATED");
        ack({ ok: true, data: { userId: user.id, displayName: user.displayName, role: user.role } });
      });
    });

    // Anyone may watch; the snapshot carries bids by code only (P4).
    socket.on("lot:join", async (payload, ack) => {
      if (typeof ack !== "function") return;
      await guarded(ack as Ack<never>, "lot:join", async () => {
        const parsed = joinSchema.safeParse(payload);
        if (!parsed.success) return refuse(ack as Ack<never>, "VALIDATION_FAILED");
        const { lotId } = parsed.data;
        // Join before reading, so nothing committed between the read and the join is missed.
        // Joining again (a resync) keeps the socket's rooms as they are.
        if (!socket.rooms.has(lotRoom(lotId))) await socket.join(deps.fanout.roomsFor(lotId));
        const snapshot = await lotSnapshot(deps.db, deps.clock, lotId);
        if (!snapshot) {
          leaveLot(socket, lotId);
          return refuse(ack as Ack<never>, "NOT_FOUND");
        }
        const wire: LotSnapshotWire = {
          lotId,
          seq: snapshot.seq,
          phase: snapshot.phase,
          startingPriceFen: snapshot.startingPriceFen.toString(),
          incrementFen: snapshot.incrementFen.toString(),
          currentPriceFen: snapshot.currentPriceFen?.toString() ?? null,
          biddingStartsAt: snapshot.biddingStartsAt.toISOString(),
          closesAt: snapshot.closesAt.toISOString(),
          serverTime: snapshot.serverTime.toISOString(),
          bids: snapshot.bids.map(wireBid),
          bidCount: snapshot.bidCount,
          watchers: live.adapter.rooms.get(lotRoom(lotId))?.size ?? 1,
        };
        ack({ ok: true, data: wire });
        deps.fanout.watchersChanged(lotId);
      });
    });

    socket.on("lot:leave", (payload) => {
      const parsed = joinSchema.safeParse(payload);
      if (!parsed.success) return;
      leaveLot(socket, parsed.data.lotId);
      deps.fanout.watchersChanged(parsed.data.lotId);
    });

    socket.on("disconnecting", () => {
      for (const room of socket.rooms) if (room.startsWith("lot:") && lotOfRoom(room) === room.slice(4)) deps.fanout.watchersChanged(room.slice(4));
    });

    socket.on("bid:place", async (payload, ack) => {
      if (typeof ack !== "function") return;
      await guarded(ack as Ack<never>, "bid:place", async () => {
        if (rateLimited(socket)) return refuse(ack as Ack<never>, "RATE_LIMITED");
        const shape = bidPayloadSchema.safeParse(payload);
        if (!shape.success) return refuse(ack as Ack<never>, "VALIDATION_FAILED");
        const input = bidSchema.safeParse({ amountFen: shape.data.amountFen, clientBidId: shape.data.clientBidId });
        if (!input.success) return refuse(ack as Ack<never>, input.error.issues.some((i) => i.path[0] === "amountFen") ? "INVALID_AMOUNT" : "VALIDATION_FAILED");
        // The one authorization call, before the bid waits in the queue (placeBids asks it again, per bid).
        const user = authorize(await signedInRecently(socket), "lots.bid");
        // Answered after commit; the batch has published the bid by then (a replay: the first time).
        const bid = await desk.place(user, shape.data.lotId, input.data);
        ack({ ok: true, data: { bid: wireBid(publicBid(bid)), closesAt: bid.closesAt.toISOString(), extended: bid.extended, replay: bid.replay } });
      });
    });
  });
  return io;
}
