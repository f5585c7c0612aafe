// The judicial appraisal-institution list (A12): agencies, their specialty × region sub-lists, suspension and
// removal with its 5-year bar, agency members, the relationships agencies declare, and who may be drawn (A13).
import { and, asc, eq, exists, inArray, notExists, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx, Tx } from "../db/client.ts";
import { agencyConflicts, agencySublists, LISTING_STATUSES, poolAgencies, SPECIALTIES, type ListingStatus, type Specialty } from "../db/schema/index.ts";
import { uniqueViolation } from "../db/errors.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { addMonths, CN_SPC_2016 } from "../core/ruleset.ts";
import { onceValid, parseOrThrow, plainText } from "../core/validation.ts";
import { agencies, authorize, insertAgency, insertStaffUser, newPasswordField, refusePasswordWithUsername, staffIdentityNumberField, updateAgency, usernameField, validateCreditCode, validateResidentId, type SessionUser } from "../identity/index.ts";
import { caseParties } from "../auction/index.ts";
import { canonicalEligible, regionLevel, type EligibleAgency } from "./rules/draw.ts";

// ---- Input ------------------------------------------------------------------------------------

export const creditCodeField = z
  .string({ error: "validation.required" })
  .trim()
  .toUpperCase()
  .min(1, "validation.required")
  .refine((v) => validateCreditCode(v).ok, "validation.creditCode");

/** Where an agency is based: a six-digit administrative division code (GB/T 2260). */
const regionCodeField = z.string({ error: "validation.required" }).trim().regex(/^[1-9]\d{5}$/, "validation.regionCode");

/** A12: a sub-list is a province (xx0000) or a city (xxxx00) — districts have none. */
export const sublistRegionField = z
  .string({ error: "validation.required" })
  .trim()
  .refine((v) => regionLevel(v) !== null, "validation.regionCode");

export const sublistSchema = z.object({
  specialty: z.enum(SPECIALTIES, { error: "validation.specialty" }),
  regionCode: sublistRegionField,
});

export const sublistsSchema = z.object({
  sublists: z.array(sublistSchema, { error: "validation.invalid" }).max(200, "validation.tooMany"),
});

export const agencySchema = z.object({
  name: plainText({ max: 200 }),
  creditCode: creditCodeField,
  regionCode: regionCodeField,
  sublists: z.array(sublistSchema, { error: "validation.invalid" }).max(200, "validation.tooMany").default([]),
});

export const reasonSchema = z.object({ reason: plainText({ max: 500 }) });

/** Staff accounts an admin opens for an agency or a platform; the staff ID bars them from bidding (C7). */
export const staffUserSchema = z
  .object({
  username: usernameField,
  password: newPasswordField,
  displayName: plainText({ max: 100 }),
  staffIdentityNumber: staffIdentityNumberField,
  })
  .superRefine(refusePasswordWithUsername, onceValid("username", "password"));

/** A person (resident ID) or an organisation (credit code) an agency has a relationship with. */
export const conflictSchema = z.object({
  identityNumber: z
    .string({ error: "validation.required" })
    .trim()
    .toUpperCase()
    .min(1, "validation.required")
    .refine((v) => validateResidentId(v).ok || validateCreditCode(v).ok, "validation.identityNumber"),
  relationship: plainText({ max: 200 }),
});

export type AgencyInput = z.input<typeof agencySchema>;
export type SublistInput = z.infer<typeof sublistSchema>;
export type StaffUserInput = z.infer<typeof staffUserSchema>;
export type ConflictInput = z.infer<typeof conflictSchema>;

/** Runs a use case's transaction, turning a lost race on a unique constraint into its stable code. */
export async function withUniqueCodes<T>(work: () => Promise<T>, codes: Record<string, AppError>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint !== null && codes[constraint]) throw codes[constraint];
    if (constraint === "users_username_unique") throw new AppError("USERNAME_TAKEN", { fields: { username: "validation.usernameTaken" } });
    throw error;
  }
}

// ---- The list (A12) ------------------------------------------------------------------------------

/**
 * A12: puts an agency on the list (creating the agency if its credit code is new). An agency removed from
 * the list may come back only once its 5-year bar is over.
 */
export async function addAgency(db: Db, clock: Clock, actor: SessionUser, input: AgencyInput | Record<string, unknown>): Promise<{ agencyId: string; created: boolean }> {
  authorize(actor, "pool.manage");
  const data = parseOrThrow(agencySchema, input);
  const taken = new AppError("AGENCY_ALREADY_LISTED", { fields: { creditCode: "validation.agencyListed" } });
  return withUniqueCodes(
    () =>
      db.transaction(async (tx) => {
        const now = clock.now();
        const [existing] = await tx.select().from(agencies).where(eq(agencies.creditCode, data.creditCode)).for("update").limit(1);
        let agencyId: string;
        let created = false;
        if (existing) {
          agencyId = existing.id;
          const [listing] = await tx.select().from(poolAgencies).where(eq(poolAgencies.agencyId, agencyId)).for("update").limit(1);
          if (listing && listing.status !== "removed") throw taken;
          // A12: removal is followed by a 5-year bar; re-entry before it ends is refused.
          if (listing?.barredUntil && now.getTime() < listing.barredUntil.getTime()) {
            throw new AppError("AGENCY_BARRED", { fields: { creditCode: "validation.agencyBarred" }, details: { barredUntil: listing.barredUntil } });
          }
          await updateAgency(tx, agencyId, { name: data.name, regionCode: data.regionCode });
          if (listing) {
            await tx.update(poolAgencies).set({ status: "active", statusReason: "readmitted", statusChangedAt: now, barredUntil: null }).where(eq(poolAgencies.agencyId, agencyId));
          } else {
            await tx.insert(poolAgencies).values({ agencyId, status: "active", statusChangedAt: now, createdAt: now });
          }
          await tx.delete(agencySublists).where(eq(agencySublists.agencyId, agencyId));
        } else {
          agencyId = await insertAgency(tx, now, { name: data.name, creditCode: data.creditCode, regionCode: data.regionCode });
          created = true;
          await tx.insert(poolAgencies).values({ agencyId, status: "active", statusChangedAt: now, createdAt: now });
        }
        const sublists = dedupeSublists(data.sublists);
        if (sublists.length > 0) await tx.insert(agencySublists).values(sublists.map((s) => ({ agencyId, ...s })));
        await appendAudit(tx, clock, {
          actorId: actor.id,
          action: "appraisal.agency_listed",
          entityType: "agency",
          entityId: agencyId,
          data: { creditCode: data.creditCode, name: data.name, regionCode: data.regionCode, created, sublists },
        });
        return { agencyId, created };
      }),
    { agencies_credit_code_unique: taken, pool_agencies_pkey: taken },
  );
}

function dedupeSublists(list: readonly SublistInput[]): SublistInput[] {
  const seen = new Map<string, SublistInput>();
  for (const s of list) seen.set(`${s.specialty}/${s.regionCode}`, { specialty: s.specialty, regionCode: s.regionCode });
  return [...seen.values()].sort((a, b) => (a.specialty + a.regionCode < b.specialty + b.regionCode ? -1 : 1));
}

async function lockListing(tx: Tx, agencyId: string) {
  const [listing] = await tx.select().from(poolAgencies).where(eq(poolAgencies.agencyId, agencyId)).for("update").limit(1);
  if (!listing) throw new AppError("NOT_FOUND");
  return listing;
}

/** A12, A13: replaces the sub-lists an agency is on (specialty × province or city). */
export async function setSublists(db: Db, clock: Clock, actor: SessionUser, agencyId: string, input: { sublists: SublistInput[] } | Record<string, unknown>): Promise<SublistInput[]> {
  authorize(actor, "pool.manage");
  const data = parseOrThrow(sublistsSchema, input);
  const sublists = dedupeSublists(data.sublists);
  return db.transaction(async (tx) => {
    const listing = await lockListing(tx, agencyId);
    if (listing.status === "removed") throw new AppError("AGENCY_NOT_LISTED");
    await tx.delete(agencySublists).where(eq(agencySublists.agencyId, agencyId));
    if (sublists.length > 0) await tx.insert(agencySublists).values(sublists.map((s) => ({ agencyId, ...s })));
    await appendAudit(tx, clock, { actorId: actor.id, action: "appraisal.agency_sublists_set", entityType: "agency", entityId: agencyId, data: { sublists } });
    return sublists;
  });
}

async function changeStatus(db: Db, clock: Clock, actor: SessionUser, agencyId: string, from: ListingStatus[], to: ListingStatus, reason: string | null) {
  return db.transaction(async (tx) => {
    const listing = await lockListing(tx, agencyId);
    if (!from.includes(listing.status)) throw new AppError("AGENCY_NOT_LISTED", { details: { status: listing.status } });
    const now = clock.now();
    // A12: removal bars re-entry for 5 years from the day of removal.
    const barredUntil = to === "removed" ? addMonths(now, CN_SPC_2016.listRemovalBarMonths) : null;
    await tx.update(poolAgencies).set({ status: to, statusReason: reason, statusChangedAt: now, barredUntil }).where(eq(poolAgencies.agencyId, agencyId));
    await appendAudit(tx, clock, {
      actorId: actor.id,
      action: `appraisal.agency_${to === "active" ? "reinstated" : to}`,
      entityType: "agency",
      entityId: agencyId,
      data: { from: listing.status, reason, barredUntil },
    });
    return { status: to, barredUntil };
  });
}

/** A suspended agency stays on the list but is never drawn until reinstated. */
export async function suspendAgency(db: Db, clock: Clock, actor: SessionUser, agencyId: string, input: { reason: string } | Record<string, unknown>) {
  authorize(actor, "pool.manage");
  const { reason } = parseOrThrow(reasonSchema, input);
  return changeStatus(db, clock, actor, agencyId, ["active"], "suspended", reason);
}

export async function reinstateAgency(db: Db, clock: Clock, actor: SessionUser, agencyId: string) {
  authorize(actor, "pool.manage");
  return changeStatus(db, clock, actor, agencyId, ["suspended"], "active", null);
}

/** A12: removes an agency from the list; it may not come back for 5 years. */
export async function removeAgency(db: Db, clock: Clock, actor: SessionUser, agencyId: string, input: { reason: string } | Record<string, unknown>) {
  authorize(actor, "pool.manage");
  const { reason } = parseOrThrow(reasonSchema, input);
  return changeStatus(db, clock, actor, agencyId, ["active", "suspended"], "removed", reason);
}

export interface AgencyFilters {
  status?: ListingStatus;
  specialty?: Specialty;
  /** A province or city sub-list code. */
  regionCode?: string;
}

export interface AgencySummary {
  agencyId: string;
  name: string;
  creditCode: string;
  regionCode: string;
  status: ListingStatus;
  statusReason: string | null;
  statusChangedAt: Date;
  barredUntil: Date | null;
  listedAt: Date;
  sublists: SublistInput[];
}

/** The list for the admin (and the public list of agencies): every listed agency with its sub-lists. */
export async function listAgencies(db: DbOrTx, filters: AgencyFilters = {}): Promise<AgencySummary[]> {
  if (filters.status !== undefined && !LISTING_STATUSES.includes(filters.status)) throw new AppError("VALIDATION_FAILED", { fields: { status: "validation.invalid" } });
  if (filters.specialty !== undefined && !SPECIALTIES.includes(filters.specialty)) throw new AppError("VALIDATION_FAILED", { fields: { specialty: "validation.specialty" } });
  if (filters.regionCode !== undefined && regionLevel(filters.regionCode) === null) throw new AppError("VALIDATION_FAILED", { fields: { regionCode: "validation.regionCode" } });
  const onSublist = [eq(agencySublists.agencyId, agencies.id)];
  if (filters.specialty) onSublist.push(eq(agencySublists.specialty, filters.specialty));
  if (filters.regionCode) onSublist.push(eq(agencySublists.regionCode, filters.regionCode));
  return listedAgencies(
    db,
    and(
      filters.status ? eq(poolAgencies.status, filters.status) : undefined,
      filters.specialty || filters.regionCode ? exists(db.select({ one: sql`1` }).from(agencySublists).where(and(...onSublist))) : undefined,
    ),
  );
}

/** One agency on the list with its standing (A12) and sub-lists, as `listAgencies` shows it; NOT_FOUND if never listed. */
export async function getListedAgency(db: DbOrTx, agencyId: string): Promise<AgencySummary> {
  const [row] = await listedAgencies(db, eq(poolAgencies.agencyId, agencyId));
  if (!row) throw new AppError("NOT_FOUND");
  return row;
}

/** The listings matching `where`, by credit code, each with its sub-lists: the one query behind both reads. */
async function listedAgencies(db: DbOrTx, where: SQL | undefined): Promise<AgencySummary[]> {
  const rows = await db
    .select({
      agencyId: agencies.id,
      name: agencies.name,
      creditCode: agencies.creditCode,
      regionCode: agencies.regionCode,
      status: poolAgencies.status,
      statusReason: poolAgencies.statusReason,
      statusChangedAt: poolAgencies.statusChangedAt,
      barredUntil: poolAgencies.barredUntil,
      listedAt: poolAgencies.createdAt,
    })
    .from(poolAgencies)
    .innerJoin(agencies, eq(agencies.id, poolAgencies.agencyId))
    .where(where)
    .orderBy(asc(agencies.creditCode));
  if (rows.length === 0) return [];
  const sublists = await db
    .select()
    .from(agencySublists)
    .where(inArray(agencySublists.agencyId, rows.map((r) => r.agencyId)))
    .orderBy(asc(agencySublists.specialty), asc(agencySublists.regionCode));
  return rows.map((r) => ({ ...r, sublists: sublists.filter((s) => s.agencyId === r.agencyId).map((s) => ({ specialty: s.specialty, regionCode: s.regionCode })) }));
}

/** Opens an agency_member account for an agency on the list. */
export async function addAgencyMember(db: Db, clock: Clock, actor: SessionUser, agencyId: string, input: StaffUserInput | Record<string, unknown>): Promise<{ userId: string }> {
  authorize(actor, "pool.manage");
  const data = parseOrThrow(staffUserSchema, input);
  return withUniqueCodes(
    () =>
      db.transaction(async (tx) => {
        const listing = await lockListing(tx, agencyId);
        if (listing.status === "removed") throw new AppError("AGENCY_NOT_LISTED");
        const userId = await insertStaffUser(tx, clock, data, { role: "agency_member", agencyId });
        await appendAudit(tx, clock, { actorId: actor.id, action: "appraisal.agency_member_added", entityType: "agency", entityId: agencyId, data: { userId, username: data.username } });
        return { userId };
      }),
    {},
  );
}

// ---- Conflicts ------------------------------------------------------------------------------------

/**
 * An agency member declares a relationship with a person or organisation: the agency is then never drawn
 * for a case where they are a party (A13, read with the duty to avoid conflicts). Declaring the same number
 * twice updates the relationship.
 */
export async function declareConflict(db: Db, clock: Clock, member: SessionUser, input: ConflictInput | Record<string, unknown>): Promise<{ id: string }> {
  // The conflict is declared for the member's own agency.
  authorize(member, "agency.work", { agencyId: member.agencyId });
  const data = parseOrThrow(conflictSchema, input);
  const agencyId = member.agencyId!;
  return db.transaction(async (tx) => {
    const now = clock.now();
    const [row] = await tx
      .insert(agencyConflicts)
      .values({ agencyId, identityNumber: data.identityNumber, relationship: data.relationship, declaredBy: member.id, declaredAt: now })
      .onConflictDoUpdate({ target: [agencyConflicts.agencyId, agencyConflicts.identityNumber], set: { relationship: data.relationship, declaredBy: member.id, declaredAt: now } })
      .returning({ id: agencyConflicts.id });
    // The identity number stays in its table: the audit chain carries no personal data.
    await appendAudit(tx, clock, { actorId: member.id, action: "appraisal.conflict_declared", entityType: "agency", entityId: agencyId, data: { conflictId: row!.id, relationship: data.relationship } });
    return { id: row!.id };
  });
}

// ---- Eligibility (A13) -----------------------------------------------------------------------------

export interface EligibilityQuery {
  specialty: Specialty;
  /** A city code: that city's sub-list; a province code: the province's sub-list; null: the whole specialty sub-library. */
  regionCode: string | null;
  caseId: string;
}

/**
 * A13: the agencies a draw for this case may pick, in canonical order (credit code ascending, P6): active on
 * the list, on the specialty's sub-list for the region, and with no declared relationship with any party of
 * the case.
 */
export async function eligibleAgencies(db: DbOrTx, _clock: Clock, query: EligibilityQuery): Promise<EligibleAgency[]> {
  if (!SPECIALTIES.includes(query.specialty)) throw new AppError("VALIDATION_FAILED", { fields: { specialty: "validation.specialty" } });
  if (query.regionCode !== null && regionLevel(query.regionCode) === null) throw new AppError("VALIDATION_FAILED", { fields: { regionCode: "validation.regionCode" } });
  const onSublist = and(
    eq(agencySublists.agencyId, agencies.id),
    eq(agencySublists.specialty, query.specialty),
    query.regionCode === null ? undefined : eq(agencySublists.regionCode, query.regionCode),
  );
  const conflicted = db
    .select({ one: sql`1` })
    .from(agencyConflicts)
    .innerJoin(caseParties, and(eq(caseParties.identityNumber, agencyConflicts.identityNumber), eq(caseParties.caseId, query.caseId)))
    .where(eq(agencyConflicts.agencyId, agencies.id));
  const rows = await db
    .select({ agencyId: agencies.id, creditCode: agencies.creditCode, name: agencies.name })
    .from(agencies)
    .innerJoin(poolAgencies, eq(poolAgencies.agencyId, agencies.id))
    .where(and(eq(poolAgencies.status, "active"), exists(db.select({ one: sql`1` }).from(agencySublists).where(onSublist)), notExists(conflicted)))
    .orderBy(asc(agencies.creditCode));
  return canonicalEligible(rows);
}
