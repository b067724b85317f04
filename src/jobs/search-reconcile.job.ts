import type { ServiceContext } from "../services/context.js";

/**
 * The store is the truth and the search index is derived from it. When index writes failed
 * (Meilisearch was down) or the index holds a different number of documents than the store,
 * rebuild it; otherwise do nothing.
 */
export async function runSearchReconcile(ctx: ServiceContext, now: Date): Promise<Record<string, unknown>> {
  const [health, tenders, enterprises] = await Promise.all([
    ctx.search.health(),
    ctx.store.tenders.count(),
    ctx.store.enterprises.count(),
  ]);
  if (!health.ok) {
    return { at: now.toISOString(), rebuilt: false, error: health.error ?? "search is unavailable" };
  }
  const drift =
    ctx.indexer.pendingFailures > 0 ||
    health.documents?.tenders !== tenders ||
    health.documents.enterprises !== enterprises;
  if (!drift) return { at: now.toISOString(), rebuilt: false, tenders, enterprises };
  const done = await ctx.indexer.rebuild(ctx.store);
  return { at: now.toISOString(), rebuilt: true, ...done };
}
