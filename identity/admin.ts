import { and, asc, count, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { apiTokens, courts, sessions, users } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { openTokenCount } from "./api-tokens.ts";
import { authorize } from "./permissions.ts";
import type { SessionUser } from "./sessions.ts";

export interface UserSummary {
  id: string;
  username: string;
  displayName: string;
  role: string;
  courtName: string | null;
  disabled: boolean;
  activeSessions: number;
  activeTokens: number;
}

/** Accounts with their count of open sessions and working API tokens, for the admin's user list. */
export async function listUsers(db: Db, clock: Clock): Promise<UserSummary[]> {
  const open = db
    .select({ userId: sessions.userId, n: count().as("n") })
    .from(sessions)
    .where(and(isNull(sessions.revokedAt), gt(sessions.expiresAt, clock.now())))
    .groupBy(sessions.userId)
    .as("open");
  const tokens = openTokenCount(db, clock).as("tokens");
  return db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      courtName: courts.name,
      disabled: users.disabled,
      activeSessions: sql<number>`coalesce(${open.n}, 0)::int`,
      activeTokens: sql<number>`coalesce(${tokens.n}, 0)::int`,
    })
    .from(users)
    .leftJoin(courts, eq(courts.id, users.courtId))
    .leftJoin(open, eq(open.userId, users.id))
    .leftJoin(tokens, eq(tokens.userId, users.id))
    .orderBy(asc(users.role), asc(users.username));
}

/**
 * Signs a user out everywhere: ends every open session and revokes every API token, so nothing made before stays
 * usable (docs/decisions/005-sessions.md). Their next request, page or API, is anonymous, on every node.
 */
export async function revokeSessions(db: Db, clock: Clock, admin: SessionUser, userId: string): Promise<{ sessions: number; tokens: number }> {
  authorize(admin, "users.manage");
  return db.transaction(async (tx) => {
    const [target] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).limit(1);
    if (!target) throw new AppError("NOT_FOUND");
    const now = clock.now();
    const ended = await tx
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id });
    const revoked = await tx
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    const counts = { sessions: ended.length, tokens: revoked.length };
    await appendAudit(tx, clock, { actorId: admin.id, action: "identity.sessions_revoked", entityType: "user", entityId: userId, data: counts });
    return counts;
  });
}

/** Disables or re-enables an account; a disabled account's sessions stop working at once. */
export async function setUserDisabled(db: Db, clock: Clock, admin: SessionUser, userId: string, disabled: boolean): Promise<void> {
  authorize(admin, "users.manage");
  if (userId === admin.id) throw new AppError("CONFLICT", { details: { reason: "SELF" } });
  await db.transaction(async (tx) => {
    const updated = await tx.update(users).set({ disabled }).where(eq(users.id, userId)).returning({ id: users.id });
    if (updated.length === 0) throw new AppError("NOT_FOUND");
    await appendAudit(tx, clock, { actorId: admin.id, action: disabled ? "identity.user_disabled" : "identity.user_enabled", entityType: "user", entityId: userId });
  });
}
