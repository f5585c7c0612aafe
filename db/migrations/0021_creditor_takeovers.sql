CREATE TABLE "creditor_takeovers" (
	"asset_id" uuid PRIMARY KEY NOT NULL,
	"lot_id" uuid NOT NULL,
	"party_id" uuid NOT NULL,
	"price_fen" bigint NOT NULL,
	"claim_fen" bigint,
	"excess_fen" bigint NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "creditor_takeovers" ADD CONSTRAINT "creditor_takeovers_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "creditor_takeovers" ADD CONSTRAINT "creditor_takeovers_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "creditor_takeovers" ADD CONSTRAINT "creditor_takeovers_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "creditor_takeovers" ADD CONSTRAINT "creditor_takeovers_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;