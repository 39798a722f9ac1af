ALTER TABLE `digests` ADD `content` text;--> statement-breakpoint
ALTER TABLE `digests` ADD `smtp_response` text;--> statement-breakpoint
ALTER TABLE `digests` ADD `next_attempt_at` text;--> statement-breakpoint
ALTER TABLE `digests` ADD `claimed_by` text;--> statement-breakpoint
ALTER TABLE `digests` ADD `claimed_at` text;