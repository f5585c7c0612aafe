import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import type { Database } from "../../db/client.ts";
import { randomBytes } from "node:crypto";
import { addEntropy, openDraw, seedCommitment } from "../../appraisal/index.ts";
import { runDraw } from "../../appraisal/draws.ts";
import { createTestDatabase } from "../support/database.ts";
import { makeAgency, makeAppraisalCase, makePartyAccount, makeProcedure } from "../fixtures/appraisal.ts";
import { testDrawSeedKeys } from "../support/platform.ts";

const root = path.resolve(import.meta.dirname, "../..");
const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
let database: Database;
let drawId: string;
let ranking: string[];
let seed: string;

/** Runs `npm run draw:verify`'s command against the test database. */
function drawVerify(...args: string[]) {
  const r = spawnSync(process.execPath, ["tools/draw-verify.ts", ...args], { cwd: root, env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: "silent" }, encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  const s = await makeAppraisalCase(db, clock);
  const debtor = await makePartyAccount(db, s.caseId, "debtor", { now: clock.now() });
  for (let i = 0; i < 5; i++) await makeAgency(db, clock);
  const procedure = await makeProcedure(db, clock, s.judge, s.assetId, "appraisal");
  const cutoff = new Date(clock.now().getTime() + 3600_000);
  const opened = await openDraw(db, clock, testDrawSeedKeys, s.judge, procedure.id, { regionScope: "city", entropyCutoffAt: cutoff });
  drawId = opened.drawId;
  await addEntropy(db, clock, debtor, drawId, "被执行人 9527");
  clock.set(cutoff);
  const outcome = await db.transaction((tx) => runDraw(tx, clock, testDrawSeedKeys, drawId, s.judge.id));
  ranking = outcome.ranking;
  seed = outcome.seed;
});
afterAll(() => database?.close());

describe("npm run draw:verify (P6)", () => {
  it("P6: prints the inputs and the recomputed ranking of an honest draw and exits 0", () => {
    const r = drawVerify(drawId);
    expect(r.out).toContain(`seed             ${seed}`);
    expect(r.out).toContain(`recomputed       ${ranking.join(", ")}`);
    expect(r.out).toContain("被执行人 9527");
    expect(r.out).toContain("5 agencies, canonical order");
    expect(r.out).toContain("algorithm        sha256-ctr-rotation-v2");
    // A13/P6: no earlier draw in this database, so every agency's rotation count is 0 and it holds one ticket.
    expect(r.out.match(/rotation 0 {2}tickets 1/g)).toHaveLength(5);
    expect(r.out).toContain("draw VERIFIED");
    expect(r.status).toBe(0);
  });

  it("P6: a draw stored before seeds came from a key (its seed in the record, no key id) verifies as before, exit 0", async () => {
    const db = database.db;
    const s = await makeAppraisalCase(db, clock);
    const procedure = await makeProcedure(db, clock, s.judge, s.assetId, "appraisal");
    const cutoff = new Date(clock.now().getTime() + 3600_000);
    const { drawId: legacyId } = await openDraw(db, clock, testDrawSeedKeys, s.judge, procedure.id, { regionScope: "city", entropyCutoffAt: cutoff });
    const legacySeed = randomBytes(32).toString("hex");
    await database.sql`update agency_draws set seed = ${legacySeed}, seed_key_id = null, seed_sha256 = ${seedCommitment(legacySeed)} where id = ${legacyId}`;
    const start = clock.now();
    clock.set(cutoff);
    try {
      await db.transaction((tx) => runDraw(tx, clock, testDrawSeedKeys, legacyId, s.judge.id));
    } finally {
      clock.set(start);
    }
    const r = drawVerify(legacyId);
    expect(r.out).toContain(`seed             ${legacySeed}`);
    expect(r.out).toContain("draw VERIFIED");
    expect(r.status).toBe(0);
  });

  it("P6: usage errors (no id, a malformed id, an unknown draw) exit 2", () => {
    expect(drawVerify().status).toBe(2);
    const malformed = drawVerify("not-a-uuid");
    expect(malformed.status).toBe(2);
    expect(malformed.out).toContain("usage: npm run draw:verify -- <drawId>");
    const unknown = drawVerify("00000000-0000-4000-8000-000000000000");
    expect(unknown.out).toContain("no draw with id");
    expect(unknown.status).toBe(2);
  });

  it("A13/P6: a draw whose published rotation count was changed afterwards is reported as a mismatch with exit 1", async () => {
    const [row] = await database.sql<{ eligible: { rotationCount: number }[] }[]>`select eligible from agency_draws where id = ${drawId}`;
    const original = row!.eligible;
    const raised = original.map((a, i) => (i === 2 ? { ...a, rotationCount: 3 } : a));
    await database.sql`update agency_draws set eligible = ${JSON.stringify(raised) as never}::jsonb where id = ${drawId}`;
    try {
      const r = drawVerify(drawId);
      expect(r.out).toContain("rotation 3  tickets 1");
      expect(r.out).toContain("[FAIL] the eligible list matches its hash and is in canonical order");
      expect(r.out).toContain("draw MISMATCH");
      expect(r.status).toBe(1);
    } finally {
      await database.sql`update agency_draws set eligible = ${JSON.stringify(original) as never}::jsonb where id = ${drawId}`;
    }
    expect(drawVerify(drawId).status).toBe(0);
  });

  it("P6: a draw whose stored result was changed is reported as a mismatch with exit 1", async () => {
    const forged = [ranking[1]!, ranking[0]!, ranking[2]!];
    await database.sql`update agency_draws set result = ${JSON.stringify(forged)}::jsonb where id = ${drawId}`;
    const r = drawVerify(drawId);
    expect(r.out).toContain("[FAIL] the stored result equals the recomputation");
    expect(r.out).toContain("[ok  ] the recorded ranking equals the recomputation");
    expect(r.out).toContain("draw MISMATCH");
    expect(r.status).toBe(1);
  });
});
