-- Holders entered before kinds existed are shown as "other" until the court's record says otherwise.
ALTER TABLE "lot_priority_holders" ADD COLUMN "kind" text DEFAULT 'other' NOT NULL;--> statement-breakpoint
ALTER TABLE "lot_priority_holders" ALTER COLUMN "kind" DROP DEFAULT;
