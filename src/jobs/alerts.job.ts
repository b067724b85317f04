import { deliverAlerts } from "../alerts/deliver.js";
import { pruneAlerts } from "../alerts/prune.js";
import type { ServiceContext } from "../services/context.js";

/**
 * `alerts:deliver`, every minute: plans the profile and group alerts of new outbox events and
 * sends the due deliveries through the context's channels (src/alerts/deliver.ts). Without
 * channels in the context it plans, sends nothing, and says so in its summary.
 */
export async function runAlertsDeliver(ctx: ServiceContext, now: Date): Promise<Record<string, unknown>> {
  return { ...(await deliverAlerts(ctx, now)) };
}

/**
 * `alerts:prune`, daily: deletes alert events older than ALERT_RETENTION_DAYS (90 by default)
 * whose deliveries are all sent or dead, with those deliveries (src/alerts/prune.ts).
 */
export async function runAlertsPrune(ctx: ServiceContext, now: Date): Promise<Record<string, unknown>> {
  return { ...(await pruneAlerts(ctx, now)) };
}
