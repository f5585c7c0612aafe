-- Keyword grams become 32-bit hashes, and the lot's fixed court, round and 可贷款 join its search row (ADR 024). The rows
-- are rebuilt from the published lots by the server's start-up indexing (auction/search.ts indexLotsForSearch). Also
-- indexes for what every lot page reads: an asset's rounds, and the procedure that fixed a price.
DELETE FROM "lot_search";--> statement-breakpoint
DROP INDEX "lot_search_grams_idx";--> statement-breakpoint
ALTER TABLE "lot_search" ADD COLUMN "court_id" uuid NOT NULL;--> statement-breakpoint
ALTER TABLE "lot_search" ADD COLUMN "round" text NOT NULL;--> statement-breakpoint
ALTER TABLE "lot_search" ADD COLUMN "loan_available" boolean NOT NULL;--> statement-breakpoint
ALTER TABLE "lot_search" ADD COLUMN "gram_hashes" integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "lot_search" ADD CONSTRAINT "lot_search_court_id_courts_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."courts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lot_search_gram_hashes_idx" ON "lot_search" USING gin ("gram_hashes");--> statement-breakpoint
CREATE INDEX "lot_search_court_idx" ON "lot_search" USING btree ("court_id");--> statement-breakpoint
CREATE INDEX "lots_asset_idx" ON "lots" USING btree ("asset_id");--> statement-breakpoint
CREATE INDEX "price_procedures_reference_price_idx" ON "price_procedures" USING btree ("reference_price_id");--> statement-breakpoint
ALTER TABLE "lot_search" DROP COLUMN "grams";