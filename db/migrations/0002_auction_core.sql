CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "assets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"category" text NOT NULL,
	"region_code" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"encumbrances" text NOT NULL,
	"occupancy" text NOT NULL,
	"lease" text NOT NULL,
	"taxes" text NOT NULL,
	"known_defects" text NOT NULL,
	"seized_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bids" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lot_id" uuid NOT NULL,
	"registration_id" uuid NOT NULL,
	"bidder_code" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"priority_rank" integer,
	"placed_at" timestamp with time zone NOT NULL,
	"client_bid_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"extended" boolean NOT NULL,
	CONSTRAINT "bids_client_bid_unique" UNIQUE("registration_id","client_bid_id")
);
--> statement-breakpoint
CREATE TABLE "case_parties" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"role" text NOT NULL,
	"name" text NOT NULL,
	"identity_number" text NOT NULL,
	"claim_fen" bigint,
	CONSTRAINT "case_parties_role_check" CHECK ("case_parties"."role" in ('applicant','debtor'))
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"court_id" uuid NOT NULL,
	"case_number" text NOT NULL,
	"judge_id" uuid NOT NULL,
	"enforcement_basis" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cases_case_number_unique" UNIQUE("case_number")
);
--> statement-breakpoint
CREATE TABLE "lot_announcements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lot_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"content" jsonb NOT NULL,
	"reason" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "lot_announcements_version_unique" UNIQUE("lot_id","version")
);
--> statement-breakpoint
CREATE TABLE "lot_priority_holders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lot_id" uuid NOT NULL,
	"name" text NOT NULL,
	"identity_number" text NOT NULL,
	"rank" integer NOT NULL,
	"basis" text NOT NULL,
	CONSTRAINT "lot_priority_holders_unique" UNIQUE("lot_id","identity_number"),
	CONSTRAINT "lot_priority_holders_rank_check" CHECK ("lot_priority_holders"."rank" >= 1)
);
--> statement-breakpoint
CREATE TABLE "lots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"asset_id" uuid NOT NULL,
	"court_id" uuid NOT NULL,
	"round" text NOT NULL,
	"status" text NOT NULL,
	"ruleset" text NOT NULL,
	"title" text NOT NULL,
	"reference_price_id" uuid NOT NULL,
	"starting_price_fen" bigint NOT NULL,
	"deposit_fen" bigint NOT NULL,
	"increment_fen" bigint NOT NULL,
	"announce_at" timestamp with time zone NOT NULL,
	"bidding_starts_at" timestamp with time zone NOT NULL,
	"bidding_ends_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"parties_notified_at" timestamp with time zone,
	"panel_decision" text NOT NULL,
	"debtor_may_bid" boolean NOT NULL,
	"balance_due_days" integer NOT NULL,
	"current_price_fen" bigint,
	"leading_bid_id" uuid,
	"bid_count" integer DEFAULT 0 NOT NULL,
	"seq" bigint DEFAULT 0 NOT NULL,
	"published_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"winner_registration_id" uuid,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "lots_status_check" CHECK ("lots"."status" in ('draft','published','sold','failed')),
	CONSTRAINT "lots_amounts_check" CHECK ("lots"."starting_price_fen" > 0 and "lots"."deposit_fen" > 0 and "lots"."increment_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "reference_prices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"asset_id" uuid NOT NULL,
	"method" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"document_title" text NOT NULL,
	"agency_id" uuid,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_until" timestamp with time zone NOT NULL,
	"fixed_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "reference_prices_amount_check" CHECK ("reference_prices"."amount_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "registrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lot_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"status" text NOT NULL,
	"bidder_code" text,
	"priority_rank" integer,
	"priority_proof" text,
	"deposit_due_fen" bigint NOT NULL,
	"deposit_reference" text,
	"deposit_paid_at" timestamp with time zone,
	"proxy_name" text,
	"housing_eligibility_declared" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "registrations_lot_user_unique" UNIQUE("lot_id","user_id"),
	CONSTRAINT "registrations_lot_code_unique" UNIQUE("lot_id","bidder_code"),
	CONSTRAINT "registrations_status_check" CHECK ("registrations"."status" in ('awaiting_court','awaiting_deposit','active','refused'))
);
--> statement-breakpoint
ALTER TABLE "courts" ADD COLUMN "debtor_may_bid" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "staff_identity_number" text;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_parties" ADD CONSTRAINT "case_parties_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_court_id_courts_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."courts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_judge_id_users_id_fk" FOREIGN KEY ("judge_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_announcements" ADD CONSTRAINT "lot_announcements_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_announcements" ADD CONSTRAINT "lot_announcements_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_priority_holders" ADD CONSTRAINT "lot_priority_holders_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_court_id_courts_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."courts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_reference_price_id_reference_prices_id_fk" FOREIGN KEY ("reference_price_id") REFERENCES "public"."reference_prices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reference_prices" ADD CONSTRAINT "reference_prices_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reference_prices" ADD CONSTRAINT "reference_prices_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reference_prices" ADD CONSTRAINT "reference_prices_fixed_by_users_id_fk" FOREIGN KEY ("fixed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_tokens_user_idx" ON "api_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "assets_case_idx" ON "assets" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "bids_lot_seq_idx" ON "bids" USING btree ("lot_id","seq");--> statement-breakpoint
CREATE INDEX "case_parties_case_idx" ON "case_parties" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "lots_status_closes_idx" ON "lots" USING btree ("status","closes_at");--> statement-breakpoint
CREATE INDEX "reference_prices_asset_idx" ON "reference_prices" USING btree ("asset_id");