CREATE TABLE "lot_interventions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lot_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"by" text NOT NULL,
	"reason" text NOT NULL,
	"actor_id" uuid,
	"closes_at" timestamp with time zone,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "lot_interventions_kind_check" CHECK ("lot_interventions"."kind" in ('suspend','stay','resume','hold_expired')),
	CONSTRAINT "lot_interventions_by_check" CHECK ("lot_interventions"."by" in ('court','platform','clock'))
);
--> statement-breakpoint
ALTER TABLE "lots" DROP CONSTRAINT "lots_status_check";--> statement-breakpoint
ALTER TABLE "lots" ADD COLUMN "held_from" text;--> statement-breakpoint
ALTER TABLE "lots" ADD COLUMN "held_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "lots" ADD COLUMN "hold_deposits_released_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "lot_interventions" ADD CONSTRAINT "lot_interventions_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_interventions" ADD CONSTRAINT "lot_interventions_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lot_interventions_lot_idx" ON "lot_interventions" USING btree ("lot_id","at");--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_hold_check" CHECK (("lots"."status" in ('suspended','stayed')) = ("lots"."held_from" is not null and "lots"."held_at" is not null));--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_status_check" CHECK ("lots"."status" in ('draft','published','suspended','stayed','sold','failed'));