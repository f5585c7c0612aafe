CREATE TABLE "lot_search" (
	"lot_id" uuid PRIMARY KEY NOT NULL,
	"category" text NOT NULL,
	"region_code" text NOT NULL,
	"document" text NOT NULL,
	"grams" text[] NOT NULL
);
--> statement-breakpoint
ALTER TABLE "lots" ADD COLUMN "reference_price_fen" bigint;--> statement-breakpoint
UPDATE "lots" SET "reference_price_fen" = rp."amount_fen" FROM "reference_prices" rp WHERE rp."id" = "lots"."reference_price_id";--> statement-breakpoint
ALTER TABLE "lots" ALTER COLUMN "reference_price_fen" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "lots" ADD COLUMN "starting_ratio_bp" integer GENERATED ALWAYS AS (((starting_price_fen * 10000 + reference_price_fen - 1) / reference_price_fen)::integer) STORED;--> statement-breakpoint
ALTER TABLE "lots" ADD COLUMN "loan_available" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "lot_search" ADD CONSTRAINT "lot_search_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lot_search_grams_idx" ON "lot_search" USING gin ("grams");--> statement-breakpoint
CREATE INDEX "lot_search_region_idx" ON "lot_search" USING btree ("region_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "lot_search_category_idx" ON "lot_search" USING btree ("category");--> statement-breakpoint
CREATE INDEX "lots_open_closes_idx" ON "lots" USING btree ("closes_at","id") WHERE status in ('published','suspended','stayed');--> statement-breakpoint
CREATE INDEX "lots_done_closes_idx" ON "lots" USING btree ("closes_at","id") WHERE status in ('sold','failed','withdrawn','defaulted','revoked');--> statement-breakpoint
CREATE INDEX "lots_published_idx" ON "lots" USING btree ("published_at","id") WHERE status <> 'draft';--> statement-breakpoint
CREATE INDEX "lots_price_idx" ON "lots" USING btree (coalesce("current_price_fen", "starting_price_fen"),"id") WHERE status <> 'draft';--> statement-breakpoint
CREATE INDEX "lots_ratio_idx" ON "lots" USING btree ("starting_ratio_bp","id") WHERE status <> 'draft';--> statement-breakpoint
CREATE INDEX "lots_court_idx" ON "lots" USING btree ("court_id");