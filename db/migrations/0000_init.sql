CREATE TABLE `api_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`last_used_at` text,
	`revoked_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`target` text,
	`details` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `call_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`call_id` text NOT NULL,
	`crawl_run_id` integer,
	`changed_at` text NOT NULL,
	`field` text NOT NULL,
	`old_value` text,
	`new_value` text,
	FOREIGN KEY (`call_id`) REFERENCES `calls`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`crawl_run_id`) REFERENCES `crawl_runs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `call_changes_call_idx` ON `call_changes` (`call_id`);--> statement-breakpoint
CREATE INDEX `call_changes_at_idx` ON `call_changes` (`changed_at`);--> statement-breakpoint
CREATE TABLE `call_deadlines` (
	`call_id` text NOT NULL,
	`position` integer NOT NULL,
	`at` text NOT NULL,
	`time_zone` text NOT NULL,
	`raw` text NOT NULL,
	`stage` text NOT NULL,
	`label` text,
	PRIMARY KEY(`call_id`, `position`),
	FOREIGN KEY (`call_id`) REFERENCES `calls`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `call_deadlines_at_idx` ON `call_deadlines` (`at`);--> statement-breakpoint
CREATE TABLE `calls` (
	`id` text PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`source_id` text NOT NULL,
	`funder` text,
	`operator` text,
	`programme` text,
	`identifier` text,
	`title` text NOT NULL,
	`summary` text DEFAULT '' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`description_html` text,
	`url` text,
	`language` text DEFAULT 'en' NOT NULL,
	`opening_date` text,
	`status` text NOT NULL,
	`source_status` text,
	`next_deadline` text,
	`budget` text,
	`funding_rate` real,
	`applicant_types` text NOT NULL,
	`applicants_text` text,
	`countries` text NOT NULL,
	`nuts` text NOT NULL,
	`keywords` text NOT NULL,
	`notices` text NOT NULL,
	`fetched_at` text NOT NULL,
	`source_url` text NOT NULL,
	`content_hash` text NOT NULL,
	`attribution` text,
	`raw` text,
	`first_seen_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`delisted_at` text,
	`needs_match` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE INDEX `calls_source_idx` ON `calls` (`source`);--> statement-breakpoint
CREATE INDEX `calls_status_idx` ON `calls` (`status`);--> statement-breakpoint
CREATE INDEX `calls_next_deadline_idx` ON `calls` (`next_deadline`);--> statement-breakpoint
CREATE INDEX `calls_needs_match_idx` ON `calls` (`needs_match`);--> statement-breakpoint
CREATE TABLE `action_field_goal_potentials` (
	`action_field_key` text NOT NULL,
	`goal_key` text NOT NULL,
	`potential` text NOT NULL,
	PRIMARY KEY(`action_field_key`, `goal_key`),
	FOREIGN KEY (`action_field_key`) REFERENCES `action_fields`(`key`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`goal_key`) REFERENCES `overarching_goals`(`key`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `action_fields` (
	`key` text PRIMARY KEY NOT NULL,
	`number` integer NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`goal_reference` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `concept_meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`content_hash` text NOT NULL,
	`synced_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `friend_cities` (
	`name` text PRIMARY KEY NOT NULL,
	`country` text NOT NULL,
	`country_name` text NOT NULL,
	`note` text
);
--> statement-breakpoint
CREATE TABLE `measures` (
	`id` text PRIMARY KEY NOT NULL,
	`action_field_key` text NOT NULL,
	`number` integer NOT NULL,
	`text` text NOT NULL,
	FOREIGN KEY (`action_field_key`) REFERENCES `action_fields`(`key`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `networks` (
	`key` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`full_name` text,
	`membership` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `overarching_goals` (
	`key` text PRIMARY KEY NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	`short_name` text NOT NULL,
	`description` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `partner_cities` (
	`name` text PRIMARY KEY NOT NULL,
	`country` text NOT NULL,
	`country_name` text NOT NULL,
	`since` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `strategic_goals` (
	`key` text PRIMARY KEY NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `crawl_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`trigger` text DEFAULT 'cli' NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`outcome` text DEFAULT 'running' NOT NULL,
	`fetched` integer DEFAULT 0 NOT NULL,
	`new_count` integer DEFAULT 0 NOT NULL,
	`changed_count` integer DEFAULT 0 NOT NULL,
	`unchanged_count` integer DEFAULT 0 NOT NULL,
	`delisted_count` integer DEFAULT 0 NOT NULL,
	`error_count` integer DEFAULT 0 NOT NULL,
	`errors` text,
	`lock_owner` text,
	`heartbeat_at` text
);
--> statement-breakpoint
CREATE INDEX `crawl_runs_source_idx` ON `crawl_runs` (`source`,`started_at`);--> statement-breakpoint
CREATE TABLE `sources` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`last_good_listing_count` integer,
	`resume_state` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `digest_items` (
	`digest_id` integer NOT NULL,
	`call_id` text NOT NULL,
	`section` text NOT NULL,
	PRIMARY KEY(`digest_id`, `call_id`, `section`),
	FOREIGN KEY (`digest_id`) REFERENCES `digests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`call_id`) REFERENCES `calls`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `digests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`subscriber_id` integer NOT NULL,
	`period` text NOT NULL,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`message_id` text NOT NULL,
	`subject` text,
	`item_count` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`sent_at` text,
	FOREIGN KEY (`subscriber_id`) REFERENCES `subscribers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `digests_subscriber_period` ON `digests` (`subscriber_id`,`period`);--> statement-breakpoint
CREATE INDEX `digests_state_idx` ON `digests` (`state`);--> statement-breakpoint
CREATE TABLE `subscribers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`language` text DEFAULT 'de' NOT NULL,
	`action_fields` text NOT NULL,
	`measures` text NOT NULL,
	`min_score` real DEFAULT 40 NOT NULL,
	`cadence` text DEFAULT 'weekly' NOT NULL,
	`unsubscribe_token` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`unsubscribed_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscribers_email_unique` ON `subscribers` (`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `subscribers_unsubscribe_token_unique` ON `subscribers` (`unsubscribe_token`);--> statement-breakpoint
CREATE TABLE `feedback` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`call_id` text NOT NULL,
	`target` text NOT NULL,
	`token_id` integer NOT NULL,
	`verdict` text NOT NULL,
	`comment` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`call_id`) REFERENCES `calls`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`token_id`) REFERENCES `api_tokens`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `feedback_unique` ON `feedback` (`call_id`,`target`,`token_id`);--> statement-breakpoint
CREATE INDEX `feedback_target_idx` ON `feedback` (`target`);--> statement-breakpoint
CREATE TABLE `matches` (
	`call_id` text NOT NULL,
	`target` text NOT NULL,
	`target_kind` text NOT NULL,
	`score` real NOT NULL,
	`eligibility` text NOT NULL,
	`reason` text NOT NULL,
	`explanation` text NOT NULL,
	`rule_version` integer NOT NULL,
	`matched_at` text NOT NULL,
	PRIMARY KEY(`call_id`, `target`),
	FOREIGN KEY (`call_id`) REFERENCES `calls`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `matches_target_score_idx` ON `matches` (`target`,`score`);--> statement-breakpoint
CREATE TABLE `rule_set_versions` (
	`version` integer PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`author` text NOT NULL,
	`comment` text NOT NULL,
	`rules` text NOT NULL,
	`restored_from` integer,
	`active` integer DEFAULT false NOT NULL
);
