import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import type { Database } from "../../db/client.ts";
import { addEntropy, openDraw, runDraw } from "../../appraisal/index.ts";
import { createTestDatabase } from "../support/database.ts";
import { makeAgency, makeAppraisalCase, makePartyAccount, makeProcedure } from "../fixtures/appraisal.ts";

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
  const opened = await openDraw(db, clock, s.judge, procedure.id, { regionScope: "city", entropyCutoffAt: cutoff });
  drawId = opened.drawId;
  await addEntropy(db, clock, debtor, drawId, "被执行人 9527");
  clock.set(cutoff);
  const outcome = await db.transaction((tx) => runDraw(tx, clock, drawId, s.judge.id));
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
