import type { Env } from "../env.js";
import { createEmbeddedSearchEngine } from "./embedded/embedded.engine.js";
import { createMeilisearchEngine } from "./meilisearch/meilisearch.engine.js";
import type { SearchEngine } from "./search.port.js";

/** Meilisearch when MEILI_URL is set, else the embedded engine. */
export function createSearchEngine(
  env: Pick<Env, "MEILI_URL" | "MEILI_KEY" | "MEILI_INDEX_PREFIX">,
): SearchEngine {
  if (env.MEILI_URL) {
    return createMeilisearchEngine({
      url: env.MEILI_URL,
      ...(env.MEILI_KEY ? { apiKey: env.MEILI_KEY } : {}),
      prefix: env.MEILI_INDEX_PREFIX,
    });
  }
  return createEmbeddedSearchEngine();
}
