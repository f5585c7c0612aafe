import { bigint, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

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
