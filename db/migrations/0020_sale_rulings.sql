CREATE TABLE "sale_rulings" (
	"lot_id" uuid PRIMARY KEY NOT NULL,
	"paid_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"document_number" text,
	"served_at" timestamp with time zone,
	"served_by" uuid,
	"handover_due_at" timestamp with time zone,
	"handed_over_at" timestamp with time zone,
	"handed_over_by" uuid,
	"handover_note" text
);
--> statement-breakpoint
ALTER TABLE "lot_interventions" DROP CONSTRAINT "lot_interventions_kind_check";--> statement-breakpoint
ALTER TABLE "lot_priority_holders" ADD COLUMN "waived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sale_rulings" ADD CONSTRAINT "sale_rulings_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_rulings" ADD CONSTRAINT "sale_rulings_served_by_users_id_fk" FOREIGN KEY ("served_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_rulings" ADD CONSTRAINT "sale_rulings_handed_over_by_users_id_fk" FOREIGN KEY ("handed_over_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_interventions" ADD CONSTRAINT "lot_interventions_kind_check" CHECK ("lot_interventions"."kind" in ('suspend','stay','resume','hold_expired','relist','withdraw','revoke'));