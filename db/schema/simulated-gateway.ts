import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true });
const fen = (name: string) => bigint(name, { mode: "bigint" });

// The simulated payment gateway's own books (escrow/simulated-gateway.ts). It keeps its state apart from the
// platform's, as a real provider does, so reconciliation compares two records and can find them disagreeing.

export const SIM_CHARGE_STATUSES = ["requires_payment_method", "requires_action", "processing", "succeeded", "failed", "refunded"] as const;
export const simCharges = pgTable(
  "sim_charges",
  {
    id: text("id").primaryKey(),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    amountFen: fen("amount_fen").notNull(),
    /** The platform's payment id, echoed in webhooks. */
    reference: text("reference").notNull(),
    /** What the payer is paying for, as the checkout page shows it (the platform's description). */
    description: text("description").notNull().default(""),
    status: text("status", { enum: SIM_CHARGE_STATUSES }).notNull(),
    cardLast4: text("card_last4"),
    holderName: text("holder_name"),
    failureCode: text("failure_code"),
    returnUrl: text("return_url").notNull(),
    refundedFen: fen("refunded_fen").notNull().default(sql`0`),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [check("sim_charges_amount_check", sql`${t.amountFen} > 0`)],
);

export const SIM_TRANSFER_KINDS = ["refund", "payout"] as const;
export const simTransfers = pgTable(
  "sim_transfers",
  {
    id: text("id").primaryKey(),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    kind: text("kind", { enum: SIM_TRANSFER_KINDS }).notNull(),
    chargeId: text("charge_id"),
    amountFen: fen("amount_fen").notNull(),
    payeeName: text("payee_name"),
    status: text("status", { enum: ["pending", "succeeded", "failed"] }).notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [check("sim_transfers_amount_check", sql`${t.amountFen} > 0`)],
);

/** Webhooks waiting to be delivered to the platform, signed, retried until acknowledged. */
export const simWebhooks = pgTable(
  "sim_webhooks",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    payload: jsonb("payload").notNull(),
    deliverAfter: ts("deliver_after").notNull(),
    deliveredAt: ts("delivered_at"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [index("sim_webhooks_due_idx").on(t.deliverAfter).where(sql`delivered_at is null`)],
);
