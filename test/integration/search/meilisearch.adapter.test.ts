/**
 * The Meilisearch adapter and the settings sync, against the msw stand-in: what goes over the
 * wire (batches, keys, settings payloads), task handling, and how failures reach callers.
 */
import { Meilisearch } from "meilisearch";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  enterprisesIndex,
  enterprisesSettings,
  tendersIndex,
  tendersSettings,
} from "../../../index-config/index.js";
import { syncIndexSettings } from "../../../index-config/sync.js";
import { AppError } from "../../../src/domain/errors.js";
import { enterpriseDocument, tenderDocument } from "../../../src/search/documents.js";
import type { TenderDoc } from "../../../src/search/documents.js";
import { decodeDocumentKey, encodeDocumentKey } from "../../../src/search/meilisearch/document-key.js";
import { createMeilisearchClient } from "../../../src/search/meilisearch/meilisearch.client.js";
import { createMeilisearchEngine } from "../../../src/search/meilisearch/meilisearch.engine.js";
import type { MeilisearchEngineOptions } from "../../../src/search/meilisearch/meilisearch.engine.js";
import type { TenderQuery } from "../../../src/search/search.port.js";
import { ENTERPRISES, TENDERS } from "../../fixtures/search/corpus.js";
import { createMeilisearchMock } from "../../mocks/meilisearch.js";
import type { RecordedRequest } from "../../mocks/meilisearch.js";

const URL = "http://meilisearch-adapter.test:7700";
const KEY = "adapter-master-key";
const PREFIX = "t_";
const TENDERS_UID = `${PREFIX}tenders`;
const ENTERPRISES_UID = `${PREFIX}enterprises`;

const mock = createMeilisearchMock({ baseUrl: URL, apiKey: KEY });
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => mock.reset());
afterAll(() => server.close());

const fast = { taskIntervalMs: 1, retryBaseDelayMs: 1 };

function engine(overrides: Partial<MeilisearchEngineOptions> = {}) {
  return createMeilisearchEngine({ url: URL, apiKey: KEY, prefix: PREFIX, ...fast, ...overrides });
}

function client() {
  return createMeilisearchClient({ url: URL, apiKey: KEY, ...fast });
}

async function sync() {
  return syncIndexSettings(client(), { prefix: PREFIX, wait: { interval: 1 } });
}

const tq = (partial: Partial<TenderQuery> = {}): TenderQuery => ({
  sort: "relevance",
  offset: 0,
  limit: 20,
  facets: [],
  ...partial,
});

const firstTender = TENDERS[0];
if (!firstTender) throw new Error("fixture: no tenders");
const base = tenderDocument(firstTender);

/** Ids shaped like the real ones (TED notices, plan rows), every other one without a position. */
function manyTenders(n: number): TenderDoc[] {
  return Array.from({ length: n }, (_, i) => ({
    ...base,
    id: i % 2 === 0 ? `ted:${100000 + i}-2024` : `api:dk-0751.2027-${String(i).padStart(4, "0")}`,
    title: `Udbud nummer ${i}`,
    _geo: i % 2 === 0 ? null : { lat: 56.15, lng: 10.2 },
  }));
}

const bodyOf = (r: RecordedRequest) => r.body as Record<string, unknown>[];
const statusesOf = (requests: RecordedRequest[]) =>
  requests.map((r) => (r.response?.body as { status?: string } | undefined)?.status);

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe("documents", () => {
  it("sends a 2 500-document upsert as three batches of at most 1 000, keyed by an encoded id and without null _geo", async () => {
    await sync();
    mock.clearRequests();
    const docs = manyTenders(2500);
    await engine().upsertTenders(docs);

    const posts = mock.requestsTo("POST", /^\/indexes\/t_tenders\/documents$/);
    expect(posts.map((p) => bodyOf(p).length)).toEqual([1000, 1000, 500]);
    expect(posts.every((p) => p.query.primaryKey === "key")).toBe(true);
    const sent = posts.flatMap(bodyOf);
    expect(sent.map((d) => d.id)).toEqual(docs.map((d) => d.id));
    for (const doc of sent) {
      expect(doc.key).toMatch(/^[A-Za-z0-9_-]{1,511}$/);
      expect(decodeDocumentKey(String(doc.key))).toBe(doc.id);
    }
    expect(sent.filter((d) => "_geo" in d)).toHaveLength(1250);
    expect(sent.some((d) => d._geo === null)).toBe(false);

    const res = await engine().searchTenders(tq({ q: "udbud", limit: 10 }));
    expect(res.total).toBe(2500);
    expect((await engine().searchTenders(tq({ q: "nummer 1499" }))).ids).toEqual(["api:dk-0751.2027-1499"]);
  });

  it("relies on the derived key: the stand-in, like Meilisearch, rejects our raw ids", async () => {
    const raw = new Meilisearch({ host: URL, apiKey: KEY });
    const task = await raw
      .index("raw_ids")
      .addDocuments([{ id: "ted:123456-2024", title: "x" }], { primaryKey: "id" })
      .waitTask({ interval: 1 });
    expect(task.status).toBe("failed");
    expect(task.error?.code).toBe("invalid_document_id");
    expect(encodeDocumentKey("ted:123456-2024")).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("deletes by id in batches, with the same encoded keys", async () => {
    await sync();
    const docs = manyTenders(5);
    const small = engine({ batchSize: 2 });
    await small.upsertTenders(docs);
    mock.clearRequests();
    await small.deleteTenders(docs.map((d) => d.id));

    const deletes = mock.requestsTo("POST", /^\/indexes\/t_tenders\/documents\/delete-batch$/);
    expect(deletes.map((d) => d.body)).toEqual([
      docs.slice(0, 2).map((d) => encodeDocumentKey(d.id)),
      docs.slice(2, 4).map((d) => encodeDocumentKey(d.id)),
      docs.slice(4).map((d) => encodeDocumentKey(d.id)),
    ]);
    expect(mock.documents(TENDERS_UID)).toEqual([]);
  });

  it("clears both indexes, and clearing before the first sync is not an error", async () => {
    await engine().clear();
    await sync();
    await engine().upsertTenders(TENDERS.map(tenderDocument));
    await engine().upsertEnterprises(ENTERPRISES.map(enterpriseDocument));
    await engine().clear();
    expect(await engine().health()).toEqual({
      ok: true,
      engine: "meilisearch",
      documents: { tenders: 0, enterprises: 0 },
    });
  });

  it("keeps hostile filter values inside their quotes", async () => {
    await sync();
    const hostile = 'x" OR country = "SE';
    await engine().upsertTenders([
      { ...base, id: "test:hostile", buyerId: hostile, country: "DK" },
      { ...base, id: "test:swedish", buyerId: "se-0580", country: "SE" },
      { ...base, id: "test:backslash", buyerId: "a\\", country: "DK" },
    ]);
    expect((await engine().searchTenders(tq({ buyerId: [hostile] }))).ids).toEqual(["test:hostile"]);
    expect((await engine().searchTenders(tq({ buyerId: ["a\\"] }))).ids).toEqual(["test:backslash"]);
  });
});

describe("tasks", () => {
  it("polls a write's task until it succeeded, so the write is searchable when upsert returns", async () => {
    await sync();
    mock.clearRequests();
    await engine().upsertTenders([{ ...base, id: "test:fresh", title: "Snerydning af cykelstier" }]);

    const post = mock.requestsTo("POST", /\/documents$/)[0];
    const taskUid = (post?.response?.body as { taskUid: number }).taskUid;
    expect(statusesOf([post].filter((p): p is RecordedRequest => p !== undefined))).toEqual(["enqueued"]);
    const polls = mock.requestsTo("GET", new RegExp(`^/tasks/${taskUid}$`));
    expect(statusesOf(polls)).toEqual(["processing", "succeeded"]);
    expect((await engine().searchTenders(tq({ q: "cykelstier" }))).ids).toEqual(["test:fresh"]);
  });

  it("without waiting, returns as soon as the task is enqueued (the write is not yet searchable)", async () => {
    await sync();
    mock.clearRequests();
    await engine({ waitForTasks: false }).upsertTenders([
      { ...base, id: "test:later", title: "Snerydning af cykelstier" },
    ]);
    expect(mock.requestsTo("GET", /^\/tasks\//)).toEqual([]);
    expect((await engine().searchTenders(tq({ q: "cykelstier" }))).total).toBe(0);
    mock.processAllTasks();
    expect((await engine().searchTenders(tq({ q: "cykelstier" }))).total).toBe(1);
  });

  it("throws with the task's error when an upsert task fails, and sends no further batches", async () => {
    await sync();
    mock.clearRequests();
    mock.failNextTask({ code: "internal", type: "system", message: "No space left on device (os error 28)" });
    const error = await rejection(engine().upsertTenders(manyTenders(2500)));

    expect(error.code).toBe("SEARCH_UNAVAILABLE");
    expect(error.message).toContain("No space left on device (os error 28)");
    expect(error.context).toMatchObject({
      indexUid: TENDERS_UID,
      taskType: "documentAdditionOrUpdate",
      status: "failed",
    });
    expect(typeof error.context?.taskUid).toBe("number");
    expect(mock.requestsTo("POST", /\/documents$/)).toHaveLength(1);
    expect(mock.documents(TENDERS_UID)).toEqual([]);
  });

  it("reports a rejected document batch as our bug, not as an outage", async () => {
    await sync();
    mock.failNextTask({
      code: "invalid_document_fields",
      type: "invalid_request",
      message: "Document has too many fields",
    });
    const error = await rejection(engine().upsertEnterprises(ENTERPRISES.map(enterpriseDocument)));
    expect(error.code).toBe("INTERNAL");
    expect(error.context).toMatchObject({ code: "invalid_document_fields", indexUid: ENTERPRISES_UID });
  });
});

describe("settings sync (index:sync)", () => {
  it("creates both indexes with the derived key as primary key and sends index-config's settings", async () => {
    const summary = await sync();

    expect(summary.map((s) => [s.index, s.created])).toEqual([
      [TENDERS_UID, true],
      [ENTERPRISES_UID, true],
    ]);
    expect(summary[0]?.changed).toEqual(
      expect.arrayContaining(["searchableAttributes", "filterableAttributes", "synonyms"]),
    );
    expect(mock.requestsTo("POST", /^\/indexes$/).map((r) => r.body)).toEqual([
      { uid: TENDERS_UID, primaryKey: "key" },
      { uid: ENTERPRISES_UID, primaryKey: "key" },
    ]);
    const patches = mock.requestsTo("PATCH", /\/settings$/);
    expect(patches.map((p) => p.path)).toEqual([
      `/indexes/${TENDERS_UID}/settings`,
      `/indexes/${ENTERPRISES_UID}/settings`,
    ]);
    expect(patches[0]?.body).toEqual(JSON.parse(JSON.stringify(tendersSettings)));
    expect(patches[1]?.body).toEqual(JSON.parse(JSON.stringify(enterprisesSettings)));
    expect(mock.settings(TENDERS_UID)?.searchableAttributes).toEqual(
      tendersIndex.settings.searchableAttributes,
    );
    expect(mock.settings(ENTERPRISES_UID)?.sortableAttributes).toEqual(
      enterprisesIndex.settings.sortableAttributes,
    );
  });

  it("is idempotent: a second run sends no settings update and says so", async () => {
    await sync();
    mock.clearRequests();
    const second = await sync();

    expect(second.map((s) => ({ index: s.index, created: s.created, changed: s.changed }))).toEqual([
      { index: TENDERS_UID, created: false, changed: [] },
      { index: ENTERPRISES_UID, created: false, changed: [] },
    ]);
    expect(mock.requestsTo("PATCH", /.*/)).toEqual([]);
    expect(mock.requestsTo("POST", /.*/)).toEqual([]);
  });

  it("ignores orders Meilisearch ignores and repairs what drifted", async () => {
    await sync();
    const raw = new Meilisearch({ host: URL, apiKey: KEY });
    const filterable = [...tendersSettings.filterableAttributes].reverse();
    await raw
      .index(TENDERS_UID)
      .updateSettings({ filterableAttributes: filterable })
      .waitTask({ interval: 1 });
    expect((await sync())[0]?.changed).toEqual([]);

    await raw
      .index(TENDERS_UID)
      .updateSettings({
        filterableAttributes: filterable.slice(1),
        rankingRules: ["words", "typo", "proximity", "attribute", "sort", "exactness"],
      })
      .waitTask({ interval: 1 });
    mock.clearRequests();
    const repaired = await sync();
    expect(repaired[0]?.changed).toEqual(["filterableAttributes", "rankingRules"]);
    expect(mock.requestsTo("PATCH", /\/settings$/).map((p) => p.body)).toEqual([
      JSON.parse(JSON.stringify(tendersSettings)),
    ]);
    expect((await sync()).every((s) => s.changed.length === 0)).toBe(true);
  });

  it("throws with the task's error message, code and uid when the settings update fails", async () => {
    await sync();
    const raw = new Meilisearch({ host: URL, apiKey: KEY });
    await raw.index(TENDERS_UID).updateSettings({ sortableAttributes: [] }).waitTask({ interval: 1 });
    mock.failNextTask({
      code: "invalid_settings_sortable_attributes",
      type: "invalid_request",
      message: "Index `t_tenders`: too many sortable attributes",
    });
    const error = await rejection(sync());

    expect(error.message).toContain("Index `t_tenders`: too many sortable attributes");
    expect(error.context).toMatchObject({
      code: "invalid_settings_sortable_attributes",
      taskType: "settingsUpdate",
      indexUid: TENDERS_UID,
    });
    expect(typeof error.context?.taskUid).toBe("number");
  });

  it("refuses an index whose primary key is another attribute", async () => {
    const raw = new Meilisearch({ host: URL, apiKey: KEY });
    await raw.createIndex(TENDERS_UID, { primaryKey: "id" }).waitTask({ interval: 1 });
    const error = await rejection(sync());
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toContain('primary key "id"');
  });
});

describe("failures", () => {
  it("a 5xx on search gives SEARCH_UNAVAILABLE after the retries, and health reports ok: false", async () => {
    await sync();
    mock.clearRequests();
    mock.failNextRequests(3, { status: 503, path: /\/search$/ });
    const error = await rejection(engine().searchTenders(tq()));
    expect(error.code).toBe("SEARCH_UNAVAILABLE");
    expect(error.context).toMatchObject({ status: 503, indexUid: TENDERS_UID, operation: "search" });
    expect(mock.requestsTo("POST", /\/search$/)).toHaveLength(3);

    mock.failNextRequests(3, { status: 500, path: /^\/health$/, body: null });
    const health = await engine().health();
    expect(health.ok).toBe(false);
    expect(health.engine).toBe("meilisearch");
    expect(health.error).toMatch(/500/);
  });

  it("retries a passing 5xx, so one bad answer does not fail a search", async () => {
    await sync();
    mock.failNextRequests(1, { status: 502, path: /\/search$/, body: "<html>Bad gateway</html>" });
    const res = await engine().searchTenders(tq());
    expect(res.total).toBe(0);
    expect(mock.requestsTo("POST", /\/search$/).map((r) => r.response?.status)).toEqual([502, 200]);
  });

  it("a network failure gives SEARCH_UNAVAILABLE and an unhealthy report instead of a throw", async () => {
    await sync();
    mock.failNextRequests(10, { networkError: true });
    const error = await rejection(
      engine({ retries: 1 }).searchEnterprises({ sort: "name", offset: 0, limit: 10, facets: [] }),
    );
    expect(error.code).toBe("SEARCH_UNAVAILABLE");
    expect(error.context).toMatchObject({ kind: "network", indexUid: ENTERPRISES_UID });
    const health = await engine({ retries: 0 }).health();
    expect(health).toMatchObject({ ok: false, engine: "meilisearch" });
    expect(health.error).toBeTruthy();
  });

  it("a server slower than the timeout gives SEARCH_UNAVAILABLE", async () => {
    await sync();
    mock.delayResponses(500);
    const error = await rejection(engine({ timeoutMs: 20, retries: 0 }).searchTenders(tq()));
    expect(error.code).toBe("SEARCH_UNAVAILABLE");
    expect(error.context).toMatchObject({ kind: "timeout" });
  });

  it("reports an invalid API key, without retrying it", async () => {
    await sync();
    mock.clearRequests();
    const wrong = engine({ apiKey: "not-the-key" });
    const error = await rejection(wrong.searchTenders(tq()));
    expect(error.code).toBe("SEARCH_UNAVAILABLE");
    expect(error.context).toMatchObject({ status: 403, code: "invalid_api_key" });
    expect(mock.requestsTo("POST", /\/search$/)).toHaveLength(1);

    const health = await wrong.health();
    expect(health.ok).toBe(false);
    expect(health.error).toContain("invalid_api_key");

    const missing = await rejection(engine({ apiKey: undefined }).searchTenders(tq()));
    expect(missing.context).toMatchObject({ status: 401, code: "missing_authorization_header" });
  });

  it("points to index:sync when the indexes do not exist yet", async () => {
    const error = await rejection(engine().searchTenders(tq()));
    expect(error.code).toBe("SEARCH_UNAVAILABLE");
    expect(error.context).toMatchObject({ code: "index_not_found" });
    expect(error.message).toContain("index:sync");
    const health = await engine().health();
    expect(health.ok).toBe(false);
    expect(health.error).toContain("index:sync");
  });
});
