import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { bidderProfiles, users } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { plainText } from "../core/validation.ts";
import { uniqueViolation } from "../db/errors.ts";
import { hashPassword } from "./passwords.ts";
import { validateCreditCode, validatePhone, validateResidentId } from "./validators.ts";

/** A new account's username, a bidder's or staff's: lower case, 3 to 32 letters, digits, "_", "." or "-". */
export const usernameField = z
  .string({ error: "validation.required" })
  .trim()
  .toLowerCase()
  .min(1, "validation.required")
  .max(32, "validation.tooLong")
  .regex(/^[a-z0-9][a-z0-9_.-]{2,}$/, "validation.username");

/** A new account's password: 10 to 128 characters, taken as typed (no trimming). */
export const newPasswordField = z.string({ error: "validation.required" }).min(1, "validation.required").min(10, "validation.passwordShort").max(128, "validation.tooLong");

export const registerBidderSchema = z
  .object({
    kind: z.enum(["person", "company"], { error: "validation.kind" }),
    username: usernameField,
    password: newPasswordField,
    legalName: plainText({ max: 100 }),
    identityNumber: z.string({ error: "validation.required" }).trim().toUpperCase().min(1, "validation.required").max(18, "validation.tooLong"),
    phone: z.string({ error: "validation.required" }).trim().min(1, "validation.required").max(11, "validation.tooLong"),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "person") {
      const r = validateResidentId(v.identityNumber);
      if (!r.ok) ctx.addIssue({ code: "custom", path: ["identityNumber"], message: `validation.residentId.${r.reason}` });
    } else {
      const r = validateCreditCode(v.identityNumber);
      if (!r.ok) ctx.addIssue({ code: "custom", path: ["identityNumber"], message: `validation.creditCode.${r.reason}` });
    }
    if (!validatePhone(v.phone)) ctx.addIssue({ code: "custom", path: ["phone"], message: "validation.phone" });
  });

export type RegisterBidderInput = z.infer<typeof registerBidderSchema>;

/** Registers a bidder account with real-name data (RULEBOOK C2: deposits and bids are in the real name). */
export async function registerBidder(db: Db, clock: Clock, input: RegisterBidderInput): Promise<{ userId: string }> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await insertBidder(db, clock, input, passwordHash);
  } catch (error) {
    // Two registrations racing past the checks meet the unique constraints instead.
    const constraint = uniqueViolation(error);
    if (constraint === "users_username_unique") throw new AppError("USERNAME_TAKEN", { fields: { username: "validation.usernameTaken" } });
    if (constraint === "bidder_profiles_identity_number_unique")
      throw new AppError("ID_NUMBER_TAKEN", { fields: { identityNumber: "validation.identityTaken" } });
    throw error;
  }
}

function insertBidder(db: Db, clock: Clock, input: RegisterBidderInput, passwordHash: string) {
  return db.transaction(async (tx) => {
    // Checked under the unique constraints too; these give the person a field-level answer.
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, input.username)).limit(1);
    if (taken) throw new AppError("USERNAME_TAKEN", { fields: { username: "validation.usernameTaken" } });
    const [dup] = await tx
      .select({ id: bidderProfiles.userId })
      .from(bidderProfiles)
      .where(eq(bidderProfiles.identityNumber, input.identityNumber))
      .limit(1);
    if (dup) throw new AppError("ID_NUMBER_TAKEN", { fields: { identityNumber: "validation.identityTaken" } });

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
