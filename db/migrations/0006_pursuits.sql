CREATE TABLE `pursuit_alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pursuit_id` integer NOT NULL,
	`through_change_id` integer NOT NULL,
	`at` text NOT NULL,
	`changes` text NOT NULL,
	`seen_at` text,
	FOREIGN KEY (`pursuit_id`) REFERENCES `pursuits`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pursuit_alerts_unique` ON `pursuit_alerts` (`pursuit_id`,`through_change_id`);--> statement-breakpoint
CREATE TABLE `pursuit_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pursuit_id` integer NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`field` text NOT NULL,
	`old_value` text,
	`new_value` text,
	FOREIGN KEY (`pursuit_id`) REFERENCES `pursuits`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `pursuit_history_pursuit_idx` ON `pursuit_history` (`pursuit_id`);--> statement-breakpoint
CREATE TABLE `pursuit_mails` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pursuit_id` integer NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`to_email` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`message_id` text NOT NULL,
	`subject` text NOT NULL,
	`content` text NOT NULL,
	`created_at` text NOT NULL,
	`sent_at` text,
	`smtp_response` text,
	`next_attempt_at` text,
	`claimed_by` text,
	`claimed_at` text,
	FOREIGN KEY (`pursuit_id`) REFERENCES `pursuits`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pursuit_mails_unique` ON `pursuit_mails` (`pursuit_id`,`key`);--> statement-breakpoint
CREATE INDEX `pursuit_mails_state_idx` ON `pursuit_mails` (`state`);--> statement-breakpoint
CREATE TABLE `pursuit_measures` (
	`pursuit_id` integer NOT NULL,
	`measure_id` text NOT NULL,
	PRIMARY KEY(`pursuit_id`, `measure_id`),
	FOREIGN KEY (`pursuit_id`) REFERENCES `pursuits`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `pursuit_measures_measure_idx` ON `pursuit_measures` (`measure_id`);--> statement-breakpoint
CREATE TABLE `pursuit_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pursuit_id` integer NOT NULL,
	`author_token_id` integer,
	`author` text NOT NULL,
	`at` text NOT NULL,
	`text` text NOT NULL,
	FOREIGN KEY (`pursuit_id`) REFERENCES `pursuits`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_token_id`) REFERENCES `api_tokens`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `pursuit_notes_pursuit_idx` ON `pursuit_notes` (`pursuit_id`);--> statement-breakpoint
CREATE TABLE `pursuits` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`call_id` text NOT NULL,
	`owner_token_id` integer NOT NULL,
	`owner_email` text NOT NULL,
	`owner_language` text DEFAULT 'de' NOT NULL,
	`status` text DEFAULT 'beobachtet' NOT NULL,
	`amount_applied` real,
	`amount_granted` real,
	`partners` text NOT NULL,
	`partners_text` text,
	`changes_seen_id` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`call_id`) REFERENCES `calls`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`owner_token_id`) REFERENCES `api_tokens`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `pursuits_call_idx` ON `pursuits` (`call_id`);--> statement-breakpoint
CREATE INDEX `pursuits_owner_idx` ON `pursuits` (`owner_token_id`);--> statement-breakpoint
CREATE INDEX `pursuits_status_idx` ON `pursuits` (`status`);