import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CN_SPC_2016 } from "../../core/ruleset.ts";
import {
  allowedDecisions,
  answerDueAt,
  cappedValidUntil,
  checkReportValidity,
  decideExtension,
  decisionDueAt,
  deemedServedAt,
  defectDueAt,
  defectOpen,
  defectRemedies,
  deliveryDueAt,
  forwardDueAt,
  isLateStart,
  isPast,
  latestExtensionRequestAt,
  materialsDueAt,
  objectionDueAt,
  objectionPending,
  objectionsAllowed,
  offerExpiresAt,
  postedObjectionDueAt,
  procedureStartDueAt,
  reissueDueAt,
  reportDueAt,
  resumedDeadline,
  reviewAllowed,
  reviewDueAt,
  reviewPending,
  reviewHold,
  saleStartDueAt,
  shifted,
} from "../../appraisal/rules/appraisal.ts";

const R = CN_SPC_2016;
const MS = 1;
const DAY = 24 * 60 * 60 * 1000;
/** An instant given in Beijing time. */
const bj = (s: string) => new Date(`${s}+08:00`);

describe("deadline instants", () => {
  it("a deadline instant itself is on time; one millisecond later is past", () => {
    const d = bj("2026-03-08T00:00:00");
    expect(isPast(d, d)).toBe(false);
    expect(isPast(d, new Date(d.getTime() + MS))).toBe(true);
  });
});

describe("A1: the pricing starts within 30 days of the seizure", () => {
  it("A1: seized on 1 March, due by the end of 31 March (Beijing); a start then is on time, a millisecond later is late", () => {
    const seized = bj("2026-03-01T15:30:00");
    const due = procedureStartDueAt(R, seized);
    expect(due).toEqual(bj("2026-04-01T00:00:00"));
    expect(isLateStart(R, seized, due)).toBe(false);
    expect(isLateStart(R, seized, new Date(due.getTime() + MS))).toBe(true);
  });
});

describe("A14–A16: commissions", () => {
  it("A14 (platform policy): an offer made on 2 March must be answered by the end of 5 March", () => {
    expect(offerExpiresAt(R, bj("2026-03-02T10:00:00"))).toEqual(bj("2026-03-06T00:00:00"));
  });

  it("A15: a commission accepted on 2 March has its report due by the end of 1 April", () => {
    expect(reportDueAt(R, bj("2026-03-02T10:00:00"))).toEqual(bj("2026-04-02T00:00:00"));
  });

  const due = bj("2026-04-02T00:00:00"); // end of 1 April

  it("A15: an extension asked 5 days before the deadline is granted; 4 days before is refused", () => {
    // 5 whole days before the end of 1 April: until the end of 27 March.
    expect(latestExtensionRequestAt(R, due)).toEqual(bj("2026-03-28T00:00:00"));
    const fiveDaysBefore = decideExtension(R, { now: bj("2026-03-27T23:59:59.999"), dueAt: due, extensionsUsed: 0, days: 10 });
    expect(fiveDaysBefore).toEqual({ ok: true, newDueAt: bj("2026-04-12T00:00:00") });
    expect(decideExtension(R, { now: latestExtensionRequestAt(R, due), dueAt: due, extensionsUsed: 0, days: 10 }).ok).toBe(true);
    expect(decideExtension(R, { now: bj("2026-03-28T00:00:00.001"), dueAt: due, extensionsUsed: 0, days: 10 })).toEqual({ ok: false, code: "EXTENSION_TOO_LATE" });
    expect(decideExtension(R, { now: bj("2026-03-28T09:00:00"), dueAt: due, extensionsUsed: 0, days: 10 })).toEqual({ ok: false, code: "EXTENSION_TOO_LATE" });
  });

  it("A15: at most 2 extensions — the third is refused", () => {
    const now = bj("2026-03-10T10:00:00");
    expect(decideExtension(R, { now, dueAt: due, extensionsUsed: 1, days: 15 }).ok).toBe(true);
    expect(decideExtension(R, { now, dueAt: due, extensionsUsed: 2, days: 1 })).toEqual({ ok: false, code: "EXTENSION_LIMIT" });
  });

  it("A15: each extension is at most 15 days — 15 is granted, 16 refused", () => {
    const now = bj("2026-03-10T10:00:00");
    expect(decideExtension(R, { now, dueAt: due, extensionsUsed: 0, days: 15 })).toEqual({ ok: true, newDueAt: new Date(due.getTime() + 15 * DAY) });
    expect(decideExtension(R, { now, dueAt: due, extensionsUsed: 0, days: 16 })).toEqual({ ok: false, code: "EXTENSION_TOO_LONG" });
  });

  it("A16: an overdue agency returns the materials within 3 days", () => {
    expect(materialsDueAt(R, bj("2026-04-02T00:00:00.001"))).toEqual(bj("2026-04-06T00:00:00"));
  });
});

describe("A19–A22: delivery and objections", () => {
  it("A19: a report received on 2 March is due to the parties by the end of 5 March", () => {
    expect(deliveryDueAt(R, bj("2026-03-02T18:00:00"))).toEqual(bj("2026-03-06T00:00:00"));
  });

  it("A20: objections to a report delivered on 2 March are on time through day 5 (7 March) and late on day 6", () => {
    const end = objectionDueAt(R, bj("2026-03-02T10:00:00"));
    expect(end).toEqual(bj("2026-03-08T00:00:00"));
    expect(isPast(end, bj("2026-03-07T23:59:59.999"))).toBe(false);
    expect(isPast(end, bj("2026-03-08T00:00:00.001"))).toBe(true);
  });

  it("A21: forwarded within 3 days of filing, explained within 5 of forwarding; A20: decided within 15", () => {
    expect(forwardDueAt(R, bj("2026-03-05T09:00:00"))).toEqual(bj("2026-03-09T00:00:00"));
    expect(answerDueAt(R, bj("2026-03-06T09:00:00"))).toEqual(bj("2026-03-12T00:00:00"));
    expect(decisionDueAt(R, bj("2026-03-05T09:00:00"))).toEqual(bj("2026-03-21T00:00:00"));
  });

  it("A22: no objection to a negotiated or directed-inquiry price; online inquiry and appraisal admit them", () => {
    expect(objectionsAllowed("negotiation")).toBe(false);
    expect(objectionsAllowed("directed_inquiry")).toBe(false);
    expect(objectionsAllowed("online_inquiry")).toBe(true);
    expect(objectionsAllowed("appraisal")).toBe(true);
  });

  it("A20, A21: which decisions fit which objection state", () => {
    expect(allowedDecisions("procedural", "filed")).toEqual(["rejected", "upheld"]);
    expect(allowedDecisions("procedural", "rejected")).toEqual([]);
    expect(allowedDecisions("technical", "filed")).toEqual([]);
    expect(allowedDecisions("technical", "forwarded")).toEqual([]);
    expect(allowedDecisions("technical", "answered")).toEqual(["rejected", "upheld", "technical_review"]);
    expect(allowedDecisions("technical", "technical_review")).toEqual(["rejected", "upheld"]);
    expect(objectionPending("technical_review")).toBe(true);
    expect(objectionPending("rejected")).toBe(false);
    expect(objectionPending("upheld")).toBe(false);
  });
});

describe("A23: validity at most one year", () => {
  const valuationDate = bj("2026-03-01T00:00:00");
  const now = bj("2026-03-20T10:00:00");

  it("A23: a report valid exactly one year from its valuation date is accepted; a millisecond more is refused", () => {
    expect(checkReportValidity(R, { valuationDate, validUntil: bj("2027-03-01T00:00:00"), now })).toBeNull();
    expect(checkReportValidity(R, { valuationDate, validUntil: bj("2027-03-01T00:00:00.001"), now })).toEqual({ field: "validUntil", error: "appraisal.error.validityTooLong" });
  });

  it("A14, A23: the validity ends after the valuation date and not before now; the valuation date is not in the future", () => {
    expect(checkReportValidity(R, { valuationDate, validUntil: valuationDate, now })?.error).toBe("appraisal.error.validityOrder");
    expect(checkReportValidity(R, { valuationDate, validUntil: now, now })?.error).toBe("appraisal.error.validityOver");
    expect(checkReportValidity(R, { valuationDate: new Date(now.getTime() + MS), validUntil: bj("2026-12-01T00:00:00"), now })?.error).toBe("appraisal.error.valuationDateFuture");
  });

  it("A23: a reference price's validity is capped at one year from the valuation date", () => {
    expect(cappedValidUntil(R, valuationDate, bj("2027-06-01T00:00:00"))).toEqual(bj("2027-03-01T00:00:00"));
    expect(cappedValidUntil(R, valuationDate, bj("2026-09-01T00:00:00"))).toEqual(bj("2026-09-01T00:00:00"));
  });
});

interface Suspension {
  from: number;
  to: number;
}

/** How much of [start, end) the suspensions cover: an oracle that knows nothing of how deadlines are moved. */
function suspendedWithin(suspensions: readonly Suspension[], start: number, end: number): number {
  return suspensions.reduce((sum, s) => sum + Math.max(0, Math.min(s.to, end) - Math.max(s.from, start)), 0);
}

describe("A24, A25", () => {
  it("A24: a running deadline moves by the suspended time; no deadline stays none", () => {
    expect(shifted(bj("2026-04-02T00:00:00"), 3 * DAY + 5)).toEqual(new Date(bj("2026-04-05T00:00:00").getTime() + 5));
    expect(shifted(null, DAY)).toBeNull();
  });

  it("A24: over random suspend and resume sequences, no deadline falls inside a suspension, and each moved by exactly the suspended time it ran through", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 * DAY }),
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 20 * DAY }), length: fc.integer({ min: 0, max: 30 * DAY }) }), { maxLength: 8 }),
        (span, steps) => {
          const t0 = bj("2026-03-02T10:00:00");
          const first = new Date(t0.getTime() + span);
          let deadline = first;
          let now = t0.getTime();
          const suspensions: Suspension[] = [];
          for (const { gap, length } of steps) {
            const from = new Date((now += gap));
            now += length;
            suspensions.push({ from: from.getTime(), to: now });
            deadline = resumedDeadline(deadline, from, length);
          }
          const at = deadline.getTime();
          for (const s of suspensions) expect(at >= s.from && at < s.to, `due ${at} inside the suspension ${s.from}–${s.to}`).toBe(false);
          expect(at - first.getTime()).toBe(suspendedWithin(suspensions, t0.getTime(), at));
          // So the deadline kept exactly its running time: as long, counted without the suspensions, as first set.
          expect(at - t0.getTime() - suspendedWithin(suspensions, t0.getTime(), at)).toBe(span);
        },
      ),
      { numRuns: 2000 },
    );
    expect(resumedDeadline(null, bj("2026-03-02T10:00:00"), DAY)).toBeNull();
  });

  it("A25: the sale starts within 10 days of the price being fixed", () => {
    expect(saleStartDueAt(R, bj("2026-05-01T15:00:00"))).toEqual(bj("2026-05-12T00:00:00"));
  });
});

describe("A17–A20: re-issue, defects, service by posting, review", () => {
  const at = bj("2026-03-13T10:00:00");

  it("A17: a re-issued report is due 15 days after the court asks an appraiser, 3 days after it asks a platform", () => {
    expect(reissueDueAt(R, at, "appraisal")).toEqual(bj("2026-03-29T00:00:00"));
    expect(reissueDueAt(R, at, "online_inquiry")).toEqual(bj("2026-03-17T00:00:00"));
  });

  it("A18: a defect is explained or corrected by 24:00 of the third day; it is open until answered or replaced", () => {
    expect(defectDueAt(R, at)).toEqual(bj("2026-03-17T00:00:00"));
    expect(defectOpen({ defectMarkedAt: at, defectAnsweredAt: null, excluded: false })).toBe(true);
    expect(defectOpen({ defectMarkedAt: at, defectAnsweredAt: at, excluded: false })).toBe(false);
    expect(defectOpen({ defectMarkedAt: at, defectAnsweredAt: null, excluded: true })).toBe(false);
    expect(defectOpen({ defectMarkedAt: null, defectAnsweredAt: null, excluded: false })).toBe(false);
  });

  it("A18: a defect unanswered past its deadline offers the judge a new deadline once and the next-ranked agency; nothing while it runs or once it is closed", () => {
    const due = defectDueAt(R, at);
    const marked = { defectMarkedAt: at, defectAnsweredAt: null, excluded: false, defectDueAt: due, defectExtendedAt: null };
    const after = new Date(due.getTime() + MS);
    expect(defectRemedies(marked, due)).toEqual([]);
    expect(defectRemedies(marked, after)).toEqual(["extend", "pass_on"]);
    expect(defectRemedies({ ...marked, defectExtendedAt: after }, after)).toEqual(["pass_on"]);
    expect(defectRemedies({ ...marked, defectAnsweredAt: after }, after)).toEqual([]);
    expect(defectRemedies({ ...marked, excluded: true }, after)).toEqual([]);
  });

  it("A19: a report posted on 13 March is deemed served at 24:00 of 28 March; objections run to 24:00 of 2 April (days 16–20), not a day longer", () => {
    expect(deemedServedAt(R, at)).toEqual(bj("2026-03-29T00:00:00"));
    expect(postedObjectionDueAt(R, at)).toEqual(bj("2026-04-03T00:00:00"));
    // The same as a direct delivery made during the 15th day.
    expect(postedObjectionDueAt(R, at)).toEqual(objectionDueAt(R, bj("2026-03-28T23:59:59")));
  });

  it("A20: review within 10 days of the decision: the last instant of day 10 is on time, day 11 is late; only a rejected procedural objection, once", () => {
    const due = reviewDueAt(R, at);
    expect(due).toEqual(bj("2026-03-24T00:00:00"));
    expect(isPast(due, due)).toBe(false);
    expect(isPast(due, new Date(due.getTime() + MS))).toBe(true);
    expect(reviewAllowed({ kind: "procedural", status: "rejected", reviewRequestedAt: null })).toBe(true);
    expect(reviewAllowed({ kind: "procedural", status: "rejected", reviewRequestedAt: at })).toBe(false);
    expect(reviewAllowed({ kind: "procedural", status: "upheld", reviewRequestedAt: null })).toBe(false);
    expect(reviewAllowed({ kind: "procedural", status: "filed", reviewRequestedAt: null })).toBe(false);
    expect(reviewAllowed({ kind: "technical", status: "rejected", reviewRequestedAt: null })).toBe(false);
    expect(reviewPending({ reviewRequestedAt: at, reviewDecidedAt: null })).toBe(true);
    expect(reviewPending({ reviewRequestedAt: at, reviewDecidedAt: at })).toBe(false);
    expect(reviewPending({ reviewRequestedAt: null, reviewDecidedAt: null })).toBe(false);
  });

  it("A20: the price is held while a review is asked and undecided, or while the 10 days to ask run (the latest end says until when); not by technical or upheld objections", () => {
    const rejected = (decidedAt: Date) => ({ kind: "procedural" as const, status: "rejected" as const, decidedAt, reviewRequestedAt: null, reviewDecidedAt: null });
    const later = new Date(at.getTime() + 2 * DAY);
    const due = reviewDueAt(R, at);
    expect(reviewHold(R, [rejected(at)], at)).toEqual({ kind: "review_window", until: due });
    expect(reviewHold(R, [rejected(at)], due)).toEqual({ kind: "review_window", until: due });
    expect(reviewHold(R, [rejected(at)], new Date(due.getTime() + MS))).toBeNull();
    expect(reviewHold(R, [rejected(at), rejected(later)], at)).toEqual({ kind: "review_window", until: reviewDueAt(R, later) });
    // Asked: held until the outcome is recorded, even after every window has ended.
    const asked = { ...rejected(at), reviewRequestedAt: later };
    expect(reviewHold(R, [rejected(at), asked], new Date(due.getTime() + 30 * DAY))).toEqual({ kind: "review_pending", since: later });
    expect(reviewHold(R, [{ ...asked, reviewDecidedAt: later }], at)).toBeNull();
    expect(reviewHold(R, [{ ...rejected(at), kind: "technical" }, { ...rejected(at), status: "upheld" }], at)).toBeNull();
  });
});
