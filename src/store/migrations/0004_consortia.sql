CREATE TABLE `consortia` (
	`id` text PRIMARY KEY NOT NULL,
	`tender_id` text NOT NULL,
	`created_by` text NOT NULL,
	`status` text NOT NULL,
	`data` text NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`tender_id`) REFERENCES `tenders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `consortia_tender_idx` ON `consortia` (`tender_id`);--> statement-breakpoint
CREATE INDEX `consortia_created_by_idx` ON `consortia` (`created_by`);--> statement-breakpoint
CREATE TABLE `consortium_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`consortium_id` text NOT NULL,
	`seq` integer NOT NULL,
	`at` text NOT NULL,
	`actor_id` text NOT NULL,
	`action` text NOT NULL,
	`entry` text NOT NULL,
	FOREIGN KEY (`consortium_id`) REFERENCES `consortia`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `consortium_history_seq_uq` ON `consortium_history` (`consortium_id`,`seq`);--> statement-breakpoint
CREATE TABLE `consortium_members` (
	`consortium_id` text NOT NULL,
	`enterprise_id` text NOT NULL,
	`role` text NOT NULL,
	`invitation` text NOT NULL,
	FOREIGN KEY (`consortium_id`) REFERENCES `consortia`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `consortium_members_uq` ON `consortium_members` (`consortium_id`,`enterprise_id`);--> statement-breakpoint
CREATE INDEX `consortium_members_enterprise_idx` ON `consortium_members` (`enterprise_id`);