CREATE TABLE `subscriber_owners` (
	`subscriber_id` integer PRIMARY KEY NOT NULL,
	`token_id` integer NOT NULL,
	FOREIGN KEY (`subscriber_id`) REFERENCES `subscribers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`token_id`) REFERENCES `api_tokens`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscriber_owners_token_id_unique` ON `subscriber_owners` (`token_id`);