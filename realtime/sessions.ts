import { parse } from "cookie";
import type { Logger } from "pino";
import type { Db } from "../db/client.ts";
import type { Clock } from "../core/clock.ts";
import { findSessionUser, SESSION_COOKIE, SESSION_IDLE_MS, unsealToken, type SessionUser } from "../identity/index.ts";

/** A bid:place reuses its socket's session lookup this long: a sign-out or revocation reaches an open socket within it. */
export const SESSION_CACHE_MS = 1000;
/** The share of the cache's life after which a bid refreshes the lookup in the background. */
const REFRESH_AT = 0.75;

/** The session token of a handshake's cookie; null for none, or one that does not verify. */
export function handshakeToken(cookieHeader: string | undefined, secret: string): string | null {
  return unsealToken(parse(cookieHeader ?? "")[SESSION_COOKIE], secret);
}

interface SessionSocket {
  data: { sessionToken: string | null };
}

interface Lookup {
  user: SessionUser | null;
  /** When it was asked (performance.now()). */
  at: number;
  refreshing: Promise<SessionUser | null> | null;
}

/**
 * Who a socket is signed in as. The session is looked up again on every signed-in event (bid:place:
 * at most `cacheMs` old), so sign-out and revocation reach open sockets too.
 */
export class SocketSessions {
  private readonly lookups = new WeakMap<SessionSocket, Lookup>();
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly cacheMs: number;
  private readonly log: Logger;
  private readonly idleMs: number;

  constructor(db: Db, clock: Clock, log: Logger, cacheMs = SESSION_CACHE_MS, idleMs = SESSION_IDLE_MS) {
    this.db = db;
    this.clock = clock;
    this.log = log;
    this.cacheMs = cacheMs;
    this.idleMs = idleMs;
  }

  /** Asks the database now. */
  current(socket: SessionSocket): Promise<SessionUser | null> {
    // A signed-in socket event counts as use of the session, as a page request does.
    return findSessionUser(this.db, this.clock, socket.data.sessionToken, { idleMs: this.idleMs });
  }

  /**
   * For bid:place: the socket's lookup is reused while it is younger than cacheMs (real time), and
   * refreshed in the background once it is three quarters that old: a socket that keeps bidding
   * costs about one query a second and its bids do not wait for it, yet a sign-out or revocation
   * stops its bids within cacheMs. The answer is only a gate: the bid itself re-reads the
   * registration under the lot lock.
   */
  async recent(socket: SessionSocket): Promise<SessionUser | null> {
    if (!socket.data.sessionToken) return null;
    const cached = this.lookups.get(socket);
    const age = performance.now() - (cached?.at ?? -Infinity);
    if (!cached || age >= this.cacheMs) return cached?.refreshing ?? this.refresh(socket, cached);
    if (age >= this.cacheMs * REFRESH_AT && !cached.refreshing) this.refresh(socket, cached).catch((error: unknown) => this.log.warn({ err: error }, "session refresh failed"));
    return cached.user;
  }

  /** Looks the session up again; the newest answer wins. */
  private refresh(socket: SessionSocket, cached: Lookup | undefined): Promise<SessionUser | null> {
    const at = performance.now();
    const lookup = this.current(socket).then(
      (user) => {
        if ((this.lookups.get(socket)?.at ?? -Infinity) <= at) this.lookups.set(socket, { user, at, refreshing: null });
        return user;
      },
      (error: unknown) => {
        const entry = this.lookups.get(socket);
        if (entry?.refreshing === lookup) entry.refreshing = null;
        throw error;
      },
    );
    if (cached) cached.refreshing = lookup;
    return lookup;
  }
}
