// ASVS V4.2.1: every use case authorizes its actor itself, over the record it acts on, whatever route or job
// calls it. These use cases trusted their caller before (or checked the role only): an actor of another court,
// agency or role is refused with FORBIDDEN, and nothing is written.
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import type { Database, Db } from "../../db/client.ts";
import { auditEvents, cases, commissions, sessions, users } from "../../db/schema/index.ts";
import { acceptCommission, agreeAgencies, declineCommission, drawAndCommission, openDraw, recordMaterialsReturned, requestExtension, startProcedure, sweepAppraisalDeadlines } from "../../appraisal/index.ts";
import { createCase } from "../../auction/index.ts";
import { startDepositPayment } from "../../escrow/index.ts";
import { simCharges } from "../../db/schema/index.ts";
import { testGateway } from "../support/payments.ts";
import { revokeSessions, setUserDisabled } from "../../identity/index.ts";
import { makeBidder, makeCourt, makePublishedLot } from "../fixtures/auction.ts";
import { makeAdmin, makeAgency, makePricingCase } from "../fixtures/appraisal.ts";
import { createTestDatabase } from "../support/database.ts";
import { codeOf } from "../support/refusals.ts";
import { testDrawSeedKeys } from "../support/platform.ts";

const DAY = 24 * 60 * 60 * 1000;
const START = new Date("2026-03-02T02:00:00Z");
const clock = new TestClock(START);
let database: Database;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(() => database?.close());

const auditCount = async () => (await db.select({ n: count() }).from(auditEvents))[0]!.n;

/** The refusal's code, and whether the audit chain (every state change writes to it, P5) stayed as it was. */
async function refused(attempt: () => Promise<unknown>): Promise<{ code: string; wrote: boolean }> {
  const before = await auditCount();
  const code = await codeOf(attempt());
  return { code, wrote: (await auditCount()) !== before };
}

/** An appraisal whose three agencies the parties agreed on: the first-ranked agency holds an offered commission. */
async function offeredCommission() {
  clock.set(START);
  const c = await makePricingCase(db, clock);
  const p = await startProcedure(db, clock, c.clerk, c.assetId, { method: "appraisal", basisKind: "both_parties_ask", basis: "双方当事人申请委托评估" });
  const { commissionId } = await agreeAgencies(db, clock, c.clerk, p.id, c.agencies.map((a) => a.agency.id));
  return { ...c, procedureId: p.id, commissionId, holder: c.agencies[0]!.member, nextRanked: c.agencies[1]!.member };
}

const commission = async (id: string) => (await db.select().from(commissions).where(eq(commissions.id, id)))[0]!;

describe("ASVS V4.2.1: appraisal commissions authorize the agency and the court themselves (A13–A16)", () => {
  it("ASVS V4.2.1, A13: another court's clerk cannot record the parties' agreed ranking; nothing is written", async () => {
    clock.set(START);
    const c = await makePricingCase(db, clock);
    const p = await startProcedure(db, clock, c.clerk, c.assetId, { method: "appraisal", basisKind: "both_parties_ask", basis: "双方当事人申请委托评估" });
    const other = await makeCourt(db, clock);

    expect(await refused(() => agreeAgencies(db, clock, other.clerk, p.id, c.agencies.map((a) => a.agency.id)))).toEqual({ code: "FORBIDDEN", wrote: false });
    expect(await db.select().from(commissions).where(eq(commissions.procedureId, p.id))).toEqual([]);
  });

  it("ASVS V4.2.1, A13, A14: only the offered agency accepts or declines; the next-ranked agency and an agency off the ranking are refused and nothing is written", async () => {
    const s = await offeredCommission();
    const outsider = (await makeAgency(db, clock)).member;

    for (const actor of [s.nextRanked, outsider, s.clerk]) {
      expect(await refused(() => acceptCommission(db, clock, actor, s.commissionId))).toEqual({ code: "FORBIDDEN", wrote: false });
      expect(await refused(() => declineCommission(db, clock, actor, s.commissionId, { reason: "利益冲突" }))).toEqual({ code: "FORBIDDEN", wrote: false });
    }
    expect((await commission(s.commissionId)).status).toBe("offered");
    expect(await db.select({ id: commissions.id }).from(commissions).where(eq(commissions.procedureId, s.procedureId))).toHaveLength(1);

    // The offered agency itself may.
    await acceptCommission(db, clock, s.holder, s.commissionId);
    expect((await commission(s.commissionId)).status).toBe("accepted");
  });

  it("ASVS V4.2.1, A15: another agency cannot ask for an extension of a commission it does not hold; nothing is written", async () => {
    const s = await offeredCommission();
    await acceptCommission(db, clock, s.holder, s.commissionId);
    const dueAt = (await commission(s.commissionId)).reportDueAt;

    expect(await refused(() => requestExtension(db, clock, s.nextRanked, s.commissionId, { days: 10, reason: "现场勘验需补充资料" }))).toEqual({ code: "FORBIDDEN", wrote: false });
    const after = await commission(s.commissionId);
    expect(after.reportDueAt).toEqual(dueAt);
    expect(after.extensionsUsed).toBe(0);
  });

  it("ASVS V4.2.1, A16: another court's staff cannot record that an overdue agency returned the materials; nothing is written", async () => {
    const s = await offeredCommission();
    await acceptCommission(db, clock, s.holder, s.commissionId);
    clock.advance(31 * DAY);
    await sweepAppraisalDeadlines(db, clock);
    expect((await commission(s.commissionId)).status).toBe("overdue");
    const other = await makeCourt(db, clock);

    for (const actor of [other.clerk, other.judge, s.holder]) {
      expect(await refused(() => recordMaterialsReturned(db, clock, actor, s.commissionId))).toEqual({ code: "FORBIDDEN", wrote: false });
    }
    expect((await commission(s.commissionId)).materialsReturnedAt).toBeNull();

    // The case's own court may.
    await recordMaterialsReturned(db, clock, s.clerk, s.commissionId);
    expect((await commission(s.commissionId)).materialsReturnedAt).toEqual(clock.now());
  });

  it("ASVS V4.2.1, A13, A14, P6: another court's judge cannot run a draw and commission its agency; nothing is written", async () => {
    clock.set(START);
    const c = await makePricingCase(db, clock);
    const p = await startProcedure(db, clock, c.judge, c.assetId, { method: "appraisal", basisKind: "online_inquiry_failed", basis: "网络询价未能确定参考价" });
    const draw = await openDraw(db, clock, testDrawSeedKeys, c.judge, p.id, { regionScope: "library", entropyCutoffAt: new Date(clock.now().getTime() + 60 * 60 * 1000) });
    clock.advance(60 * 60 * 1000);
    const other = await makeCourt(db, clock);

    expect(await refused(() => drawAndCommission(db, clock, testDrawSeedKeys, other.judge, draw.drawId))).toEqual({ code: "FORBIDDEN", wrote: false });
    expect(await db.select().from(commissions).where(eq(commissions.procedureId, p.id))).toEqual([]);
    // The procedure's own court runs it.
    expect((await drawAndCommission(db, clock, testDrawSeedKeys, c.judge, draw.drawId)).commissionId).not.toBeNull();
  });

  it("ASVS V4.2.1, A16: an unknown commission is NOT_FOUND before any court is checked", async () => {
    const other = await makeCourt(db, clock);
    expect(await codeOf(recordMaterialsReturned(db, clock, other.clerk, "00000000-0000-4000-8000-000000000000"))).toBe("NOT_FOUND");
  });
});

describe("ASVS V4.2.1: account administration authorizes the admin in the use case", () => {
  it("ASVS V4.2.1: only an admin revokes a user's sessions or disables an account; a judge is refused and nothing is written", async () => {
    clock.set(START);
    const { judge } = await makeCourt(db, clock);
    const bidder = await makeBidder(db, clock);
    await db.insert(sessions).values({ tokenHash: `test-${bidder.id}`, userId: bidder.id, createdAt: clock.now(), expiresAt: new Date(clock.now().getTime() + DAY) });

    expect(await refused(() => revokeSessions(db, clock, judge, bidder.id))).toEqual({ code: "FORBIDDEN", wrote: false });
    expect(await refused(() => setUserDisabled(db, clock, judge, bidder.id, true))).toEqual({ code: "FORBIDDEN", wrote: false });
    expect((await db.select({ revokedAt: sessions.revokedAt }).from(sessions).where(eq(sessions.userId, bidder.id)))[0]!.revokedAt).toBeNull();
    expect((await db.select({ disabled: users.disabled }).from(users).where(eq(users.id, bidder.id)))[0]!.disabled).toBe(false);

    const admin = await makeAdmin(db, clock);
    expect(await revokeSessions(db, clock, admin, bidder.id)).toEqual({ sessions: 1, tokens: 0 });
  });
});

describe("ASVS V4.2.1: auction use cases authorize by permission, not by comparing roles", () => {
  it("ASVS V4.2.1, C2: only a bidder pays a deposit: court staff are refused before the gateway is asked, and nothing is written", async () => {
    clock.set(START);
    const lot = await makePublishedLot(db, clock);
    for (const actor of [lot.judge, lot.clerk]) {
      expect(await refused(() => startDepositPayment(db, clock, testGateway(db, clock), actor, lot.lotId, "/"))).toEqual({ code: "FORBIDDEN", wrote: false });
    }
    expect(await db.$count(simCharges)).toBe(0);
  });

  it("ASVS V4.2.1: a case is opened by a judge of a court (cases.create): a bidder is refused and nothing is written", async () => {
    clock.set(START);
    const { court, judge } = await makeCourt(db, clock);
    const bidder = await makeBidder(db, clock);
    const caseNumber = `（2026）京0105执${Math.floor(Math.random() * 900000) + 1000}号`;

    expect(await refused(() => createCase(db, clock, bidder, { caseNumber, enforcementBasis: "（2025）京0105民初100号民事判决书" }))).toEqual({ code: "FORBIDDEN", wrote: false });
    expect(await db.select().from(cases).where(eq(cases.caseNumber, caseNumber))).toEqual([]);

    const { id } = await createCase(db, clock, judge, { caseNumber, enforcementBasis: "（2025）京0105民初100号民事判决书" });
    const [opened] = await db.select().from(cases).where(eq(cases.id, id));
    expect({ courtId: opened!.courtId, judgeId: opened!.judgeId }).toEqual({ courtId: court.id, judgeId: judge.id });
  });

  it("ASVS V4.2.1: a clerk opens a case in their own court, naming a judge of it; another court's judge, or none, is refused and nothing is written", async () => {
    clock.set(START);
    const { court, judge, clerk } = await makeCourt(db, clock);
    const other = await makeCourt(db, clock);
    const caseNumber = `（2026）京0105执${Math.floor(Math.random() * 900000) + 1000}号`;
    const basis = "（2025）京0105民初100号民事判决书";

    // Court A's clerk cannot put a case in court B's hands, nor leave the judge unnamed.
    for (const judgeId of [other.judge.id, clerk.id, undefined]) {
      const before = await auditCount();
      await expect(createCase(db, clock, clerk, { caseNumber, enforcementBasis: basis, judgeId })).rejects.toMatchObject({ code: "VALIDATION_FAILED", fields: { judgeId: "validation.caseJudge" } });
      expect(await auditCount()).toBe(before);
    }
    expect(await db.select().from(cases).where(eq(cases.caseNumber, caseNumber))).toEqual([]);

    const { id } = await createCase(db, clock, clerk, { caseNumber, enforcementBasis: basis, judgeId: judge.id });
    const [opened] = await db.select().from(cases).where(eq(cases.id, id));
    expect({ courtId: opened!.courtId, judgeId: opened!.judgeId }).toEqual({ courtId: court.id, judgeId: judge.id });
    expect(opened!.courtId).not.toBe(other.court.id);
  });
});
