import { createHash } from "node:crypto";
import { asc, desc, gt, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "../db/client.ts";
import { auditEvents } from "../db/schema/index.ts";
import { auditEventProblem, type AuditInput } from "./audit-events.ts";
import type { Clock } from "./clock.ts";

export type { AuditAction, AuditData, AuditInput } from "./audit-events.ts";

/** prev_hash of the first event. */
export const GENESIS_HASH = "0".repeat(64);
// One advisory lock serialises appends, so seq and prev_hash follow commit order.
const AUDIT_LOCK_KEY = 4242002;

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
export async function appendAudit(tx: Tx, clock: Clock, input: AuditInput): Promise<AuditRecord> {
  const data = storedData(input);
  const problem = auditEventProblem({ action: input.action, entityType: input.entityType, data });
  if (problem !== null) throw new Error(`audit event ${input.action} refused: ${problem}`);
  // Prepared statements: closing a lot runs these while the lot's row is locked (bids use AUDIT_SQL below).
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
  const [last] = await tx
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.seq))
    .limit(1)
    .prepare("audit_last")
    .execute();
  const unhashed = {
    seq: (last?.seq ?? 0n) + 1n,
    occurredAt: clock.now().toISOString(),
    actorId: input.actorId,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    data,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const record = { ...unhashed, hash: hashEvent(unhashed) };
  await tx.insert(auditEvents).values(record).prepare("audit_insert").execute();
  return record;
}

/*
 * The same append for paths that send their statements themselves, several at once on one connection
 * (auction/bidding.ts: a batch of bids is one transaction and one round trip per phase). The caller
 * sends AUDIT_SQL.lock then AUDIT_SQL.head in its transaction (the head query must start after the
 * lock is granted: a separate statement, so its snapshot sees the previous holder's commit), chains
 * the events with `chainAfter`, and inserts them with AUDIT_SQL.insert and `auditInsertParams`.
 * Parameters are text and cast in SQL, so the statements work whatever parsers the client has.
 */
export const AUDIT_SQL = {
  lock: "select pg_advisory_xact_lock($1::int8)",
  // Ordered by the column, not by its text form (as "seq" would: "99" sorts after "100").
  head: 'select "audit_events"."seq"::text as "seq", "audit_events"."hash" from "audit_events" order by "audit_events"."seq" desc limit 1',
  insert:
    'insert into "audit_events" ("seq", "occurred_at", "actor_id", "action", "entity_type", "entity_id", "data", "prev_hash", "hash") ' +
    "select e.seq::int8, e.occurred_at::timestamptz, e.actor_id::uuid, e.action, e.entity_type, e.entity_id, e.data::jsonb, e.prev_hash, e.hash " +
    "from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) " +
    "as e(seq, occurred_at, actor_id, action, entity_type, entity_id, data, prev_hash, hash)",
} as const;
export const AUDIT_LOCK_PARAM = String(AUDIT_LOCK_KEY);

/** The chain's last event as AUDIT_SQL.head returns it (no row: the chain is empty). */
export type ChainHead = { seq: string; hash: string } | undefined;

/**
 * Chains `inputs`, in order, after `head`: the records AUDIT_SQL.insert writes.
 * Unlike appendAudit, it does not check the data against AUDIT_EVENTS at run time: it serves the bid
 * path, which builds these records while it holds the lot's lock and the chain's, and a zod check per
 * event would cost about as much again as building the record. The AuditInput type already makes each
 * event a listed action with its entity type and data's shape, and `npm run audit:verify` checks the
 * stored events against the same schemas.
 */
export function chainAfter(head: ChainHead, occurredAt: Date, inputs: AuditInput[]): AuditRecord[] {
  let seq = head ? BigInt(head.seq) : 0n;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const at = occurredAt.toISOString();
  return inputs.map((input) => {
    seq += 1n;
    const unhashed = {
      seq,
      occurredAt: at,
      actorId: input.actorId,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId,
      data: storedData(input),
      prevHash,
    };
    const record = { ...unhashed, hash: hashEvent(unhashed) };
    prevHash = record.hash;
    return record;
  });
}

/** AUDIT_SQL.insert's parameters: one text array per column. */
export function auditInsertParams(records: AuditRecord[]): (string | null)[][] {
  return [
    records.map((r) => r.seq.toString()),
    records.map((r) => r.occurredAt),
    records.map((r) => r.actorId),
    records.map((r) => r.action),
    records.map((r) => r.entityType),
    records.map((r) => r.entityId),
    records.map((r) => canonicalJson(r.data)),
    records.map((r) => r.prevHash),
    records.map((r) => r.hash),
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

/** Walks the whole chain in order and names the first event that does not fit. */
export async function verifyChain(db: DbOrTx, batchSize = 1000): Promise<ChainVerdict> {
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
  const illFormed: IllFormedEvent[] = [];
  let count = 0;
  for await (const row of eventsInOrder(db, batchSize)) {
    count += 1;
    const problem = auditEventProblem(row);
    if (problem !== null) illFormed.push({ seq: row.seq, action: row.action, problem });
  }
  return { count, illFormed };
}
