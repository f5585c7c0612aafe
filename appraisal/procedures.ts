// Price procedures: one way of fixing an asset's reference price at a time (A1, A2, A11, A24), and
// the reads the court's and the parties' pages need.
import { and, asc, desc, eq, getTableColumns, gte, inArray, isNull, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Db, DbOrTx, Tx } from "../db/client.ts";
import {
  agencyRankings,
  APPRAISAL_BASES,
  ONLINE_INQUIRY_GROUNDS,
  PROCEDURE_GROUNDS,
  commissionExtensions,
  commissions,
  inquiryRequests,
  priceProcedures,
  PROCEDURE_METHODS,
  reportObjections,
  valuationReports,
  type ProcedureMethod,
} from "../db/schema/index.ts";
import { appendAudit, type AuditData } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { CN_SPC_2016 } from "../core/ruleset.ts";
import { instantField, onceValid, parseOrThrow, plainText } from "../core/validation.ts";
import { agencies, authorize, can, type SessionUser } from "../identity/index.ts";
import { partyOf } from "./parties.ts";
import { isLateStart, procedureStartDueAt, resumedDeadline } from "./rules/appraisal.ts";
import { moveDrawCutoff } from "./draws.ts";
import { assets, cases } from "../auction/index.ts";

export type PriceProcedure = typeof priceProcedures.$inferSelect;

/** Runs `fn` in a transaction of its own, or in a savepoint when the caller already holds one. */
export function inTransaction<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return (db as Db).transaction(fn);
}

/** Locks a procedure's row (the first lock of every step of the workflow: procedure → commission → report → objection). */
export async function lockProcedure(tx: Tx, procedureId: string): Promise<PriceProcedure & { courtId: string }> {
  const [row] = await tx
    .select({ p: priceProcedures, courtId: cases.courtId })
    .from(priceProcedures)
    .innerJoin(cases, eq(cases.id, priceProcedures.caseId))
    .where(eq(priceProcedures.id, procedureId))
    .for("update", { of: priceProcedures });
  if (!row) throw new AppError("NOT_FOUND");
  return { ...row.p, courtId: row.courtId };
}

/**
 * Locks a procedure and authorizes the court's step on it: "appraisal.manage" for the staff's steps,
 * "appraisal.decide" for the judge's decisions. An unknown id is NOT_FOUND, another court's FORBIDDEN.
 */
export async function lockCourtProcedure(tx: Tx, actor: SessionUser, procedureId: string, permission: "appraisal.manage" | "appraisal.decide") {
  const p = await lockProcedure(tx, procedureId);
  authorize(actor, permission, { courtId: p.courtId });
  return p;
}

/** A24: nothing moves while a procedure is suspended, and nothing after it ended. */
export function requireOpen(p: PriceProcedure): void {
  if (p.status !== "open") throw new AppError("PROCEDURE_NOT_OPEN");
}

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

/** The grounds a method is started on, for the methods that name one (A5, A11). */
function groundsOf(method: ProcedureMethod): readonly string[] | null {
  return method === "appraisal" ? APPRAISAL_BASES : method === "online_inquiry" ? ONLINE_INQUIRY_GROUNDS : null;
}

export const startProcedureSchema = z
  .object({
    method: z.enum(PROCEDURE_METHODS, { error: "validation.invalid" }),
    /** Required for an appraisal (A11) and an online inquiry (A5), each from its own grounds. */
    basisKind: optional(z.enum(PROCEDURE_GROUNDS, { error: "validation.invalid" })),
    /** The court's words: why this method applies (A3–A5, A11). */
    basis: plainText({ max: 1000, multiline: true }),
    /** The first step's deadline, for methods that have one (negotiation, directed inquiry). */
    dueAt: optional(instantField),
  })
  .superRefine((v, ctx) => {
    const grounds = groundsOf(v.method);
    if (grounds && !v.basisKind) ctx.addIssue({ code: "custom", path: ["basisKind"], message: "validation.required" });
    else if (grounds && !grounds.includes(v.basisKind!)) ctx.addIssue({ code: "custom", path: ["basisKind"], message: "validation.invalid" });
  }, onceValid("method", "basisKind"));
export type StartProcedureInput = z.input<typeof startProcedureSchema>;

/**
 * Starts a pricing procedure for an asset of the actor's court. One procedure runs per asset at a time.
 * A1: the pricing should start within 30 days of the seizure; a later start is allowed (the court may
 * have had reasons) but recorded as `lateStart` and shown among the court's deadlines.
 */
export async function startProcedure(
  db: DbOrTx,
  clock: Clock,
  actor: SessionUser,
  assetId: string,
  input: StartProcedureInput,
): Promise<{ id: string; lateStart: boolean; startDueAt: Date }> {
  const data = parseOrThrow(startProcedureSchema, input);
  const now = clock.now();
  try {
    return await inTransaction(db, async (tx) => {
      const [row] = await tx
        .select({ asset: assets, courtId: cases.courtId })
        .from(assets)
        .innerJoin(cases, eq(cases.id, assets.caseId))
        .where(eq(assets.id, assetId))
        .for("update", { of: assets });
      if (!row) throw new AppError("NOT_FOUND");
      authorize(actor, "appraisal.manage", { courtId: row.courtId });
      const earlier = await tx
        .select({ status: priceProcedures.status, startedAt: priceProcedures.startedAt })
        .from(priceProcedures)
        .where(eq(priceProcedures.assetId, assetId))
        .orderBy(asc(priceProcedures.startedAt));
      if (earlier.some((p) => p.status === "open" || p.status === "suspended")) throw new AppError("PROCEDURE_RUNNING");
      // A1: the asset's first procedure is what started its pricing.
      const firstStartedAt = earlier[0]?.startedAt ?? now;
      const startDueAt = procedureStartDueAt(CN_SPC_2016, row.asset.seizedAt);
      const lateStart = isLateStart(CN_SPC_2016, row.asset.seizedAt, firstStartedAt);
      const [created] = await tx
        .insert(priceProcedures)
        .values({
          assetId,
          caseId: row.asset.caseId,
          method: data.method,
          status: "open",
          basis: data.basis,
          basisKind: groundsOf(data.method) ? (data.basisKind ?? null) : null,
          dueAt: data.dueAt ?? null,
          startDueAt,
          lateStart,
          startedBy: actor.id,
          startedAt: now,
        })
        .returning({ id: priceProcedures.id });
      await appendAudit(tx, clock, {
        actorId: actor.id,
        action: "appraisal.procedure_started",
        entityType: "price_procedure",
        entityId: created!.id,
        data: { rule: "A1", assetId, method: data.method, basisKind: data.basisKind ?? null, startDueAt, lateStart },
      });
      return { id: created!.id, lateStart, startDueAt };
    });
  } catch (e) {
    // Two starts racing past the check: the partial unique index keeps one.
    if (isUniqueViolation(e, "price_procedures_one_running_idx")) throw new AppError("PROCEDURE_RUNNING");
    throw e;
  }
}

function isUniqueViolation(e: unknown, constraint: string): boolean {
  for (let err: unknown = e; err; err = (err as { cause?: unknown }).cause) {
    const pg = err as { code?: string; constraint_name?: string; constraint?: string };
    if (pg.code === "23505" && (pg.constraint_name === constraint || pg.constraint === constraint)) return true;
  }
  return false;
}

export const procedureReasonSchema = z.object({ reason: plainText({ max: 1000, multiline: true }) });

/**
 * A24: the court suspends an inquiry or appraisal when the case is suspended or stayed, or the materials
 * are wrong. While suspended no deadline runs and no step can be taken.
 */
export async function suspendProcedure(db: Db, clock: Clock, actor: SessionUser, procedureId: string, input: { reason: string }): Promise<void> {
  const { reason } = parseOrThrow(procedureReasonSchema, input);
  await db.transaction(async (tx) => {
    const p = await lockCourtProcedure(tx, actor, procedureId, "appraisal.decide");
    requireOpen(p);
    const now = clock.now();
    await tx.update(priceProcedures).set({ status: "suspended", suspendedAt: now }).where(eq(priceProcedures.id, p.id));
    await appendAudit(tx, clock, { actorId: actor.id, action: "appraisal.procedure_suspended", entityType: "price_procedure", entityId: p.id, data: { rule: "A24", reason } });
  });
}

/**
 * A24, A15 ("not counting suspension periods"): on resumption every deadline that was still running when
 * the procedure was suspended moves by the time it stood still (`resumedDeadline`): offers, reports, the
 * materials return, deliveries, defects, objections, inquiry reports, and a draw not yet run, whose cut-off
 * (the draw's time) is announced anew on its public page. Deadlines already passed stay passed.
 */
export async function resumeProcedure(db: Db, clock: Clock, actor: SessionUser, procedureId: string): Promise<{ suspendedMs: number }> {
  return db.transaction(async (tx) => {
    const p = await lockCourtProcedure(tx, actor, procedureId, "appraisal.decide");
    if (p.status !== "suspended" || !p.suspendedAt) throw new AppError("CONFLICT");
    const from = p.suspendedAt;
    const ms = Math.max(0, clock.now().getTime() - from.getTime());
    const by = (column: AnyPgColumn) => sql`${column} + (${ms}::double precision * interval '1 millisecond')`;
    // `resumedDeadline`'s test, in SQL: still running when the suspension began.
    const running = (column: AnyPgColumn) => gte(column, from);

    await tx
      .update(priceProcedures)
      .set({ status: "open", suspendedAt: null, suspendedMs: p.suspendedMs + ms, dueAt: resumedDeadline(p.dueAt, from, ms) })
      .where(eq(priceProcedures.id, p.id));
    // A14 (policy) and A15: offers waiting for an answer, reports being written.
    await tx
      .update(commissions)
      .set({ offerExpiresAt: by(commissions.offerExpiresAt) })
      .where(and(eq(commissions.procedureId, p.id), eq(commissions.status, "offered"), running(commissions.offerExpiresAt)));
    await tx
      .update(commissions)
      .set({ reportDueAt: by(commissions.reportDueAt) })
      .where(and(eq(commissions.procedureId, p.id), eq(commissions.status, "accepted"), running(commissions.reportDueAt)));
    // A16: an overdue agency's 3 days to return the materials.
    await tx
      .update(commissions)
      .set({ materialsDueAt: by(commissions.materialsDueAt) })
      .where(and(eq(commissions.procedureId, p.id), eq(commissions.status, "overdue"), isNull(commissions.materialsReturnedAt), running(commissions.materialsDueAt)));
    // A13, P6: the draw's cut-off, and the draw with it.
    await moveDrawCutoff(tx, clock, actor.id, p.id, from, ms);
    // A19: delivery to the parties; A20, A21: the objection window and the steps of each objection.
    await tx
      .update(valuationReports)
      .set({ deliveryDueAt: by(valuationReports.deliveryDueAt) })
      .where(and(eq(valuationReports.procedureId, p.id), isNull(valuationReports.deliveredAt), running(valuationReports.deliveryDueAt)));
    await tx
      .update(valuationReports)
      .set({ objectionDueAt: by(valuationReports.objectionDueAt) })
      .where(and(eq(valuationReports.procedureId, p.id), running(valuationReports.objectionDueAt)));
    // A18: the agency's 3 days to explain or correct a defect.
    await tx
      .update(valuationReports)
      .set({ defectDueAt: by(valuationReports.defectDueAt) })
      .where(and(eq(valuationReports.procedureId, p.id), isNull(valuationReports.defectAnsweredAt), running(valuationReports.defectDueAt)));
    const reportIds = tx.select({ id: valuationReports.id }).from(valuationReports).where(eq(valuationReports.procedureId, p.id));
    await tx
      .update(reportObjections)
      .set({ forwardDueAt: by(reportObjections.forwardDueAt) })
      .where(and(inArray(reportObjections.reportId, reportIds), eq(reportObjections.status, "filed"), running(reportObjections.forwardDueAt)));
    await tx
      .update(reportObjections)
      .set({ decisionDueAt: by(reportObjections.decisionDueAt) })
      .where(and(inArray(reportObjections.reportId, reportIds), eq(reportObjections.status, "filed"), running(reportObjections.decisionDueAt)));
    await tx
      .update(reportObjections)
      .set({ answerDueAt: by(reportObjections.answerDueAt) })
      .where(and(inArray(reportObjections.reportId, reportIds), eq(reportObjections.status, "forwarded"), running(reportObjections.answerDueAt)));
    // A8, A9: the platforms' report and correction deadlines of an online inquiry.
    await tx
      .update(inquiryRequests)
      .set({ dueAt: by(inquiryRequests.dueAt) })
      .where(
        and(
          eq(inquiryRequests.procedureId, p.id),
          eq(inquiryRequests.late, false),
          running(inquiryRequests.dueAt),
          sql`not exists (select 1 from ${valuationReports} where ${valuationReports.inquiryRequestId} = ${inquiryRequests.id})`,
        ),
      );
    await tx
      .update(inquiryRequests)
      .set({ correctionDueAt: by(inquiryRequests.correctionDueAt) })
      .where(and(eq(inquiryRequests.procedureId, p.id), isNull(inquiryRequests.correctedAt), running(inquiryRequests.correctionDueAt)));

    await appendAudit(tx, clock, { actorId: actor.id, action: "appraisal.procedure_resumed", entityType: "price_procedure", entityId: p.id, data: { rule: "A24", suspendedFrom: from, suspendedMs: ms } });
    return { suspendedMs: ms };
  });
}

/**
 * A24: the court withdraws an inquiry or appraisal when the application is withdrawn, the debt is paid
 * or the judgment is set aside (or to change the method). Commissions still running end with it.
 */
export async function withdrawProcedure(db: Db, clock: Clock, actor: SessionUser, procedureId: string, input: { reason: string }): Promise<void> {
  const { reason } = parseOrThrow(procedureReasonSchema, input);
  await db.transaction(async (tx) => {
    const p = await lockCourtProcedure(tx, actor, procedureId, "appraisal.decide");
    if (p.status !== "open" && p.status !== "suspended") throw new AppError("PROCEDURE_NOT_OPEN");
    const now = clock.now();
    await tx.update(priceProcedures).set({ status: "withdrawn", suspendedAt: null, endedAt: now, endReason: reason }).where(eq(priceProcedures.id, p.id));
    await tx
      .update(commissions)
      .set({ status: "withdrawn" })
      .where(and(eq(commissions.procedureId, p.id), inArray(commissions.status, ["offered", "accepted"])));
    await appendAudit(tx, clock, { actorId: actor.id, action: "appraisal.procedure_withdrawn", entityType: "price_procedure", entityId: p.id, data: { rule: "A24", reason } });
  });
}

/** Ends a procedure that gave no price (e.g. all three agencies declined: a new selection is needed). */
export async function failProcedure(tx: Tx, clock: Clock, actorId: string | null, procedureId: string, reason: string, data: Omit<AuditData<"appraisal.procedure_failed">, "reason">): Promise<void> {
  await tx.update(priceProcedures).set({ status: "failed", endedAt: clock.now(), endReason: reason }).where(eq(priceProcedures.id, procedureId));
  await appendAudit(tx, clock, { actorId, action: "appraisal.procedure_failed", entityType: "price_procedure", entityId: procedureId, data: { reason, ...data } });
}

type Viewer = "court" | "party";

/**
 * Who may see a case's procedures, and as whom: the court's staff and the parties. Agencies and platforms work
 * from their portals, which show their own part only — never who objected (A21) or what the others offered.
 */
async function viewerOf(db: DbOrTx, user: SessionUser, theCase: { caseId: string; courtId: string }): Promise<Viewer | null> {
  if (can(user, "appraisal.manage", { courtId: theCase.courtId })) return "court";
  if (can(user, "cases.party", { isParty: (await partyOf(db, user, theCase.caseId)) !== null })) return "party";
  return null;
}

/**
 * One procedure for its page: the asset, the ranking, the commissions with their extensions, the
 * reports (without their content) and the objections. Parties see reports only once delivered to them.
 */
export async function procedureView(db: DbOrTx, actor: SessionUser, procedureId: string) {
  const [row] = await db
    .select({ p: priceProcedures, asset: { id: assets.id, title: assets.title, category: assets.category, seizedAt: assets.seizedAt }, caseNumber: cases.caseNumber, courtId: cases.courtId })
    .from(priceProcedures)
    .innerJoin(assets, eq(assets.id, priceProcedures.assetId))
    .innerJoin(cases, eq(cases.id, priceProcedures.caseId))
    .where(eq(priceProcedures.id, procedureId));
  if (!row) throw new AppError("NOT_FOUND");
  const viewer = await viewerOf(db, actor, { caseId: row.p.caseId, courtId: row.courtId });
  if (!viewer) throw new AppError("FORBIDDEN");

  const ranking = await db
    .select({ rank: agencyRankings.rank, agencyId: agencyRankings.agencyId, agencyName: agencies.name, creditCode: agencies.creditCode })
    .from(agencyRankings)
    .innerJoin(agencies, eq(agencies.id, agencyRankings.agencyId))
    .where(eq(agencyRankings.procedureId, procedureId))
    .orderBy(asc(agencyRankings.rank));
  const commissionRows = await db
    .select({ c: commissions, agencyName: agencies.name })
    .from(commissions)
    .innerJoin(agencies, eq(agencies.id, commissions.agencyId))
    .where(eq(commissions.procedureId, procedureId))
    .orderBy(asc(commissions.rank));
  const extensions = commissionRows.length
    ? await db
        .select()
        .from(commissionExtensions)
        .where(inArray(commissionExtensions.commissionId, commissionRows.map((r) => r.c.id)))
        .orderBy(asc(commissionExtensions.requestedAt))
    : [];
  const { content: _content, ...reportColumns } = getTableColumns(valuationReports);
  void _content;
  let reports = await db.select(reportColumns).from(valuationReports).where(eq(valuationReports.procedureId, procedureId)).orderBy(asc(valuationReports.submittedAt));
  if (viewer === "party") reports = reports.filter((r) => r.deliveredAt !== null);
  const objections = reports.length
    ? await db
        .select()
        .from(reportObjections)
        .where(inArray(reportObjections.reportId, reports.map((r) => r.id)))
        .orderBy(asc(reportObjections.filedAt))
    : [];
  return {
    viewer,
    procedure: row.p,
    asset: row.asset,
    caseNumber: row.caseNumber,
    ranking,
    commissions: commissionRows.map((r) => ({ ...r.c, agencyName: r.agencyName, extensions: extensions.filter((e) => e.commissionId === r.c.id) })),
    reports,
    objections,
  };
}

/** The procedures of an asset, newest first: for the court and the parties. */
export async function assetProcedures(db: DbOrTx, actor: SessionUser, assetId: string) {
  const [asset] = await db.select({ caseId: assets.caseId, courtId: cases.courtId }).from(assets).innerJoin(cases, eq(cases.id, assets.caseId)).where(eq(assets.id, assetId));
  if (!asset) throw new AppError("NOT_FOUND");
  if (!(await viewerOf(db, actor, asset))) throw new AppError("FORBIDDEN");
  return db
    .select({
      id: priceProcedures.id,
      method: priceProcedures.method,
      status: priceProcedures.status,
      basis: priceProcedures.basis,
      basisKind: priceProcedures.basisKind,
      selection: priceProcedures.selection,
      lateStart: priceProcedures.lateStart,
      startDueAt: priceProcedures.startDueAt,
      startedAt: priceProcedures.startedAt,
      endedAt: priceProcedures.endedAt,
      endReason: priceProcedures.endReason,
      referencePriceId: priceProcedures.referencePriceId,
    })
    .from(priceProcedures)
    .where(eq(priceProcedures.assetId, assetId))
    .orderBy(desc(priceProcedures.startedAt));
}
