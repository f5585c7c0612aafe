import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import type { AppError } from "../../core/errors.ts";
import { addMonths } from "../../core/ruleset.ts";
import type { Database, Db } from "../../db/client.ts";
import { auditEvents, inquiryRequests, negotiationFigures, priceProcedures, referencePrices, reportObjections, valuationReports } from "../../db/schema/index.ts";
import { createAsset, createCase, validReferencePrice } from "../../auction/index.ts";
import { refuseNegotiation, startNegotiation, submitNegotiationFigure } from "../../appraisal/negotiation.ts";
import { recordDirectedAnswer, startDirectedInquiry } from "../../appraisal/directed-inquiry.ts";
import { sweepInquiryDeadlines, type InquiryReportInput } from "../../appraisal/inquiry.ts";
import { fileObjection } from "../../appraisal/objections.ts";
import { reportFile } from "../../appraisal/reports.ts";
import { deadlinesAtAGlance } from "../../appraisal/deadlines.ts";
import { createTestDatabase } from "../support/database.ts";
import { assetInput, makeBidder, makeCourt } from "../fixtures/auction.ts";
import { makePartyAccount } from "../fixtures/appraisal.ts";

const DAY = 24 * 60 * 60 * 1000;
const clock = new TestClock(new Date("2026-03-02T02:00:00Z"));
const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

let database: Database;
let db: Db;
beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(() => database?.close());

let serial = 0;
/** A case with one applicant and one debtor (each signed in through an account of their own), and an asset. */
async function caseWithParties(options: { applicants?: number; debtors?: number } = {}) {
  const { judge, clerk } = await makeCourt(db, clock);
  const c = await createCase(db, clock, judge, { caseNumber: `（2026）京0105执${(Date.now() % 100000) * 10 + ++serial}号`, enforcementBasis: "（2025）京0105民初100号民事判决书" });
  const asset = await createAsset(db, clock, judge, c.id, assetInput(clock.now(), "residential"));
  const applicants = [];
  for (let i = 0; i < (options.applicants ?? 1); i++) applicants.push(await makePartyAccount(db, c.id, "applicant", { now: clock.now() }));
  const debtors = [];
  for (let i = 0; i < (options.debtors ?? 1); i++) debtors.push(await makePartyAccount(db, c.id, "debtor", { now: clock.now() }));
  return { judge, clerk, caseId: c.id, assetId: asset.id, applicants, debtors };
}

async function rejects(promise: Promise<unknown>, code: string, fields?: Record<string, string>) {
  const error = (await promise.then(
    () => null,
    (e: unknown) => e,
  )) as AppError | null;
  expect(error, `expected ${code}`).not.toBeNull();
  expect(error!.code).toBe(code);
  if (fields) expect(error!.fields).toMatchObject(fields);
}

async function footprint() {
  const n = async (table: typeof auditEvents | typeof negotiationFigures | typeof priceProcedures | typeof valuationReports | typeof referencePrices | typeof inquiryRequests) =>
    (await db.select({ n: count() }).from(table))[0]!.n;
  return {
    audit: await n(auditEvents),
    figures: await n(negotiationFigures),
    procedures: await db.select().from(priceProcedures).orderBy(priceProcedures.id),
    reports: await n(valuationReports),
    prices: await n(referencePrices),
    requests: await n(inquiryRequests),
  };
}

/** The minute job's sweep; no procedure's step may fail. */
async function sweep() {
  const { outcomes, errors } = await sweepInquiryDeadlines(db, clock);
  expect(errors).toEqual([]);
  return outcomes;
}

const procedure = async (id: string) => (await db.select().from(priceProcedures).where(eq(priceProcedures.id, id)))[0]!;

describe("negotiation (A3)", () => {
  it("A3: matching figures of applicant and debtor before the deadline become the reference price, valid for a year", async () => {
    const w = await caseWithParties();
    const dueAt = new Date(clock.now().getTime() + 10 * DAY);
    const { procedureId } = await startNegotiation(db, clock, w.judge, w.assetId, { dueAt, basis: "通知双方当事人议价" });
    expect(await procedure(procedureId)).toMatchObject({ method: "negotiation", status: "open", dueAt });

    const first = await submitNegotiationFigure(db, clock, w.applicants[0]!, procedureId, { amountFen: "120000000" });
    expect(first).toEqual({ state: { kind: "waiting", missing: [w.debtors[0]!.partyId] }, referencePriceId: null });
    clock.set(dueAt);
    const second = await submitNegotiationFigure(db, clock, w.debtors[0]!, procedureId, { amountFen: "120000000" });
    expect(second.state).toEqual({ kind: "matched", amountFen: 120_000_000n });

    const price = await validReferencePrice(db, w.assetId, clock.now());
    expect(price).toMatchObject({ id: second.referencePriceId, method: "negotiation", amountFen: 120_000_000n, agencyId: null, validFrom: dueAt, validUntil: addMonths(dueAt, 12), fixedBy: w.judge.id });
    expect(await procedure(procedureId)).toMatchObject({ status: "priced", referencePriceId: price!.id, dueAt: null });
    await rejects(submitNegotiationFigure(db, clock, w.applicants[0]!, procedureId, { amountFen: "1" }), "PROCEDURE_NOT_OPEN");
  });

  it("A3: differing figures may be revised until they match", async () => {
    const w = await caseWithParties();
    const { procedureId } = await startNegotiation(db, clock, w.judge, w.assetId, { dueAt: new Date(clock.now().getTime() + 10 * DAY), basis: "议价" });
    await submitNegotiationFigure(db, clock, w.applicants[0]!, procedureId, { amountFen: "130000000" });
    expect((await submitNegotiationFigure(db, clock, w.debtors[0]!, procedureId, { amountFen: "110000000" })).state).toEqual({ kind: "differ" });
    expect(await validReferencePrice(db, w.assetId, clock.now())).toBeNull();
    const matched = await submitNegotiationFigure(db, clock, w.applicants[0]!, procedureId, { amountFen: 110000000 });
    expect(matched.state).toEqual({ kind: "matched", amountFen: 110_000_000n });
    expect(await db.select().from(negotiationFigures).where(eq(negotiationFigures.procedureId, procedureId))).toHaveLength(2);
  });

  it("A3: every applicant and every debtor must agree — two matching figures of three do not fix a price", async () => {
    const w = await caseWithParties({ applicants: 2 });
    const { procedureId } = await startNegotiation(db, clock, w.judge, w.assetId, { dueAt: new Date(clock.now().getTime() + 10 * DAY), basis: "议价" });
    await submitNegotiationFigure(db, clock, w.applicants[0]!, procedureId, { amountFen: "100000000" });
    const r = await submitNegotiationFigure(db, clock, w.debtors[0]!, procedureId, { amountFen: "100000000" });
    expect(r).toEqual({ state: { kind: "waiting", missing: [w.applicants[1]!.partyId] }, referencePriceId: null });
    expect((await submitNegotiationFigure(db, clock, w.applicants[1]!, procedureId, { amountFen: "100000000" })).state.kind).toBe("matched");
  });

  it("A3: no match by the deadline → a figure a millisecond late is refused and the sweep fails the negotiation", async () => {
    const w = await caseWithParties();
    const dueAt = new Date(clock.now().getTime() + 5 * DAY);
    const { procedureId } = await startNegotiation(db, clock, w.judge, w.assetId, { dueAt, basis: "议价" });
    await submitNegotiationFigure(db, clock, w.applicants[0]!, procedureId, { amountFen: "100000000" });
    clock.set(dueAt);
    await submitNegotiationFigure(db, clock, w.debtors[0]!, procedureId, { amountFen: "90000000" });
    expect((await sweep()).filter((o) => o.procedureId === procedureId)).toEqual([]);

    clock.set(new Date(dueAt.getTime() + 1));
    const before = await footprint();
    await rejects(submitNegotiationFigure(db, clock, w.debtors[0]!, procedureId, { amountFen: "100000000" }), "DEADLINE_PASSED");
    await rejects(refuseNegotiation(db, clock, w.debtors[0]!, procedureId, { reason: "不同意" }), "DEADLINE_PASSED");
    expect(await footprint()).toEqual(before);

    const outcomes = await sweep();
    expect(outcomes.filter((o) => o.procedureId === procedureId)).toEqual([{ procedureId, method: "negotiation", kind: "failed" }]);
    expect(await procedure(procedureId)).toMatchObject({ status: "failed", endReason: "negotiation_deadline_passed", dueAt: null });
    expect(await validReferencePrice(db, w.assetId, clock.now())).toBeNull();
  });

  it("A3: a party's refusal skips the negotiation at once; the court may then start a directed inquiry (A4)", async () => {
    const w = await caseWithParties();
    const { procedureId } = await startNegotiation(db, clock, w.judge, w.assetId, { dueAt: new Date(clock.now().getTime() + 10 * DAY), basis: "议价" });
    await submitNegotiationFigure(db, clock, w.applicants[0]!, procedureId, { amountFen: "100000000" });
    await refuseNegotiation(db, clock, w.debtors[0]!, procedureId, { reason: "被执行人拒绝议价" });
    expect(await procedure(procedureId)).toMatchObject({ status: "failed", endReason: "negotiation_refused" });
    const [audit] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "appraisal.procedure_failed"), eq(auditEvents.entityId, procedureId)));
    expect(audit).toMatchObject({ actorId: w.debtors[0]!.id, data: { rule: "A3", reason: "negotiation_refused", role: "debtor", partyReason: "被执行人拒绝议价" } });
    await rejects(submitNegotiationFigure(db, clock, w.applicants[0]!, procedureId, { amountFen: "100000000" }), "PROCEDURE_NOT_OPEN");
    const next = await startDirectedInquiry(db, clock, w.judge, w.assetId, {
      addresseeKind: "tax_authority",
      addressee: "国家税务总局北京市朝阳区税务局",
      priceKind: "tax_base_price",
      dueAt: new Date(clock.now().getTime() + 7 * DAY),
      basis: "议价不成，房产有计税基准价",
    });
    expect(next.procedureId).not.toBe(procedureId);
  });

  it("bad input: not a party, a court user, bad amounts, a past deadline, a case without a debtor — refused, nothing written", async () => {
    const w = await caseWithParties();
    const stranger = await makeBidder(db, clock);
    const otherCourt = await makeCourt(db, clock);
    const { procedureId } = await startNegotiation(db, clock, w.judge, w.assetId, { dueAt: new Date(clock.now().getTime() + 10 * DAY), basis: "议价" });
    const oneSided = await (async () => {
      const { judge } = await makeCourt(db, clock);
      const c = await createCase(db, clock, judge, { caseNumber: `（2026）京0105执${(Date.now() % 100000) * 10 + ++serial}号`, enforcementBasis: "判决书" });
      await makePartyAccount(db, c.id, "applicant", { now: clock.now() });
      return { judge, assetId: (await createAsset(db, clock, judge, c.id, assetInput(clock.now()))).id };
    })();
    const before = await footprint();
    await rejects(submitNegotiationFigure(db, clock, stranger, procedureId, { amountFen: "100000000" }), "NOT_A_PARTY");
    await rejects(submitNegotiationFigure(db, clock, w.judge, procedureId, { amountFen: "100000000" }), "NOT_A_PARTY");
    await rejects(refuseNegotiation(db, clock, stranger, procedureId, { reason: "x" }), "NOT_A_PARTY");
    for (const bad of ["0", "-1", "12.5", "1e3", "0x10", "", " ", "100000000000000", -5, 0, 1.5, true, null]) {
      await rejects(submitNegotiationFigure(db, clock, w.applicants[0]!, procedureId, { amountFen: bad } as never), "VALIDATION_FAILED", { amountFen: "validation.amount" });
    }
    await rejects(refuseNegotiation(db, clock, w.debtors[0]!, procedureId, { reason: "" }), "VALIDATION_FAILED", { reason: "validation.required" });
    await rejects(startNegotiation(db, clock, oneSided.judge, oneSided.assetId, { dueAt: new Date(clock.now().getTime() + DAY), basis: "议价" }), "NEGOTIATION_PARTIES_MISSING");
    await rejects(startNegotiation(db, clock, oneSided.judge, oneSided.assetId, { dueAt: new Date(clock.now().getTime() - 1), basis: "议价" }), "VALIDATION_FAILED", { dueAt: "validation.future" });
    await rejects(startNegotiation(db, clock, oneSided.judge, oneSided.assetId, { dueAt: "2026-02-30T10:00", basis: "议价" }), "VALIDATION_FAILED", { dueAt: "validation.date" });
    await rejects(startNegotiation(db, clock, otherCourt.judge, w.assetId, { dueAt: new Date(clock.now().getTime() + DAY), basis: "议价" }), "FORBIDDEN");
    await rejects(submitNegotiationFigure(db, clock, w.applicants[0]!, "00000000-0000-0000-0000-000000000000", { amountFen: "1" }), "NOT_FOUND");
    expect(await footprint()).toEqual(before);
  });
});

function answer(valueFen: string, over: Partial<InquiryReportInput> = {}): InquiryReportInput {
  return {
    valuationMethod: "计税基准价",
    valueFen,
    valuationDate: new Date(clock.now().getTime() - DAY),
    validUntil: new Date(clock.now().getTime() + 200 * DAY),
    file: { name: "复函.pdf", type: "application/pdf", bytes: PDF },
    ...over,
  };
}

describe("directed inquiry (A4)", () => {
  async function directed() {
    const w = await caseWithParties();
    const dueAt = new Date(clock.now().getTime() + 7 * DAY);
    const s = await startDirectedInquiry(db, clock, w.judge, w.assetId, {
      addresseeKind: "price_authority",
      addressee: "北京市朝阳区发展和改革委员会",
      priceKind: "government_guided_price",
      dueAt,
      basis: "议价不能，有政府指导价",
    });
    return { ...w, ...s, dueAt };
  }

  it("A4: the answer recorded by the deadline is the reference price (valid until the answer's validity, at most a year)", async () => {
    const w = await directed();
    const [request] = await db.select().from(inquiryRequests).where(eq(inquiryRequests.procedureId, w.procedureId));
    expect(request).toMatchObject({ id: w.requestId, platformId: null, dueAt: w.dueAt });
    clock.set(w.dueAt);
    const validUntil = new Date(clock.now().getTime() + 200 * DAY);
    const recorded = await recordDirectedAnswer(db, clock, w.clerk, w.procedureId, answer("86000000", { validUntil }));
    expect(recorded.validUntil).toEqual(validUntil);
    const price = await validReferencePrice(db, w.assetId, clock.now());
    expect(price).toMatchObject({ id: recorded.referencePriceId, method: "directed_inquiry", amountFen: 86_000_000n, agencyId: null, validUntil, fixedBy: w.judge.id });
    expect(await procedure(w.procedureId)).toMatchObject({ status: "priced" });
    const [report] = await db.select().from(valuationReports).where(eq(valuationReports.id, recorded.reportId));
    expect(report).toMatchObject({ inquiryRequestId: w.requestId, commissionId: null, valueFen: 86_000_000n });
  });

  it("A4: a running directed inquiry shows once among the court's deadlines, under A4 (not as a platform's A8 report)", async () => {
    const w = await directed();
    const mine = (await deadlinesAtAGlance(db, clock, w.clerk)).filter((d) => d.procedureId === w.procedureId).map((d) => [d.kind, d.rule, d.dueAt]);
    expect(mine).toEqual([["procedure_step", "A4", w.dueAt]]);
  });

  it("A4: an answer a millisecond after the deadline is refused; the sweep fails the inquiry", async () => {
    const w = await directed();
    clock.set(w.dueAt);
    expect((await sweep()).filter((o) => o.procedureId === w.procedureId)).toEqual([]);
    clock.set(new Date(w.dueAt.getTime() + 1));
    const before = await footprint();
    await rejects(recordDirectedAnswer(db, clock, w.judge, w.procedureId, answer("86000000")), "DEADLINE_PASSED");
    expect(await footprint()).toEqual(before);
    const outcomes = await sweep();
    expect(outcomes.filter((o) => o.procedureId === w.procedureId)).toEqual([{ procedureId: w.procedureId, method: "directed_inquiry", kind: "failed" }]);
    expect(await procedure(w.procedureId)).toMatchObject({ status: "failed", endReason: "directed_inquiry_unanswered" });
    expect((await db.select().from(inquiryRequests).where(eq(inquiryRequests.id, w.requestId)))[0]).toMatchObject({ late: true, lateAt: w.dueAt });
  });

  it("A4: bad answers (amount, file, validity over a year) and other courts' staff or parties are refused, nothing written", async () => {
    const w = await directed();
    const other = await makeCourt(db, clock);
    const before = await footprint();
    await rejects(recordDirectedAnswer(db, clock, other.judge, w.procedureId, answer("1")), "FORBIDDEN");
    await rejects(recordDirectedAnswer(db, clock, w.applicants[0]!, w.procedureId, answer("1")), "FORBIDDEN");
    for (const bad of ["0", "-3", "1.50", "abc"]) await rejects(recordDirectedAnswer(db, clock, w.judge, w.procedureId, answer(bad)), "VALIDATION_FAILED", { valueFen: "validation.amount" });
    await rejects(recordDirectedAnswer(db, clock, w.judge, w.procedureId, answer("1", { file: { name: "a.pdf", type: "application/pdf", bytes: new Uint8Array() } })), "VALIDATION_FAILED", { file: "file.error.empty" });
    const valuationDate = new Date(clock.now().getTime() - DAY);
    await rejects(
      recordDirectedAnswer(db, clock, w.judge, w.procedureId, answer("1", { valuationDate, validUntil: new Date(addMonths(valuationDate, 12).getTime() + 1) })),
      "VALIDATION_FAILED",
      { validUntil: "appraisal.error.validityTooLong" },
    );
    await rejects(startDirectedInquiry(db, clock, w.judge, w.assetId, { addresseeKind: "court", addressee: "", priceKind: "x", dueAt: "x", basis: "x" } as never), "VALIDATION_FAILED", {
      addresseeKind: "validation.invalid",
      addressee: "validation.required",
      priceKind: "validation.invalid",
      dueAt: "validation.date",
    });
    // One running procedure per asset.
    await rejects(
      startDirectedInquiry(db, clock, w.judge, w.assetId, { addresseeKind: "tax_authority", addressee: "税务局", priceKind: "tax_base_price", dueAt: new Date(clock.now().getTime() + DAY), basis: "x" }),
      "PROCEDURE_RUNNING",
    );
    // Starting it is the judge's decision.
    await rejects(
      startDirectedInquiry(db, clock, w.clerk, w.assetId, { addresseeKind: "tax_authority", addressee: "税务局", priceKind: "tax_base_price", dueAt: new Date(clock.now().getTime() + DAY), basis: "x" }),
      "FORBIDDEN",
    );
    expect(await footprint()).toEqual(before);
  });
});

describe("no objection to negotiated or directed prices (A22)", () => {
  it("A22: a party's objection to a directed inquiry's answer is refused", async () => {
    const w = await caseWithParties();
    const s = await startDirectedInquiry(db, clock, w.judge, w.assetId, {
      addresseeKind: "tax_authority",
      addressee: "国家税务总局北京市朝阳区税务局",
      priceKind: "tax_base_price",
      dueAt: new Date(clock.now().getTime() + 7 * DAY),
      basis: "议价不成",
    });
    const { reportId } = await recordDirectedAnswer(db, clock, w.judge, s.procedureId, answer("86000000"));
    const before = await db.select({ n: count() }).from(reportObjections);
    await rejects(fileObjection(db, clock, w.debtors[0]!, reportId, { kind: "procedural", grounds: "定向询价结果偏低" }), "OBJECTION_NOT_ALLOWED");
    await rejects(fileObjection(db, clock, w.applicants[0]!, reportId, { kind: "technical", grounds: "偏高" }), "OBJECTION_NOT_ALLOWED");
    expect(await db.select({ n: count() }).from(reportObjections)).toEqual(before);
  });

  it("A4, A19, A22: a directed answer is delivered to the parties when recorded, with no objection window; they can download it, others cannot", async () => {
    const w = await caseWithParties();
    const s = await startDirectedInquiry(db, clock, w.judge, w.assetId, {
      addresseeKind: "tax_authority",
      addressee: "国家税务总局北京市朝阳区税务局",
      priceKind: "tax_base_price",
      dueAt: new Date(clock.now().getTime() + 7 * DAY),
      basis: "议价不成",
    });
    const { reportId } = await recordDirectedAnswer(db, clock, w.clerk, s.procedureId, answer("86000000"));
    const [report] = await db.select().from(valuationReports).where(eq(valuationReports.id, reportId));
    expect(report).toMatchObject({ deliveredAt: clock.now(), objectionDueAt: null });
    const [event] = await db.select().from(auditEvents).where(and(eq(auditEvents.entityId, reportId), eq(auditEvents.action, "appraisal.report_delivered")));
    expect(event).toMatchObject({ actorId: w.clerk.id, data: { rule: "A19", objectionDueAt: null } });
    expect(new Uint8Array((await reportFile(db, w.debtors[0]!, reportId)).content)).toEqual(PDF);
    expect((await reportFile(db, w.applicants[0]!, reportId)).sha256).toBe(report!.sha256);
    await rejects(reportFile(db, await makeBidder(db, clock), reportId), "FORBIDDEN");
    await rejects(fileObjection(db, clock, w.debtors[0]!, reportId, { kind: "procedural", grounds: "偏低" }), "OBJECTION_NOT_ALLOWED");
  });

  it("A22: a negotiated price has no report to object to; the parties agreed to it", async () => {
    const w = await caseWithParties();
    const { procedureId } = await startNegotiation(db, clock, w.judge, w.assetId, { dueAt: new Date(clock.now().getTime() + DAY), basis: "议价" });
    await submitNegotiationFigure(db, clock, w.applicants[0]!, procedureId, { amountFen: "5000000" });
    await submitNegotiationFigure(db, clock, w.debtors[0]!, procedureId, { amountFen: "5000000" });
    expect(await db.select().from(valuationReports).where(eq(valuationReports.procedureId, procedureId))).toEqual([]);
  });
});
