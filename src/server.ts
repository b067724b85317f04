import { serve } from "@hono/node-server";
import cron from "node-cron";
import { createApp } from "./app.js";
import { loadDemoData, loadReferenceBuyers } from "./demo/load.js";
import { EnvError, parseEnv } from "./env.js";
import { JOBS } from "./jobs/registry.js";
import { createLogger } from "./logger.js";
import {
  nodeClientAddress,
  nodeDemoNotices,
  nodeDocsAssets,
  nodeSendMail,
  openNodeContext,
} from "./node-runtime.js";
import { createRateLimiter } from "./routes/middleware/rate-limit.js";
import { APP_VERSION } from "./version.js";

/**
 * Node entry: configuration → store (migrated) → search index (rebuilt from the store when it
 * is the embedded one) → demo data into an empty store → HTTP server and scheduled jobs.
 * SIGTERM and SIGINT stop it cleanly.
 */
async function main(): Promise<void> {
  let env;
  try {
    env = parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(env.LOG_LEVEL);
  const ctx = await openNodeContext(env, logger);

  await loadReferenceBuyers(ctx);
  if (ctx.search.kind === "embedded") {
    const started = Date.now();
    const indexed = await ctx.indexer.rebuild(ctx.store);
    logger.info("search index built", { ...indexed, ms: Date.now() - started });
  }
  if (
    env.DEMO_DATA &&
    (await ctx.store.tenders.count()) === 0 &&
    (await ctx.store.enterprises.count()) === 0
  ) {
    logger.info("demo data loaded", { ...(await loadDemoData(ctx, nodeDemoNotices())) });
  }

  const app = createApp({
    ...ctx,
    config: {
      publicBaseUrl: env.PUBLIC_BASE_URL,
      writeRatePerToken: env.WRITE_RATE_PER_TOKEN,
      writeRatePerIp: env.WRITE_RATE_PER_IP,
      version: APP_VERSION,
      sessionSecret: env.SESSION_SECRET,
    },
    clientAddress: nodeClientAddress(env.TRUST_PROXY),
    docsAssets: nodeDocsAssets(),
    rateLimiter: createRateLimiter(),
    sendMail: nodeSendMail(env),
  });
  if (!env.SESSION_SECRET) logger.warn("SESSION_SECRET is unset: web sessions end when the server restarts");

  const tasks = JOBS.map((job) =>
    cron.schedule(
      job.cron,
      async () => {
        try {
          logger.info("job finished", { job: job.name, ...(await job.run(ctx, new Date())) });
        } catch (error) {
          logger.error("job failed", {
            job: job.name,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      },
      { timezone: "UTC", noOverlap: true, name: job.name },
    ),
  );

  const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
    logger.info("listening", { url: `http://${info.address}:${info.port}`, search: ctx.search.kind });
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("stopping", { signal });
    for (const task of tasks) void task.stop();
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close(async () => {
      await ctx.close();
      logger.info("stopped");
      process.exit(0);
    });
    // In-flight requests finish; idle keep-alive connections would otherwise hold the close.
    if ("closeIdleConnections" in server) server.closeIdleConnections();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
