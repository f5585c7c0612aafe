import { createHash } from "node:crypto";
import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "../db/client.ts";
import { auditEvents, auditPending } from "../db/schema/index.ts";
import { auditEventProblem, type AuditInput } from "./audit-events.ts";
import type { Clock } from "./clock.ts";

export type { AuditAction, AuditData, AuditInput } from "./audit-events.ts";

/** prev_hash of the first event (the chain's SQL functions write the same, migration 0016). */
export const GENESIS_HASH = "0".repeat(64);

export interface AuditRecord {
  seq: bigint;
  occurredAt: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  data: unknown;
  prevHash: string;
  hash: string;
}

/** JSON with sorted keys and bigints as strings: the same bytes before and after a jsonb round trip. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalize(value));
}

function normalize(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = normalize(v);
    }
    return out;
  }
  return value;
}

/** The SHA-256 of an event's content and its predecessor's hash. */
export function hashEvent(e: Omit<AuditRecord, "hash">): string {
  const content = canonicalJson({
    seq: e.seq,
    occurredAt: new Date(e.occurredAt).toISOString(),
    actorId: e.actorId,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    data: e.data,
    prevHash: e.prevHash,
  });
  return createHash("sha256").update(content).digest("hex");
}

/** The event's data as stored: canonical JSON, parsed back (bigints and instants become strings). */
function storedData(input: AuditInput): unknown {
  return JSON.parse(canonicalJson(input.data ?? {})) as unknown;
}

/**
 * Appends one event to the chain. Call it inside the transaction that makes the change it
 * records, so the change and its audit event commit or roll back together. An event that does not
 * fit its action in AUDIT_EVENTS is a programming error: it throws, and nothing is written.
 */
export async function appendAudit(tx: Tx, clock: Clock, input: AuditInput): Promise<void> {
  await appendAudits(tx, clock, [input]);
}

/**
 * Appends events in order, in one statement (a lot's deposits released together are recorded together).
 * The events are chained when the transaction commits (ADR 020), or just after when another transaction is
 * chaining at that moment (ADR 021): a commit never waits for the chain.
 */
export async function appendAudits(tx: Tx, clock: Clock, inputs: readonly AuditInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const rows = pendingEvents(clock.now(), inputs);
  for (const row of rows) {
    const problem = auditEventProblem(row);
    if (problem !== null) throw new Error(`audit event ${row.action} refused: ${problem}`);
  }
  await tx.insert(auditPending).values(rows);
}

/**
 * Withdraws events this transaction appended for writes that did not happen, before its commit: a path that sends
 * a write and its events together (escrow/ledger.ts) withdraws those of rows the write skipped as already there.
 */
export async function withdrawAudits(tx: Tx, entityType: string, entityIds: readonly string[]): Promise<void> {
  if (entityIds.length === 0) return;
  await tx.delete(auditPending).where(and(eq(auditPending.entityType, entityType), inArray(auditPending.entityId, [...entityIds])));
}

export type PendingEvent = typeof auditPending.$inferInsert & { data: unknown; body: string };

/**
 * The rows the chain's trigger links at commit. `body` is the event's canonical JSON (hashEvent's input) up to
 * its link: the keys sort as action, actorId, data, entityId, entityType, occurredAt, prevHash, seq, so the
 * trigger completes it with the previous hash and the sequence number and hashes the bytes.
 */
export function pendingEvents(occurredAt: Date, inputs: readonly AuditInput[]): PendingEvent[] {
  const at = occurredAt.toISOString();
  return inputs.map((input) => {
    const event = { occurredAt: at, actorId: input.actorId, action: input.action, entityType: input.entityType, entityId: input.entityId, data: storedData(input) };
    return { ...event, body: `${canonicalJson(event).slice(0, -1)},"prevHash":"` };
  });
}

/*
 * The same append for paths that send their statements themselves, several at once on one connection
 * (auction/bidding.ts: a batch of bids is one transaction and one round trip per phase): AUDIT_SQL.insert
 * with `auditInsertParams(pendingEvents(…))`, in the transaction that makes the change. Unlike
 * appendAudit it does not check the data against AUDIT_EVENTS at run time: on the bid path a zod check
 * per event would cost about as much again as building it. The AuditInput type already makes each event
 * a listed action with its entity type and data's shape, and `npm run audit:verify` checks the stored
 * events against the same schemas. Parameters are text and cast in SQL, so the statement works whatever
 * parsers the client has.
 */
export const AUDIT_SQL = {
  insert:
    'insert into "audit_pending" ("occurred_at", "actor_id", "action", "entity_type", "entity_id", "data", "body") ' +
    "select e.occurred_at::timestamptz, e.actor_id::uuid, e.action, e.entity_type, e.entity_id, e.data::jsonb, e.body " +
    "from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) " +
    "as e(occurred_at, actor_id, action, entity_type, entity_id, data, body)",
} as const;

/** AUDIT_SQL.insert's parameters: one text array per column. */
export function auditInsertParams(events: readonly PendingEvent[]): (string | null)[][] {
  return [
    events.map((e) => e.occurredAt),
    events.map((e) => e.actorId ?? null),
    events.map((e) => e.action),
    events.map((e) => e.entityType),
    events.map((e) => e.entityId),
    events.map((e) => canonicalJson(e.data)),
    events.map((e) => e.body),
  ];
}

export type ChainVerdict =
  | { ok: true; count: number; lastHash: string }
  | { ok: false; count: number; brokenSeq: bigint; reason: "HASH_MISMATCH" | "PREV_HASH_MISMATCH" | "SEQUENCE_GAP" };

/** Every stored event in `seq` order, read `batchSize` rows at a time. */
async function* eventsInOrder(db: DbOrTx, batchSize: number) {
  let after = 0n;
  for (;;) {
    const rows = await db.select().from(auditEvents).where(gt(auditEvents.seq, after)).orderBy(asc(auditEvents.seq)).limit(batchSize);
    yield* rows;
    if (rows.length < batchSize) return;
    after = rows.at(-1)!.seq;
  }
}

/**
 * Chains the events that committed while another transaction held the chain (ADR 021), waiting for it if need be.
 * Each node runs it every second; a reader of the chain runs it first, so it reads every committed event.
 */
export async function chainPendingAudits(db: DbOrTx): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`select case when exists (select 1 from audit_pending) then audit_chain_sweep() else 0 end as n`);
  return Number(row?.n ?? 0);
}

/** Walks the whole chain in order and names the first event that does not fit. */
export async function verifyChain(db: DbOrTx, batchSize = 1000): Promise<ChainVerdict> {
  await chainPendingAudits(db);
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1n;
  let count = 0;
  for await (const row of eventsInOrder(db, batchSize)) {
    if (row.seq !== expectedSeq) return { ok: false, count, brokenSeq: expectedSeq, reason: "SEQUENCE_GAP" };
    if (row.prevHash !== prevHash) return { ok: false, count, brokenSeq: row.seq, reason: "PREV_HASH_MISMATCH" };
    if (hashEvent(row) !== row.hash) return { ok: false, count, brokenSeq: row.seq, reason: "HASH_MISMATCH" };
    prevHash = row.hash;
    expectedSeq += 1n;
    count += 1;
  }
  return { ok: true, count, lastHash: prevHash };
}

export interface IllFormedEvent {
  seq: bigint;
  action: string;
  problem: string;
}

/**
 * Checks every stored event against its action in AUDIT_EVENTS: a listed action, its entity type, data
 * that fits its schema. An intact chain proves only that nothing changed since the append; this
 * catches what should never have been appended (an unknown action, data of the wrong shape).
 */
export async function verifyEventTypes(db: DbOrTx, batchSize = 1000): Promise<{ count: number; illFormed: IllFormedEvent[] }> {
  await chainPendingAudits(db);
  const illFormed: IllFormedEvent[] = [];
  let count = 0;
  for await (const row of eventsInOrder(db, batchSize)) {
    count += 1;
    const problem = auditEventProblem(row);
    if (problem !== null) illFormed.push({ seq: row.seq, action: row.action, problem });
  }
  return { count, illFormed };
}
