CREATE TABLE "events" (
	"device_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"org_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"camera_id" text NOT NULL,
	"rule_id" text NOT NULL,
	"kind" text NOT NULL,
	"direction" text DEFAULT '' NOT NULL,
	"object_class" text NOT NULL,
	"track_id" integer NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"confidence" real NOT NULL,
	"dwell_ms" integer,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "events_device_id_seq_pk" PRIMARY KEY("device_id","seq")
);
--> statement-breakpoint
CREATE TABLE "rollup_day" (
	"site_id" uuid NOT NULL,
	"device_id" text NOT NULL,
	"camera_id" text NOT NULL,
	"rule_id" text NOT NULL,
	"kind" text NOT NULL,
	"direction" text DEFAULT '' NOT NULL,
	"object_class" text NOT NULL,
	"count" bigint NOT NULL,
	"day" date NOT NULL,
	CONSTRAINT "rollup_day_site_id_day_device_id_camera_id_rule_id_kind_direction_object_class_pk" PRIMARY KEY("site_id","day","device_id","camera_id","rule_id","kind","direction","object_class")
);
--> statement-breakpoint
CREATE TABLE "rollup_hour" (
	"site_id" uuid NOT NULL,
	"device_id" text NOT NULL,
	"camera_id" text NOT NULL,
	"rule_id" text NOT NULL,
	"kind" text NOT NULL,
	"direction" text DEFAULT '' NOT NULL,
	"object_class" text NOT NULL,
	"count" bigint NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	CONSTRAINT "rollup_hour_site_id_bucket_device_id_camera_id_rule_id_kind_direction_object_class_pk" PRIMARY KEY("site_id","bucket","device_id","camera_id","rule_id","kind","direction","object_class")
);
--> statement-breakpoint
CREATE TABLE "rollup_minute" (
	"site_id" uuid NOT NULL,
	"device_id" text NOT NULL,
	"camera_id" text NOT NULL,
	"rule_id" text NOT NULL,
	"kind" text NOT NULL,
	"direction" text DEFAULT '' NOT NULL,
	"object_class" text NOT NULL,
	"count" bigint NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	CONSTRAINT "rollup_minute_site_id_bucket_device_id_camera_id_rule_id_kind_direction_object_class_pk" PRIMARY KEY("site_id","bucket","device_id","camera_id","rule_id","kind","direction","object_class")
);
--> statement-breakpoint
CREATE TABLE "command_results" (
	"device_id" text NOT NULL,
	"command_id" text NOT NULL,
	"ok" text NOT NULL,
	"result" jsonb NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	CONSTRAINT "command_results_device_id_command_id_pk" PRIMARY KEY("device_id","command_id")
);
--> statement-breakpoint
CREATE TABLE "device_buckets" (
	"device_id" text NOT NULL,
	"site_id" uuid NOT NULL,
	"camera_id" text NOT NULL,
	"rule_id" text NOT NULL,
	"kind" text NOT NULL,
	"direction" text DEFAULT '' NOT NULL,
	"object_class" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "device_buckets_device_id_minute_camera_id_rule_id_kind_direction_object_class_pk" PRIMARY KEY("device_id","minute","camera_id","rule_id","kind","direction","object_class")
);
--> statement-breakpoint
CREATE TABLE "device_health" (
	"device_id" text PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"heartbeat" jsonb,
	"heartbeat_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ingest_progress" (
	"device_id" text PRIMARY KEY NOT NULL,
	"acked_seq" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "occupancy_samples" (
	"site_id" uuid NOT NULL,
	"device_id" text NOT NULL,
	"camera_id" text NOT NULL,
	"zone_id" text NOT NULL,
	"object_class" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "occupancy_samples_device_id_camera_id_zone_id_object_class_ts_pk" PRIMARY KEY("device_id","camera_id","zone_id","object_class","ts")
);
--> statement-breakpoint
CREATE TABLE "alert_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"alert_event_id" uuid,
	"report_id" uuid,
	"channel" text NOT NULL,
	"target" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"rule_id" uuid NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"state" text NOT NULL,
	"message" text NOT NULL,
	"details" jsonb NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "alert_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"params" jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"webhook_url" text,
	"email_to" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"period" text NOT NULL,
	"webhook_url" text,
	"email_to" text,
	"last_period_start" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "events_site_ts" ON "events" USING btree ("site_id","ts");--> statement-breakpoint
CREATE INDEX "rollup_day_day" ON "rollup_day" USING btree ("day");--> statement-breakpoint
CREATE INDEX "occupancy_site_ts" ON "occupancy_samples" USING btree ("site_id","ts");--> statement-breakpoint
CREATE INDEX "alert_events_site" ON "alert_events" USING btree ("site_id","started_at");--> statement-breakpoint
CREATE INDEX "alert_rules_site" ON "alert_rules" USING btree ("site_id");