CREATE TABLE `match_state` (
	`call_id` text PRIMARY KEY NOT NULL,
	`signature` integer NOT NULL,
	FOREIGN KEY (`call_id`) REFERENCES `calls`(`id`) ON UPDATE no action ON DELETE cascade
);
