CREATE TABLE `change_counters` (
	`name` text PRIMARY KEY NOT NULL,
	`n` integer NOT NULL
);
--> statement-breakpoint
-- Raised by every write to calls and their deadlines, whatever writes them (crawls, imports,
-- the CLI in another process); read by src/sql.ts `callsGeneration`.
INSERT INTO `change_counters` (`name`, `n`) VALUES ('calls', 0);
--> statement-breakpoint
CREATE TRIGGER `calls_counted_insert` AFTER INSERT ON `calls` BEGIN
	UPDATE `change_counters` SET `n` = `n` + 1 WHERE `name` = 'calls';
END;
--> statement-breakpoint
CREATE TRIGGER `calls_counted_update` AFTER UPDATE ON `calls` BEGIN
	UPDATE `change_counters` SET `n` = `n` + 1 WHERE `name` = 'calls';
END;
--> statement-breakpoint
CREATE TRIGGER `calls_counted_delete` AFTER DELETE ON `calls` BEGIN
	UPDATE `change_counters` SET `n` = `n` + 1 WHERE `name` = 'calls';
END;
--> statement-breakpoint
CREATE TRIGGER `call_deadlines_counted_insert` AFTER INSERT ON `call_deadlines` BEGIN
	UPDATE `change_counters` SET `n` = `n` + 1 WHERE `name` = 'calls';
END;
--> statement-breakpoint
CREATE TRIGGER `call_deadlines_counted_update` AFTER UPDATE ON `call_deadlines` BEGIN
	UPDATE `change_counters` SET `n` = `n` + 1 WHERE `name` = 'calls';
END;
--> statement-breakpoint
CREATE TRIGGER `call_deadlines_counted_delete` AFTER DELETE ON `call_deadlines` BEGIN
	UPDATE `change_counters` SET `n` = `n` + 1 WHERE `name` = 'calls';
END;
