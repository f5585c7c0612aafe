CREATE TABLE "notice_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"notice_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "notice_deliveries_notice_channel" UNIQUE("notice_id","channel"),
	CONSTRAINT "notice_deliveries_channel_check" CHECK ("notice_deliveries"."channel" in ('site','email','sms')),
	CONSTRAINT "notice_deliveries_status_check" CHECK ("notice_deliveries"."status" in ('pending','sent','failed'))
);
--> statement-breakpoint
CREATE TABLE "lot_follows" (
	"user_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "account_notices" DROP CONSTRAINT "account_notices_kind_check";--> statement-breakpoint
ALTER TABLE "account_notices" ADD COLUMN "read_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "account_notices" ADD COLUMN "dedupe_key" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "notice_deliveries" ADD CONSTRAINT "notice_deliveries_notice_id_account_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."account_notices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_follows" ADD CONSTRAINT "lot_follows_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_follows" ADD CONSTRAINT "lot_follows_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notice_deliveries_pending_idx" ON "notice_deliveries" USING btree ("channel","next_attempt_at") WHERE "notice_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "lot_follows_user_lot_idx" ON "lot_follows" USING btree ("user_id","lot_id");--> statement-breakpoint
CREATE INDEX "lot_follows_lot_idx" ON "lot_follows" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "account_notices_unread_idx" ON "account_notices" USING btree ("user_id") WHERE "account_notices"."read_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "account_notices_dedupe_idx" ON "account_notices" USING btree ("user_id","dedupe_key");--> statement-breakpoint
ALTER TABLE "account_notices" ADD CONSTRAINT "account_notices_kind_check" CHECK (kind in ('identity_reuse_attempt','lot_suspended','lot_stayed','lot_resumed','lot_withdrawn','lot_relisted','lot_revoked','lot_starts_soon','lot_ends_soon','outbid','lot_won','lot_lost','deposit_received','deposit_released','ruling_due','handover_due'));--> statement-breakpoint
-- hand-written: a new delivery wakes the dispatch job (server/notice-jobs.ts) when its transaction commits.
CREATE FUNCTION notice_deliveries_wake() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('notice_deliveries', ''); RETURN NULL; END $$;--> statement-breakpoint
CREATE TRIGGER notice_deliveries_wake AFTER INSERT ON notice_deliveries FOR EACH ROW EXECUTE FUNCTION notice_deliveries_wake();
