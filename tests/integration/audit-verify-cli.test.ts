import { spawnSync } from "node:child_process";
import path from "node:path";
import { desc } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import { appendAudit, hashEvent } from "../../core/audit.ts";
import type { Database } from "../../db/client.ts";
import { auditEvents } from "../../db/schema/index.ts";
import { createTestDatabase } from "../support/database.ts";

const root = path.resolve(import.meta.dirname, "../..");
const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
let database: Database;

/** Runs `npm run audit:verify`'s command against the test database. */
function auditVerify() {
  const r = spawnSync(process.execPath, ["tools/audit-verify.ts"], { cwd: root, env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: "silent" }, encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** Appends an event with a correctly computed hash but without appendAudit's checks, as a faulty writer would. */
async function appendUnchecked(event: { action: string; entityType: string; data: unknown }) {
  const [head] = await database.db.select({ seq: auditEvents.seq, hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1);
  const unhashed = { seq: head!.seq + 1n, occurredAt: clock.now().toISOString(), actorId: null, entityId: "z", ...event, prevHash: head!.hash };
  await database.db.insert(auditEvents).values({ ...unhashed, hash: hashEvent(unhashed) });
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
    expect(r.out).toContain("audit events well-formed: all 3 fit their actions' schemas");
    expect(r.status).toBe(0);
  });

  it("P5: names each event that does not fit its action, with its seq, though the chain is intact, and exits 1", async () => {
    await appendUnchecked({ action: "auction.lot_sold", entityType: "lot", data: { closedAt: "2026-11-26T02:00:00.000Z", priceFen: 260000000, bidderCode: "K7Q2M9", bids: 3 } });
    await appendUnchecked({ action: "test.event", entityType: "thing", data: { i: 1 } });
    await appendUnchecked({ action: "auction.announcement_revised", entityType: "case", data: { version: 2, reason: "更正" } });
    const r = auditVerify();
    expect(r.out).toContain("audit chain intact: 6 events");
    expect(r.out).toContain("audit event #4 (auction.lot_sold) ILL-FORMED: data does not fit: priceFen");
    expect(r.out).toContain('audit event #5 (test.event) ILL-FORMED: unknown action "test.event"');
    expect(r.out).toContain('audit event #6 (auction.announcement_revised) ILL-FORMED: entity type "case" is not "lot"');
    expect(r.out).toContain("audit events ILL-FORMED: 3 of 6 do not fit their actions' schemas");
    expect(r.status).toBe(1);
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
