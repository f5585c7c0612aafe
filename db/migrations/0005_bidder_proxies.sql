ALTER TABLE "bidder_profiles" ADD COLUMN "proxy_name" text;--> statement-breakpoint
ALTER TABLE "bidder_profiles" ADD COLUMN "proxy_identity_number" text;--> statement-breakpoint
ALTER TABLE "bidder_profiles" ADD COLUMN "proxy_power_of_attorney" text;