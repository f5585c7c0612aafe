-- The search row keeps the start of bidding too (ADR 024, amendment of 2026-12-07, the clock's phases), so that
-- "announced" is decided on the search row, and "in bidding" and "ended" are narrowed there to the lots whose bidding
-- has started. An order's keys are read among the lots of a status, through indexes on both. The start moves only
-- when a held lot resumes, never with a bid; the same triggers keep it, whatever the path: a search row written for
-- a lot takes it from the lot, and a change of a lot's start writes it again. The lots still open get an index by
-- their price now, which a price range is tested against: it holds the two prices it is made of as well, so that the
-- index alone answers (PostgreSQL reads an expression's columns from the table otherwise).
ALTER TABLE "lot_search" ADD COLUMN "bidding_starts_at" timestamp with time zone;--> statement-breakpoint
UPDATE "lot_search" SET "bidding_starts_at" = "lots"."bidding_starts_at" FROM "lots" WHERE "lots"."id" = "lot_search"."lot_id";--> statement-breakpoint
ALTER TABLE "lot_search" ALTER COLUMN "bidding_starts_at" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "lot_search_published_starts_idx" ON "lot_search" USING btree ("bidding_starts_at") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "lots_open_price_idx" ON "lots" USING btree (coalesce("current_price_fen", "starting_price_fen"),"id","current_price_fen","starting_price_fen") WHERE status in ('published','suspended','stayed');--> statement-breakpoint
DROP INDEX "lot_search_status_idx";--> statement-breakpoint
CREATE INDEX "lot_search_status_published_idx" ON "lot_search" USING btree ("status","published_at");--> statement-breakpoint
CREATE INDEX "lot_search_status_start_price_idx" ON "lot_search" USING btree ("status","starting_price_fen");--> statement-breakpoint
CREATE INDEX "lot_search_status_ratio_idx" ON "lot_search" USING btree ("status","starting_ratio_bp");--> statement-breakpoint
CREATE INDEX "lot_search_status_final_price_idx" ON "lot_search" USING btree ("status","final_price_fen");--> statement-breakpoint
CREATE INDEX "lot_search_status_final_closes_idx" ON "lot_search" USING btree ("status","final_closes_at");--> statement-breakpoint
CREATE OR REPLACE FUNCTION lot_search_final_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT status, bidding_starts_at, CASE WHEN lot_status_final(status) THEN closes_at END, CASE WHEN lot_status_final(status) THEN coalesce(current_price_fen, starting_price_fen) END
    INTO NEW.status, NEW.bidding_starts_at, NEW.final_closes_at, NEW.final_price_fen FROM lots WHERE id = NEW.lot_id;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION lots_search_final() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  closes timestamptz := CASE WHEN lot_status_final(NEW.status) THEN NEW.closes_at END;
  price bigint := CASE WHEN lot_status_final(NEW.status) THEN coalesce(NEW.current_price_fen, NEW.starting_price_fen) END;
BEGIN
  UPDATE lot_search SET status = NEW.status, bidding_starts_at = NEW.bidding_starts_at, final_closes_at = closes, final_price_fen = price
    WHERE lot_id = NEW.id AND (status IS DISTINCT FROM NEW.status OR bidding_starts_at IS DISTINCT FROM NEW.bidding_starts_at
      OR final_closes_at IS DISTINCT FROM closes OR final_price_fen IS DISTINCT FROM price);
  RETURN NULL;
END $$;--> statement-breakpoint
DROP TRIGGER lots_search_final ON lots;--> statement-breakpoint
CREATE TRIGGER lots_search_final AFTER UPDATE OF status, bidding_starts_at, closes_at, current_price_fen ON lots FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.bidding_starts_at IS DISTINCT FROM NEW.bidding_starts_at OR lot_status_final(NEW.status))
  EXECUTE FUNCTION lots_search_final();
