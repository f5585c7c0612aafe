import { and, count, desc, eq, isNull } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import type { AppError } from "../../core/errors.ts";
import { addMonths, CN_SPC_2016, endOfDays } from "../../core/ruleset.ts";
import type { Database, Db } from "../../db/client.ts";
import {
  assets,
  auditEvents,
  inquiryRequests,
  lots,
  platformListings,
  priceProcedures,
  referencePrices,
  reportObjections,
  valuationReports,
  type AssetCategory,
} from "../../db/schema/index.ts";
import { createAsset, createCase, createLotDraft, validReferencePrice } from "../../auction/index.ts";
import {
  askCorrections,
  askInquiryExtension,
  fixInquiryPrice,
  markReportError,
  platformInquiryRequests,
  startOnlineInquiry,
  submitCorrectedReport,
  submitInquiryReport,
  sweepInquiryDeadlines,
  type InquiryReportInput,
} from "../../appraisal/inquiry.ts";
import { deliverReport } from "../../appraisal/reports.ts";
import { askReissue } from "../../appraisal/reissue.ts";
import { reviewDueAt } from "../../appraisal/rules/appraisal.ts";
import { deadlinesAtAGlance } from "../../appraisal/deadlines.ts";
import type { SessionUser } from "../../identity/index.ts";
import { createTestDatabase } from "../support/database.ts";
import { assetInput, lotDraftInput, makeBidder, makeCourt } from "../fixtures/auction.ts";
import { makePartyAccount, makePlatform } from "../fixtures/appraisal.ts";

const DAY = 24 * 60 * 60 * 1000;
// 2 March 2026, 10:00 Beijing time: reports are due at the end of 5 March (16:00 UTC).
const START = new Date("2026-03-02T02:00:00Z");
const DUE = new Date("2026-03-05T16:00:00Z");
const EXTENDED_DUE = new Date("2026-03-08T16:00:00Z");
const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

let clock: TestClock;
let database: Database;
let db: Db;
beforeEach(async () => {
  // Each test has a database of its own: the inquiry goes to every listed platform, so platforms of one test must not see another's.
  clock = new TestClock(START);
  database = await createTestDatabase();
  db = database.db;
});
afterEach(() => database?.close());

let serial = 0;
async function caseWithAsset(category: AssetCategory = "commercial") {
  const { court, judge, clerk } = await makeCourt(db, clock);
  const c = await createCase(db, clock, judge, { caseNumber: `（2026）京0105执${(Date.now() % 100000) * 10 + ++serial}号`, enforcementBasis: "（2025）京0105民初100号民事判决书" });
  const asset = await createAsset(db, clock, judge, c.id, assetInput(clock.now(), category));
  return { court, judge, clerk, caseId: c.id, assetId: asset.id };
}

/** A case, its asset and three platforms pricing its category. */
async function inquiryWorld(category: AssetCategory = "commercial") {
  const world = await caseWithAsset(category);
  const platforms = [await makePlatform(db, clock, [category]), await makePlatform(db, clock, [category, "vehicle"]), await makePlatform(db, clock, [category])];
  return { ...world, platforms };
}

function report(valueFen: string | number, over: Partial<InquiryReportInput> = {}): InquiryReportInput {
  return {
    valuationMethod: "大数据询价",
    valueFen,
    valuationDate: new Date(clock.now().getTime() - DAY),
    validUntil: new Date(clock.now().getTime() + 180 * DAY),
    file: { name: "询价报告.pdf", type: "application/pdf", bytes: PDF },
    ...over,
  };
}

async function started(w: Awaited<ReturnType<typeof inquiryWorld>>) {
  const s = await startOnlineInquiry(db, clock, w.judge, w.assetId, { ground: "directed_inquiry_failed", basis: "无计税基准价，定向询价不能" });
  const requestOf = (i: number) => s.requests.find((r) => r.platformId === w.platforms[i]!.platform.id)!.id;
  return { ...s, requestOf };
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

/** Rows in the tables these use cases write, and the audit length: equal before and after a refusal. */
async function footprint() {
  const n = async (table: typeof auditEvents | typeof inquiryRequests | typeof priceProcedures | typeof valuationReports | typeof referencePrices) => (await db.select({ n: count() }).from(table))[0]!.n;
  const requests = await db.select().from(inquiryRequests).orderBy(inquiryRequests.id);
  const procedures = await db.select().from(priceProcedures).orderBy(priceProcedures.id);
  return { audit: await n(auditEvents), reports: await n(valuationReports), prices: await n(referencePrices), requests, procedures };
}

/** The minute job's sweep; no procedure's step may fail. */
async function sweep() {
  const { outcomes, errors } = await sweepInquiryDeadlines(db, clock);
  expect(errors).toEqual([]);
  return outcomes;
}

async function procedure(id: string) {
  return (await db.select().from(priceProcedures).where(eq(priceProcedures.id, id)))[0]!;
}

async function request(id: string) {
  return (await db.select().from(inquiryRequests).where(eq(inquiryRequests.id, id)))[0]!;
}

/** A19: the court delivers every report not yet delivered; returns the end of the last objection window (A20). */
async function deliverAll(judge: SessionUser, procedureId: string): Promise<Date> {
  const pending = await db
    .select({ id: valuationReports.id })
    .from(valuationReports)
    .where(and(eq(valuationReports.procedureId, procedureId), eq(valuationReports.excluded, false), isNull(valuationReports.deliveredAt)));
  let last = 0;
  for (const r of pending) last = Math.max(last, (await deliverReport(db, clock, judge, r.id)).objectionDueAt!.getTime());
  const [latest] = await db.select({ due: valuationReports.objectionDueAt }).from(valuationReports).where(eq(valuationReports.procedureId, procedureId)).orderBy(desc(valuationReports.objectionDueAt)).limit(1);
  return new Date(Math.max(last, latest?.due?.getTime() ?? 0));
}

/** Delivers the reports and moves the clock past the parties' 5 days to object (A19, A20). */
async function pastObjectionWindow(judge: SessionUser, procedureId: string) {
  clock.set(new Date((await deliverAll(judge, procedureId)).getTime() + 1));
}

describe("starting an online inquiry (A5, A7, A8, P7)", () => {
  it("A7, P7: one request to every active platform of the asset's category, all at once, due in 3 days (A8); none to another category or a struck-off platform", async () => {
    const w = await inquiryWorld("commercial");
    const vehiclesOnly = await makePlatform(db, clock, ["vehicle"]);
    const struck = await makePlatform(db, clock, ["commercial"]);
    await db.update(platformListings).set({ status: "struck_off", barredUntil: addMonths(clock.now(), 60) }).where(eq(platformListings.platformId, struck.platform.id));

    const s = await started(w);
    expect(s.dueAt).toEqual(DUE);
    const rows = await db.select().from(inquiryRequests).where(eq(inquiryRequests.procedureId, s.procedureId));
    expect(rows.map((r) => r.platformId).sort()).toEqual(w.platforms.map((p) => p.platform.id).sort());
    for (const r of rows) {
      expect(r.sentAt).toEqual(START);
      expect(r.dueAt).toEqual(DUE);
    }
    const p = await procedure(s.procedureId);
    // A5: the ground is kept apart from the court's words, so pages show it in words, never as a code.
    expect(p).toMatchObject({ method: "online_inquiry", status: "open", dueAt: DUE, basisKind: "directed_inquiry_failed", basis: "无计税基准价，定向询价不能" });

    // Each platform sees its own request, with the asset; the others see nothing of it.
    const own = await platformInquiryRequests(db, w.platforms[0]!.member);
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ id: s.requestOf(0), dueAt: DUE, reported: false, asset: { id: w.assetId, category: "commercial" } });
    expect(await platformInquiryRequests(db, vehiclesOnly.member)).toEqual([]);
    expect(await platformInquiryRequests(db, struck.member)).toEqual([]);
  });

  it("A5, P7: an asset no listed platform prices cannot go to online inquiry; nothing is written", async () => {
    const w = await inquiryWorld("commercial");
    const other = await caseWithAsset("equity");
    const before = await footprint();
    await rejects(startOnlineInquiry(db, clock, other.judge, other.assetId, { ground: "parties_jointly_chose", basis: "双方当事人一致要求" }), "NO_INQUIRY_PLATFORM");
    expect(await footprint()).toEqual(before);
    expect(w.platforms).toHaveLength(3);
  });

  it("A5: one running procedure per asset; another court's judge, a clerk and a bad ground are refused, with nothing written", async () => {
    const w = await inquiryWorld();
    await started(w);
    const stranger = await makeCourt(db, clock);
    const other = await caseWithAsset();
    const before = await footprint();
    await rejects(startOnlineInquiry(db, clock, w.judge, w.assetId, { ground: "parties_jointly_chose", basis: "再次询价" }), "PROCEDURE_RUNNING");
    await rejects(startOnlineInquiry(db, clock, stranger.judge, other.assetId, { ground: "parties_jointly_chose", basis: "x" }), "FORBIDDEN");
    await rejects(startOnlineInquiry(db, clock, other.clerk, other.assetId, { ground: "parties_jointly_chose", basis: "x" }), "FORBIDDEN");
    await rejects(startOnlineInquiry(db, clock, other.judge, other.assetId, { ground: "because", basis: "" } as never), "VALIDATION_FAILED", { ground: "validation.invalid", basis: "validation.required" });
    expect(await footprint()).toEqual(before);
  });
});

describe("platform reports and the deadline (A8)", () => {
  it("A8: a report at 24:00 Beijing time of the third day is on time; a millisecond later it is refused", async () => {
    const w = await inquiryWorld();
    const s = await started(w);
    clock.set(DUE);
    const { reportId } = await submitInquiryReport(db, clock, w.platforms[0]!.member, s.requestOf(0), report("100000000"));
    expect((await db.select().from(valuationReports).where(eq(valuationReports.id, reportId)))[0]).toMatchObject({ inquiryRequestId: s.requestOf(0), valueFen: 100_000_000n, submittedAt: DUE });
    clock.set(new Date(DUE.getTime() + 1));
    const before = await footprint();
    await rejects(submitInquiryReport(db, clock, w.platforms[1]!.member, s.requestOf(1), report("100000000")), "REPORT_OVERDUE");
    expect(await footprint()).toEqual(before);
  });

  it("A8: some reports arrived → the others get no extension (even one that asked) and are late", async () => {
    const w = await inquiryWorld();
    const s = await started(w);
    await submitInquiryReport(db, clock, w.platforms[0]!.member, s.requestOf(0), report("100000000"));
    await askInquiryExtension(db, clock, w.platforms[1]!.member, s.requestOf(1));

    clock.set(DUE);
    expect(await sweep()).toEqual([]);
    clock.set(new Date(DUE.getTime() + 1));
    const [outcome] = await sweep();
    expect(outcome).toMatchObject({ kind: "review", extended: [], struckOff: [] });
    expect(outcome!.kind !== "failed" && outcome!.method === "online_inquiry" && [...outcome!.late].sort()).toEqual([s.requestOf(1), s.requestOf(2)].sort());
    expect(await request(s.requestOf(1))).toMatchObject({ late: true, lateAt: DUE, extended: false, dueAt: DUE });
    expect(await request(s.requestOf(2))).toMatchObject({ late: true, lateAt: DUE });
    expect(await request(s.requestOf(0))).toMatchObject({ late: false, lateAt: null });
    expect((await procedure(s.procedureId)).dueAt).toBeNull();
    await rejects(submitInquiryReport(db, clock, w.platforms[1]!.member, s.requestOf(1), report("1")), "REPORT_OVERDUE");
    // A sweep run again (another node, the next minute) changes nothing.
    expect(await sweep()).toEqual([]);

    await pastObjectionWindow(w.judge, s.procedureId);
    const fixed = await fixInquiryPrice(db, clock, w.judge, s.procedureId);
    expect(fixed).toMatchObject({ kind: "priced", amountFen: 100_000_000n });
  });

  it("A8: none arrived → those that asked get one 3-day extension, the others are late; a second extension is refused", async () => {
    const w = await inquiryWorld();
    const s = await started(w);
    await askInquiryExtension(db, clock, w.platforms[0]!.member, s.requestOf(0));
    await askInquiryExtension(db, clock, w.platforms[1]!.member, s.requestOf(1));
    // Asked once already.
    await rejects(askInquiryExtension(db, clock, w.platforms[0]!.member, s.requestOf(0)), "INQUIRY_EXTENSION_REFUSED");

    clock.set(new Date(DUE.getTime() + 1));
    // Too late to ask once the deadline has passed.
    await rejects(askInquiryExtension(db, clock, w.platforms[2]!.member, s.requestOf(2)), "INQUIRY_EXTENSION_REFUSED");
    const [outcome] = await sweep();
    expect(outcome).toMatchObject({ kind: "extended", late: [s.requestOf(2)] });
    expect(outcome!.method === "online_inquiry" && [...outcome!.extended].sort()).toEqual([s.requestOf(0), s.requestOf(1)].sort());
    expect(await request(s.requestOf(0))).toMatchObject({ extended: true, dueAt: EXTENDED_DUE, late: false });
    expect(await request(s.requestOf(2))).toMatchObject({ late: true, lateAt: DUE });
    expect((await procedure(s.procedureId)).dueAt).toEqual(EXTENDED_DUE);

    // A second extension is refused.
    await rejects(askInquiryExtension(db, clock, w.platforms[0]!.member, s.requestOf(0)), "INQUIRY_EXTENSION_REFUSED");
    await rejects(submitInquiryReport(db, clock, w.platforms[2]!.member, s.requestOf(2), report("1")), "REPORT_OVERDUE");

    clock.set(EXTENDED_DUE);
    await submitInquiryReport(db, clock, w.platforms[0]!.member, s.requestOf(0), report("100000000"));
    clock.set(new Date(EXTENDED_DUE.getTime() + 1));
    const [second] = await sweep();
    expect(second).toMatchObject({ kind: "review", late: [s.requestOf(1)], extended: [] });
    expect(await request(s.requestOf(1))).toMatchObject({ late: true, lateAt: EXTENDED_DUE });
  });

  it("A8: two nodes sweeping at the same instant take the step once", async () => {
    const w = await inquiryWorld();
    const s = await started(w);
    await askInquiryExtension(db, clock, w.platforms[0]!.member, s.requestOf(0));
    clock.set(new Date(DUE.getTime() + 1));
    const results = await Promise.all([sweepInquiryDeadlines(db, clock), sweepInquiryDeadlines(db, clock), sweepInquiryDeadlines(db, clock)]);
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(results.flatMap((r) => r.outcomes)).toMatchObject([{ procedureId: s.procedureId, kind: "extended", extended: [s.requestOf(0)] }]);
    expect(await request(s.requestOf(0))).toMatchObject({ extended: true, dueAt: EXTENDED_DUE });
    const steps = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "appraisal.inquiry_deadline_passed"), eq(auditEvents.entityId, s.procedureId)));
    expect(steps).toHaveLength(1);
  });

  it("A8, A11: none arrived and none asked → the inquiry fails and the court is told to switch to appraisal", async () => {
    const w = await inquiryWorld();
    const s = await started(w);
    clock.set(new Date(DUE.getTime() + 1));
    const [outcome] = await sweep();
    expect(outcome).toMatchObject({ kind: "failed", extended: [] });
    expect(await procedure(s.procedureId)).toMatchObject({ status: "failed", endReason: "online_inquiry_failed", dueAt: null });
    const late = await db.select().from(inquiryRequests).where(and(eq(inquiryRequests.procedureId, s.procedureId), eq(inquiryRequests.late, true)));
    expect(late).toHaveLength(3);
    const [failed] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "appraisal.procedure_failed"), eq(auditEvents.entityId, s.procedureId)));
    expect(failed!.data).toMatchObject({ reason: "online_inquiry_failed", next: "appraisal" });
    await rejects(fixInquiryPrice(db, clock, w.judge, s.procedureId), "PROCEDURE_NOT_OPEN");
  });

  it("A8: after an extension, still nothing → fails; no second extension is granted", async () => {
    const w = await inquiryWorld();
    const s = await started(w);
    await askInquiryExtension(db, clock, w.platforms[0]!.member, s.requestOf(0));
    clock.set(new Date(DUE.getTime() + 1));
    await sweep();
    clock.set(new Date(EXTENDED_DUE.getTime() + 1));
    const [outcome] = await sweep();
    expect(outcome).toMatchObject({ kind: "failed", late: [s.requestOf(0)], extended: [] });
    expect(await request(s.requestOf(0))).toMatchObject({ late: true, lateAt: EXTENDED_DUE, dueAt: EXTENDED_DUE });
  });

  it("bad input: wrong platform, a court user, bad amounts, a non-PDF, a validity over a year, a second report — refused, nothing written", async () => {
    const w = await inquiryWorld();
    const s = await started(w);
    const bidder = await makeBidder(db, clock);
    const before = await footprint();
    await rejects(submitInquiryReport(db, clock, w.platforms[0]!.member, s.requestOf(1), report("100")), "FORBIDDEN");
    await rejects(submitInquiryReport(db, clock, w.judge, s.requestOf(0), report("100")), "FORBIDDEN");
    await rejects(submitInquiryReport(db, clock, bidder, s.requestOf(0), report("100")), "FORBIDDEN");
    await rejects(askInquiryExtension(db, clock, w.platforms[0]!.member, s.requestOf(1)), "FORBIDDEN");
    for (const bad of ["0", "-1", "12.5", "1e3", "0x10", "", "100000000000000", -5, 1.5]) {
      await rejects(submitInquiryReport(db, clock, w.platforms[0]!.member, s.requestOf(0), report(bad)), "VALIDATION_FAILED", { valueFen: "validation.amount" });
    }
    await rejects(
      submitInquiryReport(db, clock, w.platforms[0]!.member, s.requestOf(0), report("100", { file: { name: "r.png", type: "image/png", bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) } })),
      "VALIDATION_FAILED",
      { file: "file.error.type.document" },
    );
    await rejects(submitInquiryReport(db, clock, w.platforms[0]!.member, s.requestOf(0), report("100", { file: null })), "VALIDATION_FAILED", { file: "file.error.missing" });
    const valuationDate = new Date(clock.now().getTime() - DAY);
    await rejects(
      submitInquiryReport(db, clock, w.platforms[0]!.member, s.requestOf(0), report("100", { valuationDate, validUntil: new Date(addMonths(valuationDate, 12).getTime() + 1) })),
      "VALIDATION_FAILED",
      { validUntil: "appraisal.error.validityTooLong" },
    );
    await rejects(submitInquiryReport(db, clock, w.platforms[0]!.member, "00000000-0000-0000-0000-000000000000", report("100")), "NOT_FOUND");
    expect(await footprint()).toEqual(before);

    await submitInquiryReport(db, clock, w.platforms[0]!.member, s.requestOf(0), report("100"));
    const after = await footprint();
    await rejects(submitInquiryReport(db, clock, w.platforms[0]!.member, s.requestOf(0), report("200")), "INQUIRY_ALREADY_REPORTED");
    await rejects(askInquiryExtension(db, clock, w.platforms[0]!.member, s.requestOf(0)), "INQUIRY_ALREADY_REPORTED");
    expect(await footprint()).toEqual(after);
  });
});

describe("errors of facts or scope (A9)", () => {
  async function allReported(w: Awaited<ReturnType<typeof inquiryWorld>>, values: string[]) {
    const s = await started(w);
    const reports: string[] = [];
    for (const [i, v] of values.entries()) reports.push((await submitInquiryReport(db, clock, w.platforms[i]!.member, s.requestOf(i), report(v))).reportId);
    return { ...s, reports };
  }

  it("A9: with one report free of error, no correction is asked and the faulty ones leave the mean", async () => {
    const w = await inquiryWorld();
    const s = await allReported(w, ["100000000", "200000000", "300000000"]);
    await markReportError(db, clock, w.judge, s.reports[0]!, { note: "面积与查封记录不符" });
    await markReportError(db, clock, w.judge, s.reports[2]!, { note: "遗漏附属车位" });
    const before = await footprint();
    await rejects(askCorrections(db, clock, w.judge, s.procedureId), "CORRECTIONS_NOT_ALLOWED");
    expect(await footprint()).toEqual(before);
    await pastObjectionWindow(w.judge, s.procedureId);
    const fixed = await fixInquiryPrice(db, clock, w.judge, s.procedureId);
    expect(fixed).toMatchObject({ kind: "priced", amountFen: 200_000_000n, used: [s.reports[1]] });
  });

  it("A9: every report has the error → corrections due in 3 days; corrected ones count, a missing one is late", async () => {
    const w = await inquiryWorld();
    const s = await allReported(w, ["100000000", "200000000", "300000000"]);
    for (const r of s.reports) await markReportError(db, clock, w.judge, r, { note: "财产范围错误" });
    await rejects(fixInquiryPrice(db, clock, w.judge, s.procedureId), "CORRECTIONS_NEEDED");
    // A correction cannot come before it is asked.
    await rejects(submitCorrectedReport(db, clock, w.platforms[0]!.member, s.requestOf(0), report("110000000")), "CONFLICT");

    clock.set(new Date("2026-03-03T15:59:59Z"));
    const { correctionDueAt } = await askCorrections(db, clock, w.judge, s.procedureId);
    expect(correctionDueAt).toEqual(endOfDays(clock.now(), 3));
    expect(correctionDueAt).toEqual(new Date("2026-03-06T16:00:00Z"));
    await rejects(askCorrections(db, clock, w.judge, s.procedureId), "CONFLICT");
    await rejects(fixInquiryPrice(db, clock, w.judge, s.procedureId), "INQUIRY_REPORTS_OUTSTANDING");

    await submitCorrectedReport(db, clock, w.platforms[0]!.member, s.requestOf(0), report("110000000"));
    clock.set(correctionDueAt);
    await submitCorrectedReport(db, clock, w.platforms[1]!.member, s.requestOf(1), report("210000001"));
    await rejects(submitCorrectedReport(db, clock, w.platforms[1]!.member, s.requestOf(1), report("1")), "INQUIRY_ALREADY_REPORTED");
    clock.set(new Date(correctionDueAt.getTime() + 1));
    await rejects(submitCorrectedReport(db, clock, w.platforms[2]!.member, s.requestOf(2), report("310000000")), "REPORT_OVERDUE");
    const [outcome] = await sweep();
    expect(outcome).toMatchObject({ kind: "review", late: [s.requestOf(2)] });
    expect(await request(s.requestOf(2))).toMatchObject({ late: true, lateAt: correctionDueAt });
    // The first reports of the corrected platforms are out of the mean.
    expect((await db.select().from(valuationReports).where(eq(valuationReports.id, s.reports[0]!)))[0]!.excluded).toBe(true);

    await pastObjectionWindow(w.judge, s.procedureId);
    const fixed = await fixInquiryPrice(db, clock, w.judge, s.procedureId);
    // (110 000 000 + 210 000 001) / 2 = 160 000 000.5 → 160 000 001 fen.
    expect(fixed).toMatchObject({ kind: "priced", amountFen: 160_000_001n });
  });

  it("A8, A9: an online inquiry's deadlines at a glance are its platforms' reports, then their corrections — each once, under its own rule", async () => {
    const w = await inquiryWorld();
    const s = await allReported(w, []);
    const mine = async () => (await deadlinesAtAGlance(db, clock, w.clerk)).filter((d) => d.procedureId === s.procedureId).map((d) => [d.kind, d.rule]);
    expect(await mine()).toEqual([["inquiry_report", "A8"], ["inquiry_report", "A8"], ["inquiry_report", "A8"]]);
    for (const i of [0, 1, 2]) {
      const { reportId } = await submitInquiryReport(db, clock, w.platforms[i]!.member, s.requestOf(i), report("100000000"));
      await markReportError(db, clock, w.judge, reportId, { note: "财产范围错误" });
    }
    await askCorrections(db, clock, w.judge, s.procedureId);
    expect((await mine()).filter(([kind]) => kind !== "report_delivery")).toEqual([["inquiry_correction", "A9"], ["inquiry_correction", "A9"], ["inquiry_correction", "A9"]]);
  });

  it("A9: a correction missed and marked late leaves the court's deadlines at a glance; until the sweep it shows overdue", async () => {
    const w = await inquiryWorld();
    const s = await allReported(w, ["100000000", "200000000", "300000000"]);
    for (const r of s.reports) await markReportError(db, clock, w.judge, r, { note: "财产范围错误" });
    const { correctionDueAt } = await askCorrections(db, clock, w.judge, s.procedureId);
    await submitCorrectedReport(db, clock, w.platforms[0]!.member, s.requestOf(0), report("110000000"));
    const corrections = async () => (await deadlinesAtAGlance(db, clock, w.clerk)).filter((d) => d.kind === "inquiry_correction").map((d) => [d.entityId, d.overdue]);
    clock.set(correctionDueAt);
    expect(await corrections()).toEqual(expect.arrayContaining([[s.requestOf(1), false], [s.requestOf(2), false]]));
    clock.set(new Date(correctionDueAt.getTime() + 1));
    expect(await corrections()).toEqual(expect.arrayContaining([[s.requestOf(1), true], [s.requestOf(2), true]]));
    expect(await sweep()).toMatchObject([{ kind: "review" }]);
    expect(await request(s.requestOf(1))).toMatchObject({ late: true });
    expect(await corrections()).toEqual([]);
  });

  it("A9: every report has the error and no correction arrives → the inquiry fails (A11)", async () => {
    const w = await inquiryWorld();
    const s = await allReported(w, ["100000000", "200000000"]);
    for (const r of s.reports) await markReportError(db, clock, w.judge, r, { note: "财产基本信息错误" });
    clock.set(new Date(DUE.getTime() + 1));
    await sweep();
    const { correctionDueAt } = await askCorrections(db, clock, w.judge, s.procedureId);
    clock.set(new Date(correctionDueAt.getTime() + 1));
    const [outcome] = await sweep();
    expect(outcome).toMatchObject({ kind: "failed" });
    expect(outcome!.method === "online_inquiry" && [...outcome!.late].sort()).toEqual([s.requestOf(0), s.requestOf(1)].sort());
    expect(await procedure(s.procedureId)).toMatchObject({ status: "failed", endReason: "online_inquiry_failed" });
  });

  it("A9: only the case's judge marks errors, once per report, with a reason", async () => {
    const w = await inquiryWorld();
    const s = await allReported(w, ["100000000"]);
    const stranger = await makeCourt(db, clock);
    const before = await footprint();
    await rejects(markReportError(db, clock, stranger.judge, s.reports[0]!, { note: "x" }), "FORBIDDEN");
    await rejects(markReportError(db, clock, w.clerk, s.reports[0]!, { note: "x" }), "FORBIDDEN");
    await rejects(markReportError(db, clock, w.judge, s.reports[0]!, { note: "  " }), "VALIDATION_FAILED", { note: "validation.required" });
    expect(await footprint()).toEqual(before);
    await markReportError(db, clock, w.judge, s.reports[0]!, { note: "面积错误" });
    await rejects(markReportError(db, clock, w.judge, s.reports[0]!, { note: "again" }), "CONFLICT");
  });
});

describe("the reference price: the mean of valid results (A10, P7, P9)", () => {
  it("A10, P9: 1,000,000.00 and 1,000,000.01 yuan average 1,000,000.005 → fixed at 1,000,000.01 yuan; valid until the earliest report's validity", async () => {
    const w = await inquiryWorld();
    const s = await started(w);
    const earliest = new Date("2026-07-31T16:00:00Z");
    await submitInquiryReport(db, clock, w.platforms[0]!.member, s.requestOf(0), report("100000000"));
    await submitInquiryReport(db, clock, w.platforms[1]!.member, s.requestOf(1), report("100000001", { validUntil: earliest }));
    // Reports still due: not yet.
    await rejects(fixInquiryPrice(db, clock, w.judge, s.procedureId), "INQUIRY_REPORTS_OUTSTANDING");
    clock.set(new Date(DUE.getTime() + 1));
    await sweep();
    // A19, A20: the parties get the reports and 5 days to object first — the 5th day's end included.
    await rejects(fixInquiryPrice(db, clock, w.judge, s.procedureId), "REPORT_NOT_DELIVERED");
    const objectionsDue = await deliverAll(w.judge, s.procedureId);
    expect(objectionsDue).toEqual(endOfDays(clock.now(), 5));
    clock.set(objectionsDue);
    await rejects(fixInquiryPrice(db, clock, w.judge, s.procedureId), "OBJECTIONS_PENDING");
    clock.set(new Date(objectionsDue.getTime() + 1));
    await rejects(fixInquiryPrice(db, clock, w.clerk, s.procedureId), "FORBIDDEN");

    const fixed = await fixInquiryPrice(db, clock, w.judge, s.procedureId);
    expect(fixed).toMatchObject({ kind: "priced", amountFen: 100_000_001n, validUntil: earliest });
    const price = await validReferencePrice(db, w.assetId, clock.now());
    expect(price).toMatchObject({ method: "online_inquiry", amountFen: 100_000_001n, agencyId: null, validUntil: earliest, fixedBy: w.judge.id });
    expect(await procedure(s.procedureId)).toMatchObject({ status: "priced", referencePriceId: price!.id });
    await rejects(fixInquiryPrice(db, clock, w.judge, s.procedureId), "PROCEDURE_NOT_OPEN");
  });

  it("A10: all three reports in before the deadline → no need to wait for it; three values averaging x.33 round down", async () => {
    const w = await inquiryWorld();
    const s = await started(w);
    for (const [i, v] of ["100000000", "100000000", "100000001"].entries()) await submitInquiryReport(db, clock, w.platforms[i]!.member, s.requestOf(i), report(v));
    const objectionsDue = await deliverAll(w.judge, s.procedureId);
    // The parties' window ends on 7 March, after the platforms' deadline of 5 March; the sweep in between finds nobody late.
    clock.set(new Date(DUE.getTime() + 1));
    expect(await sweep()).toMatchObject([{ kind: "review", late: [], extended: [] }]);
    clock.set(new Date(objectionsDue.getTime() + 1));
    expect(await fixInquiryPrice(db, clock, w.judge, s.procedureId)).toMatchObject({ kind: "priced", amountFen: 100_000_000n });
    expect(await sweep()).toEqual([]);
  });

  it("A10: an objected report drops out of the mean; when all are objected, the rejected ones make it, and it waits while one is undecided", async () => {
    const w = await inquiryWorld();
    const s = await started(w);
    const ids: string[] = [];
    for (const [i, v] of ["100000000", "200000000", "400000000"].entries()) ids.push((await submitInquiryReport(db, clock, w.platforms[i]!.member, s.requestOf(i), report(v))).reportId);
    await pastObjectionWindow(w.judge, s.procedureId);
    const applicant = await makePartyAccount(db, w.caseId, "applicant", { now: clock.now() });
    const object = (reportId: string, status: "filed" | "rejected" | "upheld") =>
      db
        .insert(reportObjections)
        .values({ reportId, partyId: applicant.partyId, kind: "procedural", grounds: "询价结果明显偏低", status, filedBy: applicant.id, filedAt: clock.now() })
        .returning({ id: reportObjections.id });

    const [third] = await object(ids[2]!, "filed");
    const before = await footprint();
    // Only some objected: the mean of those not objected, (100 + 200) / 2 million fen.
    await object(ids[0]!, "rejected");
    const [second] = await object(ids[1]!, "filed");
    await rejects(fixInquiryPrice(db, clock, w.judge, s.procedureId), "OBJECTIONS_PENDING");
    expect((await footprint()).prices).toBe(before.prices);
    await db.update(reportObjections).set({ status: "upheld" }).where(eq(reportObjections.id, second!.id));
    await db.update(reportObjections).set({ status: "rejected" }).where(eq(reportObjections.id, third!.id));
    const fixed = await fixInquiryPrice(db, clock, w.judge, s.procedureId);
    // All objected: rejected ones (100 and 400 million) make the mean; the upheld one drops out.
    expect(fixed).toMatchObject({ kind: "priced", amountFen: 250_000_000n });
    expect(fixed.kind === "priced" && [...fixed.used].sort()).toEqual([ids[0], ids[2]].sort());
  });

  it("A10: with only some reports objected, the mean uses the others", async () => {
    const w = await inquiryWorld();
    const s = await started(w);
    const ids: string[] = [];
    for (const [i, v] of ["100000000", "200000000", "400000000"].entries()) ids.push((await submitInquiryReport(db, clock, w.platforms[i]!.member, s.requestOf(i), report(v))).reportId);
    await pastObjectionWindow(w.judge, s.procedureId);
    const applicant = await makePartyAccount(db, w.caseId, "applicant", { now: clock.now() });
    await db.insert(reportObjections).values({ reportId: ids[2]!, partyId: applicant.partyId, kind: "technical", grounds: "偏高", status: "filed", filedBy: applicant.id, filedAt: clock.now() });
    const fixed = await fixInquiryPrice(db, clock, w.judge, s.procedureId);
    expect(fixed).toMatchObject({ kind: "priced", amountFen: 150_000_000n });
    expect(fixed.kind === "priced" && [...fixed.used].sort()).toEqual([ids[0], ids[1]].sort());
  });

  it("A20: an online inquiry's mean waits while a party may still ask for review of its rejected procedural objection (REVIEW_WINDOW_OPEN, nothing written), and is fixed once the 10 days are over", async () => {
    const w = await inquiryWorld();
    const s = await started(w);
    const ids: string[] = [];
    for (const [i, v] of ["100000000", "200000000", "300000000"].entries()) ids.push((await submitInquiryReport(db, clock, w.platforms[i]!.member, s.requestOf(i), report(v))).reportId);
    await pastObjectionWindow(w.judge, s.procedureId);
    const applicant = await makePartyAccount(db, w.caseId, "applicant", { now: clock.now() });
    const decidedAt = clock.now();
    await db.insert(reportObjections).values({ reportId: ids[0]!, partyId: applicant.partyId, kind: "procedural", grounds: "询价结果明显偏低", status: "rejected", decision: "rejected", decidedAt, filedBy: applicant.id, filedAt: decidedAt });
    const before = await footprint();
    clock.set(reviewDueAt(CN_SPC_2016, decidedAt));
    await rejects(fixInquiryPrice(db, clock, w.judge, s.procedureId), "REVIEW_WINDOW_OPEN");
    expect(await footprint()).toEqual(before);
    clock.advance(1);
    // A10: the objected report stays out of the mean while the others are not objected: (200 + 300) / 2 million fen.
    expect(await fixInquiryPrice(db, clock, w.judge, s.procedureId)).toMatchObject({ kind: "priced", amountFen: 250_000_000n });
  });

  it("A10, A11: when every result is out (all objections upheld), the inquiry fails instead of fixing a price", async () => {
    const w = await inquiryWorld();
    const s = await started(w);
    const ids: string[] = [];
    for (const [i, v] of ["100000000", "200000000"].entries()) ids.push((await submitInquiryReport(db, clock, w.platforms[i]!.member, s.requestOf(i), report(v))).reportId);
    clock.set(new Date(DUE.getTime() + 1));
    await sweep();
    await pastObjectionWindow(w.judge, s.procedureId);
    const applicant = await makePartyAccount(db, w.caseId, "applicant", { now: clock.now() });
    for (const reportId of ids)
      await db.insert(reportObjections).values({ reportId, partyId: applicant.partyId, kind: "procedural", grounds: "程序违法", status: "upheld", filedBy: applicant.id, filedAt: clock.now() });
    expect(await fixInquiryPrice(db, clock, w.judge, s.procedureId)).toEqual({ kind: "failed", reason: "no_valid_reports" });
    expect(await procedure(s.procedureId)).toMatchObject({ status: "failed", endReason: "online_inquiry_failed" });
    expect(await validReferencePrice(db, w.assetId, clock.now())).toBeNull();
  });
});

describe("strike-off after 5 late reports in a year (A6)", () => {
  /** Earlier late reports of the platform, on an asset of their own (one request per procedure). */
  async function priorLates(platformId: string, lateTimes: Date[]) {
    const w = await caseWithAsset("commercial");
    const [asset] = await db.select().from(assets).where(eq(assets.id, w.assetId));
    for (const at of lateTimes) {
      const [p] = await db
        .insert(priceProcedures)
        .values({ assetId: w.assetId, caseId: asset!.caseId, method: "online_inquiry", status: "failed", basis: "历史询价", startedBy: w.judge.id, startedAt: new Date(at.getTime() - 3 * DAY), endedAt: at })
        .returning();
      await db.insert(inquiryRequests).values({ procedureId: p!.id, platformId, addressee: "平台", sentAt: new Date(at.getTime() - 3 * DAY), dueAt: at, late: true, lateAt: at });
    }
  }

  it("A6: the 4th late report keeps the platform; the 5th strikes it off, barred for 5 years, and it gets no new requests", async () => {
    const w = await inquiryWorld();
    const [keeps, strikes] = [w.platforms[1]!, w.platforms[2]!];
    const yearAgo = addMonths(DUE, -12);
    await priorLates(keeps.platform.id, [yearAgo, new Date(DUE.getTime() - 30 * DAY), new Date(DUE.getTime() - 20 * DAY)]);
    await priorLates(strikes.platform.id, [yearAgo, new Date(DUE.getTime() - 30 * DAY), new Date(DUE.getTime() - 20 * DAY), new Date(DUE.getTime() - 10 * DAY)]);

    const s = await started(w);
    await submitInquiryReport(db, clock, w.platforms[0]!.member, s.requestOf(0), report("100000000"));
    clock.set(new Date(DUE.getTime() + 1));
    const [outcome] = await sweep();
    expect(outcome).toMatchObject({ kind: "review", struckOff: [strikes.platform.id] });

    const listing = async (id: string) => (await db.select().from(platformListings).where(eq(platformListings.platformId, id)))[0]!;
    expect(await listing(keeps.platform.id)).toMatchObject({ status: "active", barredUntil: null });
    expect(await listing(strikes.platform.id)).toMatchObject({ status: "struck_off", barredUntil: addMonths(DUE, 60), statusChangedAt: clock.now() });
    const [audit] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "appraisal.platform_struck_off"), eq(auditEvents.entityId, strikes.platform.id)));
    expect(audit!.data).toMatchObject({ reason: "late_reports" });

    // A7: the next inquiry goes to the two still listed.
    await pastObjectionWindow(w.judge, s.procedureId);
    expect(await fixInquiryPrice(db, clock, w.judge, s.procedureId)).toMatchObject({ kind: "priced" });
    const next = await caseWithAsset("commercial");
    const again = await startOnlineInquiry(db, clock, next.judge, next.assetId, { ground: "parties_jointly_chose", basis: "双方一致选择网络询价" });
    expect(again.requests.map((r) => r.platformId).sort()).toEqual([w.platforms[0]!.platform.id, keeps.platform.id].sort());
  });

  it("A6: 5 late reports, but the oldest 12 months + 1 ms before the 5th, do not strike off", async () => {
    const w = await inquiryWorld();
    const target = w.platforms[2]!;
    await priorLates(target.platform.id, [new Date(addMonths(DUE, -12).getTime() - 1), new Date(DUE.getTime() - 30 * DAY), new Date(DUE.getTime() - 20 * DAY), new Date(DUE.getTime() - 10 * DAY)]);
    const s = await started(w);
    await submitInquiryReport(db, clock, w.platforms[0]!.member, s.requestOf(0), report("100000000"));
    clock.set(new Date(DUE.getTime() + 1));
    const [outcome] = await sweep();
    expect(outcome).toMatchObject({ kind: "review", struckOff: [] });
    expect((await db.select().from(platformListings).where(eq(platformListings.platformId, target.platform.id)))[0]).toMatchObject({ status: "active" });
    expect((await db.select({ n: count() }).from(inquiryRequests).where(and(eq(inquiryRequests.platformId, target.platform.id), eq(inquiryRequests.late, true))))[0]!.n).toBe(5);
  });
});

describe("A17: a new inquiry after the price ran out", () => {
  /** An online inquiry priced from three reports valid 40 days; returns the fixed price. */
  async function pricedInquiry() {
    const w = await inquiryWorld();
    const s = await started(w);
    const validUntil = new Date(clock.now().getTime() + 40 * DAY);
    // ¥1,000,000.00 on average: the price lotDraftInput's lot is set up for.
    for (const [i, v] of ["90000000", "100000000", "110000000"].entries()) await submitInquiryReport(db, clock, w.platforms[i]!.member, s.requestOf(i), report(v, { validUntil }));
    await pastObjectionWindow(w.judge, s.procedureId);
    const fixed = await fixInquiryPrice(db, clock, w.judge, s.procedureId);
    if (fixed.kind !== "priced") throw new Error("expected a price");
    return { w, s, fixed };
  }

  const eventsOf = async (procedureId: string) =>
    (await db.select({ action: auditEvents.action, actorId: auditEvents.actorId, data: auditEvents.data }).from(auditEvents).where(eq(auditEvents.entityId, procedureId)).orderBy(auditEvents.seq)).map((e) => e);

  it("A17: at the price's last instant no new inquiry is needed; 1 ms later the judge's request sends a new inquiry on the same ground to every platform, due in the same 3 days, and its mean is the new price", async () => {
    const { w, s, fixed } = await pricedInquiry();
    clock.set(fixed.validUntil);
    await rejects(askReissue(db, clock, w.judge, s.procedureId), "REISSUE_NOT_NEEDED");
    clock.set(new Date(fixed.validUntil.getTime() + 1));
    await rejects(askReissue(db, clock, w.clerk, s.procedureId), "FORBIDDEN");

    const asked = await askReissue(db, clock, w.judge, s.procedureId);
    expect(asked.commissionId).toBeNull();
    expect(asked.procedureId).not.toBe(s.procedureId);
    // The platforms' 3 days, counted as for any inquiry (A8): to the end of the third day, Beijing time.
    expect(asked.reportDueAt).toEqual(endOfDays(clock.now(), 3));
    const first = await procedure(s.procedureId);
    expect(await procedure(asked.procedureId)).toMatchObject({
      method: "online_inquiry",
      status: "open",
      assetId: w.assetId,
      basisKind: first.basisKind,
      basis: first.basis,
      dueAt: asked.reportDueAt,
    });
    // The expired inquiry keeps its record; the new one asks every platform again, all at once.
    expect(first).toMatchObject({ status: "priced", referencePriceId: fixed.referencePriceId });
    const sent = await db.select().from(inquiryRequests).where(eq(inquiryRequests.procedureId, asked.procedureId));
    expect(sent.map((r) => r.platformId).sort()).toEqual(w.platforms.map((p) => p.platform.id).sort());
    for (const r of sent) expect(r).toMatchObject({ sentAt: clock.now(), dueAt: asked.reportDueAt, late: false });
    expect((await eventsOf(s.procedureId)).at(-1)).toEqual({
      action: "appraisal.inquiry_reissue_asked",
      actorId: w.judge.id,
      data: expect.objectContaining({ rule: "A17", expiredReferencePriceId: fixed.referencePriceId, newProcedureId: asked.procedureId }),
    });
    expect((await eventsOf(asked.procedureId)).map((e) => e.action)).toEqual(["appraisal.procedure_started", "appraisal.online_inquiry_sent"]);
    // Asked once: the expired inquiry is no longer the asset's newest pricing.
    await rejects(askReissue(db, clock, w.judge, s.procedureId), "CONFLICT");

    const requestOf = (i: number) => sent.find((r) => r.platformId === w.platforms[i]!.platform.id)!.id;
    for (const [i, v] of ["130000000", "140000000", "150000000"].entries()) await submitInquiryReport(db, clock, w.platforms[i]!.member, requestOf(i), report(v));
    await pastObjectionWindow(w.judge, asked.procedureId);
    const again = await fixInquiryPrice(db, clock, w.judge, asked.procedureId);
    expect(again).toMatchObject({ kind: "priced", amountFen: 140_000_000n });
    expect(await validReferencePrice(db, w.assetId, clock.now())).toMatchObject({ method: "online_inquiry", amountFen: 140_000_000n });
  });

  it("A17, A23: once the first auction was announced within the validity, no new inquiry is sent; nothing is written", async () => {
    const { w, s, fixed } = await pricedInquiry();
    const lot = await createLotDraft(db, clock, w.clerk, lotDraftInput(w.assetId, clock.now()));
    await db.update(lots).set({ publishedAt: clock.now() }).where(eq(lots.id, lot.id));
    clock.set(new Date(fixed.validUntil.getTime() + 1));
    const before = await footprint();
    await rejects(askReissue(db, clock, w.judge, s.procedureId), "REISSUE_NOT_NEEDED");
    expect(await footprint()).toEqual(before);
  });

  it("A17: a new inquiry needs a platform that prices the asset: with none left it is refused and nothing is written", async () => {
    const { w, s, fixed } = await pricedInquiry();
    await db.update(platformListings).set({ status: "struck_off", barredUntil: addMonths(clock.now(), 60) });
    clock.set(new Date(fixed.validUntil.getTime() + 1));
    const before = await footprint();
    await rejects(askReissue(db, clock, w.judge, s.procedureId), "NO_INQUIRY_PLATFORM");
    expect(await footprint()).toEqual(before);
  });
});
