CREATE TABLE `http_cache` (
	`url` text PRIMARY KEY NOT NULL,
	`etag` text,
	`last_modified` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `calls` ADD `list_fingerprint` text;