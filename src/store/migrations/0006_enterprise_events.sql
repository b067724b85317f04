CREATE TABLE `enterprise_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_key` text NOT NULL,
	`enterprise_id` text NOT NULL,
	`version` integer NOT NULL,
	`event` text NOT NULL,
	`occurred_at` text NOT NULL,
	`fields` text NOT NULL,
	`expanded` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`enterprise_id`) REFERENCES `enterprises`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `enterprise_events_key_uq` ON `enterprise_events` (`event_key`);--> statement-breakpoint
CREATE INDEX `enterprise_events_expanded_idx` ON `enterprise_events` (`expanded`,`id`);--> statement-breakpoint
CREATE INDEX `enterprise_events_retention_idx` ON `enterprise_events` (`expanded`,`occurred_at`);