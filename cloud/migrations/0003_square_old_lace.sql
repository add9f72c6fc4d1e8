ALTER TABLE "rollup_minute" ADD COLUMN "raw_count" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rollup_minute" ADD COLUMN "device_count" bigint DEFAULT 0 NOT NULL;