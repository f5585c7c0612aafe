// DESIGN §4, ASVS V5.1.3, V13.1.5: malformed bodies to every API operation of the OpenAPI document and every form
// action of app/routes.ts get no 5xx, and a refusal writes nothing (tests/support/fuzz.ts). A few hundred cases
// here; `npm run fuzz` sends 10,000 or more (FUZZ_RUNS, FUZZ_SEED) and prints the figures.
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { FuzzHarness, fuzzTargets, runFuzz } from "../support/fuzz.ts";

const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
let platform: TestPlatform;
let harness: FuzzHarness;

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  harness = new FuzzHarness(platform, clock);
  await harness.setup();
});
afterAll(() => platform?.stop());

describe("DESIGN §4, ASVS V5.1.3, V13.1.5: fuzzed bodies get a 4xx, never a 5xx, and a refusal writes nothing", () => {
  it("the targets are every API operation of the OpenAPI document and every form action", () => {
    const targets = fuzzTargets();
    expect(targets.filter((t) => t.kind === "api").map((t) => `${t.method} ${t.pattern}`)).toEqual(expect.arrayContaining(["POST /api/v1/cases", "GET /api/v1/me", "POST /api/v1/commissions/:commissionId/report"]));
    expect(targets.filter((t) => t.kind === "form").map((t) => t.pattern)).toEqual(expect.arrayContaining(["/sign-in", "/account/tokens", "/court/lots/:lotId", "/draws/:drawId"]));
  });

  it(`${RUNS} seeded cases (seed ${SEED}): no 5xx, no refusal that wrote`, { timeout: Math.max(120_000, RUNS * 200) }, async () => {
    const figures = await runFuzz(harness, {
      runs: RUNS,
      seed: SEED,
      onProgress: (n) => {
        if (process.env.FUZZ_REPORT) process.stderr.write(`fuzz: ${n}/${RUNS}\n`);
      },
    });
    if (process.env.FUZZ_REPORT) writeFileSync(process.env.FUZZ_REPORT, JSON.stringify(figures, null, 2));
    expect(figures.failures).toEqual([]);
    // The write counter works: the accepted requests among the cases wrote.
    expect(await harness.totalWrites()).toBeGreaterThan(0);
  });
});
