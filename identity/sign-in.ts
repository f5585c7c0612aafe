import { and, count, eq, gte, lt } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { loginAttempts, sessions, users } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { verifyPassword } from "./passwords.ts";
import { createSession } from "./sessions.ts";

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
/** Failed attempts allowed per account, and per address, within the window. */
export const MAX_FAILURES_PER_USERNAME = 5;
export const MAX_FAILURES_PER_IP = 20;

export const signInSchema = z.object({
  username: z.string({ error: "validation.required" }).trim().toLowerCase().min(1, "validation.required").max(32, "validation.tooLong"),
  password: z.string({ error: "validation.required" }).min(1, "validation.required").max(128, "validation.tooLong"),
});
export type SignInInput = z.infer<typeof signInSchema>;

/**
 * Checks the password and opens a session. Failed attempts are counted in the database
 * (so the limit holds across nodes); past the limit, even a right password is refused until the window passes.
 */
export async function signIn(db: Db, clock: Clock, input: SignInInput & { ip: string }) {
  const since = new Date(clock.now().getTime() - LOGIN_WINDOW_MS);
  const failures = async (column: typeof loginAttempts.username | typeof loginAttempts.ip, value: string) => {
    const [row] = await db
      .select({ n: count() })
      .from(loginAttempts)
      .where(and(eq(column, value), eq(loginAttempts.succeeded, false), gte(loginAttempts.attemptedAt, since)));
    return row?.n ?? 0;
  };
  if ((await failures(loginAttempts.username, input.username)) >= MAX_FAILURES_PER_USERNAME || (await failures(loginAttempts.ip, input.ip)) >= MAX_FAILURES_PER_IP) {
    throw new AppError("RATE_LIMITED");
  }

  const [user] = await db.select().from(users).where(eq(users.username, input.username)).limit(1);
  const passwordOk = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !passwordOk) {
    await db.insert(loginAttempts).values({ username: input.username, ip: input.ip, succeeded: false, attemptedAt: clock.now() });
    throw new AppError("INVALID_CREDENTIALS");
  }
  if (user.disabled) throw new AppError("ACCOUNT_DISABLED");

  return db.transaction(async (tx) => {
    await tx.insert(loginAttempts).values({ username: input.username, ip: input.ip, succeeded: true, attemptedAt: clock.now() });
    const session = await createSession(tx, clock, user.id);
    await appendAudit(tx, clock, { actorId: user.id, action: "identity.signed_in", entityType: "session", entityId: session.id, data: { ip: input.ip } });
    return session;
  });
}

export async function signOut(db: Db, clock: Clock, actor: { id: string; sessionId: string }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(sessions).set({ revokedAt: clock.now() }).where(eq(sessions.id, actor.sessionId));
    await appendAudit(tx, clock, { actorId: actor.id, action: "identity.signed_out", entityType: "session", entityId: actor.sessionId });
  });
}

/** Attempts older than the rate-limit window no longer count for anything: the hourly job deletes them. */
export async function purgeLoginAttempts(db: Db, clock: Clock): Promise<void> {
  const cutoff = new Date(clock.now().getTime() - 2 * LOGIN_WINDOW_MS);
  await db.delete(loginAttempts).where(lt(loginAttempts.attemptedAt, cutoff));
}
