import { and, asc, count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import type { Database, Db } from "../../db/client.ts";
import { assets, auditEvents, commissionExtensions, commissions, priceProcedures, reportObjections } from "../../db/schema/index.ts";
import {
  acceptCommission,
  agreeAgencies,
  answerObjection,
  deadlinesAtAGlance,
  declineCommission,
  deliverReport,
  fileObjection,
  forwardObjection,
  openDraw,
  requestExtension,
  resumeProcedure,
  runDueDraws,
  startProcedure,
  submitAppraisalReport,
  suspendProcedure,
  sweepAppraisalDeadlines,
  withdrawProcedure,
} from "../../appraisal/index.ts";
import { runDraw } from "../../appraisal/draws.ts";
import { makeCourt } from "../fixtures/auction.ts";
import { appraisalReportInput, makePricingCase } from "../fixtures/appraisal.ts";
import { createTestDatabase } from "../support/database.ts";
import { codeOf } from "../support/refusals.ts";
import { testDrawSeedKeys } from "../support/platform.ts";

const DAY = 24 * 60 * 60 * 1000;
const MS = 1;
const START = new Date("2026-03-02T02:00:00Z"); // 10:00 on 2 March, Beijing
const clock = new TestClock(START);
let database: Database;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(() => database?.close());

const commission = async (id: string) => (await db.select().from(commissions).where(eq(commissions.id, id)))[0]!;
const procedure = async (id: string) => (await db.select().from(priceProcedures).where(eq(priceProcedures.id, id)))[0]!;
const offersOf = (procedureId: string) => db.select().from(commissions).where(eq(commissions.procedureId, procedureId)).orderBy(asc(commissions.rank));

/** An appraisal with its three agencies agreed: the first is offered the commission now. */
async function agreedAppraisal() {
  clock.set(START);
  const c = await makePricingCase(db, clock);
  const p = await startProcedure(db, clock, c.judge, c.assetId, { method: "appraisal", basisKind: "law_requires", basis: "法律规定须委托评估" });
  const { commissionId } = await agreeAgencies(db, clock, c.clerk, p.id, c.agencies.map((a) => a.agency.id));
  return { ...c, procedureId: p.id, commissionId, members: c.agencies.map((a) => a.member) };
}

/** …and accepted at START: the report is due at the end of 1 April (Beijing), 2026-04-01T16:00Z. */
async function acceptedAppraisal() {
  const s = await agreedAppraisal();
  const { reportDueAt } = await acceptCommission(db, clock, s.members[0]!, s.commissionId);
  expect(reportDueAt).toEqual(new Date("2026-04-01T16:00:00Z"));
  return { ...s, reportDueAt };
}

describe("A1: starting within 30 days of the seizure", () => {
  it("A1: a start at the 30th day's end is on time; a millisecond later is late — allowed, recorded, and shown among the deadlines", async () => {
    clock.set(START);
    const seizedAt = new Date("2026-03-01T07:30:00Z"); // 15:30 on 1 March, Beijing: due by the end of 31 March
    const due = new Date("2026-03-31T16:00:00Z");
    const onTime = await makePricingCase(db, clock);
    const late = await makePricingCase(db, clock);
    await db.update(assets).set({ seizedAt }).where(inArray(assets.id, [onTime.assetId, late.assetId]));

    // Before any start the court sees the A1 deadline of each asset.
    const before = await deadlinesAtAGlance(db, clock, late.judge);
    expect(before.filter((d) => d.kind === "procedure_start")).toEqual([expect.objectContaining({ rule: "A1", dueAt: due, assetId: late.assetId, overdue: false })]);

    clock.set(due);
    const a = await startProcedure(db, clock, onTime.judge, onTime.assetId, { method: "appraisal", basisKind: "law_requires", basis: "依法评估" });
    expect(a).toMatchObject({ lateStart: false, startDueAt: due });
    clock.set(new Date(due.getTime() + MS));
    const b = await startProcedure(db, clock, late.judge, late.assetId, { method: "appraisal", basisKind: "law_requires", basis: "依法评估" });
    expect(b).toMatchObject({ lateStart: true, startDueAt: due });
    expect(await procedure(b.id)).toMatchObject({ lateStart: true });
    const [event] = await db.select({ data: auditEvents.data }).from(auditEvents).where(and(eq(auditEvents.entityId, b.id), eq(auditEvents.action, "appraisal.procedure_started")));
    expect(event!.data).toMatchObject({ rule: "A1", lateStart: true });

    // Shown with the procedure's running deadlines (here: the first agency's answer, once agreed).
    await agreeAgencies(db, clock, late.clerk, b.id, late.agencies.map((x) => x.agency.id));
    const glance = await deadlinesAtAGlance(db, clock, late.judge);
    expect(glance.filter((d) => d.procedureId === b.id).every((d) => d.lateStart)).toBe(true);
    expect(glance.some((d) => d.procedureId === b.id)).toBe(true);

    // A second method for the same asset continues the pricing the first one started on time.
    await withdrawProcedure(db, clock, onTime.judge, a.id, { reason: "改为网络询价" });
    clock.advance(20 * DAY);
    const again = await startProcedure(db, clock, onTime.judge, onTime.assetId, { method: "online_inquiry", basisKind: "parties_jointly_chose", basis: "双方当事人一致选择网络询价" });
    expect(again.lateStart).toBe(false);
  });
});

describe("A15: extensions", () => {
  it("A15: an extension asked 5 days before the deadline is granted; 4 days before is refused", async () => {
    const s = await acceptedAppraisal();
    // Due at the end of 1 April: the last day to ask is 27 March.
    clock.set(new Date("2026-03-28T09:00:00+08:00"));
    expect(await codeOf(requestExtension(db, clock, s.members[0]!, s.commissionId, { days: 10, reason: "需补充调查" }))).toBe("EXTENSION_TOO_LATE");
    const [none] = await db.select({ n: count() }).from(commissionExtensions).where(eq(commissionExtensions.commissionId, s.commissionId));
    expect(none!.n).toBe(0);
    clock.set(new Date("2026-03-27T23:59:59.999+08:00"));
    const { reportDueAt } = await requestExtension(db, clock, s.members[0]!, s.commissionId, { days: 10, reason: "需补充调查" });
    expect(reportDueAt).toEqual(new Date("2026-04-11T16:00:00Z"));
    const [granted] = await db.select({ data: auditEvents.data, actorId: auditEvents.actorId }).from(auditEvents).where(and(eq(auditEvents.entityId, s.commissionId), eq(auditEvents.action, "appraisal.extension_granted")));
    expect(granted!.data).toMatchObject({ rule: "A15", grantedBy: "rule", days: 10, extension: 1 });
  });

  it("A15: at most 2 extensions of at most 15 days: 16 days is refused, the third extension is refused", async () => {
    const s = await acceptedAppraisal();
    const member = s.members[0]!;
    expect(await codeOf(requestExtension(db, clock, member, s.commissionId, { days: 16, reason: "现场勘验延迟" }))).toBe("EXTENSION_TOO_LONG");
    await requestExtension(db, clock, member, s.commissionId, { days: 15, reason: "现场勘验延迟" });
    await requestExtension(db, clock, member, s.commissionId, { days: 15, reason: "需要补充资料" });
    expect(await codeOf(requestExtension(db, clock, member, s.commissionId, { days: 1, reason: "再延一日" }))).toBe("EXTENSION_LIMIT");
    const c = await commission(s.commissionId);
    expect(c).toMatchObject({ extensionsUsed: 2, reportDueAt: new Date(s.reportDueAt.getTime() + 30 * DAY) });
    // Other agencies' members and court staff cannot ask for it; bad input writes nothing.
    expect(await codeOf(requestExtension(db, clock, s.members[1]!, s.commissionId, { days: 1, reason: "x" }))).toBe("FORBIDDEN");
    expect(await codeOf(requestExtension(db, clock, s.judge, s.commissionId, { days: 1, reason: "x" }))).toBe("FORBIDDEN");
    expect(await codeOf(requestExtension(db, clock, member, s.commissionId, { days: 0, reason: "x" }))).toBe("VALIDATION_FAILED");
  });
});

describe("A16: a missed report deadline", () => {
  it("A16: at the deadline exactly nothing happens; at deadline + 1 ms the sweep passes the commission to the next-ranked with nobody acting, and the audit log shows it", async () => {
    const s = await acceptedAppraisal();
    clock.set(s.reportDueAt);
    await sweepAppraisalDeadlines(db, clock);
    expect(await commission(s.commissionId)).toMatchObject({ status: "accepted" });
    expect(await offersOf(s.procedureId)).toHaveLength(1);

    clock.set(new Date(s.reportDueAt.getTime() + MS));
    const result = await sweepAppraisalDeadlines(db, clock);
    expect(result.overdue).toBeGreaterThanOrEqual(1);
    expect(result.errors).toEqual([]);
    const first = await commission(s.commissionId);
    // The materials come back within 3 days: by the end of 5 April.
    expect(first).toMatchObject({ status: "overdue", materialsDueAt: new Date("2026-04-05T16:00:00Z") });
    const offers = await offersOf(s.procedureId);
    expect(offers.map((o) => [o.rank, o.agencyId, o.status])).toEqual([
      [1, s.agencies[0]!.agency.id, "overdue"],
      [2, s.agencies[1]!.agency.id, "offered"],
    ]);
    const events = await db
      .select({ action: auditEvents.action, actorId: auditEvents.actorId, data: auditEvents.data })
      .from(auditEvents)
      .where(inArray(auditEvents.entityId, [s.commissionId, offers[1]!.id]))
      .orderBy(asc(auditEvents.seq));
    expect(events.slice(-2)).toEqual([
      { action: "appraisal.commission_overdue", actorId: null, data: expect.objectContaining({ rule: "A16", agencyId: s.agencies[0]!.agency.id }) },
      { action: "appraisal.commission_offered", actorId: null, data: expect.objectContaining({ rule: "A16", rank: 2 }) },
    ]);
    // The overdue agency can no longer upload; the sweep is idempotent.
    expect(await codeOf(submitAppraisalReport(db, clock, s.members[0]!, s.commissionId, appraisalReportInput(clock.now())))).toBe("REPORT_OVERDUE");
    await sweepAppraisalDeadlines(db, clock);
    expect(await offersOf(s.procedureId)).toHaveLength(2);
  });

  it("A14 (platform policy): an offer nobody answers counts as declined once its 3 days are over; at the expiry exactly it still stands", async () => {
    const s = await agreedAppraisal();
    const expires = (await commission(s.commissionId)).offerExpiresAt!;
    expect(expires).toEqual(new Date("2026-03-05T16:00:00Z")); // the end of 5 March
    clock.set(expires);
    await sweepAppraisalDeadlines(db, clock);
    expect(await commission(s.commissionId)).toMatchObject({ status: "offered" });
    clock.set(new Date(expires.getTime() + MS));
    expect(await codeOf(acceptCommission(db, clock, s.members[0]!, s.commissionId))).toBe("OFFER_EXPIRED");
    await sweepAppraisalDeadlines(db, clock);
    expect((await offersOf(s.procedureId)).map((o) => [o.rank, o.status, o.declineReason])).toEqual([
      [1, "declined", "no_answer"],
      [2, "offered", null],
    ]);
  });

  it("A13, A16: when all three decline or miss, the procedure fails and needs a new selection", async () => {
    const s = await agreedAppraisal();
    const { next } = await declineCommission(db, clock, s.members[0]!, s.commissionId, { reason: "利害关系" });
    await acceptCommission(db, clock, s.members[1]!, next!.commissionId);
    const due = (await commission(next!.commissionId)).reportDueAt!;
    clock.set(new Date(due.getTime() + MS));
    await sweepAppraisalDeadlines(db, clock);
    const third = (await offersOf(s.procedureId))[2]!;
    clock.set(new Date(third.offerExpiresAt!.getTime() + MS));
    await sweepAppraisalDeadlines(db, clock);
    expect(await procedure(s.procedureId)).toMatchObject({ status: "failed", endReason: "needs_new_selection" });
    const [failed] = await db.select({ actorId: auditEvents.actorId, data: auditEvents.data }).from(auditEvents).where(and(eq(auditEvents.entityId, s.procedureId), eq(auditEvents.action, "appraisal.procedure_failed")));
    expect(failed).toEqual({ actorId: null, data: expect.objectContaining({ reason: "needs_new_selection", rule: "A13" }) });
    // A new selection: a new procedure may start.
    await startProcedure(db, clock, s.judge, s.assetId, { method: "appraisal", basisKind: "law_requires", basis: "重新选定评估机构" });
  });

  it("A13, A14: the scheduled job's draw commissions the first-ranked agency in the draw's transaction, so the sweep finds nothing to commission", async () => {
    clock.set(START);
    const s = await makePricingCase(db, clock);
    const p = await startProcedure(db, clock, s.judge, s.assetId, { method: "appraisal", basisKind: "law_requires", basis: "依法评估" });
    const { drawId } = await openDraw(db, clock, testDrawSeedKeys, s.judge, p.id, { regionScope: "library", entropyCutoffAt: new Date(clock.now().getTime() + 60_000) });
    clock.advance(60_000);
    const report = await runDueDraws(db, clock, testDrawSeedKeys);
    const drawn = report.drawn.find((d) => d.drawId === drawId)!;
    const offers = await offersOf(p.id);
    expect(offers.map((o) => [o.rank, o.agencyId, o.status])).toEqual([[1, drawn.ranking[0], "offered"]]);
    expect(drawn.commissionId).toBe(offers[0]!.id);
    const [offered] = await db.select({ actorId: auditEvents.actorId, data: auditEvents.data }).from(auditEvents).where(and(eq(auditEvents.entityId, offers[0]!.id), eq(auditEvents.action, "appraisal.commission_offered")));
    expect(offered).toEqual({ actorId: null, data: expect.objectContaining({ rule: "A14", rank: 1 }) });
    await sweepAppraisalDeadlines(db, clock);
    expect(await offersOf(p.id)).toHaveLength(1);
  });

  it("A14: a drawn procedure left without a commission (a draw recorded on its own) gets its first commission from the sweep", async () => {
    clock.set(START);
    const s = await makePricingCase(db, clock);
    const p = await startProcedure(db, clock, s.judge, s.assetId, { method: "appraisal", basisKind: "law_requires", basis: "依法评估" });
    const { drawId } = await openDraw(db, clock, testDrawSeedKeys, s.judge, p.id, { regionScope: "library", entropyCutoffAt: new Date(clock.now().getTime() + 60_000) });
    clock.advance(60_000);
    await db.transaction((tx) => runDraw(tx, clock, testDrawSeedKeys, drawId, null));
    expect(await offersOf(p.id)).toHaveLength(0);
    const result = await sweepAppraisalDeadlines(db, clock);
    expect(result.firstCommissions).toBeGreaterThanOrEqual(1);
    expect((await offersOf(p.id)).map((o) => [o.rank, o.status])).toEqual([[1, "offered"]]);
  });
});

describe("A21: an objection the appraiser does not explain", () => {
  it("A21: at the answer deadline exactly nothing happens; a millisecond later the sweep sends it to technical review", async () => {
    const s = await acceptedAppraisal();
    clock.advance(5 * DAY);
    const report = await submitAppraisalReport(db, clock, s.members[0]!, s.commissionId, appraisalReportInput(clock.now()));
    await deliverReport(db, clock, s.clerk, report.id);
    const o = await fileObjection(db, clock, s.applicant, report.id, { kind: "technical", grounds: "成新率取值不当" });
    const { answerDueAt } = await forwardObjection(db, clock, s.clerk, o.id);
    clock.set(answerDueAt);
    await sweepAppraisalDeadlines(db, clock);
    expect((await db.select().from(reportObjections).where(eq(reportObjections.id, o.id)))[0]!.status).toBe("forwarded");
    clock.set(new Date(answerDueAt.getTime() + MS));
    await sweepAppraisalDeadlines(db, clock);
    expect((await db.select().from(reportObjections).where(eq(reportObjections.id, o.id)))[0]!.status).toBe("technical_review");
    expect(await codeOf(answerObjection(db, clock, s.members[0]!, o.id, { answer: "迟到的说明" }))).toBe("CONFLICT");
    const [event] = await db.select({ actorId: auditEvents.actorId, data: auditEvents.data }).from(auditEvents).where(and(eq(auditEvents.entityId, o.id), eq(auditEvents.action, "appraisal.objection_to_technical_review")));
    expect(event).toEqual({ actorId: null, data: expect.objectContaining({ rule: "A21" }) });
  });
});

describe("A24: suspension stops the clock", () => {
  it("A24: while suspended nothing moves and no step is taken; on resumption the report deadline moves by the suspended time", async () => {
    const s = await acceptedAppraisal();
    clock.set(new Date("2026-03-20T02:00:00Z"));
    expect(await codeOf(suspendProcedure(db, clock, s.clerk, s.procedureId, { reason: "x" }))).toBe("FORBIDDEN");
    await suspendProcedure(db, clock, s.judge, s.procedureId, { reason: "本案裁定中止执行" });

    // The old deadline passes during the suspension: the sweep leaves it alone, and the agency cannot act.
    clock.set(new Date(s.reportDueAt.getTime() + DAY));
    await sweepAppraisalDeadlines(db, clock);
    expect(await commission(s.commissionId)).toMatchObject({ status: "accepted", reportDueAt: s.reportDueAt });
    expect(await codeOf(submitAppraisalReport(db, clock, s.members[0]!, s.commissionId, appraisalReportInput(clock.now())))).toBe("PROCEDURE_NOT_OPEN");
    expect(await codeOf(requestExtension(db, clock, s.members[0]!, s.commissionId, { days: 5, reason: "x" }))).toBe("PROCEDURE_NOT_OPEN");
    expect((await deadlinesAtAGlance(db, clock, s.judge)).some((d) => d.procedureId === s.procedureId)).toBe(false);

    // Suspended from 20 March 10:00 to 3 April 10:00 (Beijing): 14 days.
    const resumedAt = new Date("2026-04-03T02:00:00Z");
    clock.set(resumedAt);
    const { suspendedMs } = await resumeProcedure(db, clock, s.judge, s.procedureId);
    expect(suspendedMs).toBe(14 * DAY);
    const newDue = new Date(s.reportDueAt.getTime() + 14 * DAY);
    expect(await commission(s.commissionId)).toMatchObject({ status: "accepted", reportDueAt: newDue });
    expect(await procedure(s.procedureId)).toMatchObject({ status: "open", suspendedAt: null, suspendedMs: 14 * DAY });

    clock.set(newDue);
    await sweepAppraisalDeadlines(db, clock);
    expect(await commission(s.commissionId)).toMatchObject({ status: "accepted" });
    clock.set(new Date(newDue.getTime() + MS));
    await sweepAppraisalDeadlines(db, clock);
    expect(await commission(s.commissionId)).toMatchObject({ status: "overdue" });
  });

  it("A24: a deadline that had already passed before the suspension stays passed; a withdrawn procedure ends its commissions", async () => {
    const s = await acceptedAppraisal();
    clock.advance(5 * DAY);
    const report = await submitAppraisalReport(db, clock, s.members[0]!, s.commissionId, appraisalReportInput(clock.now()));
    const { objectionDueAt } = await deliverReport(db, clock, s.clerk, report.id);
    clock.set(new Date(objectionDueAt!.getTime() + DAY));
    await suspendProcedure(db, clock, s.judge, s.procedureId, { reason: "材料有误" });
    clock.advance(10 * DAY);
    await resumeProcedure(db, clock, s.judge, s.procedureId);
    expect(await codeOf(fileObjection(db, clock, s.applicant, report.id, { kind: "technical", grounds: "x" }))).toBe("OBJECTION_LATE");

    const t = await acceptedAppraisal();
    await withdrawProcedure(db, clock, t.judge, t.procedureId, { reason: "申请执行人撤回执行申请" });
    expect(await procedure(t.procedureId)).toMatchObject({ status: "withdrawn", endReason: "申请执行人撤回执行申请" });
    expect(await commission(t.commissionId)).toMatchObject({ status: "withdrawn" });
    expect(await codeOf(resumeProcedure(db, clock, t.judge, t.procedureId))).toBe("CONFLICT");
  });
});

describe("deadlines at a glance", () => {
  it("A15, A19, A20, A21: the court's running deadlines, soonest first, of its own court only", async () => {
    const s = await acceptedAppraisal();
    const other = await agreedAppraisal();
    clock.set(START);
    const glance = await deadlinesAtAGlance(db, clock, s.judge);
    const mine = glance.filter((d) => d.procedureId === s.procedureId);
    expect(mine).toEqual([expect.objectContaining({ kind: "report_due", rule: "A15", dueAt: s.reportDueAt, entityId: s.commissionId, overdue: false, agencyName: s.agencies[0]!.agency.name })]);
    expect(glance.some((d) => d.procedureId === other.procedureId)).toBe(false);
    const times = glance.map((d) => d.dueAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));

    clock.advance(DAY);
    const report = await submitAppraisalReport(db, clock, s.members[0]!, s.commissionId, appraisalReportInput(clock.now()));
    expect((await deadlinesAtAGlance(db, clock, s.clerk)).filter((d) => d.procedureId === s.procedureId).map((d) => [d.kind, d.rule])).toEqual([["report_delivery", "A19"]]);
    await deliverReport(db, clock, s.clerk, report.id);
    const o = await fileObjection(db, clock, s.debtor, report.id, { kind: "technical", grounds: "面积有误" });
    const after = (await deadlinesAtAGlance(db, clock, s.clerk)).filter((d) => d.procedureId === s.procedureId);
    expect(after.map((d) => [d.kind, d.rule, d.entityId])).toEqual([
      ["objection_forward", "A21", o.id],
      ["objection_window", "A20", report.id],
    ]);
    const stranger = await makeCourt(db, clock);
    expect((await deadlinesAtAGlance(db, clock, stranger.judge)).some((d) => d.procedureId === s.procedureId)).toBe(false);
    expect(await codeOf(deadlinesAtAGlance(db, clock, s.applicant))).toBe("FORBIDDEN");
  });
});
