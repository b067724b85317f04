import { parseArgs } from "node:util";
import { syncIndexSettings } from "../index-config/sync.js";
import { isRetentionDays, pruneAlerts } from "./alerts/prune.js";
import {
  CliError,
  crawlCommand,
  ingestPlanCommand,
  parseNoticeCommand,
  parseOcdsCommand,
} from "./cli-ingest.js";
import { AccountInput, ROLES } from "./domain/account.js";
import { AppError } from "./domain/errors.js";
import { randomToken, sha256Hex } from "./domain/hash.js";
import { MAX_ALERT_RETENTION_DAYS } from "./domain/subscription.js";
import { loadDemoData, loadReferenceBuyers } from "./demo/load.js";
import { EnvError, parseEnv } from "./env.js";
import { JOBS } from "./jobs/registry.js";
import { createLogger } from "./logger.js";
import { nodeDemoNotices, openNodeContext } from "./node-runtime.js";
import { createMeilisearchClient } from "./search/meilisearch/meilisearch.client.js";
import type { ServiceContext } from "./services/context.js";
import { crawlerSettingsFromEnv } from "./services/crawl.service.js";
import { APP_VERSION } from "./version.js";

/**
 * Command-line entry: `npm run --silent cli -- <command> [options]`. Results go to stdout (JSON
 * with --json), messages to stderr. Exit codes: 0 done, 1 failed, 2 wrong usage.
 */
const USAGE = `usage: npm run --silent cli -- <command> [options]

  account create --email <e> --role <${ROLES.join("|")}> [--enterprise <id> | --buyer <id>] [--json]
  account token --email <e> [--json]        issue another token for an account
  account revoke --email <e> [--json]       revoke every token of an account
  account list [--json]
  index sync [--json]                       apply index-config/ settings to Meilisearch
  index rebuild [--json]                    re-index every tender and enterprise from the store
  demo load [--json]                        load the demo data and the real demo notices (idempotent)
  crawl [<source-id>…] [--json]             crawl the declared sources once (all enabled ones by default)
  ingest-plan <url-or-file> --buyer "<name>" [--country DK|SE|NO] [--hints <json>] [--save] [--json]
                                            read a tender plan (HTML, CSV, XLSX); --save stores it
  parse-notice <file.xml> [--json]          print the tender of an eForms notice
  parse-ocds <file.json> [--json]           print the tenders of an OCDS release or record package
  classify [--lang da|sv|nb|en] [--json]    CPV codes for each line of stdin (top 5 per line)
  match --tender <tender.json> --enterprises <enterprises.json> [--max-size 4] [--limit 10]
        [--lots <id,id>] [--group-rule per-member|combined] [--json]
                                            consortia and singles for a tender over the given enterprises
  alerts deliver [--lease <seconds>] [--json]
                                            plan and send the due alerts once (the alerts:deliver job)
  alerts prune [--days <n>] [--json]        delete alert events older than n days (ALERT_RETENTION_DAYS,
                                            90) whose deliveries are all sent or dead (the alerts:prune job)
  job run <name> [--json]                   run a scheduled job once (${JOBS.map((j) => j.name).join(", ")})
  migrate                                   apply database migrations
`;

class UsageError extends Error {}

function fileArgument(value: string | undefined, usage: string): string {
  if (!value) throw new UsageError(`usage: ${usage}`);
  return value;
}

type Ctx = ServiceContext & { close(): Promise<void> };
type Options = Record<string, string | boolean | undefined>;

function print(json: boolean, value: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text}\n`);
}

function required(options: Options, name: string): string {
  const value = options[name];
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`--${name} is required`);
  return value.trim();
}

async function accountCommand(
  ctx: Ctx,
  action: string | undefined,
  options: Options,
  json: boolean,
): Promise<void> {
  switch (action) {
    case "create": {
      const parsed = AccountInput.safeParse({
        email: required(options, "email"),
        role: required(options, "role"),
        ...(typeof options.enterprise === "string" ? { enterpriseId: options.enterprise } : {}),
        ...(typeof options.buyer === "string" ? { buyerId: options.buyer } : {}),
      });
      if (!parsed.success) {
        throw new UsageError(
          parsed.error.issues.map((i) => `${i.path.join(".") || "account"}: ${i.message}`).join("; "),
        );
      }
      if (parsed.data.buyerId && !(await ctx.store.buyers.get(parsed.data.buyerId))) {
        throw new AppError(
          "NOT_FOUND",
          `no buyer ${parsed.data.buyerId} (municipalities are dk-<kommunekode>, se-<kommunkod>)`,
        );
      }
      const token = randomToken();
      const { account } = await ctx.store.accounts.create(parsed.data, await sha256Hex(token));
      print(
        json,
        {
          id: account.id,
          token,
          email: account.email,
          role: account.role,
          enterpriseId: account.enterpriseId,
          buyerId: account.buyerId,
        },
        `created ${account.role} account ${account.email} (${account.id})\ntoken (shown once): ${token}`,
      );
      return;
    }
    case "token": {
      const account = await ctx.store.accounts.byEmail(required(options, "email"));
      if (!account) throw new AppError("NOT_FOUND", `no account for ${String(options.email)}`);
      const token = randomToken();
      await ctx.store.accounts.addToken(account.id, await sha256Hex(token));
      print(json, { id: account.id, token }, `token for ${account.email} (shown once): ${token}`);
      return;
    }
    case "revoke": {
      const account = await ctx.store.accounts.byEmail(required(options, "email"));
      if (!account) throw new AppError("NOT_FOUND", `no account for ${String(options.email)}`);
      const revoked = await ctx.store.accounts.revokeTokens(account.id);
      print(json, { id: account.id, revoked }, `revoked ${revoked} token(s) of ${account.email}`);
      return;
    }
    case "list": {
      const accounts = await ctx.store.accounts.list();
      print(
        json,
        accounts,
        accounts.map((a) => `${a.id}  ${a.role.padEnd(11)} ${a.email}`).join("\n") || "no accounts",
      );
      return;
    }
    default:
      throw new UsageError(`unknown account command ${action ?? "(none)"}`);
  }
}

async function indexCommand(
  ctx: Ctx,
  action: string | undefined,
  json: boolean,
  meili: { url?: string; key?: string; prefix: string },
): Promise<void> {
  if (action === "sync") {
    if (ctx.search.kind !== "meilisearch" || !meili.url) {
      print(
        json,
        { engine: "embedded", synced: [] },
        "the embedded engine has no settings to sync (set MEILI_URL to use Meilisearch)",
      );
      return;
    }
    const client = createMeilisearchClient({ url: meili.url, ...(meili.key ? { apiKey: meili.key } : {}) });
    const summary = await syncIndexSettings(client, { prefix: meili.prefix });
    print(
      json,
      summary,
      summary
        .map(
          (s) =>
            `${s.index}: ${s.created ? "created, " : ""}${s.changed.length > 0 ? `updated ${s.changed.join(", ")}` : "settings already up to date"}`,
        )
        .join("\n"),
    );
    return;
  }
  if (action === "rebuild") {
    const started = Date.now();
    const done = await ctx.indexer.rebuild(ctx.store, {
      onProgress: (p) => {
        if (!json) process.stderr.write(`\rindexed ${p.tenders} tenders, ${p.enterprises} enterprises`);
      },
    });
    if (!json) process.stderr.write("\n");
    const result = { engine: ctx.search.kind, ...done, ms: Date.now() - started };
    print(
      json,
      result,
      ctx.search.kind === "embedded"
        ? `rebuilt ${done.tenders} tenders and ${done.enterprises} enterprises (the embedded index also rebuilds at every start)`
        : `re-indexed ${done.tenders} tenders and ${done.enterprises} enterprises in Meilisearch`,
    );
    return;
  }
  throw new UsageError(`unknown index command ${action ?? "(none)"}`);
}

/** The `--days` of `alerts prune`: whole days, 1 to MAX_ALERT_RETENTION_DAYS. */
function retentionDaysOption(value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  const days = typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!isRetentionDays(days)) {
    throw new UsageError(
      `--days takes a whole number of days from 1 to ${MAX_ALERT_RETENTION_DAYS} (got "${String(value)}")`,
    );
  }
  return days;
}

/** `alerts prune [--days <n>]`: the alerts:prune job once, with the retention given or configured. */
async function alertsPruneCommand(ctx: Ctx, days: number | undefined, json: boolean): Promise<void> {
  const summary = await pruneAlerts(ctx, new Date(), days !== undefined ? { days } : {});
  const kept = summary.kept.unplanned + summary.kept.undelivered;
  print(
    json,
    summary,
    [
      `alerts prune: removed ${summary.events} events and ${summary.deliveries} deliveries older than ${summary.retentionDays} days (before ${summary.before})`,
      ...(kept > 0
        ? [
            `kept ${kept} older events: ${summary.kept.undelivered} with deliveries still pending, ${summary.kept.unplanned} not planned yet`,
          ]
        : []),
      ...(summary.complete ? [] : ["more to remove: run it again (the daily job goes on by itself)"]),
    ].join("\n"),
  );
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: "string" },
      role: { type: "string" },
      enterprise: { type: "string" },
      buyer: { type: "string" },
      country: { type: "string" },
      save: { type: "boolean", default: false },
      hints: { type: "string" },
      lang: { type: "string" },
      tender: { type: "string" },
      enterprises: { type: "string" },
      "max-size": { type: "string" },
      limit: { type: "string" },
      lots: { type: "string" },
      "group-rule": { type: "string" },
      lease: { type: "string" },
      days: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [command, action, arg] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const json = values.json === true;
  const env = parseEnv(process.env);
  const logger = createLogger(env.LOG_LEVEL === "debug" ? "debug" : "warn");
  // Commands that only read files open no database.
  switch (command) {
    case "parse-notice":
      await parseNoticeCommand(fileArgument(action, "parse-notice <file.xml>"), json);
      return 0;
    case "parse-ocds":
      await parseOcdsCommand(fileArgument(action, "parse-ocds <file.json>"), json);
      return 0;
    case "classify": {
      // Imported here so that the other commands do not load the classifier's model.
      const { classifyCommand } = await import("./cli-classify.js");
      return await classifyCommand({
        ...(typeof values.lang === "string" ? { lang: values.lang } : {}),
        json,
        input: process.stdin,
        output: process.stdout,
      });
    }
    case "match": {
      const { matchCommand } = await import("./cli-match.js");
      const { "max-size": maxSize, limit, lots, "group-rule": groupRule } = values;
      return await matchCommand({
        tender: required(values, "tender"),
        enterprises: required(values, "enterprises"),
        ...(maxSize !== undefined ? { maxSize } : {}),
        ...(limit !== undefined ? { limit } : {}),
        ...(lots !== undefined ? { lots } : {}),
        ...(groupRule !== undefined ? { groupRule } : {}),
        json,
      });
    }
    case "ingest-plan": {
      const target = fileArgument(action, 'ingest-plan <url-or-file> --buyer "<name>"');
      await ingestPlanCommand(target, {
        buyer: required(values, "buyer"),
        ...(typeof values.country === "string" ? { country: values.country } : {}),
        ...(typeof values.hints === "string" ? { hints: values.hints } : {}),
        save: values.save === true,
        json,
        userAgent: crawlerSettingsFromEnv(env, APP_VERSION).userAgent,
        openContext: async () => {
          const ctx = await openNodeContext(env, logger);
          await loadReferenceBuyers(ctx);
          return ctx;
        },
      });
      return 0;
    }
  }
  // Wrong usage is refused before the database is opened.
  const pruneDays = command === "alerts" && action === "prune" ? retentionDaysOption(values.days) : undefined;
  const ctx = await openNodeContext(env, logger);
  try {
    switch (command) {
      case "account":
        await loadReferenceBuyers(ctx);
        await accountCommand(ctx, action, values, json);
        break;
      case "index":
        await indexCommand(ctx, action, json, {
          ...(env.MEILI_URL ? { url: env.MEILI_URL } : {}),
          ...(env.MEILI_KEY ? { key: env.MEILI_KEY } : {}),
          prefix: env.MEILI_INDEX_PREFIX,
        });
        break;
      case "demo": {
        if (action !== "load") throw new UsageError(`unknown demo command ${action ?? "(none)"}`);
        const summary = await loadDemoData(ctx, nodeDemoNotices());
        print(
          json,
          summary,
          [
            `demo data: ${summary.buyers} buyers, ${summary.enterprises} enterprises, ${summary.tenders} tenders written`,
            ...(summary.notices ?? []).map(
              (n) =>
                `  ${n.source}: ${n.files} files, ${n.tenders} tenders (${n.new} new, ${n.changed} changed, ${n.skipped} skipped)`,
            ),
          ].join("\n"),
        );
        break;
      }
      case "job": {
        const job = JOBS.find((j) => j.name === arg);
        if (action !== "run" || !job)
          throw new UsageError(`job run <name>: one of ${JOBS.map((j) => j.name).join(", ")}`);
        const summary = await job.run(ctx, new Date());
        print(json, { job: job.name, ...summary }, `${job.name}: ${JSON.stringify(summary)}`);
        break;
      }
      case "alerts": {
        if (action === "prune") {
          await alertsPruneCommand(ctx, pruneDays, json);
          break;
        }
        if (action !== "deliver") throw new UsageError(`unknown alerts command ${action ?? "(none)"}`);
        const lease = typeof values.lease === "string" ? Number(values.lease) : undefined;
        if (lease !== undefined && !(Number.isInteger(lease) && lease > 0))
          throw new UsageError("--lease takes a whole number of seconds");
        const { deliverAlerts } = await import("./alerts/deliver.js");
        const summary = await deliverAlerts(ctx, new Date(), lease ? { leaseMs: lease * 1000 } : {});
        print(
          json,
          summary,
          [
            `alerts: ${summary.fanOut.events} events planned (${summary.fanOut.planned} profile/group deliveries)`,
            `alerts: ${summary.enterpriseFanOut.events} enterprise events planned (${summary.enterpriseFanOut.planned} group deliveries)`,
            summary.channels
              ? `${summary.messages} messages for ${summary.claimed} deliveries: ${summary.sent} sent, ${summary.retried} to retry, ${summary.dead} dead`
              : (summary.note ?? "no alert channels configured"),
          ].join("\n"),
        );
        break;
      }
      case "crawl": {
        await loadReferenceBuyers(ctx);
        return await crawlCommand(ctx, ctx.crawler, positionals.slice(1), json);
      }
      case "migrate":
        print(json, { migrated: true }, "migrations applied");
        break;
      default:
        throw new UsageError(`unknown command ${command}`);
    }
    return 0;
  } finally {
    await ctx.close();
  }
}

/** Exits once stdout is flushed: a pipe may still hold a large JSON answer when main returns. */
function exitAfterOutput(code: number): void {
  process.stdout.write("", () => process.exit(code));
}

main(process.argv.slice(2)).then(
  (code) => exitAfterOutput(code),
  (error: unknown) => {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))
    ) {
      process.stderr.write(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    if (error instanceof CliError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exit(error.exitCode);
    }
    if (error instanceof AppError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
