// A24: resuming a suspended procedure moves every deadline still running when it was suspended by the time it
// stood still — the draw's cut-off (and with it the draw), the A16 materials return, the report and objection
// deadlines — on real rows in PostgreSQL, over random suspend and resume sequences.
import { and, asc, eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import type { Database, Db } from "../../db/client.ts";
import { agencyDraws, auditEvents, commissions, reportObjections, valuationReports } from "../../db/schema/index.ts";
import { createAsset } from "../../auction/index.ts";
import {
  acceptCommission,
  addEntropy,
  agreeAgencies,
  deadlinesAtAGlance,
  deliverReport,
  fileObjection,
  forwardObjection,
  openDraw,
  publicDraw,
  resumeProcedure,
  runDueDraws,
  startProcedure,
  submitAppraisalReport,
  suspendProcedure,
} from "../../appraisal/index.ts";
import { markOverdue } from "../../appraisal/commissions.ts";
import { assetInput } from "../fixtures/auction.ts";
import { appraisalReportInput, makePricingCase } from "../fixtures/appraisal.ts";
import { createTestDatabase } from "../support/database.ts";
import { testDrawSeedKeys } from "../support/platform.ts";
import { codeOf } from "../support/refusals.ts";

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
const MS = 1;
const T0 = new Date("2026-03-02T02:00:00Z"); // 10:00 on 2 March, Beijing
const clock = new TestClock(T0);
let database: Database;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(() => database?.close());

interface Suspension {
  from: number;
  to: number;
}

/** How much of [start, end) the suspensions cover: the oracle, which knows nothing of how deadlines are moved. */
function suspendedWithin(suspensions: readonly Suspension[], start: number, end: number): number {
  return suspensions.reduce((sum, s) => sum + Math.max(0, Math.min(s.to, end) - Math.max(s.from, start)), 0);
}

/** One appraisal of a new asset of the pricing case, started by its judge. */
async function appraisal(c: Awaited<ReturnType<typeof makePricingCase>>) {
  const asset = await createAsset(db, clock, c.judge, c.caseId, { ...assetInput(clock.now(), "commercial"), regionCode: "110105" });
  return (await startProcedure(db, clock, c.judge, asset.id, { method: "appraisal", basisKind: "law_requires", basis: "法律规定须委托评估" })).id;
}

/**
 * Three appraisals of one case, each with deadlines running from T0: (a) a draw open until T0 + `cutoffIn`;
 * (b) the first-ranked agency overdue, owing its materials back (A16), the second writing its report (A15);
 * (c) a report delivered (the A20 window) with a technical objection to forward, a procedural one to decide,
 * and a forwarded one to answer (A20, A21).
 */
async function threeAppraisals(cutoffIn: number) {
  clock.set(new Date(T0.getTime() - 40 * DAY));
  const c = await makePricingCase(db, clock);
  const members = c.agencies.map((a) => a.member);
  const agencyIds = c.agencies.map((a) => a.agency.id);
  const drawn = await appraisal(c);
  const late = await appraisal(c);
  const objected = await appraisal(c);
  // (b): accepted 40 days ago, so its report deadline passed before T0.
  const { commissionId: overdue } = await agreeAgencies(db, clock, c.clerk, late, agencyIds);
  await acceptCommission(db, clock, members[0]!, overdue);

  clock.set(T0);
  const { drawId } = await openDraw(db, clock, testDrawSeedKeys, c.judge, drawn, { regionScope: "city", entropyCutoffAt: new Date(T0.getTime() + cutoffIn) });
  expect(await markOverdue(db, clock, overdue)).toBe(true);
  const [second] = await db.select({ id: commissions.id }).from(commissions).where(and(eq(commissions.procedureId, late), eq(commissions.rank, 2)));
  await acceptCommission(db, clock, members[1]!, second!.id);
  // (c)
  const { commissionId } = await agreeAgencies(db, clock, c.clerk, objected, agencyIds);
  await acceptCommission(db, clock, members[0]!, commissionId);
  const report = await submitAppraisalReport(db, clock, members[0]!, commissionId, appraisalReportInput(clock.now()));
  await deliverReport(db, clock, c.clerk, report.id);
  const toForward = await fileObjection(db, clock, c.debtor, report.id, { kind: "technical", grounds: "可比案例选取不当" });
  const toDecide = await fileObjection(db, clock, c.applicant, report.id, { kind: "procedural", grounds: "评估机构未通知现场勘验" });
  const toAnswer = await fileObjection(db, clock, c.debtor, report.id, { kind: "technical", grounds: "未作楼层修正" });
  await forwardObjection(db, clock, c.clerk, toAnswer.id);

  /** Every deadline tracked, read from its row now. */
  const read = async (): Promise<Record<string, Date>> => {
    const [draw] = await db.select().from(agencyDraws).where(eq(agencyDraws.id, drawId));
    const [materials] = await db.select().from(commissions).where(eq(commissions.id, overdue));
    const [writing] = await db.select().from(commissions).where(eq(commissions.id, second!.id));
    const [delivered] = await db.select().from(valuationReports).where(eq(valuationReports.id, report.id));
    const objection = async (id: string) => (await db.select().from(reportObjections).where(eq(reportObjections.id, id)))[0]!;
    return {
      "A13 draw cut-off": draw!.entropyCutoffAt,
      "A16 materials return": materials!.materialsDueAt!,
      "A15 report": writing!.reportDueAt!,
      "A20 objection window": delivered!.objectionDueAt!,
      "A21 forwarding": (await objection(toForward.id)).forwardDueAt!,
      "A20 decision": (await objection(toDecide.id)).decisionDueAt!,
      "A21 answer": (await objection(toAnswer.id)).answerDueAt!,
    };
  };
  return { c, procedures: [drawn, late, objected], drawId, read };
}

describe("A24: resumption moves every running deadline by the suspended time", () => {
  it("A24: over random suspend and resume sequences, no deadline falls inside a suspension, and each moved by exactly the suspended time it ran through (draw cut-off, A16 materials, report, objections)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 25 * DAY }),
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 12 * DAY }), length: fc.integer({ min: 0, max: 20 * DAY }) }), { minLength: 1, maxLength: 4 }),
        async (cutoffIn, steps) => {
          const s = await threeAppraisals(cutoffIn);
          const first = await s.read();
          const suspensions: Suspension[] = [];
          for (const { gap, length } of steps) {
            clock.advance(gap);
            const from = clock.now().getTime();
            for (const id of s.procedures) await suspendProcedure(db, clock, s.c.judge, id, { reason: "本案裁定中止执行" });
            clock.advance(length);
            for (const id of s.procedures) expect(await resumeProcedure(db, clock, s.c.judge, id)).toEqual({ suspendedMs: length });
            suspensions.push({ from, to: clock.now().getTime() });
          }
          const last = await s.read();
          for (const [name, due] of Object.entries(last)) {
            const at = due.getTime();
            const was = first[name]!.getTime();
            for (const x of suspensions) expect(at >= x.from && at < x.to, `${name} due ${due.toISOString()} inside a suspension`).toBe(false);
            expect(at - was, `${name} moved`).toBe(suspendedWithin(suspensions, T0.getTime(), at));
          }
          // The draw keeps how far it moved, and each move is in the audit chain: from the first cut-off to the last.
          const moved = last["A13 draw cut-off"]!.getTime() - first["A13 draw cut-off"]!.getTime();
          expect((await publicDraw(db, s.drawId)).entropyCutoffMovedMs).toBe(moved);
          const events = await db
            .select({ data: auditEvents.data })
            .from(auditEvents)
            .where(and(eq(auditEvents.entityId, s.drawId), eq(auditEvents.action, "appraisal.draw_rescheduled")))
            .orderBy(asc(auditEvents.seq));
          let cutoff = first["A13 draw cut-off"]!.toISOString();
          for (const { data } of events) {
            const d = data as { previousCutoffAt: string; entropyCutoffAt: string; suspendedMs: number };
            expect(d.previousCutoffAt).toBe(cutoff);
            expect(new Date(d.entropyCutoffAt).getTime() - new Date(d.previousCutoffAt).getTime()).toBe(d.suspendedMs);
            cutoff = d.entropyCutoffAt;
          }
          expect(cutoff).toBe(last["A13 draw cut-off"]!.toISOString());
        },
      ),
      { numRuns: Number(process.env.RESUMPTION_PROPERTY_RUNS ?? 12) },
    );
  });

  it("A24, P6: a draw suspended before its cut-off takes no entropy and does not run, even past the old time; on resumption its cut-off moves by the suspended time and it runs then, not a millisecond before", async () => {
    const s = await threeAppraisals(2 * DAY);
    const [drawn, late] = s.procedures;
    const cutoff = new Date(T0.getTime() + 2 * DAY);
    clock.set(new Date(T0.getTime() + DAY));
    const ofLate = async () => (await deadlinesAtAGlance(db, clock, s.c.judge)).filter((d) => d.procedureId === late).map((d) => d.kind);
    expect(await ofLate()).toEqual(["materials_return", "report_due"]);
    for (const id of [drawn!, late!]) await suspendProcedure(db, clock, s.c.judge, id, { reason: "被执行人提出财产权属异议，材料有误" });
    expect(await codeOf(addEntropy(db, clock, s.c.applicant, s.drawId, "314159"))).toBe("ENTROPY_CLOSED");
    clock.set(new Date(cutoff.getTime() + 3 * DAY));
    await runDueDraws(db, clock, testDrawSeedKeys);
    expect((await publicDraw(db, s.drawId)).drawnAt).toBeNull();
    // The materials return stands still too: the court's running deadlines leave it out while suspended (A16).
    expect(await ofLate()).toEqual([]);

    // Suspended for 4 days and 5 ms: the cut-off, a day ahead then, is a day after the resumption.
    clock.set(new Date(T0.getTime() + 5 * DAY + 5));
    await resumeProcedure(db, clock, s.c.judge, drawn!);
    const moved = new Date(cutoff.getTime() + 4 * DAY + 5);
    expect(await publicDraw(db, s.drawId)).toMatchObject({ entropyCutoffAt: moved, entropyCutoffMovedMs: 4 * DAY + 5, drawnAt: null });
    const [event] = await db.select({ actorId: auditEvents.actorId, data: auditEvents.data }).from(auditEvents).where(and(eq(auditEvents.entityId, s.drawId), eq(auditEvents.action, "appraisal.draw_rescheduled")));
    expect(event).toEqual({
      actorId: s.c.judge.id,
      data: { rule: "A24", procedureId: drawn, previousCutoffAt: cutoff.toISOString(), entropyCutoffAt: moved.toISOString(), suspendedFrom: new Date(T0.getTime() + DAY).toISOString(), suspendedMs: 4 * DAY + 5 },
    });
    await addEntropy(db, clock, s.c.applicant, s.drawId, "314159");

    clock.set(new Date(moved.getTime() - MS));
    await runDueDraws(db, clock, testDrawSeedKeys);
    expect((await publicDraw(db, s.drawId)).drawnAt).toBeNull();
    await addEntropy(db, clock, s.c.debtor, s.drawId, "271828");
    clock.set(moved);
    await runDueDraws(db, clock, testDrawSeedKeys);
    expect((await publicDraw(db, s.drawId)).drawnAt).toEqual(moved);
  });

  it("A24: a cut-off already passed when the procedure was suspended stays where it was: the draw is due on resumption", async () => {
    const s = await threeAppraisals(HOUR);
    const [drawn] = s.procedures;
    clock.set(new Date(T0.getTime() + HOUR + MS));
    await suspendProcedure(db, clock, s.c.judge, drawn!, { reason: "本案裁定中止执行" });
    clock.advance(DAY);
    await resumeProcedure(db, clock, s.c.judge, drawn!);
    expect(await publicDraw(db, s.drawId)).toMatchObject({ entropyCutoffAt: new Date(T0.getTime() + HOUR), entropyCutoffMovedMs: 0 });
    await runDueDraws(db, clock, testDrawSeedKeys);
    expect((await publicDraw(db, s.drawId)).drawnAt).toEqual(clock.now());
  });
});
