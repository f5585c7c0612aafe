import { and, asc, count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import { AppError } from "../../core/errors.ts";
import type { Database, Db } from "../../db/client.ts";
import { agencyDraws, agencyRankings, auditEvents, drawEntropy, priceProcedures, type Specialty } from "../../db/schema/index.ts";
import { createAsset } from "../../auction/index.ts";
import {
  addEntropy,
  declareConflict,
  DRAW_ALGORITHM,
  DRAW_ALGORITHM_V1,
  drawRanking,
  drawSeed,
  eligibleSha256,
  openDraw,
  publicDraw,
  removeAgency,
  runDueDraws,
  seedCommitment,
  suspendAgency,
  verifyDraw,
  type EligibleAgency,
} from "../../appraisal/index.ts";
// The draw alone, without its commission (drawAndCommission does both): what these tests look at.
import { runDraw } from "../../appraisal/draws.ts";
import { createTestDatabase } from "../support/database.ts";
import { codeOf } from "../support/refusals.ts";
import { assetInput, makeBidder, makeCourt } from "../fixtures/auction.ts";
import { makeAdmin, makeAgency, makeAppraisalCase, makePartyAccount, makeProcedure } from "../fixtures/appraisal.ts";
import { testDrawSeedKeys } from "../support/platform.ts";

const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
const HOUR = 3600_000;
const MS = 1;
let database: Database;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(() => database?.close());

let city = 0;
/** A fresh city of its own for each scenario, so agencies of one test never meet another's draws. */
function freshCity(): { district: string; city: string; province: string } {
  city++;
  const c = `${32 + Math.floor(city / 90)}${String(10 + (city % 90)).padStart(2, "0")}`;
  return { district: `${c}05`, city: `${c}00`, province: `${c.slice(0, 2)}0000` };
}

/** A residential asset under an open appraisal, its two parties with accounts, and `eligible` agencies on its city sub-list. */
async function scenario(eligible = 4) {
  const region = freshCity();
  const theCase = await makeAppraisalCase(db, clock, { category: "residential", regionCode: region.district });
  const applicant = await makePartyAccount(db, theCase.caseId, "applicant", { now: clock.now() });
  const debtor = await makePartyAccount(db, theCase.caseId, "debtor", { now: clock.now() });
  const agencies = [];
  for (let i = 0; i < eligible; i++) agencies.push((await makeAgency(db, clock, { sublists: [{ specialty: "real_estate", regionCode: region.city }] })).agency);
  const procedure = await makeProcedure(db, clock, theCase.judge, theCase.assetId, "appraisal");
  return { ...theCase, region, applicant, debtor, agencies, procedure };
}

/** Another appraisal procedure of the same case, on an asset of its own (one running procedure per asset). */
async function anotherProcedure(s: Awaited<ReturnType<typeof scenario>>) {
  const asset = await createAsset(db, clock, s.judge, s.caseId, { ...assetInput(clock.now(), "residential"), regionCode: s.region.district });
  return makeProcedure(db, clock, s.judge, asset.id, "appraisal");
}

const cutoffIn = (ms: number) => new Date(clock.now().getTime() + ms);

async function drawNow(drawId: string, actorId: string | null = null) {
  return db.transaction((tx) => runDraw(tx, clock, testDrawSeedKeys, drawId, actorId));
}

/** Moves the clock to `at`, runs `work`, and moves it back. */
async function at<T>(when: Date, work: () => Promise<T>): Promise<T> {
  const start = clock.now();
  clock.set(when);
  try {
    return await work();
  } finally {
    clock.set(start);
  }
}

describe("who can be drawn (A13)", () => {
  it("A13: an agency in conflict with a party, a suspended or removed agency, and one on the wrong specialty or region sub-list are never drawn (60 draws)", async () => {
    const s = await scenario(4);
    const admin = await makeAdmin(db, clock);
    const sub = (specialty: Specialty, regionCode: string) => ({ sublists: [{ specialty, regionCode }] });
    const conflicted = await makeAgency(db, clock, sub("real_estate", s.region.city));
    await declareConflict(db, clock, conflicted.member, { identityNumber: s.debtor.identityNumber, relationship: "被执行人系本机构合伙人" });
    const suspended = await makeAgency(db, clock, sub("real_estate", s.region.city));
    await suspendAgency(db, clock, admin, suspended.agency.id, { reason: "接受调查" });
    const removed = await makeAgency(db, clock, sub("real_estate", s.region.city));
    await removeAgency(db, clock, admin, removed.agency.id, { reason: "除名" });
    const wrongSpecialty = await makeAgency(db, clock, sub("land", s.region.city));
    const wrongRegion = await makeAgency(db, clock, sub("real_estate", "440300"));
    const provinceOnly = await makeAgency(db, clock, sub("real_estate", s.region.province));
    const never = new Set([conflicted, suspended, removed, wrongSpecialty, wrongRegion, provinceOnly].map((a) => a.agency.id));
    const allowed = new Set(s.agencies.map((a) => a.id));

    const seen = new Map<string, number>();
    for (let t = 0; t < 60; t++) {
      const procedure = t === 0 ? s.procedure : await anotherProcedure(s);
      const opened = await openDraw(db, clock, testDrawSeedKeys, s.clerk, procedure.id, { regionScope: "city", entropyCutoffAt: cutoffIn(HOUR) });
      expect(opened.eligibleCount).toBe(4);
      const outcome = await at(cutoffIn(HOUR), () => drawNow(opened.drawId));
      expect(outcome.ranking).toHaveLength(3);
      for (const id of outcome.ranking) {
        expect(never.has(id)).toBe(false);
        expect(allowed.has(id)).toBe(true);
        seen.set(id, (seen.get(id) ?? 0) + 1);
      }
    }
    // Every eligible agency was drawn at some point (each is left out of a draw with probability 1/4).
    expect([...seen.keys()].sort()).toEqual([...allowed].sort());
  });

  it("A13: fewer than three eligible agencies in the city refuses the draw so the court widens it to the province or the whole sub-library", async () => {
    const s = await scenario(2);
    await makeAgency(db, clock, { sublists: [{ specialty: "real_estate", regionCode: s.region.province }] });
    const before = await db.select({ n: count() }).from(agencyDraws);
    expect(await codeOf(openDraw(db, clock, testDrawSeedKeys, s.judge, s.procedure.id, { regionScope: "city", entropyCutoffAt: cutoffIn(HOUR) }))).toBe("DRAW_TOO_FEW_AGENCIES");
    expect(await codeOf(openDraw(db, clock, testDrawSeedKeys, s.judge, s.procedure.id, { regionScope: "province", entropyCutoffAt: cutoffIn(HOUR) }))).toBe("DRAW_TOO_FEW_AGENCIES");
    expect(await db.select({ n: count() }).from(agencyDraws)).toEqual(before);
    const opened = await openDraw(db, clock, testDrawSeedKeys, s.judge, s.procedure.id, { regionScope: "library", entropyCutoffAt: cutoffIn(HOUR) });
    expect(opened.regionCode).toBeNull();
    expect(opened.specialty).toBe("real_estate");
    expect(opened.eligibleCount).toBeGreaterThanOrEqual(3);
  });
});

describe("opening a draw (A13, P6)", () => {
  it("A13: only the case's court opens a draw, only for an open appraisal without agencies, only once, with a future cut-off; refusals write nothing", async () => {
    const s = await scenario(3);
    const stranger = await makeCourt(db, clock);
    const negotiation = await makeProcedure(db, clock, s.judge, (await createAsset(db, clock, s.judge, s.caseId, assetInput(clock.now()))).id, "negotiation");
    const drawsBefore = await db.select({ n: count() }).from(agencyDraws);
    const auditBefore = await db.select({ n: count() }).from(auditEvents);
    expect(await codeOf(openDraw(db, clock, testDrawSeedKeys, stranger.judge, s.procedure.id, { regionScope: "city", entropyCutoffAt: cutoffIn(HOUR) }))).toBe("FORBIDDEN");
    expect(await codeOf(openDraw(db, clock, testDrawSeedKeys, s.applicant, s.procedure.id, { regionScope: "city", entropyCutoffAt: cutoffIn(HOUR) }))).toBe("FORBIDDEN");
    expect(await codeOf(openDraw(db, clock, testDrawSeedKeys, s.judge, negotiation.id, { regionScope: "city", entropyCutoffAt: cutoffIn(HOUR) }))).toBe("DRAW_NOT_APPLICABLE");
    expect(await codeOf(openDraw(db, clock, testDrawSeedKeys, s.judge, s.procedure.id, { regionScope: "city", entropyCutoffAt: clock.now() }))).toBe("VALIDATION_FAILED");
    expect(await codeOf(openDraw(db, clock, testDrawSeedKeys, s.judge, s.procedure.id, { regionScope: "county", entropyCutoffAt: cutoffIn(HOUR) }))).toBe("VALIDATION_FAILED");
    expect(await codeOf(openDraw(db, clock, testDrawSeedKeys, s.judge, s.procedure.id, { regionScope: "city", entropyCutoffAt: "明天" }))).toBe("VALIDATION_FAILED");
    expect(await db.select({ n: count() }).from(agencyDraws)).toEqual(drawsBefore);
    expect(await db.select({ n: count() }).from(auditEvents)).toEqual(auditBefore);

    await openDraw(db, clock, testDrawSeedKeys, s.judge, s.procedure.id, { regionScope: "city", entropyCutoffAt: cutoffIn(HOUR) });
    expect(await codeOf(openDraw(db, clock, testDrawSeedKeys, s.judge, s.procedure.id, { regionScope: "city", entropyCutoffAt: cutoffIn(HOUR) }))).toBe("DRAW_ALREADY_OPEN");
    const suspended = await anotherProcedure(s);
    await db.update(priceProcedures).set({ status: "suspended" }).where(eq(priceProcedures.id, suspended.id));
    expect(await codeOf(openDraw(db, clock, testDrawSeedKeys, s.judge, suspended.id, { regionScope: "city", entropyCutoffAt: cutoffIn(HOUR) }))).toBe("DRAW_NOT_APPLICABLE");
  });
});

describe("the parties' entropy (P6)", () => {
  it("P6: each party adds entropy once, until 1 ms before the cut-off; at the cut-off it is refused; others and bad values are refused and write nothing", async () => {
    const s = await scenario(3);
    const cutoff = cutoffIn(2 * HOUR);
    const { drawId } = await openDraw(db, clock, testDrawSeedKeys, s.judge, s.procedure.id, { regionScope: "city", entropyCutoffAt: cutoff });
    const outsider = await makeBidder(db, clock);
    const entropyRows = async () => (await db.select({ n: count() }).from(drawEntropy).where(eq(drawEntropy.drawId, drawId)))[0]!.n;

    await addEntropy(db, clock, s.applicant, drawId, "  申请人 20261126  ");
    expect(await codeOf(addEntropy(db, clock, s.applicant, drawId, "again"))).toBe("ENTROPY_ALREADY_GIVEN");
    expect(await codeOf(addEntropy(db, clock, outsider, drawId, "123"))).toBe("NOT_A_PARTY");
    expect(await codeOf(addEntropy(db, clock, s.judge, drawId, "123"))).toBe("NOT_A_PARTY");
    expect(await codeOf(addEntropy(db, clock, s.debtor, drawId, "   "))).toBe("VALIDATION_FAILED");
    expect(await codeOf(addEntropy(db, clock, s.debtor, drawId, "x".repeat(201)))).toBe("VALIDATION_FAILED");
    expect(await codeOf(addEntropy(db, clock, s.debtor, drawId, 42))).toBe("VALIDATION_FAILED");
    expect(await codeOf(addEntropy(db, clock, s.debtor, drawId, "a\u0000b"))).toBe("VALIDATION_FAILED");
    expect(await entropyRows()).toBe(1);

    expect(await at(cutoff, () => codeOf(addEntropy(db, clock, s.debtor, drawId, "late")))).toBe("ENTROPY_CLOSED");
    expect(await entropyRows()).toBe(1);
    await at(new Date(cutoff.getTime() - MS), () => addEntropy(db, clock, s.debtor, drawId, "x".repeat(200)));
    expect(await entropyRows()).toBe(2);

    const view = await publicDraw(db, drawId);
    expect(view.entropy.map((e) => ({ role: e.partyRole, value: e.value }))).toEqual([
      { role: "applicant", value: "申请人 20261126" },
      { role: "debtor", value: "x".repeat(200) },
    ]);
    // Who typed it is not shown: only the party, its role, the value and the time.
    for (const e of view.entropy) expect(Object.keys(e).sort()).toEqual(["partyId", "partyRole", "submittedAt", "value"]);
  });

  it("A24, P6: a draw whose procedure is suspended or withdrawn takes no entropy, and writes nothing", async () => {
    const s = await scenario(3);
    const { drawId } = await openDraw(db, clock, testDrawSeedKeys, s.judge, s.procedure.id, { regionScope: "city", entropyCutoffAt: cutoffIn(2 * HOUR) });
    for (const status of ["suspended", "withdrawn"] as const) {
      await db.update(priceProcedures).set({ status }).where(eq(priceProcedures.id, s.procedure.id));
      expect(await codeOf(addEntropy(db, clock, s.applicant, drawId, "after"))).toBe("ENTROPY_CLOSED");
    }
    expect((await db.select({ n: count() }).from(drawEntropy).where(eq(drawEntropy.drawId, drawId)))[0]!.n).toBe(0);
  });
});

describe("running the draw (A13, P6)", () => {
  it("P6: the seed is hidden before the draw; the draw runs at the cut-off (not 1 ms before), once; the revealed seed matches its commitment and recomputes the ranking", async () => {
    const s = await scenario(5);
    const cutoff = cutoffIn(HOUR);
    const opened = await openDraw(db, clock, testDrawSeedKeys, s.judge, s.procedure.id, { regionScope: "city", entropyCutoffAt: cutoff });
    await addEntropy(db, clock, s.debtor, opened.drawId, "被执行人：314159");
    await addEntropy(db, clock, s.applicant, opened.drawId, "申请人：271828");

    const before = await publicDraw(db, opened.drawId);
    expect(before.seed).toBeNull();
    expect(before.result).toBeNull();
    expect(before.ranking).toBeNull();
    expect(before.seedSha256).toBe(opened.seedSha256);
    expect(before.eligibleSha256).toBe(opened.eligibleSha256);
    expect(before.eligible.map((a) => a.creditCode)).toEqual(s.agencies.map((a) => a.creditCode).sort());
    expect(JSON.stringify(before)).not.toContain(drawSeed(testDrawSeedKeys.current, opened.drawId));

    expect(await at(new Date(cutoff.getTime() - MS), () => codeOf(drawNow(opened.drawId)))).toBe("DRAW_NOT_DUE");
    expect(await db.select({ n: count() }).from(agencyRankings).where(eq(agencyRankings.procedureId, s.procedure.id))).toEqual([{ n: 0 }]);
    const outcome = await at(cutoff, () => drawNow(opened.drawId, s.judge.id));
    expect(await at(cutoff, () => codeOf(drawNow(opened.drawId)))).toBe("DRAW_ALREADY_RUN");

    const after = await publicDraw(db, opened.drawId);
    expect(after.seed).toBe(outcome.seed);
    expect(seedCommitment(after.seed!)).toBe(after.seedSha256);
    expect(after.drawnAt).toEqual(cutoff);
    const recomputed = drawRanking({ seedHex: after.seed!, entropy: after.entropy, eligible: after.eligible, size: 3 });
    expect(after.result).toEqual(recomputed);
    expect(after.ranking!.map((r) => r.rank)).toEqual([1, 2, 3]);

    const rankings = await db.select().from(agencyRankings).where(eq(agencyRankings.procedureId, s.procedure.id)).orderBy(asc(agencyRankings.rank));
    expect(rankings.map((r) => r.agencyId)).toEqual(recomputed);
    const [procedure] = await db.select().from(priceProcedures).where(eq(priceProcedures.id, s.procedure.id));
    expect(procedure!.selection).toBe("drawn");
    expect((await verifyDraw(db, opened.drawId)).matches).toBe(true);
  });

  it("A27, P5: the audit chain records the opening (list hash, seed hash), each contribution and the draw (result, revealed seed); the seed is in no event before the draw", async () => {
    const s = await scenario(3);
    const cutoff = cutoffIn(HOUR);
    const opened = await openDraw(db, clock, testDrawSeedKeys, s.clerk, s.procedure.id, { regionScope: "city", entropyCutoffAt: cutoff });
    await addEntropy(db, clock, s.applicant, opened.drawId, "42");
    const events = async () => db.select().from(auditEvents).where(and(eq(auditEvents.entityType, "agency_draw"), eq(auditEvents.entityId, opened.drawId))).orderBy(asc(auditEvents.seq));
    const seed = drawSeed(testDrawSeedKeys.current, opened.drawId);
    const early = await events();
    expect(early.map((e) => e.action)).toEqual(["appraisal.draw_opened", "appraisal.draw_entropy_added"]);
    expect(early[0]!.data).toMatchObject({ eligibleSha256: opened.eligibleSha256, seedSha256: opened.seedSha256, eligibleCount: 3, procedureId: s.procedure.id, algorithm: DRAW_ALGORITHM, rotationWindowDays: 365 });
    expect(early[0]!.actorId).toBe(s.clerk.id);
    expect(early[1]!.data).toMatchObject({ partyRole: "applicant", value: "42" });
    expect(JSON.stringify(early.map((e) => e.data))).not.toContain(seed!);

    const outcome = await at(cutoff, () => drawNow(opened.drawId));
    const all = await events();
    expect(all.map((e) => e.action)).toEqual(["appraisal.draw_opened", "appraisal.draw_entropy_added", "appraisal.draw_run"]);
    expect(all[2]!.data).toMatchObject({ seed, seedSha256: opened.seedSha256, eligibleSha256: opened.eligibleSha256, ranking: outcome.ranking });
    expect(all[2]!.actorId).toBeNull();
  });

  it("P6: verifyDraw detects a tampered stored result, seed, eligible list (a rotation count too) or ranking", async () => {
    const s = await scenario(6);
    const cutoff = cutoffIn(HOUR);
    const { drawId } = await openDraw(db, clock, testDrawSeedKeys, s.judge, s.procedure.id, { regionScope: "city", entropyCutoffAt: cutoff });
    await addEntropy(db, clock, s.debtor, drawId, "7");
    const outcome = await at(cutoff, () => drawNow(drawId));
    const good = await verifyDraw(db, drawId);
    expect(good).toMatchObject({ drawn: true, matches: true, checks: { seedMatchesCommitment: true, listMatchesHash: true, resultMatches: true, rankingsMatch: true } });
    expect(good.recomputed).toEqual(outcome.ranking);
    const [row] = await db.select().from(agencyDraws).where(eq(agencyDraws.id, drawId));

    const other = s.agencies.map((a) => a.id).find((id) => !outcome.ranking.includes(id))!;
    const tamper = async (sql: () => Promise<unknown>, failing: keyof typeof good.checks) => {
      await sql();
      const v = await verifyDraw(db, drawId);
      expect(v.matches).toBe(false);
      expect(v.checks[failing]).toBe(false);
      // Restore the honest record.
      await database.sql`update agency_draws set result = ${JSON.stringify(row!.result as string[])}::jsonb, seed = ${row!.seed}, eligible = ${JSON.stringify(row!.eligible as never)}::jsonb where id = ${drawId}`;
      await database.sql`update draw_entropy set value = '7' where draw_id = ${drawId}`;
      await db.delete(agencyRankings).where(eq(agencyRankings.procedureId, s.procedure.id));
      await db.insert(agencyRankings).values(outcome.ranking.map((agencyId, i) => ({ procedureId: s.procedure.id, rank: i + 1, agencyId })));
      expect((await verifyDraw(db, drawId)).matches).toBe(true);
    };
    await tamper(() => database.sql`update agency_draws set result = ${JSON.stringify([other, outcome.ranking[1]!, outcome.ranking[2]!])}::jsonb where id = ${drawId}`, "resultMatches");
    await tamper(() => database.sql`update agency_draws set result = ${JSON.stringify([outcome.ranking[1]!, outcome.ranking[0]!, outcome.ranking[2]!])}::jsonb where id = ${drawId}`, "resultMatches");
    const forgedSeed = (row!.seed!.startsWith("0") ? "1" : "0") + row!.seed!.slice(1);
    await tamper(() => database.sql`update agency_draws set seed = ${forgedSeed} where id = ${drawId}`, "seedMatchesCommitment");
    const list = row!.eligible as { agencyId: string; creditCode: string; name: string; rotationCount: number }[];
    expect(list.map((a) => a.rotationCount)).toEqual([0, 0, 0, 0, 0, 0]);
    await tamper(() => database.sql`update agency_draws set eligible = ${JSON.stringify(list.slice(1) as never)}::jsonb where id = ${drawId}`, "listMatchesHash");
    await tamper(() => database.sql`update agency_draws set eligible = ${JSON.stringify(list.map((a, i) => (i === 0 ? { ...a, name: "另一家" } : a)) as never)}::jsonb where id = ${drawId}`, "listMatchesHash");
    await tamper(() => database.sql`update agency_draws set eligible = ${JSON.stringify([...list].reverse() as never)}::jsonb where id = ${drawId}`, "listMatchesHash");
    // A13/P6: a rotation count raised or lowered after publication (to change the first place's odds) shows.
    const withCount = (i: number, rotationCount: unknown) => JSON.stringify(list.map((a, j) => (j === i ? { ...a, rotationCount } : a)) as never);
    await tamper(() => database.sql`update agency_draws set eligible = ${withCount(0, 1)}::jsonb where id = ${drawId}`, "listMatchesHash");
    await tamper(() => database.sql`update agency_draws set eligible = ${withCount(5, 7)}::jsonb where id = ${drawId}`, "listMatchesHash");
    await tamper(() => database.sql`update agency_draws set eligible = ${withCount(2, "0")}::jsonb where id = ${drawId}`, "listMatchesHash");
    await tamper(
      () => database.sql`update agency_rankings set agency_id = ${other} where procedure_id = ${s.procedure.id} and rank = 3`,
      "rankingsMatch",
    );
    // Entropy changed after the draw: the recomputation no longer gives the stored result. A new value gives the same
    // three agencies in the same order by chance about once in 120 draws, so the first of a few values that does not
    // is the forgery checked (all five agreeing by chance: about once in 10^10).
    const forged = [];
    for (const value of ["8", "9", "10", "11", "12"]) {
      await database.sql`update draw_entropy set value = ${value} where draw_id = ${drawId}`;
      const v = await verifyDraw(db, drawId);
      forged.push(v);
      if (!v.matches) break;
    }
    expect(forged.at(-1)!.matches).toBe(false);
    expect(forged.at(-1)!.checks.resultMatches).toBe(false);
    await database.sql`update draw_entropy set value = '7' where draw_id = ${drawId}`;
    expect((await verifyDraw(db, drawId)).matches).toBe(true);
  });

  it("A13: the scheduled job runs each due draw once and leaves those not yet due", async () => {
    const s = await scenario(3);
    const due = await openDraw(db, clock, testDrawSeedKeys, s.judge, s.procedure.id, { regionScope: "city", entropyCutoffAt: cutoffIn(HOUR) });
    const later = await openDraw(db, clock, testDrawSeedKeys, s.judge, (await anotherProcedure(s)).id, { regionScope: "city", entropyCutoffAt: cutoffIn(3 * HOUR) });
    const first = await at(cutoffIn(HOUR), () => runDueDraws(db, clock, testDrawSeedKeys));
    expect(first.drawn.map((d) => d.drawId)).toContain(due.drawId);
    expect(first.drawn.map((d) => d.drawId)).not.toContain(later.drawId);
    const second = await at(cutoffIn(HOUR), () => runDueDraws(db, clock, testDrawSeedKeys));
    expect(second.drawn.map((d) => d.drawId)).not.toContain(due.drawId);
    const rows = await db.select({ id: agencyDraws.id, drawnAt: agencyDraws.drawnAt }).from(agencyDraws).where(inArray(agencyDraws.id, [due.drawId, later.drawId]));
    expect(rows.find((r) => r.id === due.drawId)!.drawnAt).not.toBeNull();
    expect(rows.find((r) => r.id === later.drawId)!.drawnAt).toBeNull();
  });
});

describe("fair rotation of the first place (A13, P6)", () => {
  const DAY = 24 * HOUR;
  const countsOf = (eligible: EligibleAgency[]) => Object.fromEntries(eligible.map((a) => [a.agencyId, a.rotationCount]));

  /** Opens a draw for `procedureId` in `scope` and returns its public view (the published list). */
  async function open(judge: Parameters<typeof openDraw>[3], procedureId: string, scope: "city" | "province" | "library" = "city") {
    const opened = await openDraw(db, clock, testDrawSeedKeys, judge, procedureId, { regionScope: scope, entropyCutoffAt: cutoffIn(HOUR) });
    return publicDraw(db, opened.drawId);
  }

  it("A13/P6: openDraw publishes each agency's rotation count under the list hash; after a draw ranks X first, X's count in the next draw's list is one higher — a draw in another city counts, one of another specialty and one not yet run do not", async () => {
    const a = freshCity();
    const b = freshCity();
    const subs = [
      { specialty: "real_estate" as const, regionCode: a.city },
      { specialty: "real_estate" as const, regionCode: b.city },
      { specialty: "land" as const, regionCode: a.city },
    ];
    const agencies = [];
    for (let i = 0; i < 3; i++) agencies.push((await makeAgency(db, clock, { sublists: subs })).agency);
    const inA = await makeAppraisalCase(db, clock, { category: "residential", regionCode: a.district });
    const inB = await makeAppraisalCase(db, clock, { category: "commercial", regionCode: b.district });
    const procedureIn = async (c: typeof inA, region: string, category: "residential" | "land_use_right") => {
      const asset = await createAsset(db, clock, c.judge, c.caseId, { ...assetInput(clock.now(), category), regionCode: region });
      return makeProcedure(db, clock, c.judge, asset.id, "appraisal");
    };
    const zero = Object.fromEntries(agencies.map((x) => [x.id, 0]));

    // No draw yet: every count is 0, every agency holds one ticket, and the hash covers the counts.
    const first = await open(inA.judge, (await makeProcedure(db, clock, inA.judge, inA.assetId, "appraisal")).id);
    expect(first.algorithm).toBe("sha256-ctr-rotation-v2");
    expect(countsOf(first.eligible)).toEqual(zero);
    expect(first.tickets).toEqual([1, 1, 1]);
    expect(first.eligibleSha256).toBe(eligibleSha256(first.eligible));
    const x = (await at(cutoffIn(HOUR), () => drawNow(first.drawId))).ranking[0]!;

    // The next draw, in another city of the same specialty: X has been first once.
    const second = await open(inB.judge, (await makeProcedure(db, clock, inB.judge, inB.assetId, "appraisal")).id);
    expect(countsOf(second.eligible)).toEqual({ ...zero, [x]: 1 });
    expect(second.tickets).toEqual(second.eligible.map((e) => (e.agencyId === x ? 1 : 2)));

    // Another specialty keeps its own rotation: the real-estate first place does not count for land.
    const land = await open(inA.judge, (await procedureIn(inA, a.district, "land_use_right")).id);
    expect(land.specialty).toBe("land");
    expect(countsOf(land.eligible)).toEqual(zero);
    await at(cutoffIn(HOUR), () => drawNow(land.drawId));

    // Opened but not run, the second draw counts for nothing; once run, its first place counts too.
    const third = await open(inA.judge, (await procedureIn(inA, a.district, "residential")).id);
    expect(countsOf(third.eligible)).toEqual({ ...zero, [x]: 1 });
    const y = (await at(cutoffIn(HOUR), () => drawNow(second.drawId))).ranking[0]!;
    const fourth = await open(inA.judge, (await procedureIn(inA, a.district, "residential")).id);
    const expected = { ...zero, [x]: 1 };
    expected[y] = expected[y]! + 1;
    expect(countsOf(fourth.eligible)).toEqual(expected);
    expect(fourth.eligibleSha256).toBe(eligibleSha256(fourth.eligible));
  });

  it("A13/P6: the rotation window: a first place drawn exactly 365 days before the opening counts; 1 ms earlier it does not", async () => {
    const s = await scenario(3);
    const opened = await open(s.judge, s.procedure.id);
    const drawnAt = cutoffIn(HOUR);
    const x = (await at(drawnAt, () => drawNow(opened.drawId))).ranking[0]!;
    const countOfX = (view: Awaited<ReturnType<typeof open>>) => view.eligible.find((e) => e.agencyId === x)!.rotationCount;

    const edge = await at(new Date(drawnAt.getTime() + 365 * DAY), async () => open(s.judge, (await anotherProcedure(s)).id));
    expect(countOfX(edge)).toBe(1);
    const past = await at(new Date(drawnAt.getTime() + 365 * DAY + MS), async () => open(s.judge, (await anotherProcedure(s)).id));
    expect(countOfX(past)).toBe(0);
    expect(past.tickets).toEqual([1, 1, 1]);
  });

  it("A13/P6: a count altered between the opening and the draw stops the draw (CONFLICT) and writes nothing", async () => {
    const s = await scenario(3);
    const view = await open(s.judge, s.procedure.id);
    const altered = view.eligible.map((e, i) => (i === 0 ? { ...e, rotationCount: 4 } : e));
    await database.sql`update agency_draws set eligible = ${JSON.stringify(altered as never)}::jsonb where id = ${view.drawId}`;
    const auditBefore = await db.select({ n: count() }).from(auditEvents);
    const error = await at(cutoffIn(HOUR), () => drawNow(view.drawId).then(() => null, (e: unknown) => e));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("CONFLICT");
    expect(await db.select({ n: count() }).from(agencyRankings).where(eq(agencyRankings.procedureId, s.procedure.id))).toEqual([{ n: 0 }]);
    expect(await db.select({ n: count() }).from(auditEvents)).toEqual(auditBefore);
    expect((await db.select({ drawnAt: agencyDraws.drawnAt }).from(agencyDraws).where(eq(agencyDraws.id, view.drawId)))[0]!.drawnAt).toBeNull();
  });

  it("P6: a draw stored under sha256-ctr-fisher-yates-v1 runs and verifies by v1; an algorithm name this version does not know never verifies", async () => {
    const s = await scenario(4);
    const view = await open(s.judge, s.procedure.id);
    // The record as the first version stored it: no counts, the v1 list hash.
    const v1List = view.eligible.map(({ rotationCount: _, ...e }) => e);
    await database.sql`update agency_draws set algorithm = ${DRAW_ALGORITHM_V1}, eligible = ${JSON.stringify(v1List as never)}::jsonb, eligible_sha256 = ${eligibleSha256(v1List, DRAW_ALGORITHM_V1)} where id = ${view.drawId}`;
    await addEntropy(db, clock, s.applicant, view.drawId, "v1");
    const outcome = await at(cutoffIn(HOUR), () => drawNow(view.drawId));
    const after = await publicDraw(db, view.drawId);
    expect(after.algorithm).toBe(DRAW_ALGORITHM_V1);
    expect(after.tickets).toBeNull();
    expect(outcome.ranking).toEqual(drawRanking({ seedHex: outcome.seed, entropy: after.entropy, eligible: after.eligible, size: 3, algorithm: DRAW_ALGORITHM_V1 }));
    const verdict = await verifyDraw(db, view.drawId);
    expect(verdict).toMatchObject({ matches: true, recomputed: outcome.ranking, tickets: null });

    await database.sql`update agency_draws set algorithm = 'sha256-ctr-fisher-yates-v9' where id = ${view.drawId}`;
    const unknown = await verifyDraw(db, view.drawId);
    expect(unknown.matches).toBe(false);
    expect(unknown.recomputed).toBeNull();
    expect(unknown.checks.listMatchesHash).toBe(false);
  });
});
