-- The search row keeps the two order keys fixed at publication, the publication time and the starting price's share
-- of the reference price, so that a deep page of a keyword in those orders is read from the search rows alone
-- (ADR 024, amendment of 2026-12-07); existing rows take them from their lot.
ALTER TABLE "lot_search" ADD COLUMN "published_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "lot_search" ADD COLUMN "starting_ratio_bp" integer;--> statement-breakpoint
UPDATE "lot_search" SET "published_at" = "lots"."published_at", "starting_ratio_bp" = "lots"."starting_ratio_bp" FROM "lots" WHERE "lots"."id" = "lot_search"."lot_id";--> statement-breakpoint
ALTER TABLE "lot_search" ALTER COLUMN "published_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "lot_search" ALTER COLUMN "starting_ratio_bp" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "lot_search_published_idx" ON "lot_search" USING btree ("published_at");--> statement-breakpoint
CREATE INDEX "lot_search_ratio_idx" ON "lot_search" USING btree ("starting_ratio_bp");
