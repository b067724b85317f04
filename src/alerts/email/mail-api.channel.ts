import { z } from "../../domain/zod.js";
import type { Env } from "../../env.js";
import type { SendMail } from "../../routes/app-env.js";
import { APP_VERSION } from "../../version.js";
import type { AlertChannel, ChannelResult, OutgoingAlert } from "../channel.port.js";
import { classifyStatus, errorText, isTimeout } from "../http-answer.js";
import { renderAlertEmail } from "./email.render.js";

/**
 * E-mail through the JSON API of a transactional mail provider (MAIL_API_URL, MAIL_API_KEY): alert
 * e-mails and sign-in links, on Workers and on Node alike (fetch and AbortSignal only; no node:
 * imports). The shape is Resend's `POST /emails`, which other providers and mail relays accept too:
 *
 *     POST <MAIL_API_URL>                         e.g. https://api.resend.com/emails
 *     Authorization: Bearer <MAIL_API_KEY>
 *     Content-Type: application/json
 *     Idempotency-Key: <the alert's idempotency key; a fresh random one for a sign-in mail>
 *     User-Agent: jointbid-mail/<version>
 *
 *     { "from": "jointbid <alerts@example.org>",             MAIL_FROM
 *       "to": ["kontakt@rengoer.example"],
 *       "subject": "Nyt udbud: …",
 *       "text": "…", "html": "<!doctype html>…",               html: alerts only
 *       "headers": { "Message-ID": "<key@jointbid>",          alerts only: email.render.ts's headers
 *                    "List-Unsubscribe": "<https://…/unsubscribe/…>",
 *                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
 *                    "X-Jointbid-Event": "tender.new", "Auto-Submitted": "auto-generated" } }
 *
 * Answers: 2xx is sent (the provider's `id` goes into the delivery's detail). 408, 429, 5xx, a
 * network error or no answer within the timeout (10 s) are retried by the delivery job. A redirect
 * (never followed) and any other 4xx are final, with the provider's error message in the reason
 * (Resend answers `{"statusCode": 422, "name": "validation_error", "message": "…"}`).
 *
 * The body of an alert does not depend on the attempt (no Date header: the provider stamps it), so
 * a retry is the same request under the same Idempotency-Key, and a provider that keeps keys (Resend
 * does for 24 hours) sends the message once even when its first answer was lost.
 */

export interface MailApiOptions {
  /** The provider's send endpoint (MAIL_API_URL). */
  url: string;
  /** Sent as `Authorization: Bearer <apiKey>` (MAIL_API_KEY). */
  apiKey: string;
  /** The sender, `name <address>` (MAIL_FROM), on a domain the provider has verified. */
  from: string;
  fetch?: typeof fetch;
  /** Per request, default 10 000. */
  timeoutMs?: number;
}

export const DEFAULT_MAIL_API_TIMEOUT_MS = 10_000;

/** The request body (Resend's `POST /emails`). */
export const MailApiRequest = z.object({
  from: z.string(),
  to: z.array(z.string()).min(1),
  subject: z.string(),
  text: z.string(),
  html: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
});
export type MailApiRequest = z.infer<typeof MailApiRequest>;

/** The parts of an answer used here: the message id of a 2xx, the error of anything else. */
const MailApiAnswer = z
  .object({
    id: z.string(),
    name: z.string(),
    message: z.string(),
    error: z.union([z.string(), z.object({ message: z.string() }).partial()]),
  })
  .partial();

const REASON_MAX = 500;

/** The answer's JSON fields used here; empty for a body that is not such JSON. */
function answerOf(body: string): z.infer<typeof MailApiAnswer> {
  try {
    const answer = MailApiAnswer.safeParse(JSON.parse(body));
    return answer.success ? answer.data : {};
  } catch {
    return {};
  }
}

/** The provider's words for a failed request: `name: message` from the JSON body, else the body. */
function providerMessage(body: string): string {
  const answer = answerOf(body);
  const message = answer.message ?? (typeof answer.error === "string" ? answer.error : answer.error?.message);
  const words = message
    ? [answer.name, message].filter((p) => p !== undefined && p !== "").join(": ")
    : body.replace(/\s+/g, " ").trim();
  return words.length > REASON_MAX ? `${words.slice(0, REASON_MAX)}…` : words;
}

/** What the provider's answer means for the delivery: as for webhooks, with the provider's words. */
export function classifyMailApiAnswer(status: number, body: string, location?: string | null): ChannelResult {
  const result = classifyStatus(status, location);
  if (result.ok) {
    const id = answerOf(body).id;
    return { ok: true, detail: `mail api: ${result.detail ?? `HTTP ${status}`}${id ? `, id ${id}` : ""}` };
  }
  // A redirect says what it is; any other refusal is explained by the provider's message.
  const words = result.error === `HTTP ${status}` ? providerMessage(body) : "";
  return { ...result, error: `mail api: ${result.error}${words ? `: ${words}` : ""}` };
}

/** Sends one message under `idempotencyKey`; never throws. Shared by alerts and sign-in mail. */
export type MailApiSender = (message: MailApiRequest, idempotencyKey: string) => Promise<ChannelResult>;

export function createMailApiSender(options: MailApiOptions): MailApiSender {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? DEFAULT_MAIL_API_TIMEOUT_MS;
  const userAgent = `jointbid-mail/${APP_VERSION}`;
  return async (message, idempotencyKey) => {
    let response: Response;
    let body: string;
    try {
      response = await doFetch(options.url, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${options.apiKey}`,
          "Content-Type": "application/json",
          "Idempotency-Key": idempotencyKey,
          "User-Agent": userAgent,
        },
        body: JSON.stringify(message),
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Within the same timeout: a provider that stalls mid-answer is retried like one that is silent.
      body = await response.text();
    } catch (error) {
      if (isTimeout(error)) {
        return { ok: false, retryable: true, error: `mail api: timed out after ${timeoutMs} ms` };
      }
      return { ok: false, retryable: true, error: `mail api: network: ${errorText(error)}` };
    }
    return classifyMailApiAnswer(response.status, body, response.headers.get("location"));
  };
}

/** The request body of an alert: the same rendering as the SMTP channel's (email.render.ts). */
export function mailApiRequestFor(alert: OutgoingAlert, from: string, to: string): MailApiRequest {
  const rendered = renderAlertEmail(alert);
  return {
    from,
    to: [to],
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    headers: rendered.headers,
  };
}

/** The alert e-mail channel over the mail API. */
export function createMailApiChannel(options: MailApiOptions): AlertChannel {
  const send = createMailApiSender(options);
  return {
    async send(alert) {
      const channel = alert.subscription.channel;
      if (channel.type !== "email") {
        return { ok: false, retryable: false, error: "the subscription's channel is not e-mail" };
      }
      return send(mailApiRequestFor(alert, options.from, channel.address), alert.idempotencyKey);
    },
  };
}

/**
 * Transactional mail (sign-in links) over the mail API. A failure is thrown, for the caller to
 * log: these messages are not queued or retried (the user asks for a new link).
 */
export function createMailApiSendMail(options: MailApiOptions): SendMail {
  const send = createMailApiSender(options);
  return async (mail) => {
    const result = await send(
      { from: options.from, to: [mail.to], subject: mail.subject, text: mail.text },
      `mail-${crypto.randomUUID()}`,
    );
    if (!result.ok) throw new Error(`e-mail to ${mail.to} not sent: ${result.error}`);
  };
}

/**
 * The mail API settings of the environment, or undefined when MAIL_API_URL is unset (parseEnv
 * refuses a MAIL_API_URL without MAIL_API_KEY). Which runtime uses them: channels.worker.ts and
 * worker.ts always, node-runtime.ts only when SMTP_URL is unset.
 */
export function mailApiSettings(
  env: Pick<Env, "MAIL_API_URL" | "MAIL_API_KEY" | "MAIL_FROM">,
): MailApiOptions | undefined {
  if (!env.MAIL_API_URL || !env.MAIL_API_KEY) return undefined;
  return { url: env.MAIL_API_URL, apiKey: env.MAIL_API_KEY, from: env.MAIL_FROM };
}
