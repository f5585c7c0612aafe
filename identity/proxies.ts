import { createHash } from "node:crypto";
import { and, asc, eq, isNotNull, isNull, or } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "../db/client.ts";
import { bidderProfiles, users } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { onceValid, parseOrThrow, plainText } from "../core/validation.ts";
import { mask } from "./account.ts";
import { authorize } from "./permissions.ts";
import type { SessionUser } from "./sessions.ts";
import { validateResidentId } from "./validators.ts";

/** C6: the proxy (代理人) a person bids through, and the power of attorney that appoints them. */
export const proxySchema = z
  .object({
    proxyName: plainText({ max: 100 }),
    proxyIdentityNumber: z.string({ error: "validation.required" }).trim().toUpperCase().min(1, "validation.required").max(18, "validation.tooLong"),
    proxyPowerOfAttorney: plainText({ max: 500 }),
  })
  .superRefine((v, ctx) => {
    const r = validateResidentId(v.proxyIdentityNumber);
    if (!r.ok) ctx.addIssue({ code: "custom", path: ["proxyIdentityNumber"], message: `validation.residentId.${r.reason}` });
  }, onceValid("proxyIdentityNumber"));
export type ProxyInput = z.infer<typeof proxySchema>;

/** What the court saw when it chose to confirm: a confirmation of an older proxy must not confirm a newer one. */
function representationVersion(p: { kind: string; proxyName: string | null; proxyIdentityNumber: string | null; proxyPowerOfAttorney: string | null }): string {
  return createHash("sha256")
    .update(JSON.stringify([p.kind, p.proxyName, p.proxyIdentityNumber, p.proxyPowerOfAttorney]))
    .digest("base64url")
    .slice(0, 16);
}

async function personProfile(tx: Tx, actor: SessionUser) {
  const [profile] = await tx
    .select({ kind: bidderProfiles.kind, identityNumber: bidderProfiles.identityNumber, proxyName: bidderProfiles.proxyName })
    .from(bidderProfiles)
    .where(eq(bidderProfiles.userId, actor.id))
    .for("update");
  // Companies act through the person the court confirms for the company itself.
  if (!profile || profile.kind !== "person") throw new AppError("FORBIDDEN");
  return profile;
}

/**
 * C6: a person declares (or changes) the proxy who bids for them. Any earlier court confirmation
 * is cleared: the person bids again only once the court has confirmed this proxy.
 */
export async function declareProxy(db: Db, clock: Clock, actor: SessionUser, input: ProxyInput | Record<string, unknown>): Promise<void> {
  authorize(actor, "account.proxy");
  // Parsed here too, so every caller (page, API, test) meets the same checks.
  const data = parseOrThrow(proxySchema, input);
  await db.transaction(async (tx) => {
    const profile = await personProfile(tx, actor);
    if (profile.identityNumber === data.proxyIdentityNumber) {
      throw new AppError("VALIDATION_FAILED", { fields: { proxyIdentityNumber: "validation.proxySelf" } });
    }
    await tx
      .update(bidderProfiles)
      .set({ ...data, courtConfirmedAt: null, courtConfirmedBy: null })
      .where(eq(bidderProfiles.userId, actor.id));
    // No identity number (the proxy's or the person's) goes into the audit chain.
    await appendAudit(tx, clock, { actorId: actor.id, action: "identity.proxy_declared", entityType: "user", entityId: actor.id, data: { replaced: profile.proxyName !== null } });
  });
}

/** C6: the person bids themselves again; that needs no confirmation. */
export async function removeProxy(db: Db, clock: Clock, actor: SessionUser): Promise<void> {
  authorize(actor, "account.proxy");
  await db.transaction(async (tx) => {
    const profile = await personProfile(tx, actor);
    if (profile.proxyName === null) throw new AppError("NOT_FOUND");
    await tx
      .update(bidderProfiles)
      .set({ proxyName: null, proxyIdentityNumber: null, proxyPowerOfAttorney: null, courtConfirmedAt: null, courtConfirmedBy: null })
      .where(eq(bidderProfiles.userId, actor.id));
    await appendAudit(tx, clock, { actorId: actor.id, action: "identity.proxy_removed", entityType: "user", entityId: actor.id });
  });
}

const awaitsCourt = or(eq(bidderProfiles.kind, "company"), and(eq(bidderProfiles.kind, "person"), isNotNull(bidderProfiles.proxyName)));

/**
 * C6: accounts whose representation the court has not yet confirmed — companies, and persons who
 * bid through a proxy. Per account: no lot is named (P4).
 */
export async function accountsAwaitingConfirmation(db: Db) {
  const rows = await db
    .select({
      userId: users.id,
      username: users.username,
      kind: bidderProfiles.kind,
      name: bidderProfiles.legalName,
      identityNumber: bidderProfiles.identityNumber,
      proxyName: bidderProfiles.proxyName,
      proxyIdentityNumber: bidderProfiles.proxyIdentityNumber,
      proxyPowerOfAttorney: bidderProfiles.proxyPowerOfAttorney,
      since: users.createdAt,
    })
    .from(bidderProfiles)
    .innerJoin(users, eq(users.id, bidderProfiles.userId))
    .where(and(awaitsCourt, isNull(bidderProfiles.courtConfirmedAt), eq(users.disabled, false)))
    .orderBy(asc(users.createdAt))
    .limit(200);
  return rows.map(({ identityNumber, proxyIdentityNumber, ...r }) => ({
    ...r,
    // A company's credit code is public; a person's and a proxy's ID numbers are shown masked.
    identityNumber: r.kind === "company" ? identityNumber : mask(identityNumber),
    proxyIdentityMasked: proxyIdentityNumber ? mask(proxyIdentityNumber) : null,
    version: representationVersion({ kind: r.kind, proxyName: r.proxyName, proxyIdentityNumber, proxyPowerOfAttorney: r.proxyPowerOfAttorney }),
  }));
}

/**
 * C6: court staff confirm, after checking the documents, who acts for a company or a person's
 * proxy. `version` (from the list) makes a confirmation of a since-changed proxy fail with CONFLICT.
 */
export async function confirmRepresentation(db: Db, clock: Clock, actor: SessionUser, userId: string, version?: string): Promise<void> {
  // An account belongs to no court: any court's staff confirm it, in their court's name (recorded below).
  authorize(actor, "companies.confirm", { courtId: actor.courtId });
  await db.transaction(async (tx) => {
    const [profile] = await tx
      .select({ kind: bidderProfiles.kind, proxyName: bidderProfiles.proxyName, proxyIdentityNumber: bidderProfiles.proxyIdentityNumber, proxyPowerOfAttorney: bidderProfiles.proxyPowerOfAttorney })
      .from(bidderProfiles)
      .where(and(eq(bidderProfiles.userId, userId), awaitsCourt, isNull(bidderProfiles.courtConfirmedAt)))
      .for("update");
    if (!profile) throw new AppError("NOT_FOUND");
    if (version !== undefined && version !== representationVersion(profile)) throw new AppError("CONFLICT");
    await tx.update(bidderProfiles).set({ courtConfirmedAt: clock.now(), courtConfirmedBy: actor.id }).where(eq(bidderProfiles.userId, userId));
    const action = profile.kind === "company" ? "identity.company_confirmed" : "identity.proxy_confirmed";
    await appendAudit(tx, clock, { actorId: actor.id, action, entityType: "user", entityId: userId, data: { courtId: actor.courtId } });
  });
}
