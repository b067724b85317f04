/**
 * An app for tests: a real SQLite file (libsql) in a temporary folder, the embedded search
 * engine, the municipalities as buyers, and helpers to make accounts and requests.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../src/app.js";
import type { Role } from "../../src/domain/account.js";
import { randomToken, sha256Hex } from "../../src/domain/hash.js";
import { loadDemoData, loadReferenceBuyers } from "../../src/demo/load.js";
import { silentLogger } from "../../src/logger.js";
import { nodeDemoNotices, nodeDocsAssets } from "../../src/node-runtime.js";
import type { AppDeps } from "../../src/routes/app-env.js";
import type { PoliteFetcher } from "../../crawlers/http/polite-fetcher.js";
import type { CrawlerSettings } from "../../src/services/crawl.service.js";
import { createRateLimiter } from "../../src/routes/middleware/rate-limit.js";
import { createEmbeddedSearchEngine } from "../../src/search/embedded/embedded.engine.js";
import { SearchIndexer } from "../../src/search/indexer.js";
import type { SearchEngine } from "../../src/search/search.port.js";
import { openLibsqlStore } from "../../src/store/libsql.js";

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  dbUrl: string;
  request(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  account(
    role: Role,
    link?: { enterpriseId?: string; buyerId?: string },
    email?: string,
  ): Promise<{ id: string; token: string }>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  demo?: boolean;
  /** How crawls reach the web (an msw-served fetch in tests). */
  crawler?: CrawlerSettings;
  /** With `demo`: also the real notices of src/demo/notices (slower). */
  demoNotices?: boolean;
  now?: () => Date;
  search?: SearchEngine;
  writeRatePerToken?: number;
  writeRatePerIp?: number;
  clientAddress?: string;
  /** Alert channels (a recording channel, or real ones to a local SMTP server or receiver). */
  alerts?: AppDeps["alerts"];
  /** Transactional mail (sign-in links). */
  sendMail?: AppDeps["sendMail"];
  publicBaseUrl?: string;
  sessionSecret?: string;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), "jointbid-test-"));
  const dbUrl = `file:${join(dir, "test.db")}`;
  const clock = options.now ?? (() => new Date());
  const store = await openLibsqlStore({ url: dbUrl, clock });
  const search = options.search ?? createEmbeddedSearchEngine();
  const indexer = new SearchIndexer(search, silentLogger);
  const deps: AppDeps = {
    store,
    search,
    indexer,
    clock,
    logger: silentLogger,
    ...(options.crawler ? { crawler: options.crawler } : {}),
    ...(options.alerts ? { alerts: options.alerts } : {}),
    ...(options.sendMail ? { sendMail: options.sendMail } : {}),
    config: {
      publicBaseUrl: options.publicBaseUrl ?? "http://127.0.0.1:8787",
      sessionSecret: options.sessionSecret ?? "test-session-secret-of-at-least-32-chars",
      writeRatePerToken: options.writeRatePerToken ?? 1000,
      writeRatePerIp: options.writeRatePerIp ?? 1000,
      version: "test",
    },
    clientAddress: () => options.clientAddress ?? "127.0.0.1",
    docsAssets: nodeDocsAssets(),
    rateLimiter: createRateLimiter(),
  };
  await loadReferenceBuyers(deps);
  if (options.demo) await loadDemoData(deps, options.demoNotices ? nodeDemoNotices() : []);
  const app = createApp(deps);
  let accounts = 0;
  return {
    app,
    deps,
    dbUrl,
    async request(method, path, { token, body, headers = {} } = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      const h = init.headers as Record<string, string>;
      if (token) h.authorization = `Bearer ${token}`;
      if (body !== undefined) {
        init.body = typeof body === "string" ? body : JSON.stringify(body);
        h["content-type"] ??= "application/json";
      }
      return app.request(path, init);
    },
    async account(role, link = {}, email) {
      const token = randomToken();
      const { account } = await store.accounts.create(
        { email: email ?? `${role}${++accounts}@example.org`, role, ...link },
        await sha256Hex(token),
      );
      return { id: account.id, token };
    },
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Reads a JSON body with a type the test states. */
export async function body<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** A fetcher for sources that are read without the web: any request is a test failure. */
export const NO_HTTP: PoliteFetcher = {
  get: (url) => Promise.reject(new Error(`no request expected (GET ${url})`)),
  request: (url) => Promise.reject(new Error(`no request expected (${url})`)),
};
