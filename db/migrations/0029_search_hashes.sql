-- Keyword grams become 32-bit hashes (ADR 024). The rows are rebuilt from the lots by the server's start-up
-- indexing (auction/search.ts indexLotsForSearch), which writes every lot that has no search row.
DELETE FROM "lot_search";--> statement-breakpoint
DROP INDEX "lot_search_grams_idx";--> statement-breakpoint
ALTER TABLE "lot_search" ADD COLUMN "gram_hashes" integer[] NOT NULL;--> statement-breakpoint
CREATE INDEX "lot_search_gram_hashes_idx" ON "lot_search" USING gin ("gram_hashes");--> statement-breakpoint
ALTER TABLE "lot_search" DROP COLUMN "grams";
