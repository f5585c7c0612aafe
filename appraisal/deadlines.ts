// The appraisal workflow's clock: the minute sweep that acts when a deadline passes with nobody acting
// (A14 policy, A16, A18, A21), and the one model of deadlines (kind, rule, due) that lists them: "deadlines at a
// glance" for the court (A1, A8, A9, A15, A16, A18–A21, A25) and every deadline of one procedure for its page.
import { and, asc, eq, exists, gt, inArray, isNotNull, isNull, lt, notExists, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import {
  agencyRankings,
  commissions,
  inquiryRequests,
  priceProcedures,
  reportObjections,
  valuationReports,
  type ProcedureMethod,
} from "../db/schema/index.ts";
import type { Clock } from "../core/clock.ts";
import { CN_SPC_2016 } from "../core/ruleset.ts";
import { ruleSources } from "../core/rules.ts";
import { agencies, authorize, type SessionUser } from "../identity/index.ts";
import { assets, cases, lots, referencePrices } from "../auction/index.ts";
import { commissionFirstRanked, expireOffer, markOverdue } from "./commissions.ts";
import { sendUnansweredToReview } from "./objections.ts";
import { recordDefectOverdue } from "./reports.ts";
import type { procedureView } from "./procedures.ts";
import { isPast, procedureStartDueAt, reviewDueAt, saleStartDueAt } from "./rules/appraisal.ts";
import { addresseeName, type ProcedureExtras } from "./procedure-reads.ts";

const BATCH = 500;

export interface SweepResult {
  /** A14: ranked procedures that got their first commission (a draw run without commissioning). */
  firstCommissions: number;
  /** Platform policy: offers nobody answered in time, passed to the next-ranked agency. */
  offersExpired: number;
  /** A16: commissions past their report deadline without a report, passed to the next-ranked agency. */
  overdue: number;
  /** A21: objections the appraiser did not explain in time, sent to technical review. */
  toTechnicalReview: number;
  /** A18: report defects neither explained nor corrected in 3 days, recorded as overdue. */
  defectsOverdue: number;
  /** Items that failed (each is retried by the next sweep); the job logs them. */
  errors: { step: string; id: string; error: unknown }[];
}

/**
 * Acts on every appraisal deadline that has passed. Each item runs in a transaction of its own that
 * locks the procedure and checks again, so the sweep is idempotent and safe on several nodes; the
 * audit events have no actor and name the rule. Suspended procedures are skipped: their clocks stand
 * still (A24).
 */
export async function sweepAppraisalDeadlines(db: Db, clock: Clock): Promise<SweepResult> {
  const now = clock.now();
  const result: SweepResult = { firstCommissions: 0, offersExpired: 0, overdue: 0, toTechnicalReview: 0, defectsOverdue: 0, errors: [] };
  const each = async (step: string, ids: string[], act: (id: string) => Promise<boolean>, count: keyof Omit<SweepResult, "errors">) => {
    for (const id of ids) {
      try {
        if (await act(id)) result[count] += 1;
      } catch (error) {
        result.errors.push({ step, id, error });
      }
    }
  };
  const open = eq(priceProcedures.status, "open");

  // A14: a ranking without a commission (the draw job ranks; the first-ranked is commissioned here).
  const unranked = await db
    .select({ id: priceProcedures.id })
    .from(priceProcedures)
    .where(
      and(
        open,
        eq(priceProcedures.method, "appraisal"),
        exists(db.select({ x: sql`1` }).from(agencyRankings).where(eq(agencyRankings.procedureId, priceProcedures.id))),
        notExists(db.select({ x: sql`1` }).from(commissions).where(eq(commissions.procedureId, priceProcedures.id))),
      ),
    )
    .limit(BATCH);
  await each("first_commission", unranked.map((r) => r.id), (id) => commissionFirstRanked(db, clock, id), "firstCommissions");

  const offers = await db
    .select({ id: commissions.id })
    .from(commissions)
    .innerJoin(priceProcedures, eq(priceProcedures.id, commissions.procedureId))
    .where(and(open, eq(commissions.status, "offered"), lt(commissions.offerExpiresAt, now)))
    .orderBy(asc(commissions.offerExpiresAt))
    .limit(BATCH);
  await each("offer_expired", offers.map((r) => r.id), (id) => expireOffer(db, clock, id), "offersExpired");

  const late = await db
    .select({ id: commissions.id })
    .from(commissions)
    .innerJoin(priceProcedures, eq(priceProcedures.id, commissions.procedureId))
    .where(and(open, eq(commissions.status, "accepted"), lt(commissions.reportDueAt, now)))
    .orderBy(asc(commissions.reportDueAt))
    .limit(BATCH);
  await each("overdue", late.map((r) => r.id), (id) => markOverdue(db, clock, id), "overdue");

  const unanswered = await db
    .select({ id: reportObjections.id })
    .from(reportObjections)
    .innerJoin(valuationReports, eq(valuationReports.id, reportObjections.reportId))
    .innerJoin(priceProcedures, eq(priceProcedures.id, valuationReports.procedureId))
    .where(and(open, eq(reportObjections.status, "forwarded"), lt(reportObjections.answerDueAt, now)))
    .orderBy(asc(reportObjections.answerDueAt))
    .limit(BATCH);
  await each("technical_review", unanswered.map((r) => r.id), (id) => sendUnansweredToReview(db, clock, id), "toTechnicalReview");

  const defects = await db
    .select({ id: valuationReports.id })
    .from(valuationReports)
    .innerJoin(priceProcedures, eq(priceProcedures.id, valuationReports.procedureId))
    .where(
      and(
        open,
        eq(valuationReports.excluded, false),
        isNull(valuationReports.defectAnsweredAt),
        isNull(valuationReports.defectOverdueAt),
        lt(valuationReports.defectDueAt, now),
      ),
    )
    .orderBy(asc(valuationReports.defectDueAt))
    .limit(BATCH);
  await each("defect_overdue", defects.map((r) => r.id), (id) => recordDefectOverdue(db, clock, id), "defectsOverdue");
  return result;
}

export const DEADLINE_KINDS = [
  "procedure_start",
  "procedure_step",
  "inquiry_report",
  "inquiry_correction",
  "offer_answer",
  "report_due",
  "materials_return",
  "report_delivery",
  "report_defect",
  "objection_window",
  "objection_forward",
  "objection_answer",
  "objection_decision",
  "objection_review",
  "sale_start",
  "price_validity",
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** The rule that sets each kind of deadline ("policy": the platform's own window for answering an offer). */
const DEADLINE_RULES: Record<DeadlineKind, string> = {
  procedure_start: "A1",
  procedure_step: "A4",
  inquiry_report: "A8",
  inquiry_correction: "A9",
  offer_answer: "policy",
  report_due: "A15",
  materials_return: "A16",
  report_delivery: "A19",
  report_defect: "A18",
  objection_window: "A20",
  objection_forward: "A21",
  objection_answer: "A21",
  objection_decision: "A20",
  objection_review: "A20",
  sale_start: "A25",
  price_validity: "A23",
};

/** The rule behind a deadline: a negotiation's step is A3's, a directed inquiry's A4's. */
export function deadlineRule(kind: DeadlineKind, method?: ProcedureMethod): string {
  return kind === "procedure_step" && method === "negotiation" ? "A3" : DEADLINE_RULES[kind];
}

/** One deadline: what it is, the rule that sets it, and when it falls due. */
export interface Deadline {
  kind: DeadlineKind;
  rule: string;
  /** The articles that set it ("RP 19"), for the legal basis the pages give in words; none for the platform's own periods. */
  sources: readonly string[];
  dueAt: Date;
}

/** A running deadline of the court's pricing work, as the deadlines page lists it. */
export interface DeadlineItem extends Deadline {
  overdue: boolean;
  caseId: string;
  caseNumber: string;
  assetId: string;
  assetTitle: string;
  procedureId: string | null;
  /** The row the deadline belongs to (asset, procedure, commission, request, report or objection). */
  entityId: string;
  /** A1: the asset's pricing started late. */
  lateStart: boolean;
  /** The agency concerned, for commissions. */
  agencyName?: string;
}

/**
 * Every running deadline of the court's pricing work, soonest first, with those already passed marked
 * overdue. Suspended procedures are left out: their clocks stand still (A24).
 */
export async function deadlinesAtAGlance(db: Db, clock: Clock, actor: SessionUser): Promise<DeadlineItem[]> {
  // The deadlines listed are the actor's own court's.
  authorize(actor, "appraisal.manage", { courtId: actor.courtId });
  const now = clock.now();
  const courtId = actor.courtId!;
  const items: DeadlineItem[] = [];
  const push = (kind: DeadlineKind, dueAt: Date | null, base: Omit<DeadlineItem, "kind" | "rule" | "sources" | "dueAt" | "overdue">, method?: ProcedureMethod) => {
    const rule = deadlineRule(kind, method);
    if (dueAt) items.push({ kind, rule, sources: ruleSources(rule), dueAt, overdue: isPast(dueAt, now), ...base });
  };
  const procColumns = {
    procedureId: priceProcedures.id,
    caseId: cases.id,
    caseNumber: cases.caseNumber,
    assetId: assets.id,
    assetTitle: assets.title,
    lateStart: priceProcedures.lateStart,
  };
  const ofCourt = eq(cases.courtId, courtId);
  const open = eq(priceProcedures.status, "open");

  // A1: assets seized with no pricing started (and no price recorded otherwise).
  const unpriced = await db
    .select({ caseId: cases.id, caseNumber: cases.caseNumber, assetId: assets.id, assetTitle: assets.title, seizedAt: assets.seizedAt })
    .from(assets)
    .innerJoin(cases, eq(cases.id, assets.caseId))
    .where(
      and(
        ofCourt,
        notExists(db.select({ x: sql`1` }).from(priceProcedures).where(eq(priceProcedures.assetId, assets.id))),
        notExists(db.select({ x: sql`1` }).from(referencePrices).where(eq(referencePrices.assetId, assets.id))),
      ),
    );
  for (const a of unpriced)
    push("procedure_start", procedureStartDueAt(CN_SPC_2016, a.seizedAt), { ...a, procedureId: null, entityId: a.assetId, lateStart: false });

  const procedures = await db
    .select({ ...procColumns, dueAt: priceProcedures.dueAt, method: priceProcedures.method })
    .from(priceProcedures)
    .innerJoin(assets, eq(assets.id, priceProcedures.assetId))
    .innerJoin(cases, eq(cases.id, priceProcedures.caseId))
    .where(and(ofCourt, open, isNotNull(priceProcedures.dueAt)));
  // A3, A4. An online inquiry's step deadline is its platforms' (A8) or their corrections' (A9), listed per
  // request below under the right rule; listing it here too would show it twice, as A8 even in corrections.
  for (const { dueAt, method, ...p } of procedures) if (method !== "online_inquiry") push("procedure_step", dueAt, { ...p, entityId: p.procedureId }, method);

  // A8, A9: platforms' reports and corrections of an online inquiry.
  const requests = await db
    .select({ ...procColumns, id: inquiryRequests.id, dueAt: inquiryRequests.dueAt, correctionDueAt: inquiryRequests.correctionDueAt, correctedAt: inquiryRequests.correctedAt, late: inquiryRequests.late })
    .from(inquiryRequests)
    .innerJoin(priceProcedures, eq(priceProcedures.id, inquiryRequests.procedureId))
    .innerJoin(assets, eq(assets.id, priceProcedures.assetId))
    .innerJoin(cases, eq(cases.id, priceProcedures.caseId))
    // Platforms' requests only: a directed inquiry's one request is its procedure's A4 step, listed above.
    .where(and(ofCourt, open, isNotNull(inquiryRequests.platformId)));
  const answered = new Set(
    requests.length
      ? (
          await db
            .select({ id: valuationReports.inquiryRequestId })
            .from(valuationReports)
            .where(inArray(valuationReports.inquiryRequestId, requests.map((r) => r.id)))
        ).map((r) => r.id)
      : [],
  );
  for (const { id, dueAt, correctionDueAt, correctedAt, late, ...p } of requests) {
    if (!answered.has(id) && !late) push("inquiry_report", dueAt, { ...p, entityId: id });
    // A9: a correction the sweep marked late is over (the request is out of the mean), not still due.
    if (correctionDueAt && !correctedAt && !late) push("inquiry_correction", correctionDueAt, { ...p, entityId: id });
  }

  // A14 (policy), A15, A16: commissions.
  const commissionRows = await db
    .select({
      ...procColumns,
      id: commissions.id,
      status: commissions.status,
      offerExpiresAt: commissions.offerExpiresAt,
      reportDueAt: commissions.reportDueAt,
      materialsDueAt: commissions.materialsDueAt,
      materialsReturnedAt: commissions.materialsReturnedAt,
      procedureStatus: priceProcedures.status,
      agencyName: agencies.name,
    })
    .from(commissions)
    .innerJoin(agencies, eq(agencies.id, commissions.agencyId))
    .innerJoin(priceProcedures, eq(priceProcedures.id, commissions.procedureId))
    .innerJoin(assets, eq(assets.id, priceProcedures.assetId))
    .innerJoin(cases, eq(cases.id, priceProcedures.caseId))
    .where(and(ofCourt, inArray(commissions.status, ["offered", "accepted", "overdue"])));
  for (const { id, status, offerExpiresAt, reportDueAt, materialsDueAt, materialsReturnedAt, procedureStatus, ...p } of commissionRows) {
    const base = { ...p, entityId: id };
    if (status === "offered" && procedureStatus === "open") push("offer_answer", offerExpiresAt, base);
    if (status === "accepted" && procedureStatus === "open") push("report_due", reportDueAt, base);
    // A16: the materials are owed back even after the procedure ended, but not counted while it is suspended (A24).
    if (status === "overdue" && !materialsReturnedAt && procedureStatus !== "suspended") push("materials_return", materialsDueAt, base);
  }

  // A19–A21: reports to deliver, objection windows, objections.
  const reports = await db
    .select({
      ...procColumns,
      id: valuationReports.id,
      deliveryDueAt: valuationReports.deliveryDueAt,
      deliveredAt: valuationReports.deliveredAt,
      objectionDueAt: valuationReports.objectionDueAt,
      defectDueAt: valuationReports.defectDueAt,
      defectAnsweredAt: valuationReports.defectAnsweredAt,
    })
    .from(valuationReports)
    .innerJoin(priceProcedures, eq(priceProcedures.id, valuationReports.procedureId))
    .innerJoin(assets, eq(assets.id, priceProcedures.assetId))
    .innerJoin(cases, eq(cases.id, priceProcedures.caseId))
    .where(and(ofCourt, open, eq(valuationReports.excluded, false)));
  for (const { id, deliveryDueAt, deliveredAt, objectionDueAt, defectDueAt, defectAnsweredAt, ...p } of reports) {
    // A18: a defect waiting for the agency's explanation or corrected report.
    if (defectDueAt && !defectAnsweredAt) push("report_defect", defectDueAt, { ...p, entityId: id });
    if (!deliveredAt) push("report_delivery", deliveryDueAt, { ...p, entityId: id });
    else if (objectionDueAt && !isPast(objectionDueAt, now)) push("objection_window", objectionDueAt, { ...p, entityId: id });
  }
  const objections = await db
    .select({
      ...procColumns,
      id: reportObjections.id,
      status: reportObjections.status,
      forwardDueAt: reportObjections.forwardDueAt,
      answerDueAt: reportObjections.answerDueAt,
      decisionDueAt: reportObjections.decisionDueAt,
      kind: reportObjections.kind,
      decidedAt: reportObjections.decidedAt,
      reviewRequestedAt: reportObjections.reviewRequestedAt,
    })
    .from(reportObjections)
    .innerJoin(valuationReports, eq(valuationReports.id, reportObjections.reportId))
    .innerJoin(priceProcedures, eq(priceProcedures.id, valuationReports.procedureId))
    .innerJoin(assets, eq(assets.id, priceProcedures.assetId))
    .innerJoin(cases, eq(cases.id, priceProcedures.caseId))
    .where(and(ofCourt, open, inArray(reportObjections.status, ["filed", "forwarded", "rejected"])));
  for (const { id, status, forwardDueAt, answerDueAt, decisionDueAt, kind, decidedAt, reviewRequestedAt, ...p } of objections) {
    const base = { ...p, entityId: id };
    // A20: the objecting party's 10 days to seek review of a rejected procedural objection, while they run.
    if (status === "rejected") {
      const due = kind === "procedural" && decidedAt && !reviewRequestedAt ? reviewDueAt(CN_SPC_2016, decidedAt) : null;
      if (due && !isPast(due, now)) push("objection_review", due, base);
      continue;
    }
    if (status === "filed") {
      push("objection_forward", forwardDueAt, base);
      push("objection_decision", decisionDueAt, base);
    }
    if (status === "forwarded") push("objection_answer", answerDueAt, base);
  }

  // A25: a priced asset whose sale has not been set up since.
  const priced = await db
    .select({ ...procColumns, endedAt: priceProcedures.endedAt })
    .from(priceProcedures)
    .innerJoin(assets, eq(assets.id, priceProcedures.assetId))
    .innerJoin(cases, eq(cases.id, priceProcedures.caseId))
    .where(
      and(
        ofCourt,
        eq(priceProcedures.status, "priced"),
        isNotNull(priceProcedures.endedAt),
        notExists(db.select({ x: sql`1` }).from(lots).where(and(eq(lots.assetId, priceProcedures.assetId), gt(lots.createdAt, priceProcedures.endedAt)))),
        // Only the newest pricing of the asset counts.
        notExists(
          db
            .select({ x: sql`1` })
            .from(sql`price_procedures later`)
            .where(sql`later.asset_id = ${priceProcedures.assetId} and later.started_at > ${priceProcedures.startedAt}`),
        ),
      ),
    );
  for (const { endedAt, ...p } of priced) push("sale_start", saleStartDueAt(CN_SPC_2016, endedAt!), { ...p, entityId: p.procedureId });

  return items.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.kind.localeCompare(b.kind));
}

/** Where a deadline of a procedure stands: met (or no longer owed), running, passed, or paused while suspended (A24). */
export type DeadlineState = "done" | "running" | "overdue" | "paused";

/** A deadline of one procedure as its page lists it, met or not. */
export interface ProcedureDeadline extends Deadline {
  /** Who or what it concerns (an agency, a platform, a party), if not the procedure as a whole. */
  subject: string | null;
  doneAt: Date | null;
  state: DeadlineState;
}

/**
 * Every deadline of one procedure with the rule that sets it, met or not: what the procedure page lists. Met
 * deadlines stay listed with when they were met; while the procedure is suspended the running ones stand
 * still (A24), so they show as paused rather than overdue.
 */
export function procedureDeadlines(view: Awaited<ReturnType<typeof procedureView>>, extras: ProcedureExtras, now: Date): ProcedureDeadline[] {
  const p = view.procedure;
  const running = p.status === "open" || p.status === "suspended";
  const items: ProcedureDeadline[] = [];
  const put = (kind: DeadlineKind, dueAt: Date, doneAt: Date | null, state: DeadlineState, subject: string | null = null) =>
    items.push({ kind, rule: deadlineRule(kind, p.method), sources: ruleSources(deadlineRule(kind, p.method)), dueAt, subject, doneAt, state });
  // `ended`: nothing is owed any more although it was never met (a withdrawn commission, a decided objection).
  const add = (kind: DeadlineKind, dueAt: Date | null | undefined, doneAt: Date | null, subject: string | null = null, ended = false) => {
    if (dueAt) put(kind, dueAt, doneAt, doneAt || ended || !running ? "done" : p.status === "suspended" ? "paused" : isPast(dueAt, now) ? "overdue" : "running", subject);
  };
  // A1: the pricing was due to start within 30 days of the seizure.
  if (p.startDueAt) put("procedure_start", p.startDueAt, p.startedAt, p.lateStart ? "overdue" : "done");
  if (p.method === "negotiation" || p.method === "directed_inquiry") add("procedure_step", p.dueAt, running ? null : p.endedAt);
  if (p.method === "online_inquiry") {
    for (const r of extras.requests) {
      const first = extras.reports.find((x) => x.inquiryRequestId === r.id)?.submittedAt ?? null;
      add("inquiry_report", r.dueAt, first, addresseeName(r.addressee));
      add("inquiry_correction", r.correctionDueAt, r.correctedAt, addresseeName(r.addressee));
    }
  }
  for (const c of view.commissions) {
    // Platform policy: the offer is answered within days; silence counts as declining.
    add("offer_answer", c.offerExpiresAt, c.respondedAt, c.agencyName, c.status !== "offered");
    const report = extras.reports.find((r) => r.commissionId === c.id);
    add("report_due", c.reportDueAt, report?.submittedAt ?? null, c.agencyName, c.status === "withdrawn");
    add("materials_return", c.materialsDueAt, c.materialsReturnedAt, c.agencyName);
  }
  for (const r of extras.reports) {
    add("report_delivery", r.deliveryDueAt, r.deliveredAt, r.source);
    // A18: the agency's explanation or corrected report (a report replaced by its correction is done).
    // A report set aside with its defect open (passed to the next-ranked agency, or an objection upheld) owes nothing.
    add("report_defect", r.defectDueAt, r.defectAnsweredAt, r.source, r.excluded);
    // The window for objections closes: "done" once it has passed.
    if (r.objectionDueAt) put("objection_window", r.objectionDueAt, null, isPast(r.objectionDueAt, now) ? "done" : p.status === "suspended" ? "paused" : "running", r.source);
  }
  for (const o of extras.objections) {
    const decided = o.decidedAt !== null;
    add("objection_forward", o.forwardDueAt, o.forwardedAt, o.partyName, decided);
    add("objection_answer", o.answerDueAt, o.answeredAt, o.partyName, decided);
    add("objection_decision", o.decisionDueAt, o.decidedAt, o.partyName);
    // A20: the objecting party's 10 days to seek review of a rejected procedural objection.
    if (o.kind === "procedural" && o.decision === "rejected" && o.decidedAt) {
      const dueAt = reviewDueAt(CN_SPC_2016, o.decidedAt);
      add("objection_review", dueAt, o.reviewRequestedAt, o.partyName, isPast(dueAt, now));
    }
  }
  // A25: the sale is due to start within 10 days of the price being fixed; A23: the price's validity.
  if (p.status === "priced" && p.endedAt) {
    put("sale_start", saleStartDueAt(CN_SPC_2016, p.endedAt), null, "running");
    if (extras.price) put("price_validity", extras.price.validUntil, null, isPast(extras.price.validUntil, now) ? "overdue" : "running");
  }
  return items.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}
