ALTER TABLE "claim_codes" ADD COLUMN "name" text;--> statement-breakpoint
ALTER TABLE "claim_codes" ADD COLUMN "code_prefix" text;--> statement-breakpoint
ALTER TABLE "claim_codes" ADD COLUMN "revoked_at" timestamp with time zone;