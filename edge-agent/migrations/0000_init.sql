CREATE TABLE `count_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`camera_id` text NOT NULL,
	`rule_id` text NOT NULL,
	`kind` text NOT NULL,
	`direction` text,
	`object_class` text NOT NULL,
	`track_id` integer NOT NULL,
	`ts` integer NOT NULL,
	`confidence` real NOT NULL,
	`dwell_ms` integer
);
--> statement-breakpoint
CREATE TABLE `minute_buckets` (
	`camera_id` text NOT NULL,
	`rule_id` text NOT NULL,
	`kind` text NOT NULL,
	`direction` text DEFAULT '' NOT NULL,
	`object_class` text NOT NULL,
	`minute` integer NOT NULL,
	`count` integer NOT NULL,
	`sent_count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`camera_id`, `rule_id`, `kind`, `direction`, `object_class`, `minute`)
);
--> statement-breakpoint
CREATE TABLE `occupancy_samples` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`camera_id` text NOT NULL,
	`zone_id` text NOT NULL,
	`ts` integer NOT NULL,
	`counts` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `occupancy_samples_ts` ON `occupancy_samples` (`ts`);--> statement-breakpoint
CREATE TABLE `sync_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`acked_seq` integer DEFAULT 0 NOT NULL,
	`last_ack_at` integer,
	`folded_through` integer DEFAULT 0 NOT NULL,
	`folded_events` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `applied_configs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`version` integer NOT NULL,
	`hash` text NOT NULL,
	`source` text NOT NULL,
	`status` text NOT NULL,
	`body` text,
	`errors` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `device_identity` (
	`id` integer PRIMARY KEY NOT NULL,
	`device_id` text NOT NULL,
	`site_id` text,
	`name` text,
	`mqtt_url` text NOT NULL,
	`mqtt_username` text NOT NULL,
	`mqtt_password` text NOT NULL,
	`api_url` text,
	`cloud_url` text NOT NULL,
	`provisioned_at` integer NOT NULL
);
