CREATE TABLE `alert_pruned_keys` (
	`idempotency_key` text PRIMARY KEY NOT NULL,
	`pruned_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `alert_deliveries_event_idx` ON `alert_deliveries` (`event_id`,`status`);--> statement-breakpoint
CREATE INDEX `alert_events_retention_idx` ON `alert_events` (`expanded`,`occurred_at`);