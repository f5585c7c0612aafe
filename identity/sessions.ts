import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { and, desc, eq, gt, isNull, ne } from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "../db/client.ts";
import { sessions, users, type Role } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import type { ApiTokenGrant } from "./api-scopes.ts";

export const SESSION_COOKIE = "sid";
/** The absolute lifetime of a session, however much it is used. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** The default idle timeout: a session unused this long ends (SESSION_IDLE_MINUTES in server/config.ts). */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
/**
 * Last use is written at most this often, so a busy page costs no write per request; the idle timeout is therefore
 * exact to within this much.
 */
export const SESSION_TOUCH_MS = 60 * 1000;

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  courtId: string | null;
  agencyId: string | null;
  platformId: string | null;
  sessionId: string;
  /** Present when the request came with an API token instead of a session: `authorize` narrows to its scopes. */
  apiToken?: ApiTokenGrant;
}

/** Where a request came from, recorded on the session for its owner's session list. */
export interface SessionClient {
  ip: string;
  userAgent: string | null;
}

export interface SessionPolicy {
  idleMs: number;
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
const sign = (token: string, secret: string) => createHmac("sha256", secret).update(token).digest("base64url");

/** The cookie value: a random token and its HMAC, so forged cookies are refused without a query. */
export function sealToken(token: string, secret: string): string {
  return `${token}.${sign(token, secret)}`;
}

export function unsealToken(value: string | undefined, secret: string): string | null {
  if (!value) return null;
  const [token, mac] = value.split(".");
  if (!token || !mac) return null;
  const expected = Buffer.from(sign(token, secret));
  const given = Buffer.from(mac);
  return expected.length === given.length && timingSafeEqual(expected, given) ? token : null;
}

/** Creates a session inside the caller's transaction; returns the raw token for the cookie. */
export async function createSession(tx: Tx, clock: Clock, userId: string): Promise<{ id: string; token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  const [row] = await tx
    .insert(sessions)
    .values({ tokenHash: hashToken(token), userId, createdAt: now, expiresAt, lastUsedAt: now })
    .returning({ id: sessions.id });
  return { id: row!.id, token, expiresAt };
}

/** The account's columns a SessionUser carries, whether a session or an API token authenticates it. */
export const sessionUserColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  courtId: users.courtId,
  agencyId: users.agencyId,
  platformId: users.platformId,
};

/**
 * Looks the session up on every request, so a sign-out or an admin's revocation (or a disabled
 * account) takes effect on the very next request, on every node. A session unused for `policy.idleMs` has ended;
 * a used one records its use (and, for a page request, the address and browser) at most once a minute.
 */
export async function findSessionUser(
  db: DbOrTx,
  clock: Clock,
  token: string | null,
  policy: SessionPolicy = { idleMs: SESSION_IDLE_MS },
  client?: SessionClient,
): Promise<SessionUser | null> {
  if (!token) return null;
  const now = clock.now();
  const [row] = await db
    .select({
      sessionId: sessions.id,
      ...sessionUserColumns,
      lastUsedAt: sessions.lastUsedAt,
      ip: sessions.ip,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.tokenHash, hashToken(token)),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
        gt(sessions.lastUsedAt, new Date(now.getTime() - policy.idleMs)),
        eq(users.disabled, false),
      ),
    )
    .limit(1);
  if (!row) return null;
  const { lastUsedAt, ip, ...user } = row;
  const stale = now.getTime() - lastUsedAt.getTime() >= SESSION_TOUCH_MS;
  // The first page request after sign-in records where the session is used from; later ones only once a minute.
  const unrecorded = client !== undefined && ip === null;
  if (stale || unrecorded) {
    const from = client ? { ip: client.ip.slice(0, 64), userAgent: client.userAgent?.slice(0, 256) ?? null } : {};
    await db
      .update(sessions)
      .set({ lastUsedAt: now, ...from })
      .where(eq(sessions.id, row.sessionId));
  }
  return user;
}

export interface SessionView {
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

/** The user's sessions that are still open (not ended, expired or idle), the current one first. */
export async function listOpenSessions(db: Db, clock: Clock, actor: SessionUser, policy: SessionPolicy = { idleMs: SESSION_IDLE_MS }): Promise<SessionView[]> {
  const now = clock.now();
  const rows = await db
    .select({ id: sessions.id, createdAt: sessions.createdAt, lastUsedAt: sessions.lastUsedAt, ip: sessions.ip, userAgent: sessions.userAgent })
    .from(sessions)
    .where(and(eq(sessions.userId, actor.id), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), gt(sessions.lastUsedAt, new Date(now.getTime() - policy.idleMs))))
    .orderBy(desc(sessions.lastUsedAt));
  const views = rows.map((r) => ({ ...r, current: r.id === actor.sessionId }));
  return [...views.filter((v) => v.current), ...views.filter((v) => !v.current)];
}

/**
 * The user ends one of their other sessions, or all of them (`sessionId` null). The current session stays: signing
 * out ends it. Answers how many ended.
 */
export async function endOtherSessions(db: Db, clock: Clock, actor: SessionUser, sessionId: string | null): Promise<number> {
  if (sessionId === actor.sessionId) throw new AppError("CONFLICT", { details: { reason: "CURRENT_SESSION" } });
  return db.transaction(async (tx) => {
    const ended = await tx
      .update(sessions)
      .set({ revokedAt: clock.now() })
      .where(
        and(
          eq(sessions.userId, actor.id),
          ne(sessions.id, actor.sessionId),
          isNull(sessions.revokedAt),
          gt(sessions.expiresAt, clock.now()),
          ...(sessionId ? [eq(sessions.id, sessionId)] : []),
        ),
      )
      .returning({ id: sessions.id });
    if (sessionId) {
      if (ended.length === 0) throw new AppError("NOT_FOUND");
      await appendAudit(tx, clock, { actorId: actor.id, action: "identity.session_ended", entityType: "session", entityId: sessionId });
    } else {
      await appendAudit(tx, clock, { actorId: actor.id, action: "identity.other_sessions_ended", entityType: "user", entityId: actor.id, data: { sessions: ended.length } });
    }
    return ended.length;
  });
}
