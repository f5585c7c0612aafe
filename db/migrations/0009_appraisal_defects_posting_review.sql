ALTER TABLE "report_objections" ADD COLUMN "review_grounds" text;--> statement-breakpoint
ALTER TABLE "report_objections" ADD COLUMN "review_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "report_objections" ADD COLUMN "review_requested_by" uuid;--> statement-breakpoint
ALTER TABLE "report_objections" ADD COLUMN "review_outcome" text;--> statement-breakpoint
ALTER TABLE "report_objections" ADD COLUMN "review_note" text;--> statement-breakpoint
ALTER TABLE "report_objections" ADD COLUMN "review_decided_by" uuid;--> statement-breakpoint
ALTER TABLE "report_objections" ADD COLUMN "review_decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "valuation_reports" ADD COLUMN "posted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "valuation_reports" ADD COLUMN "defect_kind" text;--> statement-breakpoint
ALTER TABLE "valuation_reports" ADD COLUMN "defect_note" text;--> statement-breakpoint
ALTER TABLE "valuation_reports" ADD COLUMN "defect_marked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "valuation_reports" ADD COLUMN "defect_marked_by" uuid;--> statement-breakpoint
ALTER TABLE "valuation_reports" ADD COLUMN "defect_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "valuation_reports" ADD COLUMN "defect_explanation" text;--> statement-breakpoint
ALTER TABLE "valuation_reports" ADD COLUMN "defect_answered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "valuation_reports" ADD COLUMN "defect_overdue_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "report_objections" ADD CONSTRAINT "report_objections_review_requested_by_users_id_fk" FOREIGN KEY ("review_requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_objections" ADD CONSTRAINT "report_objections_review_decided_by_users_id_fk" FOREIGN KEY ("review_decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "valuation_reports" ADD CONSTRAINT "valuation_reports_defect_marked_by_users_id_fk" FOREIGN KEY ("defect_marked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;