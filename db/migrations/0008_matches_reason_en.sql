ALTER TABLE `matches` ADD `reason_en` text DEFAULT '' NOT NULL;--> statement-breakpoint
-- The English line was part of the stored explanation; explanations are made on read from now on.
UPDATE `matches` SET `reason_en` = coalesce(json_extract(`explanation`, '$.reasonEn'), '');--> statement-breakpoint
ALTER TABLE `matches` DROP COLUMN `explanation`;
