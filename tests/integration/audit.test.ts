import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { appendAudit, chainPendingAudits, GENESIS_HASH, verifyChain, type AuditInput } from "../../core/audit.ts";
import type { Database } from "../../db/client.ts";
import { createTestDatabase } from "../support/database.ts";

const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
let database: Database;

async function append(n: number, target = database) {
  for (let i = 0; i < n; i++) {
    await target.db.transaction((tx) =>
      appendAudit(tx, clock, {
        actorId: null,
        action: "auction.bid_accepted",
        entityType: "lot",
        entityId: String(i),
        data: { bidId: randomUUID(), bidderCode: "K7Q2M9", amountFen: 123_456n, seq: i, closesAt: clock.now() },
      }),
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
        await appendAudit(tx, clock, { actorId: null, action: "identity.signed_out", entityType: "session", entityId: "x" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await verifyChain(database.db)).toMatchObject({ ok: true, count: 25 });
  });

  it("P5: appendAudit refuses an action that is not in AUDIT_EVENTS, and nothing is written", async () => {
    // Only a cast gets past the type: appendAudit takes listed actions only.
    const unlisted = { actorId: null, action: "test.event", entityType: "thing", entityId: "x", data: { i: 1 } } as unknown as AuditInput;
    await expect(database.db.transaction((tx) => appendAudit(tx, clock, unlisted))).rejects.toThrow('audit event test.event refused: unknown action "test.event"');
    expect(await verifyChain(database.db)).toMatchObject({ ok: true, count: 25 });
  });

  it("P5: appendAudit refuses data that does not fit its action's schema, and nothing is written", async () => {
    const sold = { actorId: null, action: "auction.lot_sold", entityType: "lot", entityId: "x" } as const;
    const data = { closedAt: clock.now(), priceFen: 260_000_000n, bidderCode: "K7Q2M9", bids: 3 };
    const refused: [unknown, RegExp][] = [
      [{ ...sold, data: { ...data, priceFen: 2.6e8 } }, /refused: data does not fit: priceFen/],
      [{ ...sold, data: { ...data, bidderName: "张三" } }, /refused: data does not fit: .*bidderName/],
      [{ ...sold, data: { closedAt: data.closedAt, priceFen: data.priceFen, bids: 3 } }, /refused: data does not fit: bidderCode/],
      [{ ...sold, entityType: "case", data }, /refused: entity type "case" is not "lot"/],
    ];
    for (const [input, message] of refused) {
      await expect(database.db.transaction((tx) => appendAudit(tx, clock, input as AuditInput))).rejects.toThrow(message);
    }
    expect(await verifyChain(database.db)).toMatchObject({ ok: true, count: 25 });
  });

  it("P5: stores fen as a decimal string, instants as UTC ISO strings and text as given", async () => {
    const closedAt = new Date("2026-11-26T02:05:00.123Z");
    await database.db.transaction(async (tx) => {
      await appendAudit(tx, clock, { actorId: null, action: "auction.lot_sold", entityType: "lot", entityId: "y", data: { closedAt, priceFen: 9_007_199_254_740_993n, bidderCode: "K7Q2M9", bids: 1 } });
      await appendAudit(tx, clock, { actorId: null, action: "auction.announcement_revised", entityType: "lot", entityId: "y", data: { version: 2, reason: "变更" } });
    });
    const rows = await database.sql<{ data: Record<string, unknown> }[]>`select data from audit_events where entity_id = 'y' order by seq`;
    expect(rows.map((r) => r.data)).toEqual([
      { closedAt: "2026-11-26T02:05:00.123Z", priceFen: "9007199254740993", bidderCode: "K7Q2M9", bids: 1 },
      { version: 2, reason: "变更" },
    ]);
    expect(await verifyChain(database.db)).toMatchObject({ ok: true, count: 27 });
  });

  it("P5 (ADR 020): an event joins the chain when its transaction commits; an open transaction holds up no other audited one", async () => {
    const event = (entityId: string): AuditInput => ({ actorId: null, action: "identity.signed_out", entityType: "session", entityId });
    let commitSlow!: () => void;
    const slowMayCommit = new Promise<void>((resolve) => (commitSlow = resolve));
    let slowAppended!: () => void;
    const appended = new Promise<void>((resolve) => (slowAppended = resolve));
    const slow = database.db.transaction(async (tx) => {
      await appendAudit(tx, clock, event("opened-first"));
      slowAppended();
      await slowMayCommit;
    });
    await appended;
    // Appended before the other, still open: the other commits meanwhile and takes the next seq.
    await database.db.transaction((tx) => appendAudit(tx, clock, event("committed-first")));
    commitSlow();
    await slow;
    const rows = await database.sql<{ entity_id: string }[]>`select entity_id from audit_events where entity_type = 'session' and entity_id like '%-first' order by seq`;
    expect(rows.map((r) => r.entity_id)).toEqual(["committed-first", "opened-first"]);
    expect(await database.sql`select 1 from audit_pending`).toHaveLength(0);
    expect(await verifyChain(database.db)).toMatchObject({ ok: true, count: 29 });
  });

  it("P5 (ADR 021): a commit does not wait while another holds the chain; its events are chained by the next chaining, in the order they were appended", async () => {
    const event = (entityId: string): AuditInput => ({ actorId: null, action: "identity.signed_out", entityType: "session", entityId });
    const holder = await database.sql.reserve();
    try {
      await holder`select pg_advisory_lock(4242002)`;
      const started = performance.now();
      await database.db.transaction(async (tx) => {
        await appendAudit(tx, clock, event("busy-1"));
        await appendAudit(tx, clock, event("busy-2"));
      });
      expect(performance.now() - started).toBeLessThan(2_000); // committed; did not wait for the lock
      const chained = () => database.sql<{ entity_id: string }[]>`select entity_id from audit_events where entity_id like 'busy-%' order by seq`;
      expect(await chained()).toHaveLength(0);
      expect(await database.sql`select 1 from audit_pending`).toHaveLength(2);
      await holder`select pg_advisory_unlock(4242002)`;
    } finally {
      holder.release();
    }
    // The next audited commit chains what was left, then its own event.
    await database.db.transaction((tx) => appendAudit(tx, clock, event("busy-3")));
    expect((await database.sql<{ entity_id: string }[]>`select entity_id from audit_events where entity_id like 'busy-%' order by seq`).map((r) => r.entity_id)).toEqual(["busy-1", "busy-2", "busy-3"]);
    expect(await database.sql`select 1 from audit_pending`).toHaveLength(0);
    expect(await verifyChain(database.db)).toMatchObject({ ok: true, count: 32 });
  });

  it("P5 (ADR 021): what a busy chain left pending is chained by the sweep, and the chain verifies", async () => {
    const holder = await database.sql.reserve();
    try {
      await holder`select pg_advisory_lock(4242002)`;
      await database.db.transaction((tx) => appendAudit(tx, clock, { actorId: null, action: "identity.signed_out", entityType: "session", entityId: "swept" }));
      await holder`select pg_advisory_unlock(4242002)`;
    } finally {
      holder.release();
    }
    expect(await database.sql`select 1 from audit_pending`).toHaveLength(1);
    expect(await chainPendingAudits(database.db)).toBe(1);
    expect(await chainPendingAudits(database.db)).toBe(0);
    expect(await database.sql`select 1 from audit_events where entity_id = 'swept'`).toHaveLength(1);
    expect(await verifyChain(database.db)).toMatchObject({ ok: true, count: 33 });
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
