import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { appendAudit, GENESIS_HASH, verifyChain } from "../../core/audit.ts";
import type { Database } from "../../db/client.ts";
import { createTestDatabase } from "../support/database.ts";

const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
let database: Database;

async function append(n: number, target = database) {
  for (let i = 0; i < n; i++) {
    await target.db.transaction((tx) =>
      appendAudit(tx, clock, { actorId: null, action: "test.event", entityType: "thing", entityId: String(i), data: { i, amountFen: 123_456n, note: "变更" } }),
    );
    clock.advance(1000);
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

describe("audit chain (P5: a tamper-evident record)", () => {
  it("chains each event to the one before it and verifies", async () => {
    await append(5);
    const rows = await database.sql<{ seq: string; prev_hash: string; hash: string }[]>`select seq, prev_hash, hash from audit_events order by seq`;
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(await verifyChain(database.db)).toMatchObject({ ok: true, count: 5 });
  });

  it("keeps the chain in order under concurrent appends", async () => {
    await Promise.all(Array.from({ length: 20 }, () => append(1)));
    expect(await verifyChain(database.db)).toMatchObject({ ok: true, count: 25 });
  });

  it("drops the event when its transaction rolls back", async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await appendAudit(tx, clock, { actorId: null, action: "test.rolled_back", entityType: "thing", entityId: "x" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await verifyChain(database.db)).toMatchObject({ ok: true, count: 25 });
  });

  it("P5, D8: refuses UPDATE and DELETE of an audit event (the record is kept)", async () => {
    await expect(database.db.execute(sql`update audit_events set action = 'x' where seq = 1`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from audit_events where seq = 1`)).rejects.toThrow();
  });

  it("names the first tampered event when someone edits the table behind the trigger", async () => {
    await database.sql.begin(async (tx) => {
      await tx`alter table audit_events disable trigger audit_events_no_update_delete`;
      await tx`update audit_events set data = jsonb_set(data, '{amountFen}', '"999"') where seq = 7`;
      await tx`alter table audit_events enable trigger audit_events_no_update_delete`;
    });
    expect(await verifyChain(database.db)).toEqual({ ok: false, count: 6, brokenSeq: 7n, reason: "HASH_MISMATCH" });
  });

  it("names the gap when an event is deleted", async () => {
    const other = await createTestDatabase();
    try {
      await append(4, other);
      await other.sql.begin(async (tx) => {
        await tx`alter table audit_events disable trigger audit_events_no_update_delete`;
        await tx`delete from audit_events where seq = 2`;
        await tx`alter table audit_events enable trigger audit_events_no_update_delete`;
      });
      expect(await verifyChain(other.db)).toMatchObject({ ok: false, brokenSeq: 2n, reason: "SEQUENCE_GAP" });
    } finally {
      await other.close();
    }
  });
});
