CREATE TABLE `match_queue` (
	`call_id` text PRIMARY KEY NOT NULL,
	`content_hash` text NOT NULL,
	FOREIGN KEY (`call_id`) REFERENCES `calls`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Calls still waiting for a match keep waiting.
INSERT INTO `match_queue` (`call_id`, `content_hash`) SELECT `id`, `content_hash` FROM `calls` WHERE `needs_match` = 1;--> statement-breakpoint
DROP INDEX `calls_needs_match_idx`;--> statement-breakpoint
ALTER TABLE `calls` DROP COLUMN `needs_match`;--> statement-breakpoint
-- (target, eligibility, score, call_id) serves every query by target.
DROP INDEX `matches_target_score_idx`;
