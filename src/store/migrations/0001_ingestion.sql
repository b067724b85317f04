CREATE TABLE `http_validators` (
	`url` text PRIMARY KEY NOT NULL,
	`etag` text,
	`last_modified` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `source_items` (
	`source_id` text NOT NULL,
	`tender_id` text NOT NULL,
	`first_run_id` integer NOT NULL,
	`last_seen_run_id` integer NOT NULL,
	`missed_runs` integer NOT NULL,
	`withdrawn_run_id` integer,
	FOREIGN KEY (`tender_id`) REFERENCES `tenders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `source_items_uq` ON `source_items` (`source_id`,`tender_id`);--> statement-breakpoint
CREATE INDEX `source_items_tender_idx` ON `source_items` (`tender_id`);--> statement-breakpoint
CREATE TABLE `source_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`status` text NOT NULL,
	`counts` text NOT NULL,
	`errors` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `source_runs_source_idx` ON `source_runs` (`source_id`,`id`);--> statement-breakpoint
CREATE TABLE `tender_links` (
	`planned_id` text NOT NULL,
	`notice_id` text NOT NULL,
	`score_pct` integer NOT NULL,
	`reason` text NOT NULL,
	`linked_at` text NOT NULL,
	FOREIGN KEY (`planned_id`) REFERENCES `tenders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`notice_id`) REFERENCES `tenders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tender_links_uq` ON `tender_links` (`planned_id`,`notice_id`);--> statement-breakpoint
CREATE INDEX `tender_links_notice_idx` ON `tender_links` (`notice_id`);