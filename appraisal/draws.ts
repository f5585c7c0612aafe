// The court's draw of three appraisal agencies by lot (摇号, A13), recorded step by step (A27) and verifiable
// by anyone (P6): commit to a secret seed and publish the canonical eligible list with each agency's rotation
// count, let the parties add entropy until the cut-off, then draw, reveal the seed, and keep the ranking. The
// first place rotates fairly: agencies ranked first less often hold more tickets. The seed is derived from a key
// outside the database (draw-seed.ts) and stored only at the reveal. ADR 009 explains why and how.
import { randomUUID } from "node:crypto";
import { and, asc, eq, gte, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx, Tx } from "../db/client.ts";
import { agencyDraws, agencyRankings, drawEntropy, priceProcedures, type Specialty } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { CN_SPC_2016 } from "../core/ruleset.ts";
import { instantField, parseOrThrow, plainText } from "../core/validation.ts";
import { authorize, type SessionUser } from "../identity/index.ts";
import { drawSeed, type DrawSeedKeys } from "./draw-seed.ts";
import { actingParty } from "./parties.ts";
import { eligibleAgencies } from "./pool.ts";
import { resumedDeadline } from "./rules/appraisal.ts";
import {
  canonicalEligible,
  cityOf,
  DRAW_ALGORITHM,
  DRAW_ALGORITHM_V1,
  drawRanking,
  eligibleSha256,
  isCanonicalOrder,
  isDrawAlgorithm,
  isSeedHex,
  provinceOf,
  ROTATION_WINDOW_DAYS,
  rotationWeights,
  rotationWindowStart,
  seedCommitment,
  specialtyForCategory,
  withRotationCounts,
  type EligibleAgency,
  type EntropyContribution,
} from "./rules/draw.ts";
import { assets, caseParties, cases } from "../auction/index.ts";

/** Longest entropy contribution, in characters: enough for any number or phrase, short enough to show. */
export const ENTROPY_MAX_LENGTH = 200;

export const openDrawSchema = z.object({
  /** A13: the city sub-list where the asset is, the province sub-list, or the whole specialty sub-library. */
  regionScope: z.enum(["city", "province", "library"], { error: "validation.invalid" }),
  entropyCutoffAt: instantField,
});

export const entropySchema = z.object({
  // Normalised first, so the same characters typed on two systems give the same draw. Any character but a control one counts.
  value: z.string({ error: "validation.required" }).trim().normalize("NFC").pipe(plainText({ max: ENTROPY_MAX_LENGTH, markup: true })),
});

export type OpenDrawInput = z.input<typeof openDrawSchema>;

/** Locks a procedure row (the workflow's lock order: procedure first, then its draw). */
async function lockProcedureRow(tx: Tx, procedureId: string) {
  const [row] = await tx
    .select({ p: priceProcedures, courtId: cases.courtId, category: assets.category, assetRegion: assets.regionCode })
    .from(priceProcedures)
    .innerJoin(cases, eq(cases.id, priceProcedures.caseId))
    .innerJoin(assets, eq(assets.id, priceProcedures.assetId))
    .where(eq(priceProcedures.id, procedureId))
    .for("update", { of: priceProcedures });
  if (!row) throw new AppError("NOT_FOUND");
  return row;
}

/** The sub-list a draw of this scope uses for an asset in `assetRegion` (A13). */
function scopeRegion(scope: "city" | "province" | "library", assetRegion: string): string | null {
  if (scope === "library") return null;
  if (scope === "province") return provinceOf(assetRegion);
  // A province-level code has no city; its province sub-list is the nearest.
  return cityOf(assetRegion) ?? provinceOf(assetRegion);
}

/**
 * A13, P6: how many completed draws of the specialty (any region, any court) ranked each of `agencyIds`
 * first, counting those drawn at or after `since`. Agencies never first are absent from the map.
 */
export async function rotationCounts(db: DbOrTx, specialty: Specialty, agencyIds: readonly string[], since: Date): Promise<Map<string, number>> {
  if (agencyIds.length === 0) return new Map();
  const first = sql<string>`${agencyDraws.result} ->> 0`;
  const rows = await db
    .select({ agencyId: first, n: sql<number>`count(*)::int` })
    .from(agencyDraws)
    .where(and(eq(agencyDraws.specialty, specialty), isNotNull(agencyDraws.drawnAt), gte(agencyDraws.drawnAt, since), inArray(first, [...agencyIds])))
    .groupBy(first);
  return new Map(rows.map((r) => [r.agencyId, Number(r.n)]));
}

export interface OpenedDraw {
  drawId: string;
  specialty: Specialty;
  regionCode: string | null;
  eligibleCount: number;
  eligibleSha256: string;
  seedSha256: string;
  entropyCutoffAt: Date;
}

/**
 * A13, P6: the court opens the draw for an open appraisal whose agencies are not chosen yet. The eligible
 * list and the seed's SHA-256 are fixed and published now; the seed stays secret until the draw: it is
 * derived from the draw's id under the current seed key, and only the key's id is stored.
 */
export async function openDraw(
  db: Db,
  clock: Clock,
  seedKeys: DrawSeedKeys,
  actor: SessionUser,
  procedureId: string,
  input: OpenDrawInput | Record<string, unknown>,
): Promise<OpenedDraw> {
  const data = parseOrThrow(openDrawSchema, input);
  const now = clock.now();
  if (data.entropyCutoffAt.getTime() <= now.getTime()) throw new AppError("VALIDATION_FAILED", { fields: { entropyCutoffAt: "validation.future" } });
  return db.transaction(async (tx) => {
    const row = await lockProcedureRow(tx, procedureId);
    authorize(actor, "appraisal.manage", { courtId: row.courtId });
    const p = row.p;
    if (p.method !== "appraisal" || p.status !== "open" || p.selection !== null) throw new AppError("DRAW_NOT_APPLICABLE");
    const [ranked] = await tx.select({ rank: agencyRankings.rank }).from(agencyRankings).where(eq(agencyRankings.procedureId, p.id)).limit(1);
    if (ranked) throw new AppError("DRAW_NOT_APPLICABLE");
    const [existing] = await tx.select({ id: agencyDraws.id }).from(agencyDraws).where(eq(agencyDraws.procedureId, p.id)).limit(1);
    if (existing) throw new AppError("DRAW_ALREADY_OPEN");

    const specialty = specialtyForCategory(row.category);
    const regionCode = scopeRegion(data.regionScope, row.assetRegion);
    const eligible = await eligibleAgencies(tx, clock, { specialty, regionCode, caseId: p.caseId });
    // A13 draws three; with fewer the court widens the scope (city → province → whole sub-library).
    if (eligible.length < CN_SPC_2016.drawSize) {
      throw new AppError("DRAW_TOO_FEW_AGENCIES", { fields: { regionScope: "appraisal.error.tooFewAgencies" }, details: { eligible: eligible.length, specialty, regionCode } });
    }
    // Fair rotation: each agency's count of first places in the window is published with the list and
    // covered by its hash, so the weights of the first place are fixed before any entropy arrives.
    const counted = withRotationCounts(
      eligible,
      await rotationCounts(tx, specialty, eligible.map((a) => a.agencyId), rotationWindowStart(now)),
    );
    // The id is made here because the seed is derived from it; the seed itself is never written before the reveal.
    const drawId = randomUUID();
    const listHash = eligibleSha256(counted, DRAW_ALGORITHM);
    const seedHash = seedCommitment(drawSeed(seedKeys.current, drawId));
    const [draw] = await tx
      .insert(agencyDraws)
      .values({
        id: drawId,
        procedureId: p.id,
        algorithm: DRAW_ALGORITHM,
        specialty,
        regionCode,
        eligible: counted,
        eligibleSha256: listHash,
        seedSha256: seedHash,
        seedKeyId: seedKeys.current.id,
        entropyCutoffAt: data.entropyCutoffAt,
        createdBy: actor.id,
        createdAt: now,
      })
      .returning({ id: agencyDraws.id });
    // A27, P5: the commitment and the list's hash enter the audit chain before anyone can contribute.
    await appendAudit(tx, clock, {
      actorId: actor.id,
      action: "appraisal.draw_opened",
      entityType: "agency_draw",
      entityId: draw!.id,
      data: {
        rule: "A13",
        procedureId: p.id,
        algorithm: DRAW_ALGORITHM,
        specialty,
        regionCode,
        eligibleCount: eligible.length,
        eligibleSha256: listHash,
        seedSha256: seedHash,
        rotationWindowDays: ROTATION_WINDOW_DAYS,
        entropyCutoffAt: data.entropyCutoffAt,
      },
    });
    return { drawId: draw!.id, specialty, regionCode, eligibleCount: eligible.length, eligibleSha256: listHash, seedSha256: seedHash, entropyCutoffAt: data.entropyCutoffAt };
  });
}

/**
 * P6: a party of the case adds its entropy before the cut-off, once per party. Since the seed was committed
 * before, the court cannot steer the result with it; since the seed is secret, no party can either.
 */
export async function addEntropy(db: Db, clock: Clock, user: SessionUser, drawId: string, value: unknown): Promise<{ id: string }> {
  const data = parseOrThrow(entropySchema, { value });
  return db.transaction(async (tx) => {
    const [draw] = await tx
      .select({ id: agencyDraws.id, cutoff: agencyDraws.entropyCutoffAt, drawnAt: agencyDraws.drawnAt, caseId: priceProcedures.caseId, status: priceProcedures.status })
      .from(agencyDraws)
      .innerJoin(priceProcedures, eq(priceProcedures.id, agencyDraws.procedureId))
      .where(eq(agencyDraws.id, drawId))
      .for("update", { of: agencyDraws });
    if (!draw) throw new AppError("NOT_FOUND");
    const party = await actingParty(tx, user, draw.caseId, "NOT_A_PARTY");
    const now = clock.now();
    // Before the cut-off only (at the cut-off instant the draw may run), and only while the procedure
    // runs: a suspended or withdrawn procedure's draw is not run (A24).
    if (draw.drawnAt !== null || now.getTime() >= draw.cutoff.getTime() || draw.status !== "open") throw new AppError("ENTROPY_CLOSED");
    const [given] = await tx.select({ id: drawEntropy.id }).from(drawEntropy).where(and(eq(drawEntropy.drawId, drawId), eq(drawEntropy.partyId, party.id))).limit(1);
    if (given) throw new AppError("ENTROPY_ALREADY_GIVEN");
    const [row] = await tx
      .insert(drawEntropy)
      .values({ drawId, partyId: party.id, value: data.value, submittedBy: user.id, submittedAt: now })
      .returning({ id: drawEntropy.id });
    await appendAudit(tx, clock, {
      actorId: user.id,
      action: "appraisal.draw_entropy_added",
      entityType: "agency_draw",
      entityId: drawId,
      data: { rule: "P6", partyId: party.id, partyRole: party.role, value: data.value },
    });
    return { id: row!.id };
  });
}

export interface DrawOutcome {
  drawId: string;
  procedureId: string;
  ranking: string[];
  seed: string;
}

/** Whether a stored list is an array in canonical order, well-formed for the algorithm, and has the published hash. */
function listMatches(eligible: unknown, algorithm: string, hash: string): boolean {
  if (!Array.isArray(eligible) || !isDrawAlgorithm(algorithm)) return false;
  const list = eligible as EligibleAgency[];
  return isCanonicalOrder(list, algorithm) && eligibleSha256(list, algorithm) === hash;
}

/** v2: the first-place tickets in list order; null for a v1 draw or a list that is not well-formed. */
function ticketsOf(eligible: unknown, algorithm: string): number[] | null {
  if (!Array.isArray(eligible) || !isDrawAlgorithm(algorithm) || algorithm === DRAW_ALGORITHM_V1) return null;
  try {
    return rotationWeights(eligible as EligibleAgency[]);
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

async function entropyOf(db: DbOrTx, drawId: string): Promise<EntropyContribution[]> {
  return db.select({ partyId: drawEntropy.partyId, value: drawEntropy.value }).from(drawEntropy).where(eq(drawEntropy.drawId, drawId)).orderBy(asc(drawEntropy.partyId));
}

/**
 * A13, P6: runs a draw at or after its cut-off, exactly once, in the caller's transaction: computes the
 * ranking, reveals the seed, records the three places and marks the procedure's selection as drawn. It
 * commissions nobody: drawAndCommission, its one caller, commissions the first-ranked agency in the same
 * transaction (A14).
 */
/** The procedure a draw belongs to (NOT_FOUND for an unknown draw). */
export async function drawProcedureId(tx: Tx, drawId: string): Promise<string> {
  const [ref] = await tx.select({ procedureId: agencyDraws.procedureId }).from(agencyDraws).where(eq(agencyDraws.id, drawId)).limit(1);
  if (!ref) throw new AppError("NOT_FOUND");
  return ref.procedureId;
}

/**
 * P6: the seed of a draw at its reveal. Draws opened before seeds were derived stored theirs at the opening
 * and keep it; the others derive it under the key they were opened with, which must still be configured.
 */
function revealSeed(draw: typeof agencyDraws.$inferSelect, seedKeys: DrawSeedKeys): string {
  if (draw.seedKeyId === null) {
    if (draw.seed === null) throw new AppError("CONFLICT", { details: { reason: "DRAW_RECORD_ALTERED", drawId: draw.id } });
    return draw.seed;
  }
  const key = seedKeys.byId.get(draw.seedKeyId);
  if (!key) throw new AppError("DRAW_SEED_KEY_MISSING", { details: { drawId: draw.id, seedKeyId: draw.seedKeyId } });
  return drawSeed(key, draw.id);
}

export async function runDraw(tx: Tx, clock: Clock, seedKeys: DrawSeedKeys, drawId: string, actorId: string | null): Promise<DrawOutcome> {
  const { p } = await lockProcedureRow(tx, await drawProcedureId(tx, drawId));
  const [draw] = await tx.select().from(agencyDraws).where(eq(agencyDraws.id, drawId)).for("update");
  if (!draw) throw new AppError("NOT_FOUND");
  if (draw.drawnAt !== null) throw new AppError("DRAW_ALREADY_RUN");
  const now = clock.now();
  if (now.getTime() < draw.entropyCutoffAt.getTime()) throw new AppError("DRAW_NOT_DUE");
  if (p.method !== "appraisal" || p.status !== "open" || p.selection !== null) throw new AppError("DRAW_NOT_APPLICABLE");
  const [ranked] = await tx.select({ rank: agencyRankings.rank }).from(agencyRankings).where(eq(agencyRankings.procedureId, p.id)).limit(1);
  if (ranked) throw new AppError("DRAW_NOT_APPLICABLE");

  const eligible = draw.eligible as EligibleAgency[];
  const seed = revealSeed(draw, seedKeys);
  // Draw only from exactly what was published, by the algorithm it was opened with: the list (with its
  // rotation counts) under its hash and the seed under its commitment.
  if (!isDrawAlgorithm(draw.algorithm) || !listMatches(eligible, draw.algorithm, draw.eligibleSha256) || !isSeedHex(seed) || seedCommitment(seed) !== draw.seedSha256) {
    throw new AppError("CONFLICT", { details: { reason: "DRAW_RECORD_ALTERED", drawId } });
  }
  const entropy = await entropyOf(tx, drawId);
  const ranking = drawRanking({ seedHex: seed, entropy, eligible, size: CN_SPC_2016.drawSize, algorithm: draw.algorithm });
  // The reveal: from now the seed is public, stored with the result for anyone to recompute.
  await tx.update(agencyDraws).set({ result: ranking, drawnAt: now, seed }).where(eq(agencyDraws.id, drawId));
  await tx.insert(agencyRankings).values(ranking.map((agencyId, i) => ({ procedureId: p.id, rank: i + 1, agencyId })));
  await tx.update(priceProcedures).set({ selection: "drawn" }).where(eq(priceProcedures.id, p.id));
  // A27, P5: the result and the revealed seed enter the audit chain with the draw.
  await appendAudit(tx, clock, {
    actorId,
    action: "appraisal.draw_run",
    entityType: "agency_draw",
    entityId: drawId,
    data: {
      rule: "A13",
      procedureId: p.id,
      algorithm: draw.algorithm,
      seed,
      seedSha256: draw.seedSha256,
      eligibleSha256: draw.eligibleSha256,
      entropy: entropy.map((e) => ({ partyId: e.partyId, value: e.value })),
      ranking,
    },
  });
  return { drawId, procedureId: p.id, ranking, seed };
}

/** Draws whose cut-off has passed and which have not run, for the scheduled job. */
export async function drawsDue(db: DbOrTx, clock: Clock): Promise<string[]> {
  const rows = await db
    .select({ id: agencyDraws.id })
    .from(agencyDraws)
    .innerJoin(priceProcedures, eq(priceProcedures.id, agencyDraws.procedureId))
    .where(and(isNull(agencyDraws.drawnAt), lte(agencyDraws.entropyCutoffAt, clock.now()), eq(priceProcedures.status, "open")))
    .orderBy(asc(agencyDraws.entropyCutoffAt))
    .limit(500);
  return rows.map((r) => r.id);
}

/**
 * A24: on the resumption of a suspended procedure, its draw not yet run moves its cut-off, and with it the draw,
 * by the suspended time if the cut-off was still ahead when the suspension began (`resumedDeadline`). The seed,
 * the list and the commitments stay as published; the new time is audited and shown on the public page.
 */
export async function moveDrawCutoff(tx: Tx, clock: Clock, actorId: string, procedureId: string, from: Date, ms: number): Promise<void> {
  const [draw] = await tx
    .select({ id: agencyDraws.id, cutoff: agencyDraws.entropyCutoffAt, movedMs: agencyDraws.entropyCutoffMovedMs })
    .from(agencyDraws)
    .where(and(eq(agencyDraws.procedureId, procedureId), isNull(agencyDraws.drawnAt)))
    .for("update");
  if (!draw) return;
  const cutoff = resumedDeadline(draw.cutoff, from, ms);
  if (cutoff.getTime() === draw.cutoff.getTime()) return;
  await tx.update(agencyDraws).set({ entropyCutoffAt: cutoff, entropyCutoffMovedMs: draw.movedMs + ms }).where(eq(agencyDraws.id, draw.id));
  await appendAudit(tx, clock, {
    actorId,
    action: "appraisal.draw_rescheduled",
    entityType: "agency_draw",
    entityId: draw.id,
    data: { rule: "A24", procedureId, previousCutoffAt: draw.cutoff, entropyCutoffAt: cutoff, suspendedFrom: from, suspendedMs: ms },
  });
}

export interface PublicDraw {
  drawId: string;
  procedureId: string;
  algorithm: string;
  specialty: Specialty;
  regionCode: string | null;
  /** As published: canonical order; from v2 each entry has its rotationCount. */
  eligible: EligibleAgency[];
  /** v2: each agency's tickets for the first place, in the order of `eligible` (null for a v1 draw). */
  tickets: number[] | null;
  eligibleSha256: string;
  seedSha256: string;
  entropyCutoffAt: Date;
  /** A24: how far suspensions of the procedure moved the cut-off (0 if never). */
  entropyCutoffMovedMs: number;
  openedAt: Date;
  /** Contributions: the party's id (needed to recompute), its role, the value and when — never the account. */
  entropy: { partyId: string; partyRole: string; value: string; submittedAt: Date }[];
  drawnAt: Date | null;
  /** Only after the draw. */
  seed: string | null;
  result: string[] | null;
  ranking: { rank: number; agencyId: string; name: string; creditCode: string }[] | null;
}

/** P6: what anyone may see of a draw. The seed only once the draw has run. */
export async function publicDraw(db: DbOrTx, drawId: string): Promise<PublicDraw> {
  const [draw] = await db.select().from(agencyDraws).where(eq(agencyDraws.id, drawId)).limit(1);
  if (!draw) throw new AppError("NOT_FOUND");
  const entropy = await db
    .select({ partyId: drawEntropy.partyId, partyRole: caseParties.role, value: drawEntropy.value, submittedAt: drawEntropy.submittedAt })
    .from(drawEntropy)
    .innerJoin(caseParties, eq(caseParties.id, drawEntropy.partyId))
    .where(eq(drawEntropy.drawId, drawId))
    .orderBy(asc(drawEntropy.submittedAt), asc(drawEntropy.partyId));
  const eligible = canonicalEligible(draw.eligible as EligibleAgency[]);
  const drawn = draw.drawnAt !== null;
  const result = drawn ? (draw.result as string[]) : null;
  const byId = new Map(eligible.map((a) => [a.agencyId, a]));
  return {
    drawId: draw.id,
    procedureId: draw.procedureId,
    algorithm: draw.algorithm,
    specialty: draw.specialty,
    regionCode: draw.regionCode,
    eligible: draw.eligible as EligibleAgency[],
    tickets: ticketsOf(draw.eligible, draw.algorithm),
    eligibleSha256: draw.eligibleSha256,
    seedSha256: draw.seedSha256,
    entropyCutoffAt: draw.entropyCutoffAt,
    entropyCutoffMovedMs: draw.entropyCutoffMovedMs,
    openedAt: draw.createdAt,
    entropy,
    drawnAt: draw.drawnAt,
    seed: drawn ? draw.seed : null,
    result,
    ranking: result ? result.map((agencyId, i) => ({ rank: i + 1, agencyId, name: byId.get(agencyId)?.name ?? "", creditCode: byId.get(agencyId)?.creditCode ?? "" })) : null,
  };
}

export interface DrawVerdict {
  drawId: string;
  drawn: boolean;
  matches: boolean;
  algorithm: string;
  seed: string;
  seedSha256: string;
  eligible: EligibleAgency[];
  /** v2: each agency's tickets for the first place, in list order (null for v1 or a malformed list). */
  tickets: number[] | null;
  eligibleSha256: string;
  entropy: EntropyContribution[];
  recomputed: string[] | null;
  stored: string[] | null;
  rankings: string[];
  checks: { seedMatchesCommitment: boolean; listMatchesHash: boolean; resultMatches: boolean; rankingsMatch: boolean };
}

const same = (a: readonly string[] | null, b: readonly string[] | null) => a !== null && b !== null && a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * P6: recomputes a draw from its stored inputs, by the algorithm it was opened with, and compares: the seed
 * with its commitment, the list (with its rotation counts) with its hash and canonical order, the stored
 * result and the recorded ranking with the recomputation. A draw that has not run does not match (there is
 * nothing to verify yet); neither does one stored under an algorithm this version does not know.
 */
export async function verifyDraw(db: DbOrTx, drawId: string): Promise<DrawVerdict> {
  const [draw] = await db.select().from(agencyDraws).where(eq(agencyDraws.id, drawId)).limit(1);
  if (!draw) throw new AppError("NOT_FOUND");
  const entropy = await entropyOf(db, drawId);
  const rankingRows = await db.select({ rank: agencyRankings.rank, agencyId: agencyRankings.agencyId }).from(agencyRankings).where(eq(agencyRankings.procedureId, draw.procedureId)).orderBy(asc(agencyRankings.rank));
  const rankings = rankingRows.map((r) => r.agencyId);
  const eligible = draw.eligible as EligibleAgency[];
  const drawn = draw.drawnAt !== null;
  // A draw not yet run has no seed stored (nor, for a draw opened before seeds were derived, a public one).
  const seed = drawn ? draw.seed : null;
  const seedOk = seed !== null && isSeedHex(seed) && seedCommitment(seed) === draw.seedSha256;
  const listOk = listMatches(eligible, draw.algorithm, draw.eligibleSha256);
  let recomputed: string[] | null = null;
  if (seed !== null && isDrawAlgorithm(draw.algorithm) && isSeedHex(seed) && Array.isArray(eligible)) {
    try {
      recomputed = drawRanking({ seedHex: seed, entropy, eligible, size: CN_SPC_2016.drawSize, algorithm: draw.algorithm });
    } catch {
      recomputed = null;
    }
  }
  const stored = Array.isArray(draw.result) ? (draw.result as string[]) : null;
  const checks = {
    seedMatchesCommitment: seedOk,
    listMatchesHash: listOk,
    resultMatches: same(recomputed, stored),
    // The ranking rows were written by this draw only when the procedure's agencies were drawn.
    rankingsMatch: same(recomputed, rankings),
  };
  return {
    drawId,
    drawn,
    matches: drawn && checks.seedMatchesCommitment && checks.listMatchesHash && checks.resultMatches && checks.rankingsMatch,
    algorithm: draw.algorithm,
    seed: seed ?? "",
    seedSha256: draw.seedSha256,
    eligible,
    tickets: ticketsOf(eligible, draw.algorithm),
    eligibleSha256: draw.eligibleSha256,
    entropy,
    recomputed,
    stored,
    rankings,
    checks,
  };
}
