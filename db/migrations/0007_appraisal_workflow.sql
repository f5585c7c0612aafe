ALTER TABLE "report_objections" ALTER COLUMN "forward_due_at" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "commissions" ADD COLUMN "offer_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "commissions" ADD COLUMN "decline_reason" text;--> statement-breakpoint
ALTER TABLE "price_procedures" ADD COLUMN "basis_kind" text;--> statement-breakpoint
ALTER TABLE "price_procedures" ADD COLUMN "start_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "price_procedures" ADD COLUMN "late_start" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "price_procedures" ADD COLUMN "suspended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "price_procedures" ADD COLUMN "suspended_ms" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "report_objections" ADD COLUMN "decision_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "report_objections" ADD COLUMN "decision_note" text;--> statement-breakpoint
ALTER TABLE "valuation_reports" ADD COLUMN "objection_due_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "price_procedures_one_running_idx" ON "price_procedures" USING btree ("asset_id") WHERE status in ('open','suspended');