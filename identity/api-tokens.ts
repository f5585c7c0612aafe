import { createHash, randomBytes } from "node:crypto";
import { and, count, desc, eq, gt, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "../db/client.ts";
import { apiTokens, users, type Role } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { plainText } from "../core/validation.ts";
import { accessOf, API_SCOPES, PERMISSION_AREAS, type ApiArea, type ApiScope } from "./api-scopes.ts";
import { PERMISSIONS, type Permission, type PermissionSpec } from "./permissions.ts";
import { sessionUserColumns, type SessionUser } from "./sessions.ts";

/** Machine clients act as the user who made the token, with that user's permissions narrowed to its scopes. */
const TOKEN_PREFIX = "jat_";
const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
const DAY_MS = 24 * 60 * 60 * 1000;

/** The lifetimes a token may be given, in days; 90 unless the owner picks another. */
export const TOKEN_LIFETIMES_DAYS = [30, 90, 180, 365] as const;
export const DEFAULT_TOKEN_LIFETIME_DAYS = 90;

/**
 * Roles whose tokens serve a party's own tools: they reach only what the role holds over the cases it is a party to
 * (`case` scope), never bidding, bookings or the account. The use cases then check the party link of each case.
 */
const CASE_ONLY_ROLES: readonly Role[] = ["bidder", "party"];

/** The scopes worth offering a role: those of the areas where it holds a permission (a judge: cases, lots, appraisal…). */
export function scopesForRole(role: Role): ApiScope[] {
  const areas = new Set<ApiArea | null>();
  for (const [permission, spec] of Object.entries(PERMISSIONS) as [Permission, PermissionSpec][]) {
    if (!spec.roles.includes(role)) continue;
    if (CASE_ONLY_ROLES.includes(role) && spec.scope !== "case") continue;
    areas.add(PERMISSION_AREAS[permission]);
  }
  return API_SCOPES.filter((scope) => areas.has(scope.split(":")[0] as ApiArea));
}

export const apiTokenSchema = z.object({
  name: plainText({ max: 100 }),
  expiresInDays: z.coerce
    .number({ error: "validation.invalid" })
    .refine((d) => (TOKEN_LIFETIMES_DAYS as readonly number[]).includes(d), "validation.invalid")
    .default(DEFAULT_TOKEN_LIFETIME_DAYS),
  // One form field per ticked box.
  scopes: z.array(z.enum(API_SCOPES, { error: "validation.invalid" }), { error: "tokens.error.noScope" }).min(1, "tokens.error.noScope"),
});
export type ApiTokenInput = z.infer<typeof apiTokenSchema>;

/**
 * Returns the token once; only its hash is kept. Without scopes, the token gets every scope the user's role can
 * use (machine set-up and tests); the account page always names them. A scope the role cannot use is refused.
 */
export async function createApiToken(
  db: Db,
  clock: Clock,
  actor: SessionUser,
  name: string,
  options: { expiresInDays?: number; scopes?: readonly ApiScope[] } = {},
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const offered = scopesForRole(actor.role);
  const scopes = options.scopes ?? offered;
  if (scopes.length === 0 || scopes.some((s) => !offered.includes(s))) throw new AppError("VALIDATION_FAILED", { fields: { scopes: "tokens.error.scopeNotOffered" } });
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + (options.expiresInDays ?? DEFAULT_TOKEN_LIFETIME_DAYS) * DAY_MS);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({ userId: actor.id, name, tokenHash: hashToken(token), createdAt: now, expiresAt, scopes: [...scopes] })
      .returning({ id: apiTokens.id });
    await appendAudit(tx, clock, { actorId: actor.id, action: "identity.api_token_created", entityType: "api_token", entityId: row!.id, data: { name, expiresAt, scopes: [...scopes] } });
    return { id: row!.id, token, expiresAt };
  });
}

export async function revokeApiToken(db: Db, clock: Clock, actor: SessionUser, tokenId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const done = await tx
      .update(apiTokens)
      .set({ revokedAt: clock.now() })
      .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, actor.id), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    if (done.length === 0) throw new AppError("NOT_FOUND");
    await appendAudit(tx, clock, { actorId: actor.id, action: "identity.api_token_revoked", entityType: "api_token", entityId: tokenId });
  });
}

export async function listApiTokens(db: Db, actor: SessionUser) {
  return db
    .select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, expiresAt: apiTokens.expiresAt, scopes: apiTokens.scopes, revokedAt: apiTokens.revokedAt })
    .from(apiTokens)
    .where(eq(apiTokens.userId, actor.id))
    .orderBy(desc(apiTokens.createdAt));
}

/** How many of a user's tokens still work (not revoked, not expired): the admin's user list shows it. */
export function openTokenCount(db: DbOrTx, clock: Clock) {
  return db
    .select({ userId: apiTokens.userId, n: count().as("tokens_n") })
    .from(apiTokens)
    .where(and(isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, clock.now())))
    .groupBy(apiTokens.userId);
}

/**
 * The user behind an `Authorization: Bearer` token, or null (unknown, revoked, or the account disabled). An expired
 * token still names its user, marked expired, so `authorize` answers TOKEN_EXPIRED rather than a bare 401; `method`
 * is the request's, for the scope's read or write.
 */
export async function findTokenUser(db: DbOrTx, clock: Clock, authorization: string | null, method: string): Promise<SessionUser | null> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!match || !match[1]!.startsWith(TOKEN_PREFIX)) return null;
  const [row] = await db
    .select({
      tokenId: apiTokens.id,
      expiresAt: apiTokens.expiresAt,
      scopes: apiTokens.scopes,
      ...sessionUserColumns,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, hashToken(match[1]!)), isNull(apiTokens.revokedAt), eq(users.disabled, false)))
    .limit(1);
  if (!row) return null;
  const { tokenId, expiresAt, scopes, ...user } = row;
  const apiToken = { id: tokenId, scopes: scopes as ApiScope[], access: accessOf(method), expired: expiresAt.getTime() <= clock.now().getTime() };
  // A token is not a browser session; sessionId names the token for audit and sign-out checks.
  return { ...user, sessionId: tokenId, apiToken };
}
