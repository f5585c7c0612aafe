// Pure rules of the appraisal workflow: its deadlines, the extension check, objection windows and
// validity (RULEBOOK A1, A14–A25). No I/O; the time is passed in.
//
// How a deadline is read everywhere in this context: a period of days ends at `endOfDays(from, days)`,
// 24:00 Beijing time of its last day, and that instant still belongs to the period. Something done at
// the deadline exactly is on time; one millisecond later it is late (`isPast`).
import { addMonths, endOfDays, type Ruleset } from "../../core/ruleset.ts";
import type { ObjectionStatus, ProcedureMethod } from "../../db/schema/index.ts";

const DAY = 24 * 60 * 60 * 1000;

/** True when `now` is after the deadline (the deadline itself is still on time). */
export function isPast(deadline: Date, now: Date): boolean {
  return now.getTime() > deadline.getTime();
}

/** A1: the reference-price procedure starts within 30 days of the seizure. */
export function procedureStartDueAt(rules: Ruleset, seizedAt: Date): Date {
  return endOfDays(seizedAt, rules.priceProcedureStartDays);
}

/**
 * A1: whether the asset's pricing started late. What counts is the asset's first procedure: a second
 * method after a failed first one continues the same pricing and is not late on that account.
 */
export function isLateStart(rules: Ruleset, seizedAt: Date, firstStartedAt: Date): boolean {
  return isPast(procedureStartDueAt(rules, seizedAt), firstStartedAt);
}

/** Platform policy (A14 sets no period): the commissioned agency answers within this many days. */
export function offerExpiresAt(rules: Ruleset, offeredAt: Date): Date {
  return endOfDays(offeredAt, rules.appraisalOfferAnswerDays);
}

/**
 * A15: the report is due 30 days after the agency accepted the commission. RP 19 says "within 30 days"
 * without naming the start; the agency can only begin once it has accepted and received the materials,
 * so the period runs from acceptance (an offer is answered within days, see `offerExpiresAt`).
 */
export function reportDueAt(rules: Ruleset, acceptedAt: Date): Date {
  return endOfDays(acceptedAt, rules.appraisalReportDays);
}

/** A15: the last instant an extension may be requested: 5 whole days before the report deadline. */
export function latestExtensionRequestAt(rules: Ruleset, dueAt: Date): Date {
  return new Date(dueAt.getTime() - rules.appraisalExtensionNoticeDays * DAY);
}

export type ExtensionRefusal = "EXTENSION_LIMIT" | "EXTENSION_TOO_LONG" | "EXTENSION_TOO_LATE";
export type ExtensionDecision = { ok: true; newDueAt: Date } | { ok: false; code: ExtensionRefusal };

/**
 * A15: an extension is granted when it is requested at least 5 days before the deadline, it is at most
 * the second one, and it is at most 15 days. The law's conditions are the whole test, so the platform
 * grants a request that meets them and refuses one that does not; the new deadline is the old one
 * moved by the days granted.
 */
export function decideExtension(rules: Ruleset, input: { now: Date; dueAt: Date; extensionsUsed: number; days: number }): ExtensionDecision {
  if (input.extensionsUsed >= rules.appraisalExtensionsMax) return { ok: false, code: "EXTENSION_LIMIT" };
  if (input.days > rules.appraisalExtensionMaxDays) return { ok: false, code: "EXTENSION_TOO_LONG" };
  if (isPast(latestExtensionRequestAt(rules, input.dueAt), input.now)) return { ok: false, code: "EXTENSION_TOO_LATE" };
  return { ok: true, newDueAt: new Date(input.dueAt.getTime() + input.days * DAY) };
}

/** A16: after a missed deadline, the materials come back within 3 days. */
export function materialsDueAt(rules: Ruleset, overdueAt: Date): Date {
  return endOfDays(overdueAt, rules.materialsReturnDays);
}

/** A19: the court sends the report to the parties within 3 days of receiving it. */
export function deliveryDueAt(rules: Ruleset, submittedAt: Date): Date {
  return endOfDays(submittedAt, rules.reportDeliveryDays);
}

/**
 * A19: a report that cannot be served is posted on 中国执行信息公开网 and deemed served 15 days later.
 * The period is counted like every other: the posting day does not count, the 15th day ends at 24:00.
 */
export function deemedServedAt(rules: Ruleset, postedAt: Date): Date {
  return endOfDays(postedAt, rules.reportDeemedServedDays);
}

/**
 * A19, A20, A21: the objection window of a posted report. Deemed service falls at 24:00 of the 15th day,
 * so the 5 days of objections are the 16th to the 20th day after the posting (an instant at 24:00 would
 * otherwise be read as the start of the next day and lengthen the window by one).
 */
export function postedObjectionDueAt(rules: Ruleset, postedAt: Date): Date {
  return endOfDays(postedAt, rules.reportDeemedServedDays + rules.objectionDays);
}

/** A18: the agency explains or corrects a defect in its report within 3 days of the court's mark. */
export function defectDueAt(rules: Ruleset, markedAt: Date): Date {
  return endOfDays(markedAt, rules.reportDefectDays);
}

/** A18: a defect is open from the court's mark until the agency explains it or a corrected report replaces the report. */
export function defectOpen(report: { defectMarkedAt: Date | null; defectAnsweredAt: Date | null; excluded: boolean }): boolean {
  return report.defectMarkedAt !== null && report.defectAnsweredAt === null && !report.excluded;
}

/** A18: what the judge may do about a defect left unanswered past its deadline. */
export const DEFECT_REMEDIES = ["extend", "pass_on"] as const;
export type DefectRemedy = (typeof DEFECT_REMEDIES)[number];

/**
 * A18: a defect neither explained nor corrected by its deadline is overdue, and the judge may give the agency a
 * new 3-day deadline, once (RP 20 names no consequence, and a second chance is what a court would give before
 * changing agency), or pass the work to the next-ranked agency as for a missed report (A16). None while the
 * deadline runs or once the defect is closed.
 */
export function defectRemedies(
  report: { defectMarkedAt: Date | null; defectAnsweredAt: Date | null; excluded: boolean; defectDueAt: Date | null; defectExtendedAt: Date | null },
  now: Date,
): readonly DefectRemedy[] {
  if (!defectOpen(report) || !report.defectDueAt || !isPast(report.defectDueAt, now)) return [];
  return report.defectExtendedAt ? ["pass_on"] : DEFECT_REMEDIES;
}

/** A20 (CPL 236): review (复议) of the decision on a procedural objection may be sought within 10 days of it. */
export function reviewDueAt(rules: Ruleset, decidedAt: Date): Date {
  return endOfDays(decidedAt, rules.objectionReviewDays);
}

/**
 * A20: review is open to the objecting party against the decision on a procedural objection that went
 * against it (rejected) — an upheld objection leaves the objector nothing to seek review of.
 */
export function reviewAllowed(o: { kind: "procedural" | "technical"; status: ObjectionStatus; reviewRequestedAt: Date | null }): boolean {
  return o.kind === "procedural" && o.status === "rejected" && o.reviewRequestedAt === null;
}

/** A20: a review asked and not yet decided holds up the reference price. */
export function reviewPending(o: { reviewRequestedAt: Date | null; reviewDecidedAt: Date | null }): boolean {
  return o.reviewRequestedAt !== null && o.reviewDecidedAt === null;
}

/** What a party's review holds the reference price up by (A20): a review asked and undecided, or the 10 days to ask one. */
export type ReviewHold = { kind: "review_pending"; since: Date } | { kind: "review_window"; until: Date };

/**
 * A20: the reference price waits while a party may still use its review — a review asked and not yet decided,
 * or the 10 days to ask for review of a rejected procedural objection while they run (fixing the price inside
 * them would make the review moot). A pending review comes first: it holds the price until its outcome is
 * recorded, whatever the other windows; otherwise the latest window's end says until when.
 */
export function reviewHold(
  rules: Ruleset,
  objections: readonly { kind: "procedural" | "technical"; status: ObjectionStatus; decidedAt: Date | null; reviewRequestedAt: Date | null; reviewDecidedAt: Date | null }[],
  now: Date,
): ReviewHold | null {
  const pending = objections.find(reviewPending);
  if (pending) return { kind: "review_pending", since: pending.reviewRequestedAt! };
  let until: Date | null = null;
  for (const o of objections) {
    if (!reviewAllowed(o) || !o.decidedAt) continue;
    const due = reviewDueAt(rules, o.decidedAt);
    if (!isPast(due, now) && (!until || due > until)) until = due;
  }
  return until ? { kind: "review_window", until } : null;
}

/** A17: a re-issued report is due 15 days after the court asks an appraiser, 3 days after it asks a platform. */
export function reissueDueAt(rules: Ruleset, askedAt: Date, source: "appraisal" | "online_inquiry"): Date {
  return endOfDays(askedAt, rules.reissueReportDays[source]);
}

/** A20, A21: objections, procedural or technical, within 5 days of receipt. */
export function objectionDueAt(rules: Ruleset, deliveredAt: Date): Date {
  return endOfDays(deliveredAt, rules.objectionDays);
}

/** A22: a negotiated or directed-inquiry price admits no objection. */
export function objectionsAllowed(method: ProcedureMethod): boolean {
  return method === "online_inquiry" || method === "appraisal";
}

/** A21: the court forwards a technical objection within 3 days. */
export function forwardDueAt(rules: Ruleset, filedAt: Date): Date {
  return endOfDays(filedAt, rules.objectionForwardDays);
}

/** A21: the appraiser (or platform) explains within 5 days of receiving it. */
export function answerDueAt(rules: Ruleset, forwardedAt: Date): Date {
  return endOfDays(forwardedAt, rules.objectionAnswerDays);
}

/** A20: the court decides a procedural objection within 15 days. */
export function decisionDueAt(rules: Ruleset, filedAt: Date): Date {
  return endOfDays(filedAt, rules.objectionDecisionDays);
}

export const OBJECTION_DECISIONS = ["rejected", "upheld", "technical_review"] as const;
export type ObjectionDecision = (typeof OBJECTION_DECISIONS)[number];

/**
 * Which decisions the judge may take on an objection in its present state.
 * A20: a procedural objection is decided by the court directly (rejected or upheld).
 * A21: a technical one is decided once the appraiser has explained — rejected, upheld, or sent to the
 * industry association's technical review; after the review the court decides rejected or upheld.
 * An objection the appraiser did not explain in time goes to technical review by the sweep.
 */
export function allowedDecisions(kind: "procedural" | "technical", status: ObjectionStatus): readonly ObjectionDecision[] {
  if (kind === "procedural") return status === "filed" ? ["rejected", "upheld"] : [];
  if (status === "answered") return ["rejected", "upheld", "technical_review"];
  if (status === "technical_review") return ["rejected", "upheld"];
  return [];
}

/** An objection still waiting for the court or the appraiser: it holds up the reference price. */
export function objectionPending(status: ObjectionStatus): boolean {
  return status === "filed" || status === "forwarded" || status === "answered" || status === "technical_review";
}

/**
 * A14, A23: a report states a validity period ending after its valuation date and at most one year
 * from it. Returns a message key for the field at fault, or null.
 */
export function checkReportValidity(rules: Ruleset, input: { valuationDate: Date; validUntil: Date; now: Date }): { field: "valuationDate" | "validUntil"; error: string } | null {
  if (isPast(input.now, input.valuationDate)) return { field: "valuationDate", error: "appraisal.error.valuationDateFuture" };
  if (input.validUntil.getTime() <= input.valuationDate.getTime()) return { field: "validUntil", error: "appraisal.error.validityOrder" };
  if (isPast(addMonths(input.valuationDate, rules.referencePriceMaxValidityMonths), input.validUntil)) return { field: "validUntil", error: "appraisal.error.validityTooLong" };
  if (!isPast(input.now, input.validUntil)) return { field: "validUntil", error: "appraisal.error.validityOver" };
  return null;
}

/** A23: a reference price's validity never exceeds one year from the valuation date. */
export function cappedValidUntil(rules: Ruleset, valuationDate: Date, validUntil: Date): Date {
  const cap = addMonths(valuationDate, rules.referencePriceMaxValidityMonths);
  return validUntil.getTime() > cap.getTime() ? cap : validUntil;
}

/** A24: a deadline that was running during a suspension moves by the suspended time. */
export function shifted<T extends Date | null>(deadline: T, ms: number): T {
  return (deadline === null ? null : new Date(deadline.getTime() + ms)) as T;
}

/**
 * A24: a deadline after a suspension that began at `from` and lasted `ms`. One still running then (due at or
 * after `from`: an act at the deadline instant is on time) moves by the suspended time, so it never falls
 * inside the suspension; one already passed stays passed. `resumeProcedure` applies the same test in SQL.
 */
export function resumedDeadline<T extends Date | null>(deadline: T, from: Date, ms: number): T {
  return deadline !== null && deadline.getTime() >= from.getTime() ? shifted(deadline, ms) : deadline;
}

/** A25: the sale starts within 10 days of the reference price being fixed. */
export function saleStartDueAt(rules: Ruleset, fixedAt: Date): Date {
  return endOfDays(fixedAt, rules.saleStartDays);
}
