CREATE TABLE "device_commands" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"device_id" text NOT NULL,
	"type" text NOT NULL,
	"camera_key" text,
	"from_seq" integer,
	"issued_by" uuid,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"timeout_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "claim_codes" ADD COLUMN "name" text;--> statement-breakpoint
ALTER TABLE "claim_codes" ADD COLUMN "code_prefix" text;--> statement-breakpoint
ALTER TABLE "claim_codes" ADD COLUMN "revoked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD COLUMN "webhook_secret" text;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD COLUMN "last_deliveries" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "device_commands" ADD CONSTRAINT "device_commands_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_commands" ADD CONSTRAINT "device_commands_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "device_commands_device_issued" ON "device_commands" USING btree ("device_id","issued_at");