ALTER TABLE "devices" ADD COLUMN "previous_secret_hash" text;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "previous_secret_valid_until" timestamp with time zone;