CREATE TABLE "party_link_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"party_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"issued_by" uuid NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"used_by" uuid,
	"voided_at" timestamp with time zone,
	CONSTRAINT "party_link_codes_code_hash_unique" UNIQUE("code_hash")
);
--> statement-breakpoint
CREATE TABLE "party_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"party_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"status" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"revoked_by" uuid,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "party_links_status_check" CHECK ("party_links"."status" in ('pending','confirmed','refused','revoked')),
	CONSTRAINT "party_links_source_check" CHECK ("party_links"."source" in ('code','claim'))
);
--> statement-breakpoint
ALTER TABLE "bidder_profiles" ADD COLUMN "real_name_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bidder_profiles" ADD COLUMN "real_name_method" text;--> statement-breakpoint
ALTER TABLE "party_link_codes" ADD CONSTRAINT "party_link_codes_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_link_codes" ADD CONSTRAINT "party_link_codes_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_link_codes" ADD CONSTRAINT "party_link_codes_used_by_users_id_fk" FOREIGN KEY ("used_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_links" ADD CONSTRAINT "party_links_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_links" ADD CONSTRAINT "party_links_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_links" ADD CONSTRAINT "party_links_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_links" ADD CONSTRAINT "party_links_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "party_link_codes_party_idx" ON "party_link_codes" USING btree ("party_id");--> statement-breakpoint
CREATE INDEX "party_links_user_idx" ON "party_links" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "party_links_party_idx" ON "party_links" USING btree ("party_id");--> statement-breakpoint
CREATE UNIQUE INDEX "party_links_live_unique" ON "party_links" USING btree ("party_id","user_id") WHERE status in ('pending','confirmed');