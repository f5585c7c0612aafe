// Pure rules of negotiation (A3) and online inquiry (A6, A8–A10, P9): no I/O, time passed in. The use cases in
// appraisal/negotiation.ts, appraisal/directed-inquiry.ts and appraisal/inquiry.ts read the database,
// ask these functions what the law says, and write the answer.
import { addMonths, endOfDays, type Ruleset } from "../../core/ruleset.ts";

// ---------------------------------------------------------------------------------------------
// Deadlines (A8, A9)
// ---------------------------------------------------------------------------------------------

/** A8: a platform's report is due 3 days after the request was sent (the sending day does not count). */
export function reportDueAt(sentAt: Date, rules: Ruleset): Date {
  return endOfDays(sentAt, rules.inquiryReportDays);
}

/**
 * A8: the one extension adds 3 days to the missed deadline. `dueAt` is 24:00 of the period's last day, so
 * the extension counts from that day: due at the end of the 4th → due at the end of the 7th.
 */
export function extendedDueAt(dueAt: Date, rules: Ruleset): Date {
  return endOfDays(new Date(dueAt.getTime() - 1), rules.inquiryExtensionDays);
}

/** A9: a correction is due 3 days after the court asked for it. */
export function correctionDueAt(askedAt: Date, rules: Ruleset): Date {
  return endOfDays(askedAt, rules.inquiryCorrectionDays);
}

/** A deadline is met by anything that happens up to and including its instant (24:00 of the period's last day). */
export function beforeDeadline(at: Date, dueAt: Date): boolean {
  return at.getTime() <= dueAt.getTime();
}

// ---------------------------------------------------------------------------------------------
// What happens when the report deadline passes (A8)
// ---------------------------------------------------------------------------------------------

export interface RequestState {
  id: string;
  /** A report is in. */
  reported: boolean;
  /** The platform asked for the extension before its deadline. */
  extensionRequested: boolean;
  /** The extension was granted (once only). */
  extended: boolean;
  /** Already marked late. */
  late: boolean;
}

export type DeadlineOutcome =
  /** Some reports are in: the court reviews them; the others are late. */
  | { kind: "review"; late: string[] }
  /** None is in: those that asked get one 3-day extension; the others are late. */
  | { kind: "extended"; extend: string[]; late: string[] }
  /** None is in and nobody may wait longer: the inquiry failed; the court switches to appraisal (A11). */
  | { kind: "failed"; late: string[] };

/**
 * A8 at the report deadline. If some reports arrived, the others get no extension and are late. If none
 * arrived, those that asked get one extension (a platform already extended gets no second one); if none
 * asked, the inquiry fails and the court switches to appraisal.
 */
export function decideReportDeadline(requests: readonly RequestState[]): DeadlineOutcome {
  const pending = requests.filter((r) => !r.reported && !r.late);
  if (requests.some((r) => r.reported)) return { kind: "review", late: pending.map((r) => r.id) };
  const extend = pending.filter((r) => r.extensionRequested && !r.extended);
  const late = pending.filter((r) => !extend.includes(r)).map((r) => r.id);
  if (extend.length === 0) return { kind: "failed", late };
  return { kind: "extended", extend: extend.map((r) => r.id), late };
}

// ---------------------------------------------------------------------------------------------
// Errors in facts or scope (A9)
// ---------------------------------------------------------------------------------------------

/**
 * A9 (RP 12): corrections are asked only when every report in has an error of facts or scope; when some
 * report is free of it, nobody is asked and the faulty reports simply do not count (see A10 below).
 */
/** A request as the close of reporting sees it: its report is in or it is late, and its correction (A9) if asked. */
export interface ReportingState {
  hasReport: boolean;
  late: boolean;
  correctionDueAt: Date | null;
  correctedAt: Date | null;
}

/** A7–A9: reports are all in (or late) and no correction is still running, so the price may be fixed. */
export function reportingOver(requests: readonly ReportingState[], now: Date): boolean {
  return requests.every((r) => (r.hasReport || r.late) && !(r.correctionDueAt && !r.correctedAt && !r.late && beforeDeadline(now, r.correctionDueAt)));
}

export function correctionsNeeded(reports: readonly { errorMarked: boolean }[]): boolean {
  return reports.length > 0 && reports.every((r) => r.errorMarked);
}

// ---------------------------------------------------------------------------------------------
// The reference price: the mean of the valid results (A10, P7, P9)
// ---------------------------------------------------------------------------------------------

/** P9: the mean of fen amounts, rounded half-up to the fen (all amounts are positive). */
export function meanHalfUp(values: readonly bigint[]): bigint {
  if (values.length === 0) throw new RangeError("mean of nothing");
  const sum = values.reduce((a, b) => a + b, 0n);
  const n = BigInt(values.length);
  return (2n * sum + n) / (2n * n);
}

export type ObjectionState = "none" | "pending" | "upheld" | "rejected";

/** One platform's result as it stands when the court fixes the price. */
export interface PlatformResult {
  requestId: string;
  /** The current report: the latest one the platform submitted (a correction replaces the first). */
  reportId: string;
  valueFen: bigint;
  validUntil: Date;
  /** The court marked an error of facts or scope on the current report (A9). */
  errorMarked: boolean;
  /** The current report is a correction of an earlier one (A9, A10). */
  corrected: boolean;
  /** The objections (A20–A22) against this platform's reports, summed up: any pending → pending, else any upheld → upheld. */
  objection: ObjectionState;
  /**
   * The current report itself was set aside (an objection against it upheld, A20, A21). "Corrected" in A10
   * saves a report whose earlier version drew the objection, never one the court has set aside.
   */
  excluded?: boolean;
}

export type MeanRefusal =
  /** A9: every report has an error and no correction was asked yet. */
  | "corrections_needed"
  /** A10: every report is objected to and some objection is still undecided. */
  | "objections_pending"
  /** Nothing valid is left: the inquiry failed (A11). */
  | "no_valid_reports";

export type MeanDecision =
  | { ok: true; amountFen: bigint; validUntil: Date; used: string[]; excluded: string[] }
  | { ok: false; reason: MeanRefusal };

/**
 * A9, A10, A23 (RP 12–13): which results make the mean, the mean, and how long it is valid.
 * - A result is valid when it is still in force and carries no uncorrected error of facts or scope.
 * - If every valid result is objected to, the mean uses those whose objection was rejected or which were
 *   corrected (and waits while an objection is undecided); if only some are, it uses those not objected to.
 * - The price is valid until the earliest validity of the reports used, and never beyond one year.
 */
export function decideInquiryMean(results: readonly PlatformResult[], now: Date, rules: Ruleset, options: { correctionsAsked: boolean }): MeanDecision {
  if (results.length === 0) return { ok: false, reason: "no_valid_reports" };
  if (!options.correctionsAsked && correctionsNeeded(results)) return { ok: false, reason: "corrections_needed" };
  // A23: a report is in force up to and including its validity's last instant (as the auction reads a price).
  const valid = results.filter((r) => !r.excluded && !(r.errorMarked && !r.corrected) && r.validUntil.getTime() >= now.getTime());
  let used: PlatformResult[];
  if (valid.some((r) => r.objection === "none")) {
    used = valid.filter((r) => r.objection === "none");
  } else {
    // A10: every undecided objection holds up the mean here, a corrected report's too — the correction may
    // be what the objection is against, and "corrected" does not mean "free of objection".
    if (valid.some((r) => r.objection === "pending")) return { ok: false, reason: "objections_pending" };
    used = valid.filter((r) => r.objection === "rejected" || r.corrected);
  }
  if (used.length === 0) return { ok: false, reason: "no_valid_reports" };
  const earliest = Math.min(...used.map((r) => r.validUntil.getTime()));
  const cap = addMonths(now, rules.referencePriceMaxValidityMonths).getTime();
  return {
    ok: true,
    amountFen: meanHalfUp(used.map((r) => r.valueFen)),
    validUntil: new Date(Math.min(earliest, cap)),
    used: used.map((r) => r.reportId),
    excluded: results.filter((r) => !used.includes(r)).map((r) => r.reportId),
  };
}

// ---------------------------------------------------------------------------------------------
// Strike-off (A6)
// ---------------------------------------------------------------------------------------------

/** A6: the late reports that count at `at` — those of the last 12 months, the instant 12 months ago included. */
export function lateReportsInWindow(lateTimes: readonly Date[], at: Date, rules: Ruleset): number {
  const from = addMonths(at, -rules.platformLateReportsWindowMonths).getTime();
  return lateTimes.filter((t) => t.getTime() >= from && t.getTime() <= at.getTime()).length;
}

/** A6: five late reports within a year strike the platform off the list, barred for five years. */
export function strikeOffDecision(lateTimes: readonly Date[], at: Date, rules: Ruleset): { strike: false } | { strike: true; barredUntil: Date } {
  if (lateReportsInWindow(lateTimes, at, rules) < rules.platformLateReportsLimit) return { strike: false };
  return { strike: true, barredUntil: addMonths(at, rules.listRemovalBarMonths) };
}

// ---------------------------------------------------------------------------------------------
// Negotiation (A3)
// ---------------------------------------------------------------------------------------------

export type NegotiationState = { kind: "waiting"; missing: string[] } | { kind: "differ" } | { kind: "matched"; amountFen: bigint };

/**
 * A3 (RP 4): the figures of both sides match when every party of the case (every applicant and every
 * debtor) has submitted one and all are equal. Until then the parties may still revise theirs.
 */
export function negotiationState(partyIds: readonly string[], figures: readonly { partyId: string; amountFen: bigint }[]): NegotiationState {
  const byParty = new Map(figures.map((f) => [f.partyId, f.amountFen]));
  const missing = partyIds.filter((id) => !byParty.has(id));
  if (missing.length > 0) return { kind: "waiting", missing };
  const amounts = new Set(partyIds.map((id) => byParty.get(id)!));
  if (amounts.size !== 1) return { kind: "differ" };
  return { kind: "matched", amountFen: [...amounts][0]! };
}

/** A23: a price agreed or answered without a report of its own is valid for the longest the law allows. */
export function defaultValidUntil(from: Date, rules: Ruleset): Date {
  return addMonths(from, rules.referencePriceMaxValidityMonths);
}

