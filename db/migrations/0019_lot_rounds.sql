ALTER TABLE "lot_interventions" DROP CONSTRAINT "lot_interventions_kind_check";--> statement-breakpoint
ALTER TABLE "lots" DROP CONSTRAINT "lots_status_check";--> statement-breakpoint
ALTER TABLE "balances_due" DROP CONSTRAINT "balances_due_status_check";--> statement-breakpoint
ALTER TABLE "lots" ADD COLUMN "previous_lot_id" uuid;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_previous_lot_id_lots_id_fk" FOREIGN KEY ("previous_lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "lots_previous_unique" ON "lots" USING btree ("previous_lot_id");--> statement-breakpoint
ALTER TABLE "lot_interventions" ADD CONSTRAINT "lot_interventions_kind_check" CHECK ("lot_interventions"."kind" in ('suspend','stay','resume','hold_expired','withdraw','revoke'));--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_round_check" CHECK ("lots"."round" in ('first','second','sale_off'));--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_status_check" CHECK ("lots"."status" in ('draft','published','suspended','stayed','sold','failed','withdrawn','defaulted','revoked'));--> statement-breakpoint
ALTER TABLE "balances_due" ADD CONSTRAINT "balances_due_status_check" CHECK ("balances_due"."status" in ('due','paid','defaulted','revoked'));