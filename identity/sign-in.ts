import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { sessions, users } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { lineText } from "../core/validation.ts";
import { countAttempt, forgiveAttempt, purgeAttemptCounters, type AttemptLimit } from "./attempt-limits.ts";
import { issueKnownDevice, knownDeviceId } from "./known-devices.ts";
import { verifyPassword } from "./passwords.ts";
import { createSession } from "./sessions.ts";
import { REGISTER_LIMIT } from "./register.ts";

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
/** Failed attempts allowed per account (from unknown devices), per known device, and per address, within the window. */
export const MAX_FAILURES_PER_USERNAME = 5;
export const MAX_FAILURES_PER_DEVICE = 5;
export const MAX_FAILURES_PER_IP = 20;

const PER_ACCOUNT: AttemptLimit = { max: MAX_FAILURES_PER_USERNAME, windowMs: LOGIN_WINDOW_MS };
const PER_DEVICE: AttemptLimit = { max: MAX_FAILURES_PER_DEVICE, windowMs: LOGIN_WINDOW_MS };
const PER_ADDRESS: AttemptLimit = { max: MAX_FAILURES_PER_IP, windowMs: LOGIN_WINDOW_MS };

export const signInSchema = z.object({
  username: lineText({ max: 32 }).toLowerCase(),
  password: z.string({ error: "validation.required" }).min(1, "validation.required").max(128, "validation.tooLong"),
});
export type SignInInput = z.infer<typeof signInSchema>;

export interface SignInContext {
  ip: string;
  /** The known-device cookie the browser sent, if any. */
  device?: string | null;
  /** The secret that signs known-device cookies (the session secret). */
  secret: string;
}

/**
 * Checks the password and opens a session. Each attempt is counted before the password is checked, in one
 * atomic upsert per key (attempt-limits.ts), so of N parallel attempts at most the limit reach the password.
 * From a known device the attempt counts against that device only; otherwise against the address, then the
 * account. Past a limit, even a right password is refused until the window passes. A right password takes its
 * attempts back, so the counters count failures. Answers the session, the known-device cookie to set, and the
 * account's role (where it lands).
 */
export async function signIn(db: Db, clock: Clock, input: SignInInput & SignInContext) {
  const device = knownDeviceId(input.device, input.username, input.secret);
  const counted: [string, AttemptLimit][] = device
    ? [[`sign-in:device:${device}`, PER_DEVICE]]
    : [
        [`sign-in:ip:${input.ip}`, PER_ADDRESS],
        [`sign-in:user:${input.username}`, PER_ACCOUNT],
      ];
  for (const [key, limit] of counted) {
    if (!(await countAttempt(db, clock, key, limit))) throw new AppError("RATE_LIMITED");
  }

  const [user] = await db.select().from(users).where(eq(users.username, input.username)).limit(1);
  const passwordOk = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !passwordOk) throw new AppError("INVALID_CREDENTIALS");
  if (user.disabled) throw new AppError("ACCOUNT_DISABLED");

  return db.transaction(async (tx) => {
    for (const [key, limit] of counted) await forgiveAttempt(tx, clock, key, limit);
    const session = await createSession(tx, clock, user.id);
    await appendAudit(tx, clock, { actorId: user.id, action: "identity.signed_in", entityType: "session", entityId: session.id, data: { ip: input.ip } });
    return { ...session, role: user.role, device: device ? input.device! : issueKnownDevice(user.username, input.secret) };
  });
}

export async function signOut(db: Db, clock: Clock, actor: { id: string; sessionId: string }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(sessions).set({ revokedAt: clock.now() }).where(eq(sessions.id, actor.sessionId));
    await appendAudit(tx, clock, { actorId: actor.id, action: "identity.signed_out", entityType: "session", entityId: actor.sessionId });
  });
}

/** Sign-in and registration counters whose window has long passed: the hourly job deletes them. */
export async function purgeLoginAttempts(db: Db, clock: Clock): Promise<void> {
  await purgeAttemptCounters(db, clock, Math.max(LOGIN_WINDOW_MS, REGISTER_LIMIT.windowMs));
}
