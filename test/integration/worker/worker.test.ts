/**
 * The Worker as Cloudflare runs it, locally: `wrangler dev --local` (workerd) over a local D1
 * migrated by `wrangler d1 migrations apply`, with the embedded search engine. Slow (wrangler
 * and workerd start twice), so each step has its own bounded timeout.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomToken, sha256Hex } from "../../../src/domain/hash.js";
import { JOBS } from "../../../src/jobs/registry.js";
import { type MailApiMock, createMailApiMock } from "../../mocks/mail-api.js";
import { type HandlerServer, serveHandlers } from "../../support/msw-http.js";
import { freePort } from "../../support/process.js";
import { type DevServer, ROOT, startDev, wrangler } from "./wrangler.js";

interface ErrorBody {
  error: { code: string; message: string; requestId: string };
}

const STARTUP_TIMEOUT_MS = 120_000;
const REQUEST_TIMEOUT_MS = 30_000;

/** Local D1 commands against the test's own persistence folder. */
function d1(persistTo: string, ...args: string[]): Promise<string> {
  return wrangler(["d1", ...args, "--local", "--persist-to", persistTo]);
}

/** Quotes a value for a SQL string literal. */
const sql = (value: string) => `'${value.replace(/'/g, "''")}'`;

function expectEnvelope(res: Response, body: unknown, code: string): asserts body is ErrorBody {
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(body).toEqual({ error: { code, message: expect.any(String), requestId: expect.any(String) } });
}

describe("the Worker under wrangler dev (local D1, embedded search)", () => {
  const persistTo = mkdtempSync(join(tmpdir(), "jointbid-worker-"));
  const token = `worker-test-${randomToken(24)}`;
  let dev: DevServer | undefined;

  const call = async (path: string, init: RequestInit = {}): Promise<Response> => {
    if (!dev) throw new Error("wrangler dev is not running");
    return fetch(`${dev.url}${path}`, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  };

  beforeAll(async () => {
    await d1(persistTo, "migrations", "apply", "DB");
    // A buyer account for Aarhus Kommune (dk-0751) with a known bearer token, as the CLI makes them.
    const now = new Date().toISOString();
    await d1(
      persistTo,
      "execute",
      "DB",
      "--command",
      `INSERT INTO accounts (id, email, role, buyer_id, created_at) VALUES ('acc-worker-test', 'indkob@aarhus.example', 'buyer', 'dk-0751', ${sql(now)}); ` +
        `INSERT INTO api_tokens (id, account_id, token_hash, created_at) VALUES ('tok-worker-test', 'acc-worker-test', ${sql(await sha256Hex(token))}, ${sql(now)});`,
    );
    // MEILI_URL empty: the embedded engine whatever a local .dev.vars says; no demo data; no
    // scheduled crawls (nothing here may reach the internet).
    dev = await startDev({ persistTo, vars: { MEILI_URL: "", DEMO_DATA: "false", CRAWL: "off" } });
  }, STARTUP_TIMEOUT_MS);

  afterAll(async () => {
    await dev?.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }, 30_000);

  it("answers /health with the store ok and the embedded engine", async () => {
    const res = await call("/health");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { store: { ok: boolean }; search: { ok: boolean; engine: string } };
    expect(body.store.ok).toBe(true);
    expect(body.search).toMatchObject({ ok: true, engine: "embedded" });
  });

  it("reads the reference buyers it loaded into the empty D1", async () => {
    const res = await call("/api/buyers/dk-0751");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: "dk-0751", name: "Aarhus Kommune", country: "DK" });
  });

  it("creates a tender in D1 with the bearer token, then reads and finds it", async () => {
    const created = await call("/api/tenders", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        externalId: "wk-001",
        title: "Vinduespolering på plejecentre",
        cpv: ["90911300-9"],
      }),
    });
    const createdBody = (await created.json()) as { id: string };
    expect(created.status, JSON.stringify(createdBody)).toBe(201);
    expect(createdBody.id).toBe("api:dk-0751.wk-001");

    const got = await call(`/api/tenders/${encodeURIComponent(createdBody.id)}`);
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({
      id: createdBody.id,
      title: "Vinduespolering på plejecentre",
      version: 1,
    });

    const found = await call("/api/tenders?q=vinduespolering");
    expect(found.status).toBe(200);
    const list = (await found.json()) as { items: { id: string }[]; total: number };
    expect(list.items.map((i) => i.id)).toEqual([createdBody.id]);
  });

  it("rebuilds its embedded index when D1 changed elsewhere (another isolate's write)", async () => {
    // Stands in for another isolate: change the tender and bump the store revision directly in D1.
    await d1(
      persistTo,
      "execute",
      "DB",
      "--command",
      `UPDATE tenders SET title = 'Glasrengøring på skoler', data = json_set(data, '$.title', 'Glasrengøring på skoler') WHERE id = 'api:dk-0751.wk-001'; ` +
        `UPDATE meta SET value = value + 1 WHERE key = 'revision';`,
    );
    const found = await call("/api/tenders?q=glasrengøring");
    expect(found.status).toBe(200);
    const list = (await found.json()) as { items: { id: string; title: string }[] };
    expect(list.items).toEqual([
      expect.objectContaining({ id: "api:dk-0751.wk-001", title: "Glasrengøring på skoler" }),
    ]);
    const stale = (await (await call("/api/tenders?q=vinduespolering")).json()) as { items: unknown[] };
    expect(stale.items).toEqual([]);
  }, 60_000);

  it("answers an unknown route with the JSON error envelope", async () => {
    const res = await call("/no/such/route");
    expect(res.status).toBe(404);
    expectEnvelope(res, await res.json(), "NOT_FOUND");
  });

  it("serves Swagger UI's files itself, bundled as text", async () => {
    const res = await call("/docs/assets/swagger-ui.css");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/css/);
    expect(await res.text()).toBe(
      readFileSync(join(ROOT, "node_modules/swagger-ui-dist/swagger-ui.css"), "utf8"),
    );
    const script = await call("/docs/assets/swagger-ui-bundle.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect((await script.text()).length).toBeGreaterThan(100_000);
  });

  it("classifies text into CPV codes inside the Worker, with its bundled model", async () => {
    const res = await call("/api/cpv/suggest", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "Rengøring af kontorer og vinduespolering", lang: "da" }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { language: string; suggestions: { code: string; score: number }[] };
    expect(body.language).toBe("da");
    expect(body.suggestions.length).toBeGreaterThan(0);
    expect(body.suggestions.slice(0, 3).some((s) => s.code.startsWith("909"))).toBe(true);
  });

  it("runs the scheduled crawl job, which does nothing with CRAWL=off", async () => {
    const crawl = JOBS.find((j) => j.name === "crawl:sources");
    if (!crawl) throw new Error("no crawl job");
    const res = await call(`/__scheduled?cron=${encodeURIComponent(crawl.cron)}`);
    expect(res.status).toBe(200);
    await dev?.waitForOutput(
      /"message":"job finished","job":"crawl:sources".*scheduled crawling is off/,
      15_000,
    );
  });

  it("runs alerts:prune on its own cron, its statements accepted by D1", async () => {
    const prune = JOBS.find((j) => j.name === "alerts:prune");
    if (!prune) throw new Error("no alerts:prune job");
    const res = await call(`/__scheduled?cron=${encodeURIComponent(prune.cron)}`);
    expect(res.status).toBe(200);
    await dev?.waitForOutput(
      /"message":"job finished","job":"alerts:prune".*"retentionDays":90.*"events":0,"deliveries":0,"enterpriseEvents":0,"complete":true/,
      15_000,
    );
  });

  it("runs the registered jobs on the cron that fired", async () => {
    const job = JOBS[0];
    if (!job) throw new Error("the job registry is empty");
    const res = await call(`/__scheduled?cron=${encodeURIComponent(job.cron)}`);
    expect(res.status).toBe(200);
    await dev?.waitForOutput(new RegExp(`"message":"job finished","job":"${job.name}"`), 15_000);
  });
});

describe("the Worker with a bad configuration", () => {
  const persistTo = mkdtempSync(join(tmpdir(), "jointbid-worker-bad-"));
  let dev: DevServer | undefined;

  beforeAll(async () => {
    dev = await startDev({ persistTo, vars: { MEILI_URL: "not a url", DEMO_DATA: "false" } });
  }, STARTUP_TIMEOUT_MS);

  afterAll(async () => {
    await dev?.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }, 30_000);

  it("answers every request with a 500 envelope naming the problem, never an HTML page", async () => {
    if (!dev) throw new Error("wrangler dev is not running");
    for (const path of ["/health", "/api/tenders"]) {
      const res = await fetch(`${dev.url}${path}`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      expect(res.status).toBe(500);
      const body = await res.json();
      expectEnvelope(res, body, "INTERNAL");
      expect(body.error.message).toMatch(/invalid configuration: MEILI_URL/);
    }
  });
});

describe("the Worker with MAIL_API_URL (the mail provider's msw stand-in, over HTTP)", () => {
  const persistTo = mkdtempSync(join(tmpdir(), "jointbid-worker-mail-"));
  const key = `re_worker_${randomToken(16)}`;
  const publicBaseUrl = "https://jointbid.example.org";
  let provider: HandlerServer | undefined;
  let mail: MailApiMock | undefined;
  let dev: DevServer | undefined;

  beforeAll(async () => {
    await d1(persistTo, "migrations", "apply", "DB");
    // workerd is another process, out of msw's reach: the mock's handlers answer on a local port.
    const port = await freePort();
    mail = createMailApiMock({ baseUrl: `http://127.0.0.1:${port}`, apiKey: key });
    provider = await serveHandlers(mail.handlers, port);
    dev = await startDev({
      persistTo,
      vars: {
        MEILI_URL: "",
        DEMO_DATA: "false",
        CRAWL: "off",
        PUBLIC_BASE_URL: publicBaseUrl,
        MAIL_API_URL: `${provider.url}/emails`,
        MAIL_API_KEY: key,
        MAIL_FROM: "jointbid <signin@jointbid.example.org>",
      },
    });
  }, STARTUP_TIMEOUT_MS);

  afterAll(async () => {
    await dev?.stop();
    await provider?.close();
    rmSync(persistTo, { recursive: true, force: true });
  }, 30_000);

  it("mails a sign-in link through the mail API", async () => {
    if (!dev || !mail || !provider) throw new Error("wrangler dev or the provider is not running");
    const form = await fetch(`${dev.url}/sign-in`, {
      headers: { accept: "text/html" },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    expect(form.status).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? "";
    const cookie = form.headers
      .getSetCookie()
      .map((line) => line.split(";")[0])
      .join("; ");
    const asked = await fetch(`${dev.url}/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: publicBaseUrl, cookie },
      body: new URLSearchParams({ email: "ny@rengoer.example", intent: "sign-up", _csrf: csrf }).toString(),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    expect(asked.status).toBe(200);

    // The mail leaves after the answer (ctx.waitUntil).
    const deadline = Date.now() + 15_000;
    while (mail.sent.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(mail.sent, dev.output().slice(-3000)).toHaveLength(1);
    expect(mail.sent[0]).toMatchObject({
      from: "jointbid <signin@jointbid.example.org>",
      to: ["ny@rengoer.example"],
    });
    expect(mail.sent[0]?.text).toContain(`${publicBaseUrl}/sign-in/callback?token=`);
    expect(mail.requests[0]?.headers.authorization).toBe(`Bearer ${key}`);
    expect(provider.unhandled).toEqual([]);
  });
});
