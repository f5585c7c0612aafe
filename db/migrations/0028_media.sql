CREATE TABLE "lot_viewing_bookings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slot_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"cancelled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "lot_viewing_slots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lot_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"place" text NOT NULL,
	"capacity" integer NOT NULL,
	"cancelled_at" timestamp with time zone,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "lot_viewing_slots_capacity_check" CHECK ("lot_viewing_slots"."capacity" between 1 and 200),
	CONSTRAINT "lot_viewing_slots_times_check" CHECK ("lot_viewing_slots"."ends_at" > "lot_viewing_slots"."starts_at")
);
--> statement-breakpoint
ALTER TABLE "account_notices" DROP CONSTRAINT "account_notices_kind_check";--> statement-breakpoint
ALTER TABLE "lot_files" DROP CONSTRAINT "lot_files_kind_check";--> statement-breakpoint
ALTER TABLE "lot_viewing_bookings" ADD CONSTRAINT "lot_viewing_bookings_slot_id_lot_viewing_slots_id_fk" FOREIGN KEY ("slot_id") REFERENCES "public"."lot_viewing_slots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_viewing_bookings" ADD CONSTRAINT "lot_viewing_bookings_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_viewing_bookings" ADD CONSTRAINT "lot_viewing_bookings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_viewing_slots" ADD CONSTRAINT "lot_viewing_slots_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_viewing_slots" ADD CONSTRAINT "lot_viewing_slots_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "lot_viewing_bookings_one_per_lot_idx" ON "lot_viewing_bookings" USING btree ("lot_id","user_id") WHERE cancelled_at is null;--> statement-breakpoint
CREATE INDEX "lot_viewing_bookings_slot_idx" ON "lot_viewing_bookings" USING btree ("slot_id");--> statement-breakpoint
CREATE INDEX "lot_viewing_slots_lot_idx" ON "lot_viewing_slots" USING btree ("lot_id","starts_at");--> statement-breakpoint
ALTER TABLE "account_notices" ADD CONSTRAINT "account_notices_kind_check" CHECK (kind in ('identity_reuse_attempt','lot_suspended','lot_stayed','lot_resumed','lot_withdrawn','lot_relisted','lot_revoked','lot_starts_soon','lot_ends_soon','outbid','lot_won','lot_lost','deposit_received','deposit_released','ruling_due','handover_due','viewing_soon','viewing_cancelled'));--> statement-breakpoint
ALTER TABLE "lot_files" ADD CONSTRAINT "lot_files_kind_check" CHECK ("lot_files"."kind" in ('photo','document','video'));