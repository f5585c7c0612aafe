import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { bidderProfiles, users } from "../db/schema/index.ts";
import { notify } from "./account-notices.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { onceValid, plainText } from "../core/validation.ts";
import { uniqueViolation } from "../db/errors.ts";
import { countAttempt, type AttemptLimit } from "./attempt-limits.ts";
import { containsUsername, hashPassword, isCommonPassword, MIN_PASSWORD_LENGTH } from "./passwords.ts";
import { validateCreditCode, validatePhone, validateResidentId } from "./validators.ts";

/** A new account's username, a bidder's or staff's: lower case, 3 to 32 letters, digits, "_", "." or "-". */
export const usernameField = z
  .string({ error: "validation.required" })
  .trim()
  .toLowerCase()
  .min(1, "validation.required")
  .max(32, "validation.tooLong")
  .regex(/^[a-z0-9][a-z0-9_.-]{2,}$/, "validation.username");

/** A new account's password: 12 to 128 characters, taken as typed (no trimming), not a common one (ASVS V2.1.1, V2.1.7). */
export const newPasswordField = z
  .string({ error: "validation.required" })
  .min(1, "validation.required")
  .min(MIN_PASSWORD_LENGTH, "validation.passwordShort")
  .max(128, "validation.tooLong")
  .refine((p) => !isCommonPassword(p), "validation.passwordCommon");

/** For a form that sets a username and a password: the password must not be or contain the username. */
export function refusePasswordWithUsername(v: { username: string; password: string }, ctx: z.RefinementCtx): void {
  if (containsUsername(v.password, v.username)) ctx.addIssue({ code: "custom", path: ["password"], message: "validation.passwordHasUsername" });
}

/** Registrations allowed per address within the window, counted atomically like sign-in attempts (ADR 014). */
export const REGISTER_LIMIT: AttemptLimit = { max: 10, windowMs: 60 * 60 * 1000 };

export const registerBidderSchema = z
  .object({
    kind: z.enum(["person", "company"], { error: "validation.kind" }),
    username: usernameField,
    password: newPasswordField,
    legalName: plainText({ max: 100 }),
    identityNumber: z.string({ error: "validation.required" }).trim().toUpperCase().min(1, "validation.required").max(18, "validation.tooLong"),
    phone: z.string({ error: "validation.required" }).trim().min(1, "validation.required").max(11, "validation.tooLong").refine(validatePhone, "validation.phone"),
  })
  // Each rule over two fields runs once those two are valid, whatever else failed: every error in one round.
  .superRefine((v, ctx) => {
    if (v.kind === "person") {
      const r = validateResidentId(v.identityNumber);
      if (!r.ok) ctx.addIssue({ code: "custom", path: ["identityNumber"], message: `validation.residentId.${r.reason}` });
    } else {
      const r = validateCreditCode(v.identityNumber);
      if (!r.ok) ctx.addIssue({ code: "custom", path: ["identityNumber"], message: `validation.creditCode.${r.reason}` });
    }
  }, onceValid("kind", "identityNumber"))
  .superRefine(refusePasswordWithUsername, onceValid("username", "password"));

export type RegisterBidderInput = z.infer<typeof registerBidderSchema>;

/**
 * Registers a bidder account with real-name data (RULEBOOK C2: deposits and bids are in the real name).
 * Counted per address first, so nobody asks unboundedly. An identity number that already has an account
 * creates nothing and leaves a notice on that account; the caller answers both outcomes alike, so an
 * anonymous registrant never learns whether a number is registered (I1, ADR 014). Answers the new
 * account's id, or null when the identity number already had one.
 */
export async function registerBidder(db: Db, clock: Clock, input: RegisterBidderInput & { ip: string }): Promise<{ userId: string | null }> {
  if (!(await countAttempt(db, clock, `register:ip:${input.ip}`, REGISTER_LIMIT))) throw new AppError("RATE_LIMITED");
  const passwordHash = await hashPassword(input.password);
  try {
    return await insertBidder(db, clock, input, passwordHash);
  } catch (error) {
    // Two registrations racing past the checks meet the unique constraints instead.
    const constraint = uniqueViolation(error);
    if (constraint === "users_username_unique") throw usernameTaken();
    // The other one won: this one now finds the number registered, and answers as above.
    if (constraint === "bidder_profiles_identity_number_unique") return insertBidder(db, clock, input, passwordHash);
    throw error;
  }
}

const usernameTaken = () => new AppError("USERNAME_TAKEN", { fields: { username: "validation.usernameTaken" } });

function insertBidder(db: Db, clock: Clock, input: RegisterBidderInput, passwordHash: string) {
  return db.transaction(async (tx) => {
    // A person choosing a username must learn it is taken; the per-address limit bounds that answer (ADR 014).
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, input.username)).limit(1);
    if (taken) throw usernameTaken();
    const [holder] = await tx
      .select({ id: bidderProfiles.userId })
      .from(bidderProfiles)
      .where(eq(bidderProfiles.identityNumber, input.identityNumber))
      .limit(1);
    if (holder) {
      await notify(tx, clock, [{ userId: holder.id, kind: "identity_reuse_attempt" }]);
      await appendAudit(tx, clock, { actorId: null, action: "identity.identity_reuse_noticed", entityType: "user", entityId: holder.id });
      return { userId: null };
    }

    const [user] = await tx
      .insert(users)
      .values({ username: input.username, passwordHash, displayName: input.legalName, role: "bidder", createdAt: clock.now() })
      .returning({ id: users.id });
    const userId = user!.id;
    await tx.insert(bidderProfiles).values({
      userId,
      kind: input.kind,
      legalName: input.legalName,
      identityNumber: input.identityNumber,
      phone: input.phone,
    });
    // The audit record names the account, never the identity number (personal data stays in its table).
    await appendAudit(tx, clock, { actorId: userId, action: "identity.bidder_registered", entityType: "user", entityId: userId, data: { kind: input.kind, username: input.username } });
    return { userId };
  });
}
