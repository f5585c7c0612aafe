import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import type { SessionUser } from "./sessions.ts";
import { agencies, bidderProfiles, courts, users } from "../db/schema/index.ts";

/** What a user sees on their own account page. The identity number is masked but for its ends. */
export async function getAccount(db: Db, userId: string) {
  const [row] = await db
    .select({
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      createdAt: users.createdAt,
      email: users.email,
      courtName: courts.name,
      agencyName: agencies.name,
      bidderKind: bidderProfiles.kind,
      legalName: bidderProfiles.legalName,
      identityNumber: bidderProfiles.identityNumber,
      phone: bidderProfiles.phone,
      proxyName: bidderProfiles.proxyName,
      proxyIdentityNumber: bidderProfiles.proxyIdentityNumber,
      proxyPowerOfAttorney: bidderProfiles.proxyPowerOfAttorney,
      courtConfirmedAt: bidderProfiles.courtConfirmedAt,
      realNameVerifiedAt: bidderProfiles.realNameVerifiedAt,
      realNameMethod: bidderProfiles.realNameMethod,
    })
    .from(users)
    .leftJoin(courts, eq(courts.id, users.courtId))
    .leftJoin(agencies, eq(agencies.id, users.agencyId))
    .leftJoin(bidderProfiles, eq(bidderProfiles.userId, users.id))
    .where(eq(users.id, userId))
    .limit(1);
  if (!row) return null;
  const { proxyName, proxyIdentityNumber, proxyPowerOfAttorney, courtConfirmedAt, ...rest } = row;
  return {
    ...rest,
    identityNumber: row.identityNumber ? mask(row.identityNumber) : null,
    phone: row.phone ? mask(row.phone) : null,
    // C6: the proxy a person bids through, and whether the court has confirmed it.
    proxy: proxyName
      ? { name: proxyName, identityMasked: proxyIdentityNumber ? mask(proxyIdentityNumber) : "", powerOfAttorney: proxyPowerOfAttorney ?? "", confirmedAt: courtConfirmedAt }
      : null,
  };
}

export function mask(value: string): string {
  if (value.length <= 7) return "*".repeat(value.length);
  return value.slice(0, 3) + "*".repeat(value.length - 7) + value.slice(-4);
}

/** The account's e-mail address for notices: optional, so an empty field removes it. */
export const emailSchema = z.object({
  email: z
    .string()
    .trim()
    .max(254, "validation.email")
    .refine((v) => v === "" || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), "validation.email")
    .transform((v) => (v === "" ? null : v.toLowerCase())),
});

/** Sets (or removes) where the account's notices are e-mailed; audited without the address itself. */
export async function setAccountEmail(db: Db, clock: Clock, actor: SessionUser, input: z.infer<typeof emailSchema>): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(users).set({ email: input.email }).where(eq(users.id, actor.id));
    await appendAudit(tx, clock, { actorId: actor.id, action: "identity.email_changed", entityType: "user", entityId: actor.id, data: { set: input.email !== null } });
  });
}
