CREATE TABLE "case_fees" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"basis" text NOT NULL,
	"payee_id" uuid NOT NULL,
	"payee_name" text NOT NULL,
	"entered_fen" bigint NOT NULL,
	"deal_fen" bigint,
	"base_fen" bigint,
	"amount_fen" bigint NOT NULL,
	"advanced_by_party_id" uuid NOT NULL,
	"transfer_id" uuid NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "case_fees_once" UNIQUE("asset_id","kind","payee_id"),
	CONSTRAINT "case_fees_amount_check" CHECK ("case_fees"."amount_fen" > 0 and "case_fees"."entered_fen" > 0)
);
--> statement-breakpoint
ALTER TABLE "ledger_accounts" DROP CONSTRAINT "ledger_accounts_kind_check";--> statement-breakpoint
ALTER TABLE "distribution_lines" ADD COLUMN "case_fee_id" uuid;--> statement-breakpoint
ALTER TABLE "case_fees" ADD CONSTRAINT "case_fees_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_fees" ADD CONSTRAINT "case_fees_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_fees" ADD CONSTRAINT "case_fees_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_fees" ADD CONSTRAINT "case_fees_advanced_by_party_id_case_parties_id_fk" FOREIGN KEY ("advanced_by_party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_fees" ADD CONSTRAINT "case_fees_transfer_id_ledger_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."ledger_transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_fees" ADD CONSTRAINT "case_fees_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_fees_case_idx" ON "case_fees" USING btree ("case_id");--> statement-breakpoint
ALTER TABLE "distribution_lines" ADD CONSTRAINT "distribution_lines_case_fee_id_case_fees_id_fk" FOREIGN KEY ("case_fee_id") REFERENCES "public"."case_fees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_kind_check" CHECK ("ledger_accounts"."kind" in ('clearing','deposit','case_escrow','court_costs','creditor','debtor_surplus','cost_advance','fee_payee'));