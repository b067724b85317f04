import { deliverAlerts } from "../alerts/deliver.js";
import type { ServiceContext } from "../services/context.js";

/**
 * `alerts:deliver`, every minute: plans the profile and group alerts of new outbox events and
 * sends the due deliveries through the context's channels (src/alerts/deliver.ts). Without
 * channels in the context it plans, sends nothing, and says so in its summary.
 */
export async function runAlertsDeliver(ctx: ServiceContext, now: Date): Promise<Record<string, unknown>> {
  return { ...(await deliverAlerts(ctx, now)) };
}
