import type { Env } from "../env.js";
import type { AlertChannels } from "./channels.js";
import { createUnavailableEmailChannel } from "./email/email-unavailable.channel.js";
import { createWebhookChannel } from "./webhook.js";

/**
 * The alert channels on Workers: no e-mail (every e-mail delivery fails for good with "e-mail is
 * not configured on Workers", so it shows as a dead letter), and webhooks checked on their
 * literal host only (a Worker has no resolver to look a name up before the request, so a public
 * name that points at a private address is not caught here). Imports nothing Node-only: the
 * `import type` of channels.ts is erased from the bundle.
 */
export function createWorkerAlertChannels(
  config: Pick<Env, "ALLOW_PRIVATE_WEBHOOKS">,
  options: { fetch?: typeof fetch } = {},
): AlertChannels {
  return {
    email: createUnavailableEmailChannel(),
    webhook: createWebhookChannel({
      allowPrivate: config.ALLOW_PRIVATE_WEBHOOKS,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),
  };
}
