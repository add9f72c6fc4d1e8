ALTER TABLE "alert_rules" ADD COLUMN "webhook_secret" text;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD COLUMN "last_deliveries" jsonb DEFAULT '{}'::jsonb NOT NULL;