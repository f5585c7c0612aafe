import { createHash } from "node:crypto";
import { asc, desc, gt, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "../db/client.ts";
import { auditEvents } from "../db/schema/index.ts";
import type { Clock } from "./clock.ts";

/** prev_hash of the first event. */
export const GENESIS_HASH = "0".repeat(64);
// One advisory lock serialises appends, so seq and prev_hash follow commit order.
const AUDIT_LOCK_KEY = 4242002;

export interface AuditInput {
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  data?: Record<string, unknown>;
}

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

/**
 * Appends one event to the chain. Call it inside the transaction that makes the change it
 * records, so the change and its audit event commit or roll back together.
 */
export async function appendAudit(tx: Tx, clock: Clock, input: AuditInput): Promise<AuditRecord> {
  // Prepared statements: on the bid path these run while the lot's row is locked.
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
    data: JSON.parse(canonicalJson(input.data ?? {})) as unknown,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const record = { ...unhashed, hash: hashEvent(unhashed) };
  await tx.insert(auditEvents).values(record).prepare("audit_insert").execute();
  return record;
}

export type ChainVerdict =
  | { ok: true; count: number; lastHash: string }
  | { ok: false; count: number; brokenSeq: bigint; reason: "HASH_MISMATCH" | "PREV_HASH_MISMATCH" | "SEQUENCE_GAP" };

/** Walks the whole chain in order and names the first event that does not fit. */
export async function verifyChain(db: DbOrTx, batchSize = 1000): Promise<ChainVerdict> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1n;
  let count = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.seq, expectedSeq - 1n))
      .orderBy(asc(auditEvents.seq))
      .limit(batchSize);
    for (const row of rows) {
      if (row.seq !== expectedSeq) return { ok: false, count, brokenSeq: expectedSeq, reason: "SEQUENCE_GAP" };
      if (row.prevHash !== prevHash) return { ok: false, count, brokenSeq: row.seq, reason: "PREV_HASH_MISMATCH" };
      if (hashEvent(row) !== row.hash) return { ok: false, count, brokenSeq: row.seq, reason: "HASH_MISMATCH" };
      prevHash = row.hash;
      expectedSeq += 1n;
      count += 1;
    }
    if (rows.length < batchSize) return { ok: true, count, lastHash: prevHash };
  }
}
