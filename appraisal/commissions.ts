// Appraisal commissions (A13–A16): the court commissions the first-ranked agency; the agency accepts or
// declines; a decline, silence or a missed deadline passes the commission to the next-ranked.
import { and, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "../db/client.ts";
import { agencyDraws, agencyRankings, commissionExtensions, commissions, poolAgencies, priceProcedures } from "../db/schema/index.ts";
import { appendAudit, type AuditData } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { parseOrThrow, plainText } from "../core/validation.ts";
import { CN_SPC_2016 } from "../core/ruleset.ts";
import { authorize, type SessionUser } from "../identity/index.ts";
import { failProcedure, lockCourtProcedure, lockProcedure, requireOpen, type PriceProcedure } from "./procedures.ts";
import { decideExtension, isPast, materialsDueAt, offerExpiresAt, reportDueAt } from "./rules/appraisal.ts";
import { drawProcedureId, drawsDue, runDraw, type DrawOutcome } from "./draws.ts";
import type { DrawSeedKeys } from "./draw-seed.ts";

export type Commission = typeof commissions.$inferSelect;

/** Why the procedure ends when the ranking is used up: the court must select again (A13). */
export const NEEDS_NEW_SELECTION = "needs_new_selection";

/** The rule an offer follows: the first rank (A14), or the next after a decline (A13) or a missed deadline (A16). */
type OfferRule = AuditData<"appraisal.commission_offered">["rule"];

/**
 * Offers the commission to the agency ranked `rank` (A14: the first-ranked; A16: the next-ranked).
 * Returns null when there is no such rank. The caller holds the procedure's lock.
 */
export async function offerRank(tx: Tx, clock: Clock, actorId: string | null, procedureId: string, rank: number, rule: OfferRule): Promise<{ commissionId: string } | null> {
  const [ranked] = await tx
    .select({ agencyId: agencyRankings.agencyId })
    .from(agencyRankings)
    .where(and(eq(agencyRankings.procedureId, procedureId), eq(agencyRankings.rank, rank)));
  if (!ranked) return null;
  const now = clock.now();
  const expiresAt = offerExpiresAt(CN_SPC_2016, now);
  const [row] = await tx
    .insert(commissions)
    .values({ procedureId, agencyId: ranked.agencyId, rank, status: "offered", offeredAt: now, offerExpiresAt: expiresAt })
    .returning({ id: commissions.id });
  await appendAudit(tx, clock, {
    actorId,
    action: "appraisal.commission_offered",
    entityType: "commission",
    entityId: row!.id,
    data: { rule, procedureId, rank, agencyId: ranked.agencyId, offerExpiresAt: expiresAt },
  });
  return { commissionId: row!.id };
}

/**
 * A16 (and a decline or silence before it): the next-ranked agency is commissioned at once. When all
 * three are used up, the procedure has failed and needs a new selection.
 */
export async function offerNext(tx: Tx, clock: Clock, actorId: string | null, procedureId: string, rule: OfferRule): Promise<{ commissionId: string } | null> {
  const [last] = await tx.select({ rank: commissions.rank }).from(commissions).where(eq(commissions.procedureId, procedureId)).orderBy(desc(commissions.rank)).limit(1);
  const offered = await offerRank(tx, clock, actorId, procedureId, (last?.rank ?? 0) + 1, rule);
  if (!offered) await failProcedure(tx, clock, actorId, procedureId, NEEDS_NEW_SELECTION, { rule: "A13", after: rule });
  return offered;
}

export const agreeAgenciesSchema = z.object({
  agencyIds: z.array(z.uuid({ error: "validation.invalid" }), { error: "validation.invalid" }).length(CN_SPC_2016.drawSize, "validation.invalid"),
});

/**
 * A13: the parties agreed on three institutions and their order; the court records the agreement and
 * commissions the first (A14). The three are distinct and active on the list.
 */
export async function agreeAgencies(db: Db, clock: Clock, actor: SessionUser, procedureId: string, agencyIds: string[]): Promise<{ commissionId: string }> {
  const { agencyIds: ids } = parseOrThrow(agreeAgenciesSchema, { agencyIds });
  if (new Set(ids).size !== ids.length) throw new AppError("AGENCIES_INVALID", { fields: { agencyIds: "appraisal.error.agenciesDistinct" } });
  return db.transaction(async (tx) => {
    const p = await lockCourtProcedure(tx, actor, procedureId, "appraisal.manage");
    requireOpen(p);
    if (p.method !== "appraisal") throw new AppError("CONFLICT");
    const [ranked] = await tx.select({ rank: agencyRankings.rank }).from(agencyRankings).where(eq(agencyRankings.procedureId, p.id)).limit(1);
    const [draw] = await tx.select({ id: agencyDraws.id }).from(agencyDraws).where(eq(agencyDraws.procedureId, p.id)).limit(1);
    if (ranked || draw) throw new AppError("CONFLICT");
    const active = await tx
      .select({ agencyId: poolAgencies.agencyId })
      .from(poolAgencies)
      .where(and(inArray(poolAgencies.agencyId, ids), eq(poolAgencies.status, "active")));
    if (active.length !== ids.length) throw new AppError("AGENCIES_INVALID", { fields: { agencyIds: "appraisal.error.agenciesNotActive" } });
    await tx.insert(agencyRankings).values(ids.map((agencyId, i) => ({ procedureId: p.id, rank: i + 1, agencyId })));
    await tx.update(priceProcedures).set({ selection: "agreed" }).where(eq(priceProcedures.id, p.id));
    await appendAudit(tx, clock, { actorId: actor.id, action: "appraisal.agencies_agreed", entityType: "price_procedure", entityId: p.id, data: { rule: "A13", ranking: ids } });
    return (await offerRank(tx, clock, actor.id, p.id, 1, "A14"))!;
  });
}

/** A draw that ran, and the commission it gave the first-ranked agency (null when the procedure had one). */
export interface CommissionedDraw extends DrawOutcome {
  commissionId: string | null;
}

/**
 * A13, A14: runs a draw and commissions the first-ranked agency, in one transaction, so no drawn
 * procedure is ever left without a commission. `actor` is null when the scheduled job draws.
 *
 * The outcome is fixed by the committed seed, the published list and the entropy (P6), and the minute job
 * runs every due draw anyway, so a person who triggers it only brings the same result forward; still, only
 * the staff of the procedure's own court may, and the audit chain names them.
 */
export async function drawAndCommission(db: Db, clock: Clock, seedKeys: DrawSeedKeys, actor: SessionUser | null, drawId: string): Promise<CommissionedDraw> {
  return db.transaction(async (tx) => {
    // A person runs a draw only for their own court; the scheduled job (no actor) runs every due draw.
    if (actor) await lockCourtProcedure(tx, actor, await drawProcedureId(tx, drawId), "appraisal.manage");
    const actorId = actor?.id ?? null;
    const outcome = await runDraw(tx, clock, seedKeys, drawId, actorId);
    return { ...outcome, ...(await commissionFirstRankedIn(tx, clock, actorId, outcome.procedureId)) };
  });
}

export interface DueDrawsReport {
  drawn: CommissionedDraw[];
  failed: { drawId: string; code: string }[];
}

/**
 * The scheduled job (A13, A14): draws every due draw and commissions its first-ranked agency, each draw in
 * its own transaction (drawAndCommission). A draw that cannot run (another node ran it first, the procedure
 * was suspended) is reported, not retried here.
 */
export async function runDueDraws(db: Db, clock: Clock, seedKeys: DrawSeedKeys): Promise<DueDrawsReport> {
  const report: DueDrawsReport = { drawn: [], failed: [] };
  for (const drawId of await drawsDue(db, clock)) {
    try {
      report.drawn.push(await drawAndCommission(db, clock, seedKeys, null, drawId));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      report.failed.push({ drawId, code: error.code });
    }
  }
  return report;
}

/** A14: a ranked appraisal without any commission yet gets its first one (used after a draw, and by the sweep). */
async function commissionFirstRankedIn(tx: Tx, clock: Clock, actorId: string | null, procedureId: string): Promise<{ commissionId: string | null }> {
  const p = await lockProcedure(tx, procedureId);
  if (p.status !== "open" || p.method !== "appraisal") return { commissionId: null };
  const [any] = await tx.select({ id: commissions.id }).from(commissions).where(eq(commissions.procedureId, p.id)).limit(1);
  if (any) return { commissionId: null };
  const offered = await offerRank(tx, clock, actorId, p.id, 1, "A14");
  return { commissionId: offered?.commissionId ?? null };
}

/** The sweep's entry: commissions the first-ranked agency of a drawn procedure that has none. Idempotent. */
export async function commissionFirstRanked(db: Db, clock: Clock, procedureId: string): Promise<boolean> {
  return db.transaction(async (tx) => (await commissionFirstRankedIn(tx, clock, null, procedureId)).commissionId !== null);
}

/** Locks a commission after its procedure (the lock order of the workflow). */
export async function lockCommission(tx: Tx, commissionId: string): Promise<{ p: PriceProcedure & { courtId: string }; c: Commission }> {
  const [ref] = await tx.select({ procedureId: commissions.procedureId }).from(commissions).where(eq(commissions.id, commissionId));
  if (!ref) throw new AppError("NOT_FOUND");
  const p = await lockProcedure(tx, ref.procedureId);
  const [c] = await tx.select().from(commissions).where(eq(commissions.id, commissionId)).for("update");
  return { p, c: c! };
}

/** The commission, locked, when `user` works for its agency. */
export async function lockOwnCommission(tx: Tx, user: SessionUser, commissionId: string) {
  const locked = await lockCommission(tx, commissionId);
  authorize(user, "agency.work", { agencyId: locked.c.agencyId });
  requireOpen(locked.p);
  return locked;
}

/** A14, A15: the agency accepts; its report is due 30 days later. */
export async function acceptCommission(db: Db, clock: Clock, user: SessionUser, commissionId: string): Promise<{ reportDueAt: Date }> {
  return db.transaction(async (tx) => {
    const { c } = await lockOwnCommission(tx, user, commissionId);
    if (c.status !== "offered") throw new AppError("CONFLICT");
    const now = clock.now();
    if (c.offerExpiresAt && isPast(c.offerExpiresAt, now)) throw new AppError("OFFER_EXPIRED");
    const due = reportDueAt(CN_SPC_2016, now);
    await tx.update(commissions).set({ status: "accepted", respondedAt: now, reportDueAt: due }).where(eq(commissions.id, c.id));
    await appendAudit(tx, clock, { actorId: user.id, action: "appraisal.commission_accepted", entityType: "commission", entityId: c.id, data: { rule: "A15", reportDueAt: due } });
    return { reportDueAt: due };
  });
}

/** The agency declines, with its reason; the next-ranked agency is commissioned at once. */
export async function declineCommission(db: Db, clock: Clock, user: SessionUser, commissionId: string, input: { reason: string }): Promise<{ next: { commissionId: string } | null }> {
  const { reason } = parseOrThrow(z.object({ reason: plainText({ max: 1000, multiline: true }) }), input);
  return db.transaction(async (tx) => {
    const { p, c } = await lockOwnCommission(tx, user, commissionId);
    if (c.status !== "offered") throw new AppError("CONFLICT");
    const now = clock.now();
    if (c.offerExpiresAt && isPast(c.offerExpiresAt, now)) throw new AppError("OFFER_EXPIRED");
    await tx.update(commissions).set({ status: "declined", respondedAt: now, declineReason: reason }).where(eq(commissions.id, c.id));
    await appendAudit(tx, clock, { actorId: user.id, action: "appraisal.commission_declined", entityType: "commission", entityId: c.id, data: { rule: "A13", reason } });
    return { next: await offerNext(tx, clock, user.id, p.id, "A13") };
  });
}

export const extensionSchema = z.object({
  days: z.coerce.number({ error: "validation.invalid" }).int("validation.invalid").min(1, "validation.invalid").max(365, "validation.invalid"),
  reason: plainText({ max: 1000, multiline: true }),
});

/**
 * A15: an extension asked at least 5 days before the deadline, the first or second, of at most 15 days,
 * is granted — the law's conditions are the whole test, so the platform grants it and records it;
 * otherwise it is refused with the condition that failed, and nothing is written.
 */
export async function requestExtension(db: Db, clock: Clock, user: SessionUser, commissionId: string, input: { days: number | string; reason: string }): Promise<{ reportDueAt: Date }> {
  const data = parseOrThrow(extensionSchema, input);
  return db.transaction(async (tx) => {
    const { c } = await lockOwnCommission(tx, user, commissionId);
    if (c.status !== "accepted" || !c.reportDueAt) throw new AppError("CONFLICT");
    const now = clock.now();
    if (isPast(c.reportDueAt, now)) throw new AppError("REPORT_OVERDUE");
    const decision = decideExtension(CN_SPC_2016, { now, dueAt: c.reportDueAt, extensionsUsed: c.extensionsUsed, days: data.days });
    if (!decision.ok) throw new AppError(decision.code, { fields: { days: `appraisal.error.${decision.code}` } });
    await tx.insert(commissionExtensions).values({
      commissionId: c.id,
      days: data.days,
      reason: data.reason,
      requestedBy: user.id,
      requestedAt: now,
      previousDueAt: c.reportDueAt,
      newDueAt: decision.newDueAt,
    });
    await tx.update(commissions).set({ reportDueAt: decision.newDueAt, extensionsUsed: c.extensionsUsed + 1 }).where(eq(commissions.id, c.id));
    await appendAudit(tx, clock, {
      actorId: user.id,
      action: "appraisal.extension_granted",
      entityType: "commission",
      entityId: c.id,
      data: { rule: "A15", grantedBy: "rule", days: data.days, reason: data.reason, previousDueAt: c.reportDueAt, newDueAt: decision.newDueAt, extension: c.extensionsUsed + 1 },
    });
    return { reportDueAt: decision.newDueAt };
  });
}

/**
 * Platform policy (A14 sets no period): an offer left unanswered past its expiry counts as declined, and
 * the next-ranked agency is commissioned. Nobody acts: the audit event has no actor. Idempotent.
 */
export async function expireOffer(db: Db, clock: Clock, commissionId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { p, c } = await lockCommission(tx, commissionId);
    const now = clock.now();
    if (p.status !== "open" || c.status !== "offered" || !c.offerExpiresAt || !isPast(c.offerExpiresAt, now)) return false;
    await tx.update(commissions).set({ status: "declined", declineReason: "no_answer" }).where(eq(commissions.id, c.id));
    await appendAudit(tx, clock, {
      actorId: null,
      action: "appraisal.commission_unanswered",
      entityType: "commission",
      entityId: c.id,
      data: { rule: "A14", policy: "appraisalOfferAnswerDays", offerExpiresAt: c.offerExpiresAt },
    });
    await offerNext(tx, clock, null, p.id, "A14");
    return true;
  });
}

/**
 * A16: an agency that missed its report deadline (with any approved extensions) without a report is
 * overdue: it returns the materials within 3 days, and the next-ranked agency is commissioned. Nobody
 * acts: the audit event has no actor. Idempotent.
 */
export async function markOverdue(db: Db, clock: Clock, commissionId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { p, c } = await lockCommission(tx, commissionId);
    const now = clock.now();
    if (p.status !== "open" || c.status !== "accepted" || !c.reportDueAt || !isPast(c.reportDueAt, now)) return false;
    const materials = materialsDueAt(CN_SPC_2016, now);
    await tx.update(commissions).set({ status: "overdue", materialsDueAt: materials }).where(eq(commissions.id, c.id));
    await appendAudit(tx, clock, {
      actorId: null,
      action: "appraisal.commission_overdue",
      entityType: "commission",
      entityId: c.id,
      data: { rule: "A16", reportDueAt: c.reportDueAt, materialsDueAt: materials, agencyId: c.agencyId },
    });
    await offerNext(tx, clock, null, p.id, "A16");
    return true;
  });
}

/** A16: the court records that an overdue agency returned the materials. */
export async function recordMaterialsReturned(db: Db, clock: Clock, actor: SessionUser, commissionId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const { p, c } = await lockCommission(tx, commissionId);
    authorize(actor, "appraisal.manage", { courtId: p.courtId });
    if (c.status !== "overdue" || c.materialsReturnedAt) throw new AppError("CONFLICT");
    const now = clock.now();
    await tx.update(commissions).set({ materialsReturnedAt: now }).where(eq(commissions.id, c.id));
    await appendAudit(tx, clock, {
      actorId: actor.id,
      action: "appraisal.materials_returned",
      entityType: "commission",
      entityId: c.id,
      data: { rule: "A16", late: c.materialsDueAt ? isPast(c.materialsDueAt, now) : false },
    });
  });
}
