import type { Env } from "../env.js";
import type { AlertChannels } from "./channels.js";
import { createUnavailableEmailChannel } from "./email/email-unavailable.channel.js";
import { createMailApiChannel, mailApiSettings } from "./email/mail-api.channel.js";
import { createWebhookChannel } from "./webhook.js";

/**
 * The alert channels on Workers: e-mail through the mail provider's HTTP API when MAIL_API_URL is
 * set (mail-api.channel.ts; SMTP_URL means nothing here), else none (every e-mail delivery fails
 * for good with "e-mail is not configured on Workers…", so it shows as a dead letter); webhooks
 * checked on their literal host only (a Worker has no resolver to look a name up before the
 * request, so a public name that points at a private address is not caught here). Imports
 * nothing Node-only: the `import type` of channels.ts is erased from the bundle.
 */
export function createWorkerAlertChannels(
  config: Pick<Env, "ALLOW_PRIVATE_WEBHOOKS" | "MAIL_API_URL" | "MAIL_API_KEY" | "MAIL_FROM">,
  options: { fetch?: typeof fetch } = {},
): AlertChannels {
  const fetchOption = options.fetch ? { fetch: options.fetch } : {};
  const mailApi = mailApiSettings(config);
  return {
    email: mailApi ? createMailApiChannel({ ...mailApi, ...fetchOption }) : createUnavailableEmailChannel(),
    webhook: createWebhookChannel({ allowPrivate: config.ALLOW_PRIVATE_WEBHOOKS, ...fetchOption }),
  };
}
