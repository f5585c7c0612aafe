-- The search row keeps an open lot's close as last set (ADR 024, amendment "an open lot's close from which it may
-- close"): late bids move a close only later, so the close now is never before it, and deep pages of the lots still
-- open in the closing order are read through it, as closed lots are through their final close. A bid that only moves
-- the close later does not run the trigger (the bid path writes no search row); a close set earlier (a sale-off's
-- first bid opens a 24-hour round), a new start and a new status write it again, whatever the path. Null once the lot
-- has left bidding.
ALTER TABLE "lot_search" ADD COLUMN "closes_from" timestamp with time zone;--> statement-breakpoint
UPDATE "lot_search" SET "closes_from" = "lots"."closes_at" FROM "lots" WHERE "lots"."id" = "lot_search"."lot_id" AND NOT lot_status_final("lots"."status");--> statement-breakpoint
CREATE INDEX "lot_search_closes_from_idx" ON "lot_search" USING btree ("closes_from") WHERE closes_from is not null;--> statement-breakpoint
CREATE INDEX "lot_search_status_closes_from_idx" ON "lot_search" USING btree ("status","closes_from") WHERE closes_from is not null;--> statement-breakpoint
CREATE OR REPLACE FUNCTION lot_search_final_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT status, bidding_starts_at, CASE WHEN NOT lot_status_final(status) THEN closes_at END,
      CASE WHEN lot_status_final(status) THEN closes_at END, CASE WHEN lot_status_final(status) THEN coalesce(current_price_fen, starting_price_fen) END
    INTO NEW.status, NEW.bidding_starts_at, NEW.closes_from, NEW.final_closes_at, NEW.final_price_fen FROM lots WHERE id = NEW.lot_id;
  RETURN NEW;
END $$;--> statement-breakpoint
-- Run only when the status or the start changed, the lot is closed, or the close moved earlier (the trigger's WHEN),
-- so that for a lot still open its close now is what to keep.
CREATE OR REPLACE FUNCTION lots_search_final() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  open_close timestamptz := CASE WHEN NOT lot_status_final(NEW.status) THEN NEW.closes_at END;
  closes timestamptz := CASE WHEN lot_status_final(NEW.status) THEN NEW.closes_at END;
  price bigint := CASE WHEN lot_status_final(NEW.status) THEN coalesce(NEW.current_price_fen, NEW.starting_price_fen) END;
BEGIN
  UPDATE lot_search SET status = NEW.status, bidding_starts_at = NEW.bidding_starts_at, closes_from = open_close, final_closes_at = closes, final_price_fen = price
    WHERE lot_id = NEW.id AND (status IS DISTINCT FROM NEW.status OR bidding_starts_at IS DISTINCT FROM NEW.bidding_starts_at
      OR closes_from IS DISTINCT FROM open_close OR final_closes_at IS DISTINCT FROM closes OR final_price_fen IS DISTINCT FROM price);
  RETURN NULL;
END $$;--> statement-breakpoint
DROP TRIGGER lots_search_final ON lots;--> statement-breakpoint
CREATE TRIGGER lots_search_final AFTER UPDATE OF status, bidding_starts_at, closes_at, current_price_fen ON lots FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.bidding_starts_at IS DISTINCT FROM NEW.bidding_starts_at OR lot_status_final(NEW.status) OR NEW.closes_at < OLD.closes_at)
  EXECUTE FUNCTION lots_search_final();
