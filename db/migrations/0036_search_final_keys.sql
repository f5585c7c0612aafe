-- A lot's close and price no longer change once it has left bidding, so its search row keeps them then, and deep
-- pages in the closing and price orders are read through them; it keeps the lot's status too, so that a search by a
-- stored status (sold, failed, …) is decided by the search rows alone (ADR 024, amendment of 2026-12-07). Triggers
-- keep them, whatever the path: a search row written for a lot takes them from the lot, and a change of a lot's
-- status writes them again. Bids never change the status, so the WHEN clause keeps the bid path free of it. Round and
-- 可贷款 get indexes, so that a deep page filtered by either ANDs them with the order key's.
CREATE FUNCTION lot_status_final(status text) RETURNS boolean IMMUTABLE LANGUAGE sql AS $$
  SELECT status IN ('sold','failed','withdrawn','defaulted','revoked')
$$;--> statement-breakpoint
ALTER TABLE "lot_search" ADD COLUMN "status" text;--> statement-breakpoint
ALTER TABLE "lot_search" ADD COLUMN "final_closes_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "lot_search" ADD COLUMN "final_price_fen" bigint;--> statement-breakpoint
UPDATE "lot_search" SET "status" = "lots"."status",
  "final_closes_at" = CASE WHEN lot_status_final("lots"."status") THEN "lots"."closes_at" END,
  "final_price_fen" = CASE WHEN lot_status_final("lots"."status") THEN coalesce("lots"."current_price_fen", "lots"."starting_price_fen") END
  FROM "lots" WHERE "lots"."id" = "lot_search"."lot_id";--> statement-breakpoint
ALTER TABLE "lot_search" ALTER COLUMN "status" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "lot_search_round_idx" ON "lot_search" USING btree ("round");--> statement-breakpoint
CREATE INDEX "lot_search_loan_idx" ON "lot_search" USING btree ("lot_id") WHERE loan_available;--> statement-breakpoint
CREATE INDEX "lot_search_status_idx" ON "lot_search" USING btree ("status");--> statement-breakpoint
CREATE INDEX "lot_search_final_closes_idx" ON "lot_search" USING btree ("final_closes_at");--> statement-breakpoint
CREATE INDEX "lot_search_final_price_idx" ON "lot_search" USING btree ("final_price_fen");--> statement-breakpoint
CREATE FUNCTION lot_search_final_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT status, CASE WHEN lot_status_final(status) THEN closes_at END, CASE WHEN lot_status_final(status) THEN coalesce(current_price_fen, starting_price_fen) END
    INTO NEW.status, NEW.final_closes_at, NEW.final_price_fen FROM lots WHERE id = NEW.lot_id;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER lot_search_final BEFORE INSERT ON lot_search FOR EACH ROW EXECUTE FUNCTION lot_search_final_on_insert();--> statement-breakpoint
CREATE FUNCTION lots_search_final() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  closes timestamptz := CASE WHEN lot_status_final(NEW.status) THEN NEW.closes_at END;
  price bigint := CASE WHEN lot_status_final(NEW.status) THEN coalesce(NEW.current_price_fen, NEW.starting_price_fen) END;
BEGIN
  UPDATE lot_search SET status = NEW.status, final_closes_at = closes, final_price_fen = price
    WHERE lot_id = NEW.id AND (status IS DISTINCT FROM NEW.status OR final_closes_at IS DISTINCT FROM closes OR final_price_fen IS DISTINCT FROM price);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER lots_search_final AFTER UPDATE OF status, closes_at, current_price_fen ON lots FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR lot_status_final(NEW.status))
  EXECUTE FUNCTION lots_search_final();
