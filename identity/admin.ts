import { and, asc, count, eq, gt, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { apiTokens, courts, sessions, users, type Role } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { parseOrThrow } from "../core/validation.ts";
import { mask } from "./account.ts";
import { openTokenCount } from "./api-tokens.ts";
import { validateResidentId } from "./validators.ts";
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
  /** C7: the staff member's resident ID, masked but for its ends; null when none is recorded (or not staff). */
  staffIdentityMasked: string | null;
}

/** Accounts with their count of open sessions and working API tokens, for the admin's user list. */
export async function listUsers(db: Db, clock: Clock): Promise<UserSummary[]> {
  const rows = await userRows(db, clock);
  return rows.map(({ staffIdentityNumber, ...row }) => ({ ...row, staffIdentityMasked: staffIdentityNumber ? mask(staffIdentityNumber) : null }));
}

function userRows(db: Db, clock: Clock) {
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
      staffIdentityNumber: users.staffIdentityNumber,
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

/** The accounts C7 bars from bidding by their resident ID: the court's, the platform's, agencies' and inquiry platforms'. */
export const STAFF_ROLES: readonly Role[] = ["judge", "clerk", "admin", "agency_member", "inquiry_platform"];

/** A staff member's resident ID (GB 11643): what C7 matches a bidder's real name against. */
export const staffIdentityNumberField = z
  .string({ error: "validation.required" })
  .trim()
  .toUpperCase()
  .min(1, "validation.required")
  .superRefine((v, ctx) => {
    const checked = validateResidentId(v);
    if (!checked.ok) ctx.addIssue({ code: "custom", message: `validation.residentId.${checked.reason}` });
  });

export const staffIdentitySchema = z.object({ userId: z.uuid({ error: "validation.staffAccount" }), staffIdentityNumber: staffIdentityNumberField });

/**
 * C7: the admin records (or corrects) a staff member's resident ID, so that they are barred from bidding under any
 * account in the lots of their court, of the platform, or valued by their agency. The audit, which anyone may read,
 * keeps it masked. Only staff accounts have one: a bidder's identity is their real-name verification.
 */
export async function setStaffIdentityNumber(db: Db, clock: Clock, admin: SessionUser, input: z.input<typeof staffIdentitySchema>): Promise<void> {
  authorize(admin, "users.manage");
  const { userId, staffIdentityNumber } = parseOrThrow(staffIdentitySchema, input);
  await db.transaction(async (tx) => {
    const [target] = await tx.select({ role: users.role, previous: users.staffIdentityNumber }).from(users).where(eq(users.id, userId)).for("update");
    if (!target) throw new AppError("NOT_FOUND");
    if (!STAFF_ROLES.includes(target.role)) throw new AppError("VALIDATION_FAILED", { fields: { userId: "validation.staffAccount" } });
    await tx.update(users).set({ staffIdentityNumber }).where(eq(users.id, userId));
    await appendAudit(tx, clock, {
      actorId: admin.id,
      action: "identity.staff_identity_set",
      entityType: "user",
      entityId: userId,
      data: { rule: "C7", masked: mask(staffIdentityNumber), replaced: target.previous !== null },
    });
  });
}
