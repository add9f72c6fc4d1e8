CREATE TABLE "ingest_quarantine" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"device_id" text NOT NULL,
	"channel" text NOT NULL,
	"seq" text,
	"reason" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "device_state_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"device_id" text NOT NULL,
	"camera_id" text DEFAULT '' NOT NULL,
	"state" text NOT NULL,
	"reason" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "previous_secret_hash" text;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "previous_secret_valid_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "rollup_minute" ADD COLUMN "counted_before" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_events" ADD COLUMN "acknowledged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alert_events" ADD COLUMN "acknowledged_by" uuid;--> statement-breakpoint
CREATE INDEX "ingest_quarantine_org_created" ON "ingest_quarantine" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "ingest_quarantine_device" ON "ingest_quarantine" USING btree ("device_id","channel","seq");--> statement-breakpoint
CREATE INDEX "device_state_changes_device_at" ON "device_state_changes" USING btree ("device_id","at");