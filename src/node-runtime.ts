import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import type { DemoNoticeSet } from "./demo/notices.js";
import type { Env } from "./env.js";
import type { Logger } from "./logger.js";
import type { AssetSource, SendMail } from "./routes/app-env.js";
import { SearchIndexer } from "./search/indexer.js";
import { createSearchEngine } from "./search/select.js";
import type { ServiceContext } from "./services/context.js";
import { type AlertChannels, createAlertChannels } from "./alerts/channels.js";
import {
  type MailApiOptions,
  createMailApiChannel,
  createMailApiSendMail,
  mailApiSettings,
} from "./alerts/email/mail-api.channel.js";
import { createSendMail } from "./alerts/email/transactional.mail.js";
import { type CrawlerSettings, crawlerSettingsFromEnv } from "./services/crawl.service.js";
import { openLibsqlStore } from "./store/libsql.js";
import { APP_VERSION } from "./version.js";

/**
 * Node wiring shared by the server and the CLI: the libsql store (migrated), the search engine
 * the environment asks for, and the indexer that keeps them in step.
 */
export async function openNodeContext(
  env: Env,
  logger: Logger,
): Promise<ServiceContext & { crawler: CrawlerSettings; close(): Promise<void> }> {
  const clock = () => new Date();
  const store = await openLibsqlStore({
    url: env.DATABASE_URL,
    ...(env.DATABASE_AUTH_TOKEN ? { authToken: env.DATABASE_AUTH_TOKEN } : {}),
    clock,
  });
  const search = createSearchEngine(env);
  const indexer = new SearchIndexer(search, logger);
  const crawler = crawlerSettingsFromEnv(env, APP_VERSION);
  const alerts = { channels: nodeAlertChannels(env), baseUrl: env.PUBLIC_BASE_URL };
  return {
    store,
    search,
    indexer,
    clock,
    logger,
    crawler,
    alerts,
    alertRetentionDays: env.ALERT_RETENTION_DAYS,
    close: () => store.close(),
  };
}

/**
 * The mail provider's HTTP API, when Node mails through it: MAIL_API_URL is set and SMTP_URL is
 * not (SMTP wins when both are set; with neither, mail goes to `.eml` files in MAIL_OUTBOX_DIR).
 */
export function nodeMailApi(
  env: Pick<Env, "SMTP_URL" | "MAIL_API_URL" | "MAIL_API_KEY" | "MAIL_FROM">,
): MailApiOptions | undefined {
  return env.SMTP_URL ? undefined : mailApiSettings(env);
}

/** The alert channels on Node: channels.ts's, with e-mail through the mail API when nodeMailApi says so. */
export function nodeAlertChannels(env: Env): AlertChannels {
  const channels = createAlertChannels(env);
  const mailApi = nodeMailApi(env);
  return mailApi ? { ...channels, email: createMailApiChannel(mailApi) } : channels;
}

/** Transactional mail (sign-in links) on Node, by the same rule as the alert e-mails. */
export function nodeSendMail(env: Env): SendMail {
  const mailApi = nodeMailApi(env);
  if (mailApi) return createMailApiSendMail(mailApi);
  return createSendMail({ smtpUrl: env.SMTP_URL, outboxDir: env.MAIL_OUTBOX_DIR, from: env.MAIL_FROM });
}

/** Swagger UI's files from the swagger-ui-dist package. */
export function nodeDocsAssets(): AssetSource {
  const dir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  const types: Record<string, string> = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
  };
  return async (name) => {
    const ext = name.slice(name.lastIndexOf("."));
    const contentType = types[ext];
    if (!contentType || name.includes("/") || name.includes("..")) return undefined;
    try {
      return { body: await readFile(join(dir, name), "utf8"), contentType };
    } catch {
      return undefined;
    }
  };
}

/** The client address: the socket's peer, or the first X-Forwarded-For hop behind a trusted proxy. */
export function nodeClientAddress(trustProxy: boolean): (c: Context) => string | undefined {
  return (c) => {
    if (trustProxy) {
      const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
      if (forwarded) return forwarded;
    }
    try {
      return getConnInfo(c).remote.address;
    } catch {
      return undefined;
    }
  };
}

const DEMO_NOTICES_DIR = join(dirname(fileURLToPath(import.meta.url)), "demo", "notices");

/** The real notices of the demo, read from src/demo/notices/ (Node only: too large for a Worker bundle). */
export function nodeDemoNotices(dir = DEMO_NOTICES_DIR): DemoNoticeSet[] {
  const folder = (sub: string, ext: string) => async (): Promise<{ name: string; text: string }[]> => {
    const path = join(dir, sub);
    const names = (await readdir(path)).filter((n) => n.endsWith(ext)).sort();
    return Promise.all(
      names.map(async (name) => ({ name: `${sub}/${name}`, text: await readFile(join(path, name), "utf8") })),
    );
  };
  const files = (paths: string[]) => async () =>
    Promise.all(paths.map(async (p) => ({ name: p, text: await readFile(join(dir, p), "utf8") })));
  return [
    { id: "demo-ted", format: "eforms", files: folder("ted-r209/eforms-converted", ".xml") },
    { id: "demo-eforms-examples", format: "eforms", files: folder("eforms/notices", ".xml") },
    { id: "demo-eforms-norway", format: "eforms", files: folder("eforms/notices-norway-national", ".xml") },
    {
      id: "demo-ocds-uk",
      format: "ocds",
      files: files([
        "ocds/uk-contracts-finder-planning-releases.json",
        "ocds/uk-contracts-finder-releases.json",
      ]),
    },
  ];
}
