CREATE TABLE "inquiry_platforms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"credit_code" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "inquiry_platforms_credit_code_unique" UNIQUE("credit_code")
);
--> statement-breakpoint
CREATE TABLE "agency_conflicts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"identity_number" text NOT NULL,
	"relationship" text NOT NULL,
	"declared_by" uuid NOT NULL,
	"declared_at" timestamp with time zone NOT NULL,
	CONSTRAINT "agency_conflicts_unique" UNIQUE("agency_id","identity_number")
);
--> statement-breakpoint
CREATE TABLE "agency_draws" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"procedure_id" uuid NOT NULL,
	"algorithm" text NOT NULL,
	"specialty" text NOT NULL,
	"region_code" text,
	"eligible" jsonb NOT NULL,
	"eligible_sha256" text NOT NULL,
	"seed_sha256" text NOT NULL,
	"seed" text NOT NULL,
	"entropy_cutoff_at" timestamp with time zone NOT NULL,
	"result" jsonb,
	"drawn_at" timestamp with time zone,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "agency_draws_procedure_unique" UNIQUE("procedure_id")
);
--> statement-breakpoint
CREATE TABLE "agency_rankings" (
	"procedure_id" uuid NOT NULL,
	"rank" integer NOT NULL,
	"agency_id" uuid NOT NULL,
	CONSTRAINT "agency_rankings_rank_unique" UNIQUE("procedure_id","rank"),
	CONSTRAINT "agency_rankings_agency_unique" UNIQUE("procedure_id","agency_id")
);
--> statement-breakpoint
CREATE TABLE "agency_sublists" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"specialty" text NOT NULL,
	"region_code" text NOT NULL,
	CONSTRAINT "agency_sublists_unique" UNIQUE("agency_id","specialty","region_code")
);
--> statement-breakpoint
CREATE TABLE "commission_extensions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"commission_id" uuid NOT NULL,
	"days" integer NOT NULL,
	"reason" text NOT NULL,
	"requested_by" uuid NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"previous_due_at" timestamp with time zone NOT NULL,
	"new_due_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commissions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"procedure_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"rank" integer NOT NULL,
	"status" text NOT NULL,
	"offered_at" timestamp with time zone NOT NULL,
	"responded_at" timestamp with time zone,
	"report_due_at" timestamp with time zone,
	"extensions_used" integer DEFAULT 0 NOT NULL,
	"materials_due_at" timestamp with time zone,
	"materials_returned_at" timestamp with time zone,
	CONSTRAINT "commissions_rank_unique" UNIQUE("procedure_id","rank")
);
--> statement-breakpoint
CREATE TABLE "draw_entropy" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"draw_id" uuid NOT NULL,
	"party_id" uuid NOT NULL,
	"value" text NOT NULL,
	"submitted_by" uuid NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "draw_entropy_party_unique" UNIQUE("draw_id","party_id")
);
--> statement-breakpoint
CREATE TABLE "inquiry_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"procedure_id" uuid NOT NULL,
	"platform_id" uuid,
	"addressee" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"extension_requested_at" timestamp with time zone,
	"extended" boolean DEFAULT false NOT NULL,
	"late" boolean DEFAULT false NOT NULL,
	CONSTRAINT "inquiry_requests_platform_unique" UNIQUE("procedure_id","platform_id")
);
--> statement-breakpoint
CREATE TABLE "negotiation_figures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"procedure_id" uuid NOT NULL,
	"party_id" uuid NOT NULL,
	"amount_fen" bigint NOT NULL,
	"submitted_by" uuid NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "negotiation_figures_unique" UNIQUE("procedure_id","party_id"),
	CONSTRAINT "negotiation_figures_amount_check" CHECK ("negotiation_figures"."amount_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "platform_listings" (
	"platform_id" uuid PRIMARY KEY NOT NULL,
	"categories" text[] NOT NULL,
	"status" text NOT NULL,
	"status_changed_at" timestamp with time zone NOT NULL,
	"barred_until" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "platform_listings_status_check" CHECK ("platform_listings"."status" in ('active','struck_off'))
);
--> statement-breakpoint
CREATE TABLE "pool_agencies" (
	"agency_id" uuid PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"status_reason" text,
	"status_changed_at" timestamp with time zone NOT NULL,
	"barred_until" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "pool_agencies_status_check" CHECK ("pool_agencies"."status" in ('active','suspended','removed'))
);
--> statement-breakpoint
CREATE TABLE "price_procedures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"asset_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"method" text NOT NULL,
	"status" text NOT NULL,
	"basis" text NOT NULL,
	"due_at" timestamp with time zone,
	"selection" text,
	"reference_price_id" uuid,
	"started_by" uuid NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"end_reason" text
);
--> statement-breakpoint
CREATE TABLE "report_objections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"report_id" uuid NOT NULL,
	"party_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"grounds" text NOT NULL,
	"status" text NOT NULL,
	"filed_by" uuid NOT NULL,
	"filed_at" timestamp with time zone NOT NULL,
	"forward_due_at" timestamp with time zone NOT NULL,
	"forwarded_at" timestamp with time zone,
	"answer_due_at" timestamp with time zone,
	"answer" text,
	"answered_at" timestamp with time zone,
	"decision" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "valuation_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"procedure_id" uuid NOT NULL,
	"commission_id" uuid,
	"inquiry_request_id" uuid,
	"valuation_method" text NOT NULL,
	"value_fen" bigint NOT NULL,
	"valuation_date" timestamp with time zone NOT NULL,
	"valid_until" timestamp with time zone NOT NULL,
	"file_name" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"submitted_by" uuid NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"delivery_due_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone,
	"excluded" boolean DEFAULT false NOT NULL,
	CONSTRAINT "valuation_reports_value_check" CHECK ("valuation_reports"."value_fen" > 0),
	CONSTRAINT "valuation_reports_source_check" CHECK (("valuation_reports"."commission_id" is null) <> ("valuation_reports"."inquiry_request_id" is null))
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "platform_id" uuid;--> statement-breakpoint
ALTER TABLE "agency_conflicts" ADD CONSTRAINT "agency_conflicts_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_conflicts" ADD CONSTRAINT "agency_conflicts_declared_by_users_id_fk" FOREIGN KEY ("declared_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_draws" ADD CONSTRAINT "agency_draws_procedure_id_price_procedures_id_fk" FOREIGN KEY ("procedure_id") REFERENCES "public"."price_procedures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_draws" ADD CONSTRAINT "agency_draws_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_rankings" ADD CONSTRAINT "agency_rankings_procedure_id_price_procedures_id_fk" FOREIGN KEY ("procedure_id") REFERENCES "public"."price_procedures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_rankings" ADD CONSTRAINT "agency_rankings_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_sublists" ADD CONSTRAINT "agency_sublists_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commission_extensions" ADD CONSTRAINT "commission_extensions_commission_id_commissions_id_fk" FOREIGN KEY ("commission_id") REFERENCES "public"."commissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commission_extensions" ADD CONSTRAINT "commission_extensions_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commissions" ADD CONSTRAINT "commissions_procedure_id_price_procedures_id_fk" FOREIGN KEY ("procedure_id") REFERENCES "public"."price_procedures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commissions" ADD CONSTRAINT "commissions_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draw_entropy" ADD CONSTRAINT "draw_entropy_draw_id_agency_draws_id_fk" FOREIGN KEY ("draw_id") REFERENCES "public"."agency_draws"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draw_entropy" ADD CONSTRAINT "draw_entropy_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draw_entropy" ADD CONSTRAINT "draw_entropy_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inquiry_requests" ADD CONSTRAINT "inquiry_requests_procedure_id_price_procedures_id_fk" FOREIGN KEY ("procedure_id") REFERENCES "public"."price_procedures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inquiry_requests" ADD CONSTRAINT "inquiry_requests_platform_id_inquiry_platforms_id_fk" FOREIGN KEY ("platform_id") REFERENCES "public"."inquiry_platforms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "negotiation_figures" ADD CONSTRAINT "negotiation_figures_procedure_id_price_procedures_id_fk" FOREIGN KEY ("procedure_id") REFERENCES "public"."price_procedures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "negotiation_figures" ADD CONSTRAINT "negotiation_figures_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "negotiation_figures" ADD CONSTRAINT "negotiation_figures_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platform_listings" ADD CONSTRAINT "platform_listings_platform_id_inquiry_platforms_id_fk" FOREIGN KEY ("platform_id") REFERENCES "public"."inquiry_platforms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pool_agencies" ADD CONSTRAINT "pool_agencies_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_procedures" ADD CONSTRAINT "price_procedures_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_procedures" ADD CONSTRAINT "price_procedures_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_procedures" ADD CONSTRAINT "price_procedures_reference_price_id_reference_prices_id_fk" FOREIGN KEY ("reference_price_id") REFERENCES "public"."reference_prices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_procedures" ADD CONSTRAINT "price_procedures_started_by_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_objections" ADD CONSTRAINT "report_objections_report_id_valuation_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."valuation_reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_objections" ADD CONSTRAINT "report_objections_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_objections" ADD CONSTRAINT "report_objections_filed_by_users_id_fk" FOREIGN KEY ("filed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_objections" ADD CONSTRAINT "report_objections_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "valuation_reports" ADD CONSTRAINT "valuation_reports_procedure_id_price_procedures_id_fk" FOREIGN KEY ("procedure_id") REFERENCES "public"."price_procedures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "valuation_reports" ADD CONSTRAINT "valuation_reports_commission_id_commissions_id_fk" FOREIGN KEY ("commission_id") REFERENCES "public"."commissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "valuation_reports" ADD CONSTRAINT "valuation_reports_inquiry_request_id_inquiry_requests_id_fk" FOREIGN KEY ("inquiry_request_id") REFERENCES "public"."inquiry_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "valuation_reports" ADD CONSTRAINT "valuation_reports_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agency_conflicts_identity_idx" ON "agency_conflicts" USING btree ("identity_number");--> statement-breakpoint
CREATE INDEX "agency_sublists_lookup_idx" ON "agency_sublists" USING btree ("specialty","region_code");--> statement-breakpoint
CREATE INDEX "commissions_status_due_idx" ON "commissions" USING btree ("status","report_due_at");--> statement-breakpoint
CREATE INDEX "inquiry_requests_procedure_idx" ON "inquiry_requests" USING btree ("procedure_id");--> statement-breakpoint
CREATE INDEX "price_procedures_asset_idx" ON "price_procedures" USING btree ("asset_id");--> statement-breakpoint
CREATE INDEX "price_procedures_status_due_idx" ON "price_procedures" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "report_objections_report_idx" ON "report_objections" USING btree ("report_id");--> statement-breakpoint
CREATE INDEX "valuation_reports_procedure_idx" ON "valuation_reports" USING btree ("procedure_id");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_platform_id_inquiry_platforms_id_fk" FOREIGN KEY ("platform_id") REFERENCES "public"."inquiry_platforms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_platform_member_check" CHECK ("users"."role" <> 'inquiry_platform' or "users"."platform_id" is not null);