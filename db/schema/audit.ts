import { bigint, bigserial, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Append-only audit log. Each event stores the hash of the one before it, so any later edit,
 * deletion or insertion breaks the chain (RULEBOOK P5). Rows are never updated or deleted:
 * a trigger in the migration refuses both.
 */
export const auditEvents = pgTable("audit_events", {
  seq: bigint("seq", { mode: "bigint" }).primaryKey(),
  occurredAt: timestamp("occurred_at", { withTimezone: true, mode: "string" }).notNull(),
  actorId: uuid("actor_id"),
  action: text("action").notNull(),
  entityType: text("entity_type").notNull(),
  entityId: text("entity_id").notNull(),
  data: jsonb("data").notNull(),
  prevHash: text("prev_hash").notNull(),
  hash: text("hash").notNull().unique(),
});

/**
 * Events on their way into the chain (ADR 020). A transaction inserts its events here, without a lock; at its commit
 * a deferred trigger (migration 0015) takes the chain's lock, links each event to the chain's head, moves it to
 * audit_events and deletes it here. No row is ever seen committed in this table. `body` is the event's canonical JSON
 * up to its link (core/audit.ts pendingBody): the trigger appends the previous hash and the sequence number and hashes
 * it, so the database computes the same hash as hashEvent without knowing the canonical form.
 */
export const auditPending = pgTable("audit_pending", {
  id: bigserial("id", { mode: "bigint" }).primaryKey(),
  occurredAt: timestamp("occurred_at", { withTimezone: true, mode: "string" }).notNull(),
  actorId: uuid("actor_id"),
  action: text("action").notNull(),
  entityType: text("entity_type").notNull(),
  entityId: text("entity_id").notNull(),
  data: jsonb("data").notNull(),
  body: text("body").notNull(),
});
