import type { Index, Meilisearch, SearchParams, SearchResponse } from "meilisearch";
import { AppError } from "../../domain/errors.js";
import { enterprisesIndex, indexUid, tendersIndex } from "../../../index-config/index.js";
import type { IndexConfig } from "../../../index-config/index.js";
import type { EnterpriseDoc, TenderDoc } from "../documents.js";
import type {
  EnterpriseQuery,
  FacetCounts,
  SearchEngine,
  SearchHealth,
  SearchHits,
  TenderQuery,
} from "../search.port.js";
import { decodeDocumentKey, encodeDocumentKey, toMeilisearchDocument } from "./document-key.js";
import { enterpriseSearchParams, tenderSearchParams } from "./filters.js";
import { createMeilisearchClient, waitForTaskOrThrow } from "./meilisearch.client.js";
import type { MeilisearchClientOptions } from "./meilisearch.client.js";
import { describeMeilisearchError, meilisearchErrorText, toAppError } from "./meilisearch.errors.js";

/**
 * The search port on Meilisearch. Settings come from index-config/ and are applied by
 * `npm run index:sync`, never here. Writes go in batches and, by default, wait for their task
 * and throw when it failed, so that a write is searchable when it returns (read-your-writes).
 * Uses the meilisearch client over fetch only, so it runs on Node and in a Worker.
 */
export interface MeilisearchEngineOptions extends MeilisearchClientOptions {
  /** Index uid prefix (MEILI_INDEX_PREFIX); uids are `${prefix}tenders`, `${prefix}enterprises`. */
  prefix: string;
  /** Documents (or ids) per request. Default 1 000. */
  batchSize?: number;
  /** Wait for each write task and throw on failure. Default true. */
  waitForTasks?: boolean;
}

export const DEFAULT_BATCH_SIZE = 1000;

interface Hit {
  id?: unknown;
  key?: unknown;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function hitId(hit: Hit): string | undefined {
  if (typeof hit.id === "string") return hit.id;
  if (typeof hit.key === "string") return decodeDocumentKey(hit.key);
  return undefined;
}

function facetCounts(
  requested: readonly string[],
  distribution: Record<string, Record<string, number>> | undefined,
): FacetCounts {
  const out: FacetCounts = {};
  for (const facet of requested) out[facet] = { ...(distribution?.[facet] ?? {}) };
  return out;
}

export function createMeilisearchEngine(options: MeilisearchEngineOptions): SearchEngine {
  if (!/^[A-Za-z0-9_-]*$/.test(options.prefix)) {
    throw new AppError("VALIDATION_FAILED", "the Meilisearch index prefix may only hold a-z A-Z 0-9 - _", {
      fields: [{ path: "prefix", message: `invalid: ${JSON.stringify(options.prefix)}` }],
    });
  }
  const client: Meilisearch = createMeilisearchClient(options);
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const waitForTasks = options.waitForTasks ?? true;
  const tendersUid = indexUid(options.prefix, tendersIndex);
  const enterprisesUid = indexUid(options.prefix, enterprisesIndex);

  const index = (uid: string): Index => client.index(uid);

  async function enqueue(
    uid: string,
    operation: string,
    send: () => ReturnType<Index["addDocuments"]>,
  ): Promise<void> {
    const context = { operation, indexUid: uid };
    if (waitForTasks) {
      await waitForTaskOrThrow(client, send(), context);
      return;
    }
    try {
      await send();
    } catch (error) {
      throw toAppError(error, context);
    }
  }

  async function upsert(
    config: IndexConfig,
    uid: string,
    docs: readonly (TenderDoc | EnterpriseDoc)[],
  ): Promise<void> {
    for (const batch of chunks(docs, batchSize)) {
      const body = batch.map((d) => toMeilisearchDocument(d));
      await enqueue(uid, "upsert", () => index(uid).addDocuments(body, { primaryKey: config.primaryKey }));
    }
  }

  async function remove(uid: string, ids: readonly string[]): Promise<void> {
    for (const batch of chunks(ids, batchSize)) {
      const keys = batch.map(encodeDocumentKey);
      await enqueue(uid, "delete", () => index(uid).deleteDocuments(keys));
    }
  }

  async function clearIndex(uid: string): Promise<void> {
    try {
      await enqueue(uid, "clear", () => index(uid).deleteAllDocuments());
    } catch (error) {
      // Nothing to clear in an index that does not exist yet.
      if (error instanceof AppError && error.context?.code === "index_not_found") return;
      throw error;
    }
  }

  async function search(uid: string, params: SearchParams, facets: readonly string[]): Promise<SearchHits> {
    const { q, ...rest } = params;
    let response: SearchResponse<Hit>;
    try {
      response = await index(uid).search<Hit>(q ?? null, rest);
    } catch (error) {
      throw toAppError(error, { operation: "search", indexUid: uid });
    }
    const ids = response.hits.map(hitId).filter((id): id is string => id !== undefined);
    const total = response.totalHits ?? response.estimatedTotalHits ?? ids.length;
    return { ids, total, facets: facetCounts(facets, response.facetDistribution) };
  }

  return {
    kind: "meilisearch",
    upsertTenders: (docs) => upsert(tendersIndex, tendersUid, docs),
    upsertEnterprises: (docs) => upsert(enterprisesIndex, enterprisesUid, docs),
    deleteTenders: (ids) => remove(tendersUid, ids),
    deleteEnterprises: (ids) => remove(enterprisesUid, ids),
    async clear() {
      await clearIndex(tendersUid);
      await clearIndex(enterprisesUid);
    },
    searchTenders: (query: TenderQuery) => search(tendersUid, tenderSearchParams(query), query.facets),
    searchEnterprises: (query: EnterpriseQuery) =>
      search(enterprisesUid, enterpriseSearchParams(query), query.facets),
    async health(): Promise<SearchHealth> {
      try {
        await client.health();
        const [tenders, enterprises] = await Promise.all([
          index(tendersUid).getStats(),
          index(enterprisesUid).getStats(),
        ]);
        return {
          ok: true,
          engine: "meilisearch",
          documents: { tenders: tenders.numberOfDocuments, enterprises: enterprises.numberOfDocuments },
        };
      } catch (error) {
        const failure = describeMeilisearchError(error);
        const hint = failure.code === "index_not_found" ? " (run `npm run index:sync`)" : "";
        return { ok: false, engine: "meilisearch", error: `${meilisearchErrorText(error)}${hint}` };
      }
    },
  };
}
