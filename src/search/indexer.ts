import type { Enterprise } from "../domain/enterprise.js";
import type { Tender } from "../domain/tender.js";
import type { Logger } from "../logger.js";
import type { Store } from "../store/store.js";
import { enterpriseDocument, tenderDocument } from "./documents.js";
import type { SearchEngine } from "./search.port.js";

/**
 * Keeps the search index in step with the store. The store is the truth: when the index cannot
 * take a write (Meilisearch down), the write to the store stands, the failure is logged and
 * counted in /health, and `npm run index:rebuild` brings the index back.
 */
export class SearchIndexer {
  private failedWrites = 0;

  constructor(
    readonly engine: SearchEngine,
    private readonly logger: Logger,
  ) {}

  get pendingFailures(): number {
    return this.failedWrites;
  }

  async tenders(tenders: readonly Tender[]): Promise<void> {
    await this.write(tenders, () => this.engine.upsertTenders(tenders.map(tenderDocument)));
  }

  async enterprises(enterprises: readonly Enterprise[]): Promise<void> {
    await this.write(enterprises, () => this.engine.upsertEnterprises(enterprises.map(enterpriseDocument)));
  }

  private async write(items: readonly { id: string }[], send: () => Promise<void>): Promise<void> {
    if (items.length === 0) return;
    try {
      await send();
    } catch (error) {
      this.failedWrites++;
      this.logger.warn("search index write failed; run index:rebuild", {
        ids: items.slice(0, 10).map((i) => i.id),
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** Rebuilt from the store, in pages; the failure counter resets on success. */
  async rebuild(
    store: Store,
    options: {
      batchSize?: number;
      onProgress?: (done: { tenders: number; enterprises: number }) => void;
    } = {},
  ): Promise<{ tenders: number; enterprises: number }> {
    const batchSize = options.batchSize ?? 1000;
    await this.engine.clear();
    const done = { tenders: 0, enterprises: 0 };
    await pageThrough(
      (after) => store.tenders.page(after, batchSize),
      async (page) => {
        await this.engine.upsertTenders(page.map(tenderDocument));
        done.tenders += page.length;
        options.onProgress?.(done);
      },
    );
    await pageThrough(
      (after) => store.enterprises.page(after, batchSize),
      async (page) => {
        await this.engine.upsertEnterprises(page.map(enterpriseDocument));
        done.enterprises += page.length;
        options.onProgress?.(done);
      },
    );
    this.failedWrites = 0;
    return done;
  }
}

/** Reads every page (by id, after the last one) and hands each to `take`. */
async function pageThrough<T extends { id: string }>(
  read: (afterId: string | undefined) => Promise<T[]>,
  take: (page: T[]) => Promise<void>,
): Promise<void> {
  let after: string | undefined;
  for (;;) {
    const page = await read(after);
    if (page.length === 0) return;
    await take(page);
    after = page[page.length - 1]?.id;
  }
}
