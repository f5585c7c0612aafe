-- The search row keeps the lot's starting price, fixed at publication, so that a keyword's cheapest lots are found
-- among those that started cheap (ADR 024, amendment of 2026-12-07); existing rows take it from their lot.
ALTER TABLE "lot_search" ADD COLUMN "starting_price_fen" bigint;--> statement-breakpoint
UPDATE "lot_search" SET "starting_price_fen" = "lots"."starting_price_fen" FROM "lots" WHERE "lots"."id" = "lot_search"."lot_id";--> statement-breakpoint
ALTER TABLE "lot_search" ALTER COLUMN "starting_price_fen" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "lot_search_starting_price_idx" ON "lot_search" USING btree ("starting_price_fen");--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_price_from_start_check" CHECK ("lots"."current_price_fen" is null or "lots"."current_price_fen" >= "lots"."starting_price_fen");
--> statement-breakpoint
-- The planner's statistics of the price the search orders and filters by: those of lots_price_idx go unused because
-- that index is partial, and without them a price range is guessed at a third of all lots (ADR 024).
CREATE STATISTICS IF NOT EXISTS "lots_price_stats" ON (COALESCE("current_price_fen", "starting_price_fen")) FROM "lots";
