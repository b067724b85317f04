import { lookup } from "node:dns/promises";
import type { Env } from "../env.js";
import type { AlertChannel } from "./channel.port.js";
import { createEmailChannel } from "./email/email.channel.js";
import { type WebhookFetch, createWebhookChannel } from "./webhook.js";
import { createNodeWebhookFetch } from "./webhook-fetch.js";

/**
 * The alert channels on Node: e-mail through SMTP_URL (or `.eml` files in MAIL_OUTBOX_DIR) and
 * webhooks whose host names are resolved through the system resolver before each send, so a name
 * pointing at a private address is refused, and again when the request connects (webhook-fetch.ts),
 * so a name whose answer turns private in between (DNS rebinding) is refused too. Both go through
 * `resolve`, as ALLOW_PRIVATE_WEBHOOKS decides. Node-only; the Worker uses channels.worker.ts.
 */

export type AlertChannelsConfig = Pick<
  Env,
  "SMTP_URL" | "MAIL_OUTBOX_DIR" | "MAIL_FROM" | "ALLOW_PRIVATE_WEBHOOKS"
>;

export interface AlertChannels {
  email: AlertChannel;
  webhook: AlertChannel;
}

/** Every address of `host`, as the system resolver (and so fetch) sees it. */
export async function resolveHost(host: string): Promise<string[]> {
  const answers = await lookup(host, { all: true, verbatim: true });
  return answers.map((a) => a.address);
}

export function createAlertChannels(
  config: AlertChannelsConfig,
  options: {
    /** Replaces the connect-time guard too (tests with a mock). */
    fetch?: WebhookFetch;
    /** Host name → addresses, for the check and for every connection. */
    resolve?: (host: string) => Promise<string[]>;
  } = {},
): AlertChannels {
  const allowPrivate = config.ALLOW_PRIVATE_WEBHOOKS;
  const resolve = options.resolve ?? resolveHost;
  return {
    email: createEmailChannel({
      smtpUrl: config.SMTP_URL,
      outboxDir: config.MAIL_OUTBOX_DIR,
      from: config.MAIL_FROM,
    }),
    webhook: createWebhookChannel({
      allowPrivate,
      resolve,
      fetch: options.fetch ?? createNodeWebhookFetch({ allowPrivate, resolve }),
    }),
  };
}
