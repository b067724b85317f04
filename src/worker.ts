import type { Context } from "hono";
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import swaggerUiBundle from "swagger-ui-dist/swagger-ui-bundle.js";
import swaggerUiCss from "swagger-ui-dist/swagger-ui.css";
import swaggerUiStandalonePreset from "swagger-ui-dist/swagger-ui-standalone-preset.js";
import { createApp } from "./app.js";
import { loadDemoData, loadReferenceBuyers } from "./demo/load.js";
import { AppError } from "./domain/errors.js";
import { type Env, EnvError, parseEnv } from "./env.js";
import { jobsForCron } from "./jobs/registry.js";
import { createLogger } from "./logger.js";
import type { AppDeps, AppEnv, AssetSource, StaticAsset } from "./routes/app-env.js";
import { errorResponse } from "./routes/errors.js";
import { createRateLimiter } from "./routes/middleware/rate-limit.js";
import { SearchIndexer } from "./search/indexer.js";
import type { SearchEngine } from "./search/search.port.js";
import { createSearchEngine } from "./search/select.js";
import { openD1Store } from "./store/d1.js";
import { createWorkerAlertChannels } from "./alerts/channels.worker.js";
import { createMailApiSendMail, mailApiSettings } from "./alerts/email/mail-api.channel.js";
import { crawlerSettingsFromEnv } from "./services/crawl.service.js";
import { APP_VERSION } from "./version.js";

/**
 * Workers entry: the same app as src/server.ts, over D1 instead of libsql and Cron Triggers
 * instead of node-cron. Everything is built once per isolate, on the first request or schedule.
 * Migrations are applied outside the Worker (`wrangler d1 migrations apply DB`).
 */

/** What wrangler.toml binds: the D1 database, [vars] and secrets (`wrangler secret put`). */
export interface Bindings {
  DB: D1Database;
  MEILI_URL?: string;
  MEILI_KEY?: string;
  MEILI_INDEX_PREFIX?: string;
  PUBLIC_BASE_URL?: string;
  ALLOW_PRIVATE_WEBHOOKS?: string;
  ALERT_RETENTION_DAYS?: string;
  DEMO_DATA?: string;
  WRITE_RATE_PER_TOKEN?: string;
  WRITE_RATE_PER_IP?: string;
  LOG_LEVEL?: string;
  /** Mail provider's send endpoint; with MAIL_API_KEY (a secret), alert e-mails and sign-in links go out. */
  MAIL_API_URL?: string;
  MAIL_API_KEY?: string;
  MAIL_FROM?: string;
}

interface Runtime {
  deps: AppDeps;
  app: ReturnType<typeof createApp>;
  /** Set when search is the embedded engine, which lives in this isolate's memory. */
  freshness: EmbeddedIndexFreshness | undefined;
}

/** Why the Worker cannot serve; `permanent` when only a new deployment can fix it. */
class StartupError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "StartupError";
  }
}

/** This isolate's runtime: built by the first request or schedule, then shared. */
let isolateRuntime: Promise<Runtime> | undefined;

function runtimeFor(bindings: Bindings): Promise<Runtime> {
  if (!isolateRuntime) {
    const starting = startRuntime(bindings);
    isolateRuntime = starting;
    starting.catch((error: unknown) => {
      bootLogger.error("the Worker could not start", describeError(error));
      // Bad configuration stays until the next deployment; anything else (D1 not migrated yet,
      // briefly unavailable) is tried again by the next request.
      const permanent = error instanceof StartupError && error.permanent;
      if (!permanent && isolateRuntime === starting) isolateRuntime = undefined;
    });
  }
  return isolateRuntime;
}

async function startRuntime(bindings: Bindings): Promise<Runtime> {
  let env: Env;
  try {
    env = parseEnv(settingsOf(bindings));
  } catch (error) {
    if (error instanceof EnvError) throw new StartupError(error.message, true, { cause: error });
    throw error;
  }
  const db: D1Database | undefined = bindings.DB;
  if (typeof db?.prepare !== "function") {
    throw new StartupError(
      'invalid configuration: DB: no D1 binding named "DB" (see [[d1_databases]] in wrangler.toml)',
      true,
    );
  }
  const logger = createLogger(env.LOG_LEVEL, writeLogLine);
  const clock = () => new Date();
  const store = openD1Store(db, clock);
  const search = createSearchEngine(env);
  // Without MAIL_API_URL there is no mail on Workers: sign-in links are logged as not sent.
  const mailApi = mailApiSettings(env);
  const deps: AppDeps = {
    store,
    search,
    indexer: new SearchIndexer(search, logger),
    clock,
    logger,
    crawler: crawlerSettingsFromEnv(env, APP_VERSION),
    alerts: { channels: createWorkerAlertChannels(env), baseUrl: env.PUBLIC_BASE_URL },
    alertRetentionDays: env.ALERT_RETENTION_DAYS,
    config: {
      publicBaseUrl: env.PUBLIC_BASE_URL,
      writeRatePerToken: env.WRITE_RATE_PER_TOKEN,
      writeRatePerIp: env.WRITE_RATE_PER_IP,
      version: APP_VERSION,
      sessionSecret: env.SESSION_SECRET,
    },
    clientAddress: workerClientAddress,
    docsAssets: workerDocsAssets,
    // Per isolate: each isolate counts on its own (see the README on rate limits).
    rateLimiter: createRateLimiter(),
    ...(mailApi ? { sendMail: createMailApiSendMail(mailApi) } : {}),
  };

  try {
    const buyers = await loadReferenceBuyers(deps);
    if (buyers > 0) logger.info("reference buyers loaded", { buyers });
    if (env.DEMO_DATA && (await store.tenders.count()) === 0 && (await store.enterprises.count()) === 0) {
      logger.info("demo data loaded", { ...(await loadDemoData(deps)) });
    }
  } catch (error) {
    if (/no such table/i.test(causeChain(error))) {
      throw new StartupError(
        "the D1 database DB has no jointbid tables: apply the migrations with `wrangler d1 migrations apply DB`",
        false,
        { cause: error },
      );
    }
    throw error;
  }

  const freshness =
    search.kind === "embedded" ? new EmbeddedIndexFreshness(deps, () => createSearchEngine(env)) : undefined;
  return { deps, app: createApp(deps), freshness };
}

/** An error's message and those of its causes (drizzle wraps D1's errors in "Failed query: …"). */
function causeChain(error: unknown): string {
  const messages: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    messages.push(e instanceof Error ? e.message : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return messages.join(" <- ");
}

/**
 * The string settings parseEnv reads. Bindings (D1) are left out; [vars] written as TOML
 * booleans or numbers (`DEMO_DATA = false`) are taken as their text, so they are not ignored.
 */
function settingsOf(bindings: Bindings): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const [key, value] of Object.entries(bindings)) {
    if (typeof value === "string") settings[key] = value;
    else if (typeof value === "number" || typeof value === "boolean") settings[key] = String(value);
  }
  return settings;
}

/**
 * The embedded search engine on Workers. Each isolate holds its own copy of the index in
 * memory, built from D1 on its first request, while D1 is shared by every isolate. So before
 * each request the isolate reads `store.revision()` (one small D1 query; the revision grows
 * with every write) and compares it with the revision its index reflects: the revision it was
 * built at plus the writes this isolate's store committed since (`store.ownWrites()`; those went
 * into the index through the indexer already). Any other difference means another isolate
 * wrote, and the index is rebuilt from D1 into a fresh engine that replaces the old one only
 * when complete, so requests in flight never see a half-built index. Concurrent requests share
 * one rebuild. A write of this isolate during a rebuild is not credited (the new index may or
 * may not hold it), so the next check rebuilds once more.
 *
 * This costs a D1 read per request and a full rebuild after every write made elsewhere: use
 * Meilisearch (MEILI_URL, MEILI_KEY) for real traffic; the embedded fallback suits local
 * development and small deployments.
 */
class EmbeddedIndexFreshness {
  /** The store revision and own-write count the live index reflects; undefined until built. */
  private indexed: { revision: number; ownWrites: number } | undefined;
  private rebuilding: Promise<void> | undefined;

  constructor(
    private readonly deps: AppDeps,
    private readonly newEngine: () => SearchEngine,
  ) {}

  get built(): boolean {
    return this.indexed !== undefined;
  }

  private async isFresh(): Promise<boolean> {
    if (!this.indexed) return false;
    const expected = this.indexed.revision + (this.deps.store.ownWrites() - this.indexed.ownWrites);
    return (await this.deps.store.revision()) === expected;
  }

  async ensureFresh(): Promise<void> {
    if (this.rebuilding === undefined && (await this.isFresh())) return;
    this.rebuilding ??= this.rebuild().finally(() => {
      this.rebuilding = undefined;
    });
    await this.rebuilding;
  }

  private async rebuild(): Promise<void> {
    const started = Date.now();
    // Read before the pages: a write that lands while they are read makes the next check rebuild.
    const revision = await this.deps.store.revision();
    const search = this.newEngine();
    const indexer = new SearchIndexer(search, this.deps.logger);
    const counts = await indexer.rebuild(this.deps.store);
    // Requests read deps.search and deps.indexer when they use them; swapping both is atomic.
    this.deps.search = search;
    this.deps.indexer = indexer;
    // Own writes are counted from the end of the rebuild: one during it is not credited.
    this.indexed = { revision, ownWrites: this.deps.store.ownWrites() };
    this.deps.logger.info("search index built from D1", { ...counts, revision, ms: Date.now() - started });
  }
}

/** Cloudflare puts the client's address in CF-Connecting-IP. */
function workerClientAddress(c: Context): string | undefined {
  return c.req.header("cf-connecting-ip");
}

/** Swagger UI's files, bundled as text by wrangler (the `[[rules]]` in wrangler.toml). */
const SWAGGER_UI = new Map<string, StaticAsset>([
  ["swagger-ui.css", { body: swaggerUiCss, contentType: "text/css; charset=utf-8" }],
  ["swagger-ui-bundle.js", { body: swaggerUiBundle, contentType: "text/javascript; charset=utf-8" }],
  [
    "swagger-ui-standalone-preset.js",
    { body: swaggerUiStandalonePreset, contentType: "text/javascript; charset=utf-8" },
  ],
]);

const workerDocsAssets: AssetSource = async (name) => SWAGGER_UI.get(name);

/** The error envelope, for when there is no app to answer (the deps could not be built). */
function errorEnvelope(request: Request, error: AppError): Promise<Response> {
  const app = new Hono<AppEnv>();
  app.use("*", requestId());
  app.all("*", (c) => errorResponse(c, error));
  return Promise.resolve(app.fetch(request));
}

/**
 * One JSON line per event, through the console method of its level, so Workers Logs (and
 * `wrangler dev`) show info as info rather than every line as an error.
 */
function writeLogLine(line: string): void {
  if (line.includes('"level":"error"')) console.error(line);
  else if (line.includes('"level":"warn"')) console.warn(line);
  else console.log(line);
}

const bootLogger = createLogger("info", writeLogLine);

function describeError(error: unknown): Record<string, unknown> {
  return { error: causeChain(error), ...(error instanceof Error ? { stack: error.stack } : {}) };
}

async function handleFetch(request: Request, bindings: Bindings, ctx: ExecutionContext): Promise<Response> {
  let runtime: Runtime;
  try {
    runtime = await runtimeFor(bindings);
  } catch (error) {
    const message =
      error instanceof StartupError
        ? error.message
        : "the service could not start; the error has been logged";
    return errorEnvelope(request, new AppError("INTERNAL", message));
  }
  if (runtime.freshness) {
    try {
      await runtime.freshness.ensureFresh();
    } catch (error) {
      if (!runtime.freshness.built) {
        runtime.deps.logger.error("search index could not be built from D1", describeError(error));
        return errorEnvelope(
          request,
          new AppError("SEARCH_UNAVAILABLE", "the search index could not be built; try again"),
        );
      }
      runtime.deps.logger.warn(
        "search index freshness check failed; serving the current index",
        describeError(error),
      );
    }
  }
  return runtime.app.fetch(request, bindings, ctx);
}

/** Runs every job registered for the cron that fired; one failing job does not stop the others. */
async function runScheduled(controller: ScheduledController, bindings: Bindings): Promise<void> {
  let runtime: Runtime;
  try {
    runtime = await runtimeFor(bindings);
  } catch (error) {
    bootLogger.error("scheduled jobs not run: the Worker could not start", {
      cron: controller.cron,
      ...describeError(error),
    });
    return;
  }
  const { deps } = runtime;
  const jobs = jobsForCron(controller.cron);
  if (jobs.length === 0) {
    deps.logger.warn("no job is registered for this cron", { cron: controller.cron });
    return;
  }
  await runtime.freshness?.ensureFresh().catch((error: unknown) => {
    deps.logger.warn("search index freshness check failed before the jobs", describeError(error));
  });
  const now = new Date(controller.scheduledTime);
  for (const job of jobs) {
    try {
      deps.logger.info("job finished", {
        job: job.name,
        cron: controller.cron,
        ...(await job.run(deps, now)),
      });
    } catch (error) {
      deps.logger.error("job failed", { job: job.name, cron: controller.cron, ...describeError(error) });
    }
  }
}

export default {
  fetch: handleFetch,
  scheduled(controller, bindings, ctx) {
    ctx.waitUntil(runScheduled(controller, bindings));
  },
} satisfies ExportedHandler<Bindings>;
