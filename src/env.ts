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

export const EnvSchema = z.object({
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
   * SMTP server for alert e-mails (`smtp://user:pass@host:587`, `smtps://host:465`). Unset: each
   * e-mail is written as an `.eml` file to MAIL_OUTBOX_DIR instead (Node only; the Worker has no
   * e-mail channel).
   */
  SMTP_URL: optionalNonEmpty.pipe(
    z.url({ protocol: /^smtps?$/, error: "an smtp:// or smtps:// URL" }).optional(),
  ),
  /** Folder of the `.eml` files written when SMTP_URL is unset. */
  MAIL_OUTBOX_DIR: z.string().trim().min(1).default("./data/outbox"),
  /** Sender of alert e-mails (`name <address>`). */
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
