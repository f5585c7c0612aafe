-- F9: what a default forfeits; a balance recorded before this column forfeits its whole deposit (F4).
ALTER TABLE "balances_due" ADD COLUMN "forfeitable_fen" bigint;--> statement-breakpoint
UPDATE "balances_due" SET "forfeitable_fen" = "deposit_applied_fen";--> statement-breakpoint
ALTER TABLE "balances_due" ALTER COLUMN "forfeitable_fen" SET NOT NULL;
