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
CREATE TABLE "login_failures" (
	"email" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"last_failed_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"email" text NOT NULL,
	"role" text NOT NULL,
	"code_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invitations_code_hash_unique" UNIQUE("code_hash")
);
--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "previous_secret_hash" text;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "previous_secret_valid_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "rollup_minute" ADD COLUMN "counted_before" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_events" ADD COLUMN "acknowledged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alert_events" ADD COLUMN "acknowledged_by" uuid;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ingest_quarantine_org_created" ON "ingest_quarantine" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "ingest_quarantine_device" ON "ingest_quarantine" USING btree ("device_id","channel","seq");--> statement-breakpoint
CREATE INDEX "device_state_changes_device_at" ON "device_state_changes" USING btree ("device_id","at");