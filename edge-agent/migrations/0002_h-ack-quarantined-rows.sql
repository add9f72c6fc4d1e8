CREATE TABLE `quarantined_rows` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_table` text NOT NULL,
	`row_key` integer NOT NULL,
	`row` text NOT NULL,
	`reason` text NOT NULL,
	`at` integer NOT NULL
);
