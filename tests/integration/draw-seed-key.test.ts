// P6: the draw's seed is derived from a key the server holds outside the database, so a copy of the database
// taken before the draw does not give the result; the key can be rotated, and draws stored before seeds were
// derived keep their stored seed.
import { randomBytes } from "node:crypto";
import { asc, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import type { Database, Db } from "../../db/client.ts";
import { agencyDraws, agencyRankings, auditEvents, drawEntropy } from "../../db/schema/index.ts";
import { addEntropy, drawRanking, drawSeed, drawSeedKeys, openDraw, seedCommitment, verifyDraw, type DrawSeedKeys, type EligibleAgency } from "../../appraisal/index.ts";
import { runDraw } from "../../appraisal/draws.ts";
import { createTestDatabase } from "../support/database.ts";
import { codeOf } from "../support/refusals.ts";
import { makeAgency, makeAppraisalCase, makePartyAccount, makeProcedure } from "../fixtures/appraisal.ts";

const clock = new TestClock(new Date("2026-11-27T02:00:00Z"));
const HOUR = 3600_000;
let database: Database;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  // Five agencies on the asset's city sub-list: 60 possible rankings of three.
  for (let i = 0; i < 5; i++) await makeAgency(db, clock);
});
afterAll(() => database?.close());

const newKey = () => randomBytes(36).toString("base64url");

/** A draw opened under `keys`, with both parties' entropy in, its cut-off an hour from now. */
async function openedDraw(keys: DrawSeedKeys) {
  const s = await makeAppraisalCase(db, clock);
  const applicant = await makePartyAccount(db, s.caseId, "applicant", { now: clock.now() });
  const debtor = await makePartyAccount(db, s.caseId, "debtor", { now: clock.now() });
  const procedure = await makeProcedure(db, clock, s.judge, s.assetId, "appraisal");
  const cutoff = new Date(clock.now().getTime() + HOUR);
  const { drawId, seedSha256 } = await openDraw(db, clock, keys, s.judge, procedure.id, { regionScope: "city", entropyCutoffAt: cutoff });
  await addEntropy(db, clock, applicant, drawId, "申请人 1618");
  await addEntropy(db, clock, debtor, drawId, "被执行人 2718");
  return { drawId, seedSha256, cutoff, procedureId: procedure.id, judge: s.judge };
}

/** Everything in the database, as text: each row of every table of every schema (what a dump holds). */
async function dump(): Promise<string> {
  const tables = await database.sql<{ schema: string; name: string }[]>`
    select table_schema as schema, table_name as name from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') order by 1, 2`;
  expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["agency_draws", "draw_entropy", "audit_events"]));
  const parts: string[] = [];
  for (const t of tables) {
    const [row] = await database.sql.unsafe<{ rows: string }[]>(`select coalesce(string_agg(t::text, E'\\n'), '') as rows from "${t.schema}"."${t.name}" t`);
    parts.push(`-- ${t.schema}.${t.name}\n${row!.rows}`);
  }
  return parts.join("\n");
}

/** The ranking the stored inputs give with the seed a key derives for the draw. */
async function rankingUnder(drawId: string, secret: string): Promise<string[]> {
  const [draw] = await db.select().from(agencyDraws).where(eq(agencyDraws.id, drawId));
  const entropy = await db.select({ partyId: drawEntropy.partyId, value: drawEntropy.value }).from(drawEntropy).where(eq(drawEntropy.drawId, drawId));
  const seedHex = drawSeed(drawSeedKeys(secret).current, drawId);
  return drawRanking({ seedHex, entropy, eligible: draw!.eligible as EligibleAgency[], size: 3, algorithm: draw!.algorithm as never });
}

async function at<T>(when: Date, work: () => Promise<T>): Promise<T> {
  const start = clock.now();
  clock.set(when);
  try {
    return await work();
  } finally {
    clock.set(start);
  }
}

const run = (keys: DrawSeedKeys, drawId: string) => db.transaction((tx) => runDraw(tx, clock, keys, drawId, null));

describe("the seed out of the database (P6)", () => {
  it("P6: a database dump taken before the draw holds neither the seed nor the key, and with everything in it two different keys give different results", async () => {
    const secret = newKey();
    const keys = drawSeedKeys(secret);
    const { drawId, seedSha256, cutoff, procedureId } = await openedDraw(keys);
    const seed = drawSeed(keys.current, drawId);
    expect(seedCommitment(seed)).toBe(seedSha256);

    const before = await dump();
    expect(before).toContain(drawId);
    expect(before).toContain(seedSha256);
    expect(before).not.toContain(seed);
    expect(before).not.toContain(Buffer.from(seed, "hex").toString("base64"));
    expect(before).not.toContain(secret);
    const [stored] = await db.select({ seed: agencyDraws.seed, seedKeyId: agencyDraws.seedKeyId }).from(agencyDraws).where(eq(agencyDraws.id, drawId));
    expect(stored).toEqual({ seed: null, seedKeyId: keys.current.id });

    // The dump's inputs (list, counts, entropy, draw id) with other keys give other rankings: only the key decides.
    const mine = await rankingUnder(drawId, secret);
    const others = [];
    for (let i = 0; i < 8; i++) others.push((await rankingUnder(drawId, newKey())).join(","));
    expect(new Set([mine.join(","), ...others]).size).toBeGreaterThan(1);

    // A server without the key cannot run the draw, and writes nothing.
    const audited = async () => (await db.select({ n: count() }).from(auditEvents))[0]!.n;
    const eventsBefore = await audited();
    expect(await at(cutoff, () => codeOf(run(drawSeedKeys(newKey()), drawId)))).toBe("DRAW_SEED_KEY_MISSING");
    expect((await db.select({ drawnAt: agencyDraws.drawnAt, seed: agencyDraws.seed }).from(agencyDraws).where(eq(agencyDraws.id, drawId)))[0]).toEqual({ drawnAt: null, seed: null });
    expect(await db.select({ n: count() }).from(agencyRankings).where(eq(agencyRankings.procedureId, procedureId))).toEqual([{ n: 0 }]);
    expect(await audited()).toBe(eventsBefore);

    // With the key, the draw reveals the derived seed; the result is the one that seed gives, and it verifies.
    const outcome = await at(cutoff, () => run(keys, drawId));
    expect(outcome.seed).toBe(seed);
    expect(outcome.ranking).toEqual(mine);
    expect((await db.select({ seed: agencyDraws.seed }).from(agencyDraws).where(eq(agencyDraws.id, drawId)))[0]!.seed).toBe(seed);
    const rankings = await db.select({ agencyId: agencyRankings.agencyId }).from(agencyRankings).where(eq(agencyRankings.procedureId, procedureId)).orderBy(asc(agencyRankings.rank));
    expect(rankings.map((r) => r.agencyId)).toEqual(mine);
    expect(await verifyDraw(db, drawId)).toMatchObject({ drawn: true, matches: true, seed });
  });

  it("P6: after a rotation new draws are opened under the new key, and a draw opened under the retired key still runs under it and verifies", async () => {
    const oldSecret = newKey();
    const newSecret = newKey();
    const before = drawSeedKeys(oldSecret);
    const opened = await openedDraw(before);

    const rotated = drawSeedKeys(newSecret, [oldSecret]);
    expect(rotated.current.id).not.toBe(before.current.id);
    const later = await openedDraw(rotated);
    const ids = await db.select({ id: agencyDraws.id, seedKeyId: agencyDraws.seedKeyId }).from(agencyDraws);
    expect(ids.find((r) => r.id === opened.drawId)!.seedKeyId).toBe(before.current.id);
    expect(ids.find((r) => r.id === later.drawId)!.seedKeyId).toBe(rotated.current.id);

    const first = await at(opened.cutoff, () => run(rotated, opened.drawId));
    expect(first.seed).toBe(drawSeed(before.current, opened.drawId));
    expect((await verifyDraw(db, opened.drawId)).matches).toBe(true);
    // Once the retired key is dropped too, the new key alone runs the new draw.
    const second = await at(later.cutoff, () => run(drawSeedKeys(newSecret), later.drawId));
    expect(second.seed).toBe(drawSeed(rotated.current, later.drawId));
    expect((await verifyDraw(db, later.drawId)).matches).toBe(true);
  });

  it("P6: a draw stored before seeds came from a key (its seed stored at the opening, no key id) runs on its stored seed and verifies as before", async () => {
    const { drawId, cutoff } = await openedDraw(drawSeedKeys(newKey()));
    // The row as it was written before the change: a random seed in the record, its commitment published.
    const legacySeed = randomBytes(32).toString("hex");
    await database.sql`update agency_draws set seed = ${legacySeed}, seed_key_id = null, seed_sha256 = ${seedCommitment(legacySeed)} where id = ${drawId}`;
    // Any key ring will do: the stored seed is used.
    const outcome = await at(cutoff, () => run(drawSeedKeys(newKey()), drawId));
    expect(outcome.seed).toBe(legacySeed);
    expect(await verifyDraw(db, drawId)).toMatchObject({ drawn: true, matches: true, seed: legacySeed });
  });

  it("P6: the database refuses a draw with neither a stored seed nor a key id, and a run draw without its seed", async () => {
    const { drawId } = await openedDraw(drawSeedKeys(newKey()));
    await expect(database.sql`update agency_draws set seed_key_id = null where id = ${drawId}`).rejects.toThrow(/agency_draws_seed_check/);
    await expect(database.sql`update agency_draws set drawn_at = now() where id = ${drawId}`).rejects.toThrow(/agency_draws_seed_check/);
  });
});
