import { createHash, randomUUID } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import nodemailer from "nodemailer";
import type { SendMailOptions, Transporter } from "nodemailer";
import type { AlertChannel, ChannelResult, OutgoingAlert } from "../channel.port.js";
import { renderAlertEmail } from "./email.render.js";

/**
 * The e-mail channel on Node: nodemailer to `smtpUrl`, or, without one, one `.eml` file per
 * message in `outboxDir` (for development and for operators who hand the files to their own mail
 * system). Node-only (nodemailer, node:fs): the Worker uses email-unavailable.channel.ts instead
 * and never imports this module.
 */

export interface EmailChannelOptions {
  /** `smtp://user:pass@host:587` or `smtps://host:465`; unset: write `.eml` files. */
  smtpUrl?: string | undefined;
  /** Folder of the `.eml` files (created when missing); default `./data/outbox`. */
  outboxDir?: string | undefined;
  /** The sender, `name <address>`. */
  from: string;
  /** Connection, greeting and socket inactivity timeouts in ms (default 5 000). */
  timeoutMs?: number | undefined;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_OUTBOX = "./data/outbox";

/**
 * File name of a message's `.eml`: the idempotency key with characters other than letters,
 * digits, `_` and `-` percent-encoded (a long key is replaced by its SHA-256). The same key
 * always gives the same name, so a resend overwrites the file instead of adding one.
 */
export function emlFileName(idempotencyKey: string): string {
  const encoded = [...new TextEncoder().encode(idempotencyKey)]
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9_-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
    })
    .join("");
  const base =
    encoded.length > 0 && encoded.length <= 200
      ? encoded
      : createHash("sha256").update(idempotencyKey).digest("hex");
  return `${base}.eml`;
}

interface SmtpLikeError {
  code?: unknown;
  responseCode?: unknown;
  permanent?: unknown;
  message?: unknown;
}

/**
 * What an SMTP failure means for the delivery. A permanent rejection (5xx, nodemailer's
 * `permanent`) will not change: non-retryable. A temporary one (4xx), a timeout, a refused or
 * dropped connection: retryable. Authentication and TLS failures are retried too: they are
 * configuration problems of this service, not of the message, and an operator can fix them
 * within the retry window.
 */
export function classifySmtpError(error: unknown): Extract<ChannelResult, { ok: false }> {
  const e = (typeof error === "object" && error !== null ? error : {}) as SmtpLikeError;
  const message = typeof e.message === "string" ? e.message : String(error);
  const code = typeof e.code === "string" ? e.code : undefined;
  const responseCode = typeof e.responseCode === "number" ? e.responseCode : undefined;
  const detail = [code, responseCode, message].filter((p) => p !== undefined).join(" ");
  if (code === "EAUTH" || code === "ETLS" || code === "EREQUIRETLS") {
    return { ok: false, retryable: true, error: `smtp configuration: ${detail}` };
  }
  if (typeof e.permanent === "boolean") {
    return { ok: false, retryable: !e.permanent, error: `smtp: ${detail}` };
  }
  if (responseCode !== undefined) {
    return { ok: false, retryable: responseCode < 500, error: `smtp: ${detail}` };
  }
  // An envelope nodemailer refuses before talking to the server (no recipient, a bad address).
  if (code === "EENVELOPE") return { ok: false, retryable: false, error: `smtp: ${detail}` };
  return { ok: false, retryable: true, error: `smtp: ${detail}` };
}

function mailOptions(alert: OutgoingAlert, from: string, to: string): SendMailOptions {
  const rendered = renderAlertEmail(alert);
  const { "Message-ID": messageId, ...headers } = rendered.headers;
  const date = new Date(alert.deliveredAt);
  return {
    from,
    to,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    messageId,
    ...(Number.isNaN(date.getTime()) ? {} : { date }),
    // Prepared: written as they are (nodemailer would otherwise re-encode the URL in <…>).
    headers: Object.fromEntries(
      Object.entries(headers).map(([key, value]) => [key, { prepared: true, value }]),
    ),
  };
}

function recipientOf(alert: OutgoingAlert): string | undefined {
  return alert.subscription.channel.type === "email" ? alert.subscription.channel.address : undefined;
}

const NOT_EMAIL: ChannelResult = {
  ok: false,
  retryable: false,
  error: "the subscription's channel is not e-mail",
};

/**
 * Sends one built message through the configured transport: SMTP when `smtpUrl` is set, else an
 * `.eml` file named after `key` in `outboxDir`. The alert channel and transactional mail (sign-in
 * links) share it.
 */
export type MailSender = (mail: SendMailOptions, key: string) => Promise<ChannelResult>;

function smtpSender(smtpUrl: string, timeoutMs: number): MailSender {
  let transporter: Transporter | undefined;
  return async (mail) => {
    transporter ??= nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs * 3,
      dnsTimeout: timeoutMs,
    });
    try {
      const info = await transporter.sendMail(mail);
      const response = typeof info.response === "string" ? info.response : undefined;
      return { ok: true, ...(response ? { detail: `smtp: ${response}` } : {}) };
    } catch (error) {
      return classifySmtpError(error);
    }
  };
}

function outboxSender(outboxDir: string): MailSender {
  const dir = resolve(outboxDir);
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });
  return async (mail, key) => {
    let message: Buffer;
    try {
      const info = await composer.sendMail(mail);
      message = Buffer.isBuffer(info.message) ? info.message : Buffer.from(String(info.message));
    } catch (error) {
      return { ok: false, retryable: false, error: `e-mail could not be built: ${String(error)}` };
    }
    const target = join(dir, emlFileName(key));
    const temp = `${target}.${randomUUID()}.tmp`;
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(temp, message);
      // rename replaces atomically: a reader sees the old file or the new one, never half.
      await rename(temp, target);
      return { ok: true, detail: `written to ${target}` };
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      return { ok: false, retryable: true, error: `outbox: ${String(error)}` };
    }
  };
}

/** The transport of `options`: SMTP when `smtpUrl` is set, else `.eml` files in `outboxDir`. */
export function createMailSender(options: Omit<EmailChannelOptions, "from">): MailSender {
  if (options.smtpUrl) return smtpSender(options.smtpUrl, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  return outboxSender(options.outboxDir ?? DEFAULT_OUTBOX);
}

/** The e-mail channel: SMTP when `smtpUrl` is set, else `.eml` files in `outboxDir`. */
export function createEmailChannel(options: EmailChannelOptions): AlertChannel {
  const send = createMailSender(options);
  return {
    async send(alert) {
      const to = recipientOf(alert);
      if (!to) return NOT_EMAIL;
      return send(mailOptions(alert, options.from, to), alert.idempotencyKey);
    },
  };
}
