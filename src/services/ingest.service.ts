import { isCrawlError, unsaidMissing } from "../../crawlers/errors.js";
import type {
  SourceConfig,
  SourceEnv,
  SourceItem,
  SourceOutput,
  TenderSource,
} from "../../crawlers/source.js";
import type { Buyer } from "../domain/buyer.js";
import { decideLink } from "../domain/linking.js";
import { findMunicipality, municipalityAsBuyer } from "../domain/municipalities.js";
import { type Tender, placeOfBuyer } from "../domain/tender.js";
import type { SourceRunCounts, SourceRunError } from "../store/schema.js";
import { EMPTY_COUNTS, type RunCommit, type RunStatus } from "../store/sources.js";
import type { StoredTender, TenderWrite } from "../store/store.js";
import type { ServiceContext } from "./context.js";

/**
 * Change tracking for everything a source gives. A crawl is recorded as a run; a successful run
 * writes its tenders, their history, which items were seen and which were missed, and the run
 * record in one transaction. An item a plan no longer lists becomes `withdrawn` after two
 * successful crawls in a row without it, and is never deleted. A failed crawl changes nothing
 * but its run record.
 */

/** Sources that list their whole set every time; only these withdraw what they stop listing. */
const LISTS_WHOLE_SET: ReadonlySet<SourceConfig["kind"]> = new Set(["plan-page", "plan-file"]);

/** Successful crawls in a row without an item before it is withdrawn. */
export const MISSES_BEFORE_WITHDRAWAL = 2;

export interface SourceRunResult {
  sourceId: string;
  runId: number;
  status: RunStatus;
  counts: SourceRunCounts;
  errors: SourceRunError[];
  /** Planned items linked to the notice that published them during this run. */
  linked: number;
  notes: string[];
  ms: number;
}

function errorOf(error: unknown, fallbackUrl?: string): SourceRunError {
  if (isCrawlError(error)) {
    const url = error.context.url ?? fallbackUrl;
    const unsaid = unsaidMissing(error);
    const missing = unsaid.length > 0 ? ` (${unsaid.join("; ")})` : "";
    return {
      kind: error.kind,
      message: `${error.message}${missing}`,
      ...(url ? { url } : {}),
      ...(error.context.where ? { where: error.context.where } : {}),
    };
  }
  return { kind: "internal", message: error instanceof Error ? error.message : String(error) };
}

/** Reads one source and records what it gave. Never throws: a failure is a failed run. */
export async function runSource(
  ctx: ServiceContext,
  source: TenderSource,
  env: Omit<SourceEnv, "buyer">,
): Promise<SourceRunResult> {
  const started = Date.now();
  const { id, url, kind } = source.config;
  const runId = await ctx.store.sources.startRun(id);
  let output: SourceOutput;
  try {
    output = await source.read({ ...env, buyer: (buyerId) => ctx.store.buyers.get(buyerId) });
  } catch (error) {
    const errors = [errorOf(error, url)];
    await ctx.store.sources.endRun(runId, "failed", errors);
    ctx.logger.warn("crawl failed", { source: id, ...errors[0] });
    return {
      sourceId: id,
      runId,
      status: "failed",
      counts: EMPTY_COUNTS,
      errors,
      linked: 0,
      notes: [],
      ms: Date.now() - started,
    };
  }
  if (output.notModified) {
    await ctx.store.sources.endRun(runId, "not-modified", []);
    return {
      sourceId: id,
      runId,
      status: "not-modified",
      counts: EMPTY_COUNTS,
      errors: [],
      linked: 0,
      notes: output.notes,
      ms: Date.now() - started,
    };
  }
  const result = await recordSourceOutput(ctx, id, runId, output, {
    withdrawMissing: LISTS_WHOLE_SET.has(kind),
  });
  return { ...result, ms: Date.now() - started };
}

/**
 * Records what a source gave in run `runId`. Used by crawls, the demo loader and the CLI's
 * `--save`. Does not throw on a store failure: the run is marked failed and nothing is written.
 */
export async function recordSourceOutput(
  ctx: ServiceContext,
  sourceId: string,
  runId: number,
  output: Pick<SourceOutput, "items" | "errors" | "notes">,
  options: { withdrawMissing: boolean },
): Promise<Omit<SourceRunResult, "ms">> {
  const errors: SourceRunError[] = output.errors.map((e) => ({ ...e }));
  const counts: SourceRunCounts = { ...EMPTY_COUNTS, skipped: output.errors.length };
  const status: "ok" | "partial" = errors.length > 0 ? "partial" : "ok";
  try {
    const buyers = new BuyerResolver(ctx);
    const items = latestPerTender(output.items);
    const seen: TenderWrite[] = [];
    for (const item of items) {
      const { tender, buyer } = await buyers.resolve(item);
      const current = await ctx.store.tenders.get(tender.id);
      const next = await keepProgress(ctx, current, tender);
      const write = await ctx.store.tenders.writeOf(current, next, sourceId, buyer);
      seen.push(write);
      if (write.outcome === "created") counts.new++;
      else if (write.outcome === "changed") counts.changed++;
      else counts.unchanged++;
    }
    const missed: RunCommit["missed"] = [];
    // A partial crawl may have missed rows it could not read: it does not count against anyone.
    if (options.withdrawMissing && status === "ok") {
      const seenIds = new Set(items.map((i) => i.tender.id));
      for (const state of await ctx.store.sources.activeItems(sourceId)) {
        if (seenIds.has(state.tenderId)) continue;
        const missedRuns = state.missedRuns + 1;
        const current = await ctx.store.tenders.get(state.tenderId);
        const due = missedRuns >= MISSES_BEFORE_WITHDRAWAL && current && current.tender.stage === "planned";
        const withdraw = due
          ? await ctx.store.tenders.writeOf(
              current,
              { ...current.tender, stage: "withdrawn", lastChanged: ctx.clock().toISOString() },
              sourceId,
            )
          : undefined;
        if (withdraw) counts.withdrawn++;
        missed.push({ tenderId: state.tenderId, missedRuns, ...(withdraw ? { withdraw } : {}) });
      }
    }
    const { lost } = await ctx.store.sources.commitRun(sourceId, runId, {
      status,
      counts,
      errors,
      seen,
      missed,
    });
    for (const id of lost) {
      ctx.logger.warn("tender changed by another writer during the crawl; the next crawl tries again", {
        source: sourceId,
        tender: id,
      });
    }
    const lostIds = new Set(lost);
    const written = [...seen, ...missed.flatMap((m) => (m.withdraw ? [m.withdraw] : []))]
      .filter((w) => w.outcome !== "unchanged" && !lostIds.has(w.stored.tender.id))
      .map((w) => w.stored.tender);
    await ctx.indexer.tenders(written);
    const linked = await linkPlansAndNotices(ctx, written);
    return { sourceId, runId, status, counts, errors, linked, notes: output.notes };
  } catch (error) {
    const failure = [errorOf(error), ...errors];
    ctx.logger.error("recording a crawl failed; nothing was written", {
      source: sourceId,
      error: failure[0]?.message,
    });
    await ctx.store.sources.endRun(runId, "failed", failure).catch(() => undefined);
    return {
      sourceId,
      runId,
      status: "failed",
      counts: EMPTY_COUNTS,
      errors: failure,
      linked: 0,
      notes: output.notes,
    };
  }
}

/** One item per tender id: of several notices of one procedure, the latest published wins. */
function latestPerTender(items: readonly SourceItem[]): SourceItem[] {
  const byId = new Map<string, SourceItem>();
  for (const item of items) {
    const before = byId.get(item.tender.id);
    if (!before || noticeOrder(item.tender) >= noticeOrder(before.tender)) byId.set(item.tender.id, item);
  }
  return [...byId.values()];
}

/**
 * The order of the notices of one procedure: by publication date, then notice id, so that two
 * sources giving different notices of one procedure settle on the same one whatever order they
 * run in (and a second run changes nothing).
 */
const noticeOrder = (t: Tender) => (t.notice ? `${t.notice.publishedAt ?? ""}|${t.notice.id}` : "");

/**
 * What a new reading may not undo: a planned item that a notice has published keeps the
 * notice's stage when its plan still lists it; an older notice of a procedure does not
 * overwrite a newer one (TED may return a competition notice after its award notice).
 */
async function keepProgress(
  ctx: ServiceContext,
  current: StoredTender | undefined,
  next: Tender,
): Promise<Tender> {
  if (!current) return next;
  const before = current.tender;
  if (next.notice && before.notice && noticeOrder(next) < noticeOrder(before)) return before;
  if (next.stage === "planned" && before.stage !== "planned" && before.stage !== "withdrawn") {
    const links = await ctx.store.links.of(before.id);
    if (links.some((l) => l.plannedId === before.id)) return { ...next, stage: before.stage };
  }
  return next;
}

/**
 * A notice names its buyer by name and organisation number. When that is a municipality the
 * store knows ("Aarhus Kommune", CVR 55133018), the tender is filed under it, so that its plan
 * and its notices meet; otherwise the notice's own buyer is created.
 */
class BuyerResolver {
  private readonly cache = new Map<string, Buyer | undefined>();
  constructor(private readonly ctx: ServiceContext) {}

  async resolve(item: SourceItem): Promise<{ tender: Tender; buyer?: Buyer }> {
    const { tender, buyer } = item;
    if (!buyer) return { tender };
    const known = await this.municipalityOf(buyer);
    if (!known) return { tender, buyer };
    const place = tender.place ?? placeOfBuyer(known);
    return {
      tender: {
        ...tender,
        buyer: { id: known.id, name: known.name, country: known.country },
        ...(place ? { place } : {}),
      },
    };
  }

  private async municipalityOf(buyer: Buyer): Promise<Buyer | undefined> {
    const key = `${buyer.country}|${buyer.name}|${buyer.orgId ?? ""}`;
    if (this.cache.has(key)) return this.cache.get(key);
    const m = findMunicipality(buyer.country, buyer.name, buyer.orgId);
    const found = m ? ((await this.ctx.store.buyers.get(municipalityAsBuyer(m).id)) ?? undefined) : undefined;
    this.cache.set(key, found);
    return found;
  }
}

/**
 * Links planned items to the notices that publish them, both ways: a new notice looks for the
 * planned items of its buyer, a new planned item for the buyer's notices. A linked planned item
 * moves on to the notice's stage, with the change in its history.
 */
export async function linkPlansAndNotices(ctx: ServiceContext, changed: readonly Tender[]): Promise<number> {
  let linked = 0;
  const buyers = new Set(changed.map((t) => t.buyer.id));
  for (const buyerId of buyers) {
    const all = await ctx.store.tenders.byBuyer(buyerId);
    const planned = all.filter((s) => s.tender.stage === "planned");
    const notices = all.filter(
      (s) => s.tender.stage !== "planned" && s.tender.stage !== "withdrawn" && s.tender.notice,
    );
    const changedIds = new Set(changed.map((t) => t.id));
    const existing = await ctx.store.links.ofMany(all.map((s) => s.tender.id));
    const linkedNotices = new Set(existing.map((l) => l.noticeId));
    for (const notice of notices) {
      if (linkedNotices.has(notice.tender.id)) continue;
      let best: { planned: StoredTender; score: number; reason: string } | undefined;
      for (const p of planned) {
        if (!changedIds.has(notice.tender.id) && !changedIds.has(p.tender.id)) continue;
        const decision = decideLink(p.tender, notice.tender);
        if (decision && (!best || decision.score > best.score))
          best = { planned: p, score: decision.score, reason: decision.reason };
      }
      if (!best) continue;
      const moved = {
        ...best.planned.tender,
        stage: notice.tender.stage,
        lastChanged: ctx.clock().toISOString(),
      };
      const write = await ctx.store.tenders.writeOf(best.planned, moved, `link:${notice.tender.id}`);
      await ctx.store.links.link(
        {
          plannedId: best.planned.tender.id,
          noticeId: notice.tender.id,
          score: Math.round(best.score * 100),
          reason: best.reason,
        },
        write,
      );
      if (write.outcome !== "unchanged") await ctx.indexer.tenders([write.stored.tender]);
      planned.splice(planned.indexOf(best.planned), 1);
      linked++;
    }
  }
  return linked;
}
