// The one deadline model of appraisal/deadlines.ts as a procedure's page lists it: kinds, the rule behind each,
// and where each stands. Pure: the procedure, its commissions, requests, reports and objections are built here.
import { describe, expect, it } from "vitest";
import { CN_SPC_2016 } from "../../core/ruleset.ts";
import { DEADLINE_KINDS, deadlineRule, procedureDeadlines } from "../../appraisal/index.ts";
import { saleStartDueAt } from "../../appraisal/rules/appraisal.ts";

type View = Parameters<typeof procedureDeadlines>[0];
type Extras = Parameters<typeof procedureDeadlines>[1];

const DAY = 24 * 60 * 60 * 1000;
const now = new Date("2026-06-15T04:00:00Z");
const at = (days: number) => new Date(now.getTime() + days * DAY);

function procedure(over: Partial<View["procedure"]> = {}): View["procedure"] {
  const base = { method: "appraisal", status: "open", startDueAt: null, startedAt: at(-20), lateStart: false, dueAt: null, endedAt: null };
  return { ...base, ...over } as View["procedure"];
}

function deadlines(p: View["procedure"], parts: { commissions?: unknown[]; requests?: unknown[]; reports?: unknown[]; objections?: unknown[]; price?: unknown } = {}) {
  const view = { procedure: p, commissions: parts.commissions ?? [] } as unknown as View;
  const extras = { requests: parts.requests ?? [], reports: parts.reports ?? [], objections: parts.objections ?? [], price: parts.price ?? null } as unknown as Extras;
  return procedureDeadlines(view, extras, now);
}

const commission = (over: Record<string, unknown>) => ({
  id: "c1",
  agencyName: "评估公司",
  status: "accepted",
  offerExpiresAt: null,
  respondedAt: null,
  reportDueAt: null,
  materialsDueAt: null,
  materialsReturnedAt: null,
  ...over,
});

describe("the deadline model: each kind has its rule", () => {
  it("A3, A4: a procedure's step is A3's for a negotiation and A4's for a directed inquiry", () => {
    expect(deadlineRule("procedure_step", "negotiation")).toBe("A3");
    expect(deadlineRule("procedure_step", "directed_inquiry")).toBe("A4");
    expect(deadlines(procedure({ method: "negotiation", dueAt: at(3) }))).toEqual([expect.objectContaining({ kind: "procedure_step", rule: "A3", state: "running" })]);
    expect(deadlines(procedure({ method: "directed_inquiry", dueAt: at(3) }))).toEqual([expect.objectContaining({ kind: "procedure_step", rule: "A4" })]);
  });

  it("A1, A8, A9, A15, A16, A18–A21, A23, A25: every other kind names one rule, the offer's answer the platform's policy", () => {
    const rules = Object.fromEntries(DEADLINE_KINDS.filter((k) => k !== "procedure_step").map((k) => [k, deadlineRule(k)]));
    expect(rules).toEqual({
      procedure_start: "A1",
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
    });
  });
});

describe("one procedure's deadlines, met or not", () => {
  it("A1: the start deadline is met when started in time, overdue when started late", () => {
    expect(deadlines(procedure({ startDueAt: at(-10), startedAt: at(-20) }))).toEqual([
      { kind: "procedure_start", rule: "A1", sources: ["RP 1"], dueAt: at(-10), doneAt: at(-20), state: "done", subject: null },
    ]);
    expect(deadlines(procedure({ startDueAt: at(-30), startedAt: at(-20), lateStart: true }))[0]).toMatchObject({ state: "overdue" });
  });

  it("A15, A16: a commission's report is running, overdue once passed, met by its report; withdrawn, no longer owed", () => {
    const running = deadlines(procedure(), { commissions: [commission({ reportDueAt: at(5) })] });
    expect(running).toEqual([expect.objectContaining({ kind: "report_due", rule: "A15", subject: "评估公司", state: "running" })]);
    const late = deadlines(procedure(), { commissions: [commission({ status: "overdue", reportDueAt: at(-1), materialsDueAt: at(2) })] });
    expect(late.map((d) => [d.kind, d.state])).toEqual([
      ["report_due", "overdue"],
      ["materials_return", "running"],
    ]);
    const met = deadlines(procedure(), { commissions: [commission({ reportDueAt: at(-1) })], reports: [{ commissionId: "c1", submittedAt: at(-2), source: "评估公司" }] });
    expect(met[0]).toMatchObject({ kind: "report_due", state: "done", doneAt: at(-2) });
    expect(deadlines(procedure(), { commissions: [commission({ status: "withdrawn", reportDueAt: at(-1) })] })[0]).toMatchObject({ state: "done", doneAt: null });
  });

  it("A24: while the procedure is suspended its running deadlines are paused, not overdue", () => {
    const items = deadlines(procedure({ status: "suspended" }), { commissions: [commission({ reportDueAt: at(-1) })] });
    expect(items).toEqual([expect.objectContaining({ kind: "report_due", state: "paused" })]);
  });

  it("A20: the objection window is done once passed; A8: a platform's report is met by its first report", () => {
    const items = deadlines(procedure({ method: "online_inquiry" }), {
      requests: [{ id: "r1", addressee: "platform: 询价平台", dueAt: at(-3), correctionDueAt: null, correctedAt: null }],
      reports: [{ inquiryRequestId: "r1", submittedAt: at(-4), source: "询价平台", deliveryDueAt: null, deliveredAt: at(-4), objectionDueAt: at(-1) }],
    });
    expect(items.map((d) => [d.kind, d.rule, d.state, d.subject])).toEqual([
      ["inquiry_report", "A8", "done", "询价平台"],
      ["objection_window", "A20", "done", "询价平台"],
    ]);
  });

  it("A18: an unanswered defect is overdue once passed; once its report is set aside (passed to the next-ranked agency) nothing is owed", () => {
    const report = (excluded: boolean) => ({ commissionId: "c1", submittedAt: at(-6), source: "评估公司", deliveryDueAt: null, deliveredAt: at(-6), objectionDueAt: null, defectDueAt: at(-1), defectAnsweredAt: null, excluded });
    expect(deadlines(procedure(), { reports: [report(false)] }).map((d) => [d.kind, d.rule, d.state])).toEqual([["report_defect", "A18", "overdue"]]);
    expect(deadlines(procedure(), { reports: [report(true)] }).map((d) => [d.kind, d.rule, d.state])).toEqual([["report_defect", "A18", "done"]]);
  });

  it("A23, A25: a priced procedure lists the sale's start and the price's validity, soonest first", () => {
    const endedAt = at(-2);
    const items = deadlines(procedure({ status: "priced", endedAt }), { price: { validUntil: at(100) } });
    expect(items).toEqual([
      { kind: "sale_start", rule: "A25", sources: ["RP 30"], dueAt: saleStartDueAt(CN_SPC_2016, endedAt), doneAt: null, state: "running", subject: null },
      { kind: "price_validity", rule: "A23", sources: ["RP 27"], dueAt: at(100), doneAt: null, state: "running", subject: null },
    ]);
  });
});
