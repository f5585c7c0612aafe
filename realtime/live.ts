import type { IncomingMessage, Server as HttpServer } from "node:http";
import { parse } from "cookie";
import { Server, type Socket } from "socket.io";
import type { Logger } from "pino";
import type { Db } from "../db/client.ts";
import type { Clock } from "../core/clock.ts";
import { errorMessage, type ErrorCode } from "../core/errors.ts";
import { findSessionUser, SESSION_COOKIE, unsealToken, type SessionUser } from "../identity/index.ts";
import type { Ack, ClientToServerEvents, ServerToClientEvents, SocketData } from "./events.ts";

export interface LiveDeps {
  db: Db;
  clock: Clock;
  sessionSecret: string;
  /** Origins allowed besides the site's own. */
  allowedOrigins: string[];
  log: Logger;
}

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

const refuse = (ack: Ack<never>, code: ErrorCode) => ack({ ok: false, code, message: errorMessage(code, "zh-CN") });

/** Socket.IO on the site's HTTP server: namespace /live, authenticated from the session cookie. */
export function attachLive(httpServer: HttpServer, deps: LiveDeps): Server {
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(httpServer, {
    serveClient: false,
    allowRequest: (req, callback) => callback(originAllowed(req, deps.allowedOrigins) ? null : "ORIGIN_REJECTED", originAllowed(req, deps.allowedOrigins)),
  });
  const live = io.of("/live");

  live.use((socket, next) => {
    const cookies = parse(socket.handshake.headers.cookie ?? "");
    socket.data.sessionToken = unsealToken(cookies[SESSION_COOKIE], deps.sessionSecret);
    next();
  });

  // The session is looked up again on every signed-in event, so sign-out and revocation reach open sockets too.
  const signedIn = async (socket: LiveSocket): Promise<SessionUser | null> => findSessionUser(deps.db, deps.clock, socket.data.sessionToken);

  live.on("connection", (socket) => {
    socket.on("time:sync", (ack) => {
      if (typeof ack !== "function") return;
      ack({ ok: true, data: { now: deps.clock.now().toISOString() } });
    });

    socket.on("session:whoami", async (ack) => {
      if (typeof ack !== "function") return;
      try {
        const user = await signedIn(socket);
        if (!user) return refuse(ack, "UNAUTHENTICATED");
        ack({ ok: true, data: { userId: user.id, displayName: user.displayName, role: user.role } });
      } catch (error) {
        deps.log.error({ err: error }, "session:whoami failed");
        refuse(ack, "INTERNAL");
      }
    });
  });
  return io;
}
