import { DEFAULT_ALERT_RETENTION_DAYS, MAX_ALERT_RETENTION_DAYS } from "../domain/subscription.js";
import type { ServiceContext } from "../services/context.js";

/**
 * The retention run (`alerts:prune`, daily): every tender write adds an outbox event with a
 * snapshot of the tender, and every alert a delivery row; without pruning the store only grows.
 * Events older than the retention period whose deliveries are all finished (sent or dead) are
 * deleted with those deliveries, a batch per transaction (AlertRepository.prune). Events still
 * being delivered, and events the fan-out has not planned yet, are kept whatever their age.
 *
 * What goes with them: the subscribers' delivery history (GET …/deliveries) and feed items
 * older than the retention period. Planned enterprise events older than the retention period
 * go too (their group alerts are deliveries of `consortium.opportunity` events, pruned as above,
 * their keys kept in `alert_pruned_keys` so a group is not alerted again).
 */

export const DAY_MS = 24 * 60 * 60_000;

export interface PruneOptions {
  /** Retention in days; the context's ALERT_RETENTION_DAYS (or 90) by default. */
  days?: number;
  batchSize?: number;
  maxBatches?: number;
}

export interface PruneSummary {
  at: string;
  retentionDays: number;
  /** Events that occurred before this instant were eligible. */
  before: string;
  events: number;
  deliveries: number;
  /** Planned enterprise events deleted. */
  enterpriseEvents: number;
  /** Old events kept: not planned yet, or with a delivery still pending. */
  kept: { unplanned: number; undelivered: number };
  /** False when the run stopped at its batch limit; the next run goes on. */
  complete: boolean;
}

/** A retention the prune accepts: whole days, 1 to MAX_ALERT_RETENTION_DAYS. */
export function isRetentionDays(days: number): boolean {
  return Number.isInteger(days) && days >= 1 && days <= MAX_ALERT_RETENTION_DAYS;
}

export async function pruneAlerts(
  ctx: ServiceContext,
  now: Date,
  options: PruneOptions = {},
): Promise<PruneSummary> {
  const retentionDays = options.days ?? ctx.alertRetentionDays ?? DEFAULT_ALERT_RETENTION_DAYS;
  if (!isRetentionDays(retentionDays)) {
    throw new RangeError(
      `the alert retention must be a whole number of days from 1 to ${MAX_ALERT_RETENTION_DAYS} (got ${retentionDays})`,
    );
  }
  const before = new Date(now.getTime() - retentionDays * DAY_MS).toISOString();
  const pruned = await ctx.store.alerts.prune({
    before,
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    ...(options.maxBatches !== undefined ? { maxBatches: options.maxBatches } : {}),
  });
  const kept = await ctx.store.alerts.retained(before);
  return { at: now.toISOString(), retentionDays, before, ...pruned, kept };
}
