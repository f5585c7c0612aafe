import { describe, expect, it } from "vitest";
import { addMonths, CN_SPC_2016 } from "../../core/ruleset.ts";
import {
  beforeDeadline,
  correctionDueAt,
  correctionsNeeded,
  decideInquiryMean,
  decideReportDeadline,
  extendedDueAt,
  lateReportsInWindow,
  meanHalfUp,
  negotiationState,
  reportDueAt,
  reportingOver,
  strikeOffDecision,
  type PlatformResult,
  type RequestState,
} from "../../appraisal/rules/inquiry.ts";

const R = CN_SPC_2016;
const MS = 1;
// 2026-03-02 10:00 Beijing time.
const sentAt = new Date("2026-03-02T02:00:00Z");

describe("A8, A9: deadlines", () => {
  it("A8: a report asked on 2 March is on time until 24:00 Beijing time on 5 March, not a millisecond later", () => {
    const due = reportDueAt(sentAt, R);
    expect(due.toISOString()).toBe("2026-03-05T16:00:00.000Z");
    expect(beforeDeadline(due, due)).toBe(true);
    expect(beforeDeadline(new Date(due.getTime() + MS), due)).toBe(false);
  });

  it("A8: the one extension adds 3 days to the missed deadline (end of 5 March → end of 8 March)", () => {
    expect(extendedDueAt(reportDueAt(sentAt, R), R).toISOString()).toBe("2026-03-08T16:00:00.000Z");
  });

  it("A9: a correction asked at 23:59 on 10 March is due at the end of 13 March", () => {
    expect(correctionDueAt(new Date("2026-03-10T15:59:00Z"), R).toISOString()).toBe("2026-03-13T16:00:00.000Z");
  });
});

describe("A8: what the report deadline decides", () => {
  const req = (id: string, over: Partial<RequestState> = {}): RequestState => ({ id, reported: false, extensionRequested: false, extended: false, late: false, ...over });

  it("A8: some reports arrived → the others get no extension, even those that asked, and are late", () => {
    expect(decideReportDeadline([req("a", { reported: true }), req("b", { extensionRequested: true }), req("c")])).toEqual({ kind: "review", late: ["b", "c"] });
  });

  it("A8: none arrived → those that asked get one extension, the others are late", () => {
    expect(decideReportDeadline([req("a", { extensionRequested: true }), req("b"), req("c", { extensionRequested: true })])).toEqual({
      kind: "extended",
      extend: ["a", "c"],
      late: ["b"],
    });
  });

  it("A8: none arrived and none asked → the inquiry fails (the court switches to appraisal)", () => {
    expect(decideReportDeadline([req("a"), req("b")])).toEqual({ kind: "failed", late: ["a", "b"] });
  });

  it("A8: after the extension, nobody gets a second one: still nothing → fails", () => {
    expect(decideReportDeadline([req("a", { extensionRequested: true, extended: true }), req("b", { late: true })])).toEqual({ kind: "failed", late: ["a"] });
  });

  it("A8: a report that came in during the extension is reviewed", () => {
    expect(decideReportDeadline([req("a", { extensionRequested: true, extended: true, reported: true }), req("b", { late: true })])).toEqual({ kind: "review", late: [] });
  });
});

describe("A9: corrections only when every report has the error", () => {
  it("A9: all three marked → corrections; two of three → none; no reports → none", () => {
    expect(correctionsNeeded([{ errorMarked: true }, { errorMarked: true }, { errorMarked: true }])).toBe(true);
    expect(correctionsNeeded([{ errorMarked: true }, { errorMarked: false }, { errorMarked: true }])).toBe(false);
    expect(correctionsNeeded([])).toBe(false);
  });
});

describe("A8, A9: when reporting is over and the price may be fixed", () => {
  const due = correctionDueAt(sentAt, R);
  const inNoCorrection = { hasReport: true, late: false, correctionDueAt: null, correctedAt: null };
  it("waits for every report unless it is late", () => {
    expect(reportingOver([inNoCorrection, { ...inNoCorrection, hasReport: false }], sentAt)).toBe(false);
    expect(reportingOver([inNoCorrection, { ...inNoCorrection, hasReport: false, late: true }], sentAt)).toBe(true);
  });
  it("waits for a correction asked until it is made or its deadline passes", () => {
    const asked = { ...inNoCorrection, correctionDueAt: due };
    // The deadline's own instant is still inside it.
    expect(reportingOver([asked], due)).toBe(false);
    expect(reportingOver([{ ...asked, correctedAt: sentAt }], sentAt)).toBe(true);
    expect(reportingOver([asked], new Date(due.getTime() + MS))).toBe(true);
  });
});

describe("A10, P9: the mean rounded half-up to the fen", () => {
  it("P9: 100.00 and 100.01 yuan average 100.005 → 100.01 yuan; 100.004 → 100.00", () => {
    expect(meanHalfUp([10_000n, 10_001n])).toBe(10_001n);
    // 30 001 / 3 = 10 000.33… → 10 000; 30 002 / 3 = 10 000.66… → 10 001.
    expect(meanHalfUp([10_000n, 10_000n, 10_001n])).toBe(10_000n);
    expect(meanHalfUp([10_000n, 10_001n, 10_001n])).toBe(10_001n);
    // 4 reports averaging x.5 exactly, and x.25.
    expect(meanHalfUp([1n, 2n, 2n, 2n])).toBe(2n);
    expect(meanHalfUp([1n, 1n, 1n, 2n])).toBe(1n);
    expect(meanHalfUp([99_999_999_999_999n, 99_999_999_999_998n])).toBe(99_999_999_999_999n);
    expect(() => meanHalfUp([])).toThrow(RangeError);
  });

  const now = new Date("2026-03-10T02:00:00Z");
  const later = new Date("2026-09-01T00:00:00Z");
  const result = (reportId: string, valueFen: bigint, over: Partial<PlatformResult> = {}): PlatformResult => ({
    requestId: `req-${reportId}`,
    reportId,
    valueFen,
    validUntil: later,
    errorMarked: false,
    corrected: false,
    objection: "none",
    ...over,
  });
  const decide = (results: PlatformResult[], correctionsAsked = false) => decideInquiryMean(results, now, R, { correctionsAsked });

  it("A10: the mean of every valid result, valid until the earliest report's validity", () => {
    const earliest = new Date("2026-06-30T16:00:00Z");
    expect(decide([result("a", 100_000_000n), result("b", 100_000_001n, { validUntil: earliest }), result("c", 100_000_002n)])).toEqual({
      ok: true,
      amountFen: 100_000_001n,
      validUntil: earliest,
      used: ["a", "b", "c"],
      excluded: [],
    });
  });

  it("A10, A23: never valid for more than a year from the fixing", () => {
    const d = decide([result("a", 500n, { validUntil: addMonths(now, 12 + 1) })]);
    expect(d.ok && d.validUntil.getTime()).toBe(addMonths(now, 12).getTime());
  });

  it("A10: reports objected to drop out of the mean when some are not objected to (pending or decided alike)", () => {
    const d = decide([result("a", 100n), result("b", 300n, { objection: "pending" }), result("c", 201n, { objection: "rejected" }), result("d", 104n)]);
    expect(d).toMatchObject({ ok: true, amountFen: 102n, used: ["a", "d"], excluded: ["b", "c"] });
  });

  it("A10: all objected → the mean uses those whose objection was rejected or which were corrected", () => {
    const d = decide([result("a", 100n, { objection: "rejected" }), result("b", 999n, { objection: "upheld" }), result("c", 201n, { objection: "upheld", corrected: true })]);
    expect(d).toMatchObject({ ok: true, amountFen: 151n, used: ["a", "c"], excluded: ["b"] });
  });

  it("A10: all objected → a corrected report whose own objection was upheld (set aside) does not count", () => {
    const d = decide([result("a", 100n, { objection: "rejected" }), result("c", 201n, { objection: "upheld", corrected: true, excluded: true })]);
    expect(d).toMatchObject({ ok: true, amountFen: 100n, used: ["a"], excluded: ["c"] });
    expect(decide([result("c", 201n, { objection: "upheld", corrected: true, excluded: true })])).toEqual({ ok: false, reason: "no_valid_reports" });
  });

  it("A10: all objected and a corrected report's objection still undecided → wait; it does not make the mean undecided", () => {
    expect(decide([result("a", 100n, { objection: "rejected" }), result("b", 201n, { objection: "pending", corrected: true })])).toEqual({ ok: false, reason: "objections_pending" });
  });

  it("A10: all objected and one still undecided → wait; all upheld → nothing valid", () => {
    expect(decide([result("a", 100n, { objection: "rejected" }), result("b", 200n, { objection: "pending" })])).toEqual({ ok: false, reason: "objections_pending" });
    expect(decide([result("a", 100n, { objection: "upheld" }), result("b", 200n, { objection: "upheld" })])).toEqual({ ok: false, reason: "no_valid_reports" });
  });

  it("A9: a report with an uncorrected error is no valid result while another is free of it", () => {
    expect(decide([result("a", 100n, { errorMarked: true }), result("b", 200n)])).toMatchObject({ ok: true, amountFen: 200n, used: ["b"] });
  });

  it("A9: every report has an error → corrections first; after them, the corrected ones count", () => {
    expect(decide([result("a", 100n, { errorMarked: true }), result("b", 200n, { errorMarked: true })])).toEqual({ ok: false, reason: "corrections_needed" });
    expect(decide([result("a", 100n, { errorMarked: true }), result("b", 201n, { corrected: true })], true)).toMatchObject({ ok: true, amountFen: 201n, used: ["b"] });
    expect(decide([result("a", 100n, { errorMarked: true }), result("b", 201n, { errorMarked: true })], true)).toEqual({ ok: false, reason: "no_valid_reports" });
  });

  it("A10, A23: an expired report is no valid result (A17: a new report is needed); its last instant still counts, as for the auction", () => {
    expect(decide([result("a", 100n, { validUntil: new Date(now.getTime() - 1) }), result("b", 300n)])).toMatchObject({ ok: true, amountFen: 300n, used: ["b"] });
    expect(decide([result("a", 100n, { validUntil: now }), result("b", 300n)])).toMatchObject({ ok: true, amountFen: 200n, used: ["a", "b"] });
    expect(decide([])).toEqual({ ok: false, reason: "no_valid_reports" });
  });
});

describe("A6: strike-off after 5 late reports in 12 months", () => {
  const at = new Date("2027-03-05T16:00:00Z");
  const yearAgo = addMonths(at, -12);
  const recent = [1, 2, 3].map((d) => new Date(at.getTime() - d * 86_400_000));

  it("A6: the 4th late report keeps the platform; the 5th strikes it off, barred for 5 years", () => {
    expect(strikeOffDecision([...recent, at], at, R)).toEqual({ strike: false });
    expect(strikeOffDecision([...recent, yearAgo, at], at, R)).toEqual({ strike: true, barredUntil: addMonths(at, 60) });
    expect(addMonths(at, 60).toISOString()).toBe("2032-03-05T16:00:00.000Z");
  });

  it("A6: 5 late reports, but the oldest 12 months + 1 ms ago, do not strike off", () => {
    expect(lateReportsInWindow([...recent, new Date(yearAgo.getTime() - MS), at], at, R)).toBe(4);
    expect(strikeOffDecision([...recent, new Date(yearAgo.getTime() - MS), at], at, R)).toEqual({ strike: false });
  });
});

describe("A3: negotiation", () => {
  it("A3: matching figures of every applicant and debtor; differing or missing ones do not match", () => {
    expect(negotiationState(["p1", "p2"], [{ partyId: "p1", amountFen: 5n }])).toEqual({ kind: "waiting", missing: ["p2"] });
    expect(negotiationState(["p1", "p2"], [{ partyId: "p1", amountFen: 5n }, { partyId: "p2", amountFen: 6n }])).toEqual({ kind: "differ" });
    expect(negotiationState(["p1", "p2", "p3"], [{ partyId: "p1", amountFen: 5n }, { partyId: "p2", amountFen: 5n }, { partyId: "p3", amountFen: 5n }])).toEqual({ kind: "matched", amountFen: 5n });
  });
});

