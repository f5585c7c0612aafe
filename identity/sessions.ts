import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { DbOrTx, Tx } from "../db/client.ts";
import { sessions, users, type Role } from "../db/schema/index.ts";
import type { Clock } from "../core/clock.ts";

export const SESSION_COOKIE = "sid";
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  courtId: string | null;
  agencyId: string | null;
  platformId: string | null;
  sessionId: string;
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
    .values({ tokenHash: hashToken(token), userId, createdAt: now, expiresAt })
    .returning({ id: sessions.id });
  return { id: row!.id, token, expiresAt };
}

/**
 * Looks the session up on every request, so a sign-out or an admin's revocation (or a disabled
 * account) takes effect on the very next request, on every node.
 */
export async function findSessionUser(db: DbOrTx, clock: Clock, token: string | null): Promise<SessionUser | null> {
  if (!token) return null;
  const [row] = await db
    .select({
      sessionId: sessions.id,
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      courtId: users.courtId,
      agencyId: users.agencyId,
      platformId: users.platformId,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.tokenHash, hashToken(token)),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, clock.now()),
        eq(users.disabled, false),
      ),
    )
    .limit(1);
  return row ?? null;
}
