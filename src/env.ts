import { DEFAULT_ALERT_RETENTION_DAYS, MAX_ALERT_RETENTION_DAYS } from "./domain/subscription.js";
import { z } from "./domain/zod.js";

/**
 * The one environment schema, for Node (`parseEnv(process.env)`) and Workers (`parseEnv(env)`).
 * Every variable is documented in .env.example and in the README's configuration table.
 */
const bool = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "on", "off", "yes", "no"])
    .optional()
    .transform((v) => (v === undefined ? fallback : ["true", "1", "on", "yes"].includes(v)));

const optionalNonEmpty = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

/** Hosts an http:// MAIL_API_URL may name: this machine only (a local relay, tests). */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

const EnvObject = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Port of the Node server. */
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  /** Interface the Node server binds to; 127.0.0.1 unless you put it behind a proxy or in a container. */
  HOST: z.string().min(1).default("127.0.0.1"),
  /** libsql URL of the store: a SQLite file (`file:./data/jointbid.db`) or a libsql server. */
  DATABASE_URL: z.string().min(1).default("file:./data/jointbid.db"),
  /** Token for a remote libsql server; not needed for a file. */
  DATABASE_AUTH_TOKEN: optionalNonEmpty,
  /** Meilisearch URL; when set, search uses Meilisearch instead of the embedded engine. */
  MEILI_URL: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()))
    .pipe(z.url().optional()),
  /** Meilisearch API key (optional: a development server may run without one). */
  MEILI_KEY: optionalNonEmpty,
  /** Prefix of the Meilisearch index names, so several deployments can share a server. */
  MEILI_INDEX_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/)
    .default("jointbid_"),
  /** Load the demo data into an empty store at start. */
  DEMO_DATA: bool(true),
  /** Public base URL of the service, used in links (feeds, e-mails, Location headers). */
  PUBLIC_BASE_URL: z.url().default("http://127.0.0.1:8787"),
  /** Writes (POST, PATCH, DELETE) allowed per minute per token. */
  WRITE_RATE_PER_TOKEN: z.coerce.number().int().positive().default(60),
  /** Writes allowed per minute per client address. */
  WRITE_RATE_PER_IP: z.coerce.number().int().positive().default(120),
  /** Trust X-Forwarded-For for the client address (only behind a proxy you run). */
  TRUST_PROXY: bool(false),
  /** Scheduled crawls of the declared sources (`off` on machines without internet). */
  CRAWL: bool(true),
  /** Page about the crawler, named in its User-Agent so site owners can reach us. */
  CRAWL_CONTACT_URL: optionalNonEmpty.pipe(z.url().optional()),
  /** Pause between two requests to one host, in milliseconds (at least 2000). */
  CRAWL_MIN_DELAY_MS: z.coerce.number().int().min(2000).default(2000),
  /**
   * SMTP server for alert e-mails and sign-in links (`smtp://user:pass@host:587`,
   * `smtps://host:465`), Node only. Unset: MAIL_API_URL when that is set, else each e-mail is
   * written as an `.eml` file to MAIL_OUTBOX_DIR. When both SMTP_URL and MAIL_API_URL are set,
   * Node uses SMTP; the Worker cannot, and uses MAIL_API_URL.
   */
  SMTP_URL: optionalNonEmpty.pipe(
    z.url({ protocol: /^smtps?$/, error: "an smtp:// or smtps:// URL" }).optional(),
  ),
  /**
   * Send endpoint of a transactional mail provider's JSON API in Resend's shape (e.g.
   * `https://api.resend.com/emails`; see src/alerts/email/mail-api.channel.ts). Sends alert
   * e-mails and sign-in links on Workers, and on Node when SMTP_URL is unset (SMTP_URL wins when
   * both are set). Needs MAIL_API_KEY. https only (http to localhost only, for development): the
   * request carries the key. Unset on Workers: no e-mail (alert e-mails are dead letters).
   */
  MAIL_API_URL: optionalNonEmpty.pipe(
    z
      .url({
        protocol: /^https?$/,
        error: "an https:// URL of the mail provider's send endpoint (e.g. https://api.resend.com/emails)",
        abort: true,
      })
      .refine(
        (url) => {
          const { protocol, hostname } = new URL(url);
          return protocol === "https:" || LOOPBACK_HOSTS.has(hostname);
        },
        { error: "must be https:// (http:// only to localhost): the request carries MAIL_API_KEY" },
      )
      .optional(),
  ),
  /**
   * API key of the mail provider, sent as `Authorization: Bearer …`; required with MAIL_API_URL.
   * A secret: `wrangler secret put MAIL_API_KEY` on Workers, never in wrangler.toml.
   */
  MAIL_API_KEY: optionalNonEmpty,
  /** Folder of the `.eml` files written when neither SMTP_URL nor MAIL_API_URL is set (Node). */
  MAIL_OUTBOX_DIR: z.string().trim().min(1).default("./data/outbox"),
  /**
   * Sender of alert e-mails and sign-in links (`name <address>`). With MAIL_API_URL, an address
   * on a domain the provider has verified, or it refuses every message.
   */
  MAIL_FROM: z.string().trim().min(3).default("jointbid <alerts@jointbid.invalid>"),
  /**
   * Let webhooks target loopback, private, link-local and other non-public addresses. Off in
   * production: a subscriber could otherwise make the service call into its own network.
   */
  ALLOW_PRIVATE_WEBHOOKS: bool(false),
  /**
   * Days an alert event and its deliveries are kept once every delivery is finished (sent or
   * dead); the daily `alerts:prune` job deletes older ones. Events still being delivered stay.
   */
  ALERT_RETENTION_DAYS: z.coerce
    .number({ error: "a whole number of days" })
    .int("a whole number of days")
    .min(1, "at least 1 day")
    .max(MAX_ALERT_RETENTION_DAYS, `at most ${MAX_ALERT_RETENTION_DAYS} days`)
    .default(DEFAULT_ALERT_RETENTION_DAYS),
  /**
   * Key that signs the web pages' session cookies and CSRF tokens (at least 32 characters). Unset
   * on Node: a random key per process, so everyone is signed out at restart. Set it on Workers.
   */
  SESSION_SECRET: optionalNonEmpty.pipe(z.string().min(32).optional()),
  /** debug | info | warn | error */
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

/** The variables, and the rules between them (MAIL_API_URL needs MAIL_API_KEY). */
export const EnvSchema = EnvObject.superRefine((env, ctx) => {
  if (env.MAIL_API_URL && !env.MAIL_API_KEY) {
    ctx.addIssue({
      code: "custom",
      path: ["MAIL_API_KEY"],
      message:
        "required when MAIL_API_URL is set (the mail provider's API key; on Workers `wrangler secret put MAIL_API_KEY`)",
    });
  }
});

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(`invalid configuration: ${issues.map((i) => `${i.variable}: ${i.message}`).join("; ")}`);
    this.name = "EnvError";
  }
}

/** Parses and validates the environment; throws EnvError naming every bad variable. */
export function parseEnv(source: Record<string, unknown>): Env {
  const strings: Record<string, string | undefined> = {};
  for (const key of Object.keys(EnvSchema.shape)) {
    const value = source[key];
    strings[key] = typeof value === "string" ? value : undefined;
  }
  const result = EnvSchema.safeParse(strings);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((i) => ({ variable: String(i.path[0] ?? "?"), message: i.message })),
    );
  }
  return result.data;
}
