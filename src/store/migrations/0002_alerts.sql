CREATE TABLE `alert_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`subscription_id` text NOT NULL,
	`event_id` integer NOT NULL,
	`tender_id` text NOT NULL,
	`event` text NOT NULL,
	`version` integer NOT NULL,
	`idempotency_key` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text NOT NULL,
	`first_attempt_at` text,
	`lease_until` text,
	`lease_owner` text,
	`last_error` text,
	`created_at` text NOT NULL,
	`sent_at` text,
	`payload` text,
	FOREIGN KEY (`subscription_id`) REFERENCES `subscriptions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`event_id`) REFERENCES `alert_events`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_deliveries_key_uq` ON `alert_deliveries` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_due_idx` ON `alert_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_subscription_idx` ON `alert_deliveries` (`subscription_id`,`id`);--> statement-breakpoint
CREATE TABLE `alert_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_key` text NOT NULL,
	`tender_id` text NOT NULL,
	`version` integer NOT NULL,
	`event` text NOT NULL,
	`occurred_at` text NOT NULL,
	`payload` text NOT NULL,
	`expanded` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`tender_id`) REFERENCES `tenders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_events_key_uq` ON `alert_events` (`event_key`);--> statement-breakpoint
CREATE INDEX `alert_events_expanded_idx` ON `alert_events` (`expanded`,`id`);--> statement-breakpoint
CREATE INDEX `alert_events_tender_idx` ON `alert_events` (`tender_id`);--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`kind` text NOT NULL,
	`active` integer NOT NULL,
	`data` text NOT NULL,
	`feed_token_hash` text,
	`unsubscribe_token` text NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `subscriptions_account_idx` ON `subscriptions` (`account_id`);--> statement-breakpoint
CREATE INDEX `subscriptions_active_kind_idx` ON `subscriptions` (`active`,`kind`);--> statement-breakpoint
CREATE UNIQUE INDEX `subscriptions_feed_token_uq` ON `subscriptions` (`feed_token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `subscriptions_unsubscribe_uq` ON `subscriptions` (`unsubscribe_token`);