import { isCrawlError } from "../../crawlers/errors.js";
import { eformsItems, ocdsItems } from "../../crawlers/readers.js";
import type { SourceItem, SourceItemError } from "../../crawlers/source.js";
import type { ServiceContext } from "../services/context.js";
import { recordSourceOutput } from "../services/ingest.service.js";

/**
 * The real notices shipped with the project (src/demo/notices/, see PROVENANCE.md there), read
 * through the same parsers and the same change tracking as a crawl: each folder is a source
 * with runs, so they show at GET /api/sources like any other.
 */
export interface DemoNoticeSet {
  /** Source id, e.g. "demo-ted". */
  id: string;
  format: "eforms" | "ocds";
  files: () => Promise<{ name: string; text: string }[]>;
}

export interface DemoNoticeSummary {
  source: string;
  files: number;
  tenders: number;
  new: number;
  changed: number;
  skipped: number;
}

export function readDemoNoticeSet(
  set: Pick<DemoNoticeSet, "format">,
  files: { name: string; text: string }[],
  now: string,
): { items: SourceItem[]; errors: SourceItemError[] } {
  const items: SourceItem[] = [];
  const errors: SourceItemError[] = [];
  for (const file of files) {
    try {
      const read =
        set.format === "eforms"
          ? eformsItems(file.text, { now })
          : ocdsItems(file.text, { now, where: file.name });
      items.push(...read.items);
      errors.push(...read.errors);
    } catch (error) {
      errors.push({
        kind: isCrawlError(error) ? error.kind : "parse",
        message: error instanceof Error ? error.message : String(error),
        where: file.name,
      });
    }
  }
  return { items, errors };
}

export async function loadDemoNotices(
  ctx: ServiceContext,
  sets: readonly DemoNoticeSet[],
): Promise<DemoNoticeSummary[]> {
  const summaries: DemoNoticeSummary[] = [];
  for (const set of sets) {
    const files = await set.files();
    const { items, errors } = readDemoNoticeSet(set, files, ctx.clock().toISOString());
    const runId = await ctx.store.sources.startRun(set.id);
    const result = await recordSourceOutput(
      ctx,
      set.id,
      runId,
      { items, errors, notes: [] },
      { withdrawMissing: false },
    );
    summaries.push({
      source: set.id,
      files: files.length,
      tenders: items.length,
      new: result.counts.new,
      changed: result.counts.changed,
      skipped: result.counts.skipped,
    });
  }
  return summaries;
}
