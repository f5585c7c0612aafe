import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "../db/client.ts";
import { apiTokens, users } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import type { SessionUser } from "./sessions.ts";

/** Machine clients act as the user who made the token, with that user's permissions. */
const TOKEN_PREFIX = "jat_";
const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export const apiTokenSchema = z.object({
  name: z.string({ error: "validation.required" }).trim().min(1, "validation.required").max(100, "validation.tooLong"),
});

/** Returns the token once; only its hash is kept. */
export async function createApiToken(db: Db, clock: Clock, actor: SessionUser, name: string): Promise<{ id: string; token: string }> {
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(apiTokens).values({ userId: actor.id, name, tokenHash: hashToken(token), createdAt: clock.now() }).returning({ id: apiTokens.id });
    await appendAudit(tx, clock, { actorId: actor.id, action: "identity.api_token_created", entityType: "api_token", entityId: row!.id, data: { name } });
    return { id: row!.id, token };
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
    .select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, revokedAt: apiTokens.revokedAt })
    .from(apiTokens)
    .where(eq(apiTokens.userId, actor.id))
    .orderBy(desc(apiTokens.createdAt));
}

/** The user behind an `Authorization: Bearer` token, or null (unknown, revoked, or the account disabled). */
export async function findTokenUser(db: DbOrTx, authorization: string | null): Promise<SessionUser | null> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!match || !match[1]!.startsWith(TOKEN_PREFIX)) return null;
  const [row] = await db
    .select({ tokenId: apiTokens.id, id: users.id, username: users.username, displayName: users.displayName, role: users.role, courtId: users.courtId, agencyId: users.agencyId, platformId: users.platformId })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, hashToken(match[1]!)), isNull(apiTokens.revokedAt), eq(users.disabled, false)))
    .limit(1);
  if (!row) return null;
  const { tokenId, ...user } = row;
  // A token is not a browser session; sessionId names the token for audit and sign-out checks.
  return { ...user, sessionId: tokenId };
}
