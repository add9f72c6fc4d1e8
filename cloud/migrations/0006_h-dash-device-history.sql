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
CREATE INDEX "device_state_changes_device_at" ON "device_state_changes" USING btree ("device_id","at");