// What the procedure pages read besides `procedureView` (the court's page and the parties' view), the agencies
// the parties may agree on, the public draw's case, and the A10 mean as it would be fixed now. Nothing here writes.
import { asc, eq } from "drizzle-orm";
import type { DbOrTx } from "../db/client.ts";
import { agencyDraws, inquiryRequests, negotiationFigures, priceProcedures } from "../db/schema/index.ts";
import { AppError } from "../core/errors.ts";
import { CN_SPC_2016, endOfDays } from "../core/ruleset.ts";
import { courts, mask } from "../identity/index.ts";
import { assets, cases, referencePrices } from "../auction/index.ts";
import { partiesOf } from "./parties.ts";
import { listAgencies } from "./pool.ts";
import type { procedureView } from "./procedures.ts";
import { decideInquiryMean } from "./rules/inquiry.ts";
import { objectionPending, reviewDueAt } from "./rules/appraisal.ts";
import { specialtyForCategory } from "./rules/draw.ts";

type View = Awaited<ReturnType<typeof procedureView>>;

/** What the procedure pages show besides `procedureView`: the parties, the draw, inquiry requests, figures, the price. */
export async function procedureExtras(db: DbOrTx, view: View) {
  const procedureId = view.procedure.id;
  const parties = (await partiesOf(db, view.procedure.caseId)).map((p) => ({ id: p.id, role: p.role, name: p.name, identityNumber: mask(p.identityNumber) }));
  const [draw] = await db
    .select({ id: agencyDraws.id, entropyCutoffAt: agencyDraws.entropyCutoffAt, drawnAt: agencyDraws.drawnAt, regionCode: agencyDraws.regionCode, specialty: agencyDraws.specialty })
    .from(agencyDraws)
    .where(eq(agencyDraws.procedureId, procedureId));
  const requests =
    view.procedure.method === "online_inquiry" || view.procedure.method === "directed_inquiry"
      ? await db.select().from(inquiryRequests).where(eq(inquiryRequests.procedureId, procedureId)).orderBy(asc(inquiryRequests.addressee), asc(inquiryRequests.id))
      : [];
  const figures =
    view.procedure.method === "negotiation"
      ? await db
          .select({ partyId: negotiationFigures.partyId, amountFen: negotiationFigures.amountFen, submittedAt: negotiationFigures.submittedAt })
          .from(negotiationFigures)
          .where(eq(negotiationFigures.procedureId, procedureId))
      : [];
  const [price] = view.procedure.referencePriceId
    ? await db
        .select({ id: referencePrices.id, amountFen: referencePrices.amountFen, documentTitle: referencePrices.documentTitle, validFrom: referencePrices.validFrom, validUntil: referencePrices.validUntil, createdAt: referencePrices.createdAt })
        .from(referencePrices)
        .where(eq(referencePrices.id, view.procedure.referencePriceId))
    : [];
  // Who wrote each report: the agency of its commission, or the platform (or body) its request went to.
  const sourceOf = new Map<string, string>();
  for (const c of view.commissions) sourceOf.set(`c:${c.id}`, c.agencyName);
  for (const r of requests) sourceOf.set(`r:${r.id}`, addresseeName(r.addressee));
  const reports = view.reports.map((r) => ({
    ...r,
    source: (r.commissionId ? sourceOf.get(`c:${r.commissionId}`) : r.inquiryRequestId ? sourceOf.get(`r:${r.inquiryRequestId}`) : undefined) ?? "",
  }));
  const partyById = new Map(parties.map((p) => [p.id, p]));
  const objections = view.objections.map((o) => ({ ...o, partyRole: partyById.get(o.partyId)?.role ?? null, partyName: partyById.get(o.partyId)?.name ?? "" }));
  return {
    parties,
    draw: draw ?? null,
    requests,
    figures: figures.map((f) => ({ ...f, partyRole: partyById.get(f.partyId)?.role ?? null, partyName: partyById.get(f.partyId)?.name ?? "" })),
    price: price ?? null,
    reports,
    objections,
  };
}

export type ProcedureExtras = Awaited<ReturnType<typeof procedureExtras>>;

/** A directed inquiry's addressee is stored as "tax_authority: 国家税务总局…": the name is what people read. */
export function addresseeName(addressee: string): string {
  return addressee.replace(/^[a-z_]+: /, "");
}

/** A13: the agencies the parties may have agreed on — active on the list, on the asset's specialty sub-library. */
export async function agreeableAgencies(db: DbOrTx, category: Parameters<typeof specialtyForCategory>[0]) {
  const list = await listAgencies(db, { status: "active", specialty: specialtyForCategory(category) });
  return list.map((a) => ({ agencyId: a.agencyId, name: a.name, creditCode: a.creditCode }));
}

export type DeadlineState = "done" | "running" | "overdue" | "paused";

export interface ProcedureDeadline {
  /** Message key naming the deadline. */
  label: string;
  /** Who or what it concerns (an agency, a platform, a party), if not the procedure as a whole. */
  subject: string | null;
  rule: string;
  dueAt: Date;
  doneAt: Date | null;
  state: DeadlineState;
}

/**
 * Every deadline of one procedure with the rule that sets it, met or not: what the court page lists. Met
 * deadlines stay listed with when they were met; while the procedure is suspended the running ones stand
 * still (A24), so they show as paused rather than overdue.
 */
export function procedureDeadlines(view: View, extras: ProcedureExtras, now: Date): ProcedureDeadline[] {
  const p = view.procedure;
  const items: ProcedureDeadline[] = [];
  // `ended`: nothing is owed any more although it was never met (a withdrawn commission, a decided objection).
  const add = (label: string, rule: string, dueAt: Date | null | undefined, doneAt: Date | null, subject: string | null = null, ended = false) => {
    if (!dueAt) return;
    const running = p.status === "open" || p.status === "suspended";
    const state: DeadlineState = doneAt || ended || !running ? "done" : p.status === "suspended" ? "paused" : now.getTime() > dueAt.getTime() ? "overdue" : "running";
    items.push({ label, subject, rule, dueAt, doneAt, state });
  };
  // A1: the pricing was due to start within 30 days of the seizure.
  if (p.startDueAt) items.push({ label: "appraisal.deadline.procedure_start", subject: null, rule: "A1", dueAt: p.startDueAt, doneAt: p.startedAt, state: p.lateStart ? "overdue" : "done" });
  const stepLabel = { negotiation: "appraisal.deadline.negotiation", directed_inquiry: "appraisal.deadline.directed", online_inquiry: "appraisal.deadline.inquiry", appraisal: "" }[p.method];
  const stepRule = { negotiation: "A3", directed_inquiry: "A4", online_inquiry: "A8", appraisal: "" }[p.method];
  if (p.method === "negotiation" || p.method === "directed_inquiry") add(stepLabel, stepRule, p.dueAt, p.status === "open" || p.status === "suspended" ? null : p.endedAt);
  const reportOf = (requestId: string) => extras.reports.filter((r) => r.inquiryRequestId === requestId);
  if (p.method === "online_inquiry") {
    for (const r of extras.requests) {
      const own = reportOf(r.id);
      const first = own[0]?.submittedAt ?? null;
      add("appraisal.deadline.inquiry_report", "A8", r.dueAt, first, addresseeName(r.addressee));
      add("appraisal.deadline.inquiry_correction", "A9", r.correctionDueAt, r.correctedAt, addresseeName(r.addressee));
    }
  }
  for (const c of view.commissions) {
    const withdrawn = c.status === "withdrawn";
    // Platform policy: the offer is answered within days; silence counts as declining.
    add("appraisal.deadline.offer_answer", "policy", c.offerExpiresAt, c.respondedAt, c.agencyName, c.status !== "offered");
    const report = extras.reports.find((r) => r.commissionId === c.id);
    add("appraisal.deadline.report_due", "A15", c.reportDueAt, report?.submittedAt ?? null, c.agencyName, withdrawn);
    add("appraisal.deadline.materials_return", "A16", c.materialsDueAt, c.materialsReturnedAt, c.agencyName);
  }
  for (const r of extras.reports) {
    add("appraisal.deadline.report_delivery", "A19", r.deliveryDueAt, r.deliveredAt, r.source);
    // A18: the agency's explanation or corrected report (a report replaced by its correction is done).
    add("appraisal.deadline.report_defect", "A18", r.defectDueAt, r.defectAnsweredAt, r.source);
    // The window for objections closes: "done" once it has passed.
    if (r.objectionDueAt) items.push({ label: "appraisal.deadline.objection_window", subject: r.source, rule: "A20", dueAt: r.objectionDueAt, doneAt: null, state: now.getTime() > r.objectionDueAt.getTime() ? "done" : p.status === "suspended" ? "paused" : "running" });
  }
  for (const o of extras.objections) {
    const decided = o.decidedAt !== null;
    add("appraisal.deadline.objection_forward", "A21", o.forwardDueAt, o.forwardedAt, o.partyName, decided);
    add("appraisal.deadline.objection_answer", "A21", o.answerDueAt, o.answeredAt, o.partyName, decided);
    add("appraisal.deadline.objection_decision", "A20", o.decisionDueAt, o.decidedAt, o.partyName);
    // A20: the objecting party's 10 days to seek review of a rejected procedural objection.
    if (o.kind === "procedural" && o.decision === "rejected" && o.decidedAt) {
      const dueAt = reviewDueAt(CN_SPC_2016, o.decidedAt);
      add("appraisal.deadline.objection_review", "A20", dueAt, o.reviewRequestedAt, o.partyName, now.getTime() > dueAt.getTime());
    }
  }
  // A25: the sale is due to start within 10 days of the price being fixed; A23: the price's validity.
  if (p.status === "priced" && p.endedAt) {
    items.push({ label: "appraisal.deadline.sale_start", subject: null, rule: "A25", dueAt: endOfDays(p.endedAt, CN_SPC_2016.saleStartDays), doneAt: null, state: "running" });
    if (extras.price) items.push({ label: "appraisal.deadline.price_validity", subject: null, rule: "A23", dueAt: extras.price.validUntil, doneAt: null, state: now.getTime() > extras.price.validUntil.getTime() ? "overdue" : "running" });
  }
  return items.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/** The draw of a procedure's case, for the public page: its case number and asset (no personal data). */
export async function drawContext(db: DbOrTx, procedureId: string) {
  const [row] = await db
    .select({ caseId: cases.id, caseNumber: cases.caseNumber, courtName: courts.name, assetTitle: assets.title, assetRegion: assets.regionCode })
    .from(priceProcedures)
    .innerJoin(cases, eq(cases.id, priceProcedures.caseId))
    .innerJoin(courts, eq(courts.id, cases.courtId))
    .innerJoin(assets, eq(assets.id, priceProcedures.assetId))
    .where(eq(priceProcedures.id, procedureId));
  if (!row) throw new AppError("NOT_FOUND");
  return row;
}

/**
 * A10: what the mean of the platforms' results would be if the judge fixed the price now — the same
 * decision the use case takes (fixInquiryPrice), shown beforehand. Each platform's current report is its
 * newest; reports with an uncorrected error (A9), expired ones and objected ones drop out.
 */
export function inquiryMeanPreview(extras: ProcedureExtras, now: Date) {
  const requests = extras.requests.filter((r) => r.platformId !== null);
  const results = requests.flatMap((request) => {
    const own = extras.reports.filter((r) => r.inquiryRequestId === request.id).sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime());
    const current = own[0];
    if (!current) return [];
    const ids = new Set(own.map((r) => r.id));
    const statuses = extras.objections.filter((o) => ids.has(o.reportId)).map((o) => o.status);
    const objection = statuses.some((s) => objectionPending(s)) ? "pending" : current.excluded || statuses.includes("upheld") ? "upheld" : statuses.includes("rejected") ? "rejected" : "none";
    const errorMarked = request.errorMarkedAt !== null && (request.correctedAt === null || request.errorMarkedAt.getTime() > request.correctedAt.getTime());
    return [{ requestId: request.id, reportId: current.id, valueFen: current.valueFen, validUntil: current.validUntil, errorMarked, corrected: request.correctedAt !== null, excluded: current.excluded, objection: objection as "none" | "pending" | "upheld" | "rejected" }];
  });
  const decision = decideInquiryMean(results, now, CN_SPC_2016, { correctionsAsked: requests.some((r) => r.correctionDueAt !== null) });
  return decision.ok ? { ok: true as const, amountFen: decision.amountFen, used: decision.used.length, of: results.length } : { ok: false as const, reason: decision.reason, of: results.length };
}
