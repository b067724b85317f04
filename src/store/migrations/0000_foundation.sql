CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`role` text NOT NULL,
	`enterprise_id` text,
	`buyer_id` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_email_uq` ON `accounts` (`email`);--> statement-breakpoint
CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_hash_uq` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `api_tokens_account_idx` ON `api_tokens` (`account_id`);--> statement-breakpoint
CREATE TABLE `buyers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`country` text NOT NULL,
	`municipality_code` text,
	`data` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `buyers_country_idx` ON `buyers` (`country`);--> statement-breakpoint
CREATE TABLE `enterprises` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`country` text NOT NULL,
	`data` text NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `enterprises_country_idx` ON `enterprises` (`country`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tender_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tender_id` text NOT NULL,
	`version` integer NOT NULL,
	`changed_at` text NOT NULL,
	`source` text NOT NULL,
	`changes` text NOT NULL,
	`previous` text NOT NULL,
	FOREIGN KEY (`tender_id`) REFERENCES `tenders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tender_history_version_uq` ON `tender_history` (`tender_id`,`version`);--> statement-breakpoint
CREATE TABLE `tenders` (
	`id` text PRIMARY KEY NOT NULL,
	`buyer_id` text NOT NULL,
	`stage` text NOT NULL,
	`title` text NOT NULL,
	`data` text NOT NULL,
	`content_hash` text NOT NULL,
	`version` integer NOT NULL,
	`source` text NOT NULL,
	`first_seen` text NOT NULL,
	`last_changed` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tenders_buyer_idx` ON `tenders` (`buyer_id`);--> statement-breakpoint
CREATE INDEX `tenders_stage_idx` ON `tenders` (`stage`);--> statement-breakpoint
CREATE INDEX `tenders_last_changed_idx` ON `tenders` (`last_changed`);