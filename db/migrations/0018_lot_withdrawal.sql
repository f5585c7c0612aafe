ALTER TABLE "lot_interventions" DROP CONSTRAINT "lot_interventions_kind_check";--> statement-breakpoint
ALTER TABLE "lots" DROP CONSTRAINT "lots_status_check";--> statement-breakpoint
ALTER TABLE "lot_interventions" ADD COLUMN "ground" text;--> statement-breakpoint
ALTER TABLE "lot_interventions" ADD CONSTRAINT "lot_interventions_kind_check" CHECK ("lot_interventions"."kind" in ('suspend','stay','resume','hold_expired','withdraw'));--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_status_check" CHECK ("lots"."status" in ('draft','published','suspended','stayed','sold','failed','withdrawn'));