ALTER TABLE "inquiry_requests" ADD COLUMN "late_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "inquiry_requests" ADD COLUMN "error_note" text;--> statement-breakpoint
ALTER TABLE "inquiry_requests" ADD COLUMN "error_marked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "inquiry_requests" ADD COLUMN "error_marked_by" uuid;--> statement-breakpoint
ALTER TABLE "inquiry_requests" ADD COLUMN "correction_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "inquiry_requests" ADD COLUMN "corrected_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "inquiry_requests" ADD CONSTRAINT "inquiry_requests_error_marked_by_users_id_fk" FOREIGN KEY ("error_marked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;