import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import { appendAudit } from "../../core/audit.ts";
import type { Database } from "../../db/client.ts";
import { createTestDatabase } from "../support/database.ts";

const root = path.resolve(import.meta.dirname, "../..");
const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
let database: Database;

/** Runs `npm run audit:verify`'s command against the test database. */
function auditVerify() {
  const r = spawnSync(process.execPath, ["tools/audit-verify.ts"], { cwd: root, env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: "silent" }, encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

beforeAll(async () => {
  database = await createTestDatabase();
  for (let i = 0; i < 3; i++) {
    await database.db.transaction((tx) => appendAudit(tx, clock, { actorId: null, action: "auction.announcement_revised", entityType: "lot", entityId: String(i), data: { version: i + 2, reason: "更正" } }));
  }
});
afterAll(() => database?.close());

describe("npm run audit:verify (P5)", () => {
  it("reports an intact chain with exit code 0", () => {
    const r = auditVerify();
    expect(r.out).toContain("audit chain intact: 3 events");
    expect(r.status).toBe(0);
  });

  it("names the first broken event and exits 1 after tampering", async () => {
    await database.sql.begin(async (tx) => {
      await tx`alter table audit_events disable trigger audit_events_no_update_delete`;
      await tx`update audit_events set entity_id = 'forged' where seq = 2`;
      await tx`alter table audit_events enable trigger audit_events_no_update_delete`;
    });
    const r = auditVerify();
    expect(r.out).toContain("audit chain BROKEN at event #2 (HASH_MISMATCH)");
    expect(r.status).toBe(1);
  });
});
