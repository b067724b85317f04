import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { parseEformsNotice } from "../crawlers/eforms/parse-notice.js";
import { isCrawlError, unsaidMissing } from "../crawlers/errors.js";
import { decodeBody } from "../crawlers/http/charset.js";
import { createPoliteFetcher } from "../crawlers/http/polite-fetcher.js";
import type { PlanItem } from "../crawlers/plan/plan-item.js";
import { planItemsToTenders, withClassifiedCpv } from "../crawlers/plan/plan-to-tender.js";
import { ocdsItems, readPlanDocument } from "../crawlers/readers.js";
import { PlanHintsConfig, type SourceConfig } from "../crawlers/source.js";
import type { Buyer } from "./domain/buyer.js";
import { CountryCode } from "./domain/common.js";
import { slugify } from "./domain/enterprise.js";
import { findMunicipality, municipalityAsBuyer } from "./domain/municipalities.js";
import type { ServiceContext } from "./services/context.js";
import {
  type CrawlProgress,
  type CrawlerSettings,
  crawlSources,
  sourcesOf,
} from "./services/crawl.service.js";
import { recordSourceOutput } from "./services/ingest.service.js";

/**
 * The ingestion commands of the CLI. `parse-notice`, `parse-ocds` and `ingest-plan` without
 * `--save` only read: they open no database and write nothing.
 */

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

function out(json: boolean, value: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
}

function warn(message: string): void {
  process.stderr.write(`${message}\n`);
}

export async function readInput(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = error instanceof Error && "code" in error ? String(error.code) : "";
    throw new CliError(code === "ENOENT" ? `no such file: ${path}` : `cannot read ${path}: ${String(error)}`);
  }
}

function describe(error: unknown): string {
  if (isCrawlError(error)) {
    const unsaid = unsaidMissing(error);
    const missing = unsaid.length > 0 ? `\n  ${unsaid.join("\n  ")}` : "";
    const where = error.context.where ? ` (${error.context.where})` : "";
    return `${error.kind} error${where}: ${error.message}${missing}`;
  }
  return error instanceof Error ? error.message : String(error);
}

export async function parseNoticeCommand(file: string, json: boolean): Promise<void> {
  const xml = new TextDecoder().decode(await readInput(file));
  try {
    const parsed = parseEformsNotice(xml, { now: new Date().toISOString() });
    for (const w of parsed.warnings) warn(`warning: ${w}`);
    const t = parsed.tender;
    out(
      json,
      parsed.tender,
      `${t.id} (${t.stage}) ${t.title}\n  buyer ${t.buyer.name} (${t.buyer.country}), ${t.lots.length} lot(s), CPV ${t.cpv.join(" ")}, reserved ${t.reserved}`,
    );
  } catch (error) {
    throw new CliError(`${basename(file)}: ${describe(error)}`);
  }
}

export async function parseOcdsCommand(file: string, json: boolean): Promise<void> {
  const text = new TextDecoder().decode(await readInput(file));
  let read: ReturnType<typeof ocdsItems>;
  try {
    read = ocdsItems(text, { now: new Date().toISOString(), where: basename(file) });
  } catch (error) {
    throw new CliError(`${basename(file)}: ${describe(error)}`);
  }
  for (const e of read.errors) warn(`skipped ${e.where}: ${e.message}`);
  if (read.items.length === 0 && read.errors.length > 0) {
    throw new CliError(`${basename(file)}: no release could be read`);
  }
  const tenders = read.items.map((i) => i.tender);
  out(json, tenders, tenders.map((t) => `${t.id} (${t.stage}) ${t.title}`).join("\n") || "no releases");
}

/** The buyer named on the command line: a known municipality, or a new buyer of that name. */
export function buyerNamed(name: string, country: string | undefined): Buyer {
  const countries = country ? [country] : ["DK", "SE"];
  for (const cc of countries) {
    const m = findMunicipality(cc, name);
    if (m) return municipalityAsBuyer(m);
  }
  const cc = country ?? "DK";
  return { id: `${cc.toLowerCase()}-org-${slugify(name) || "buyer"}`, name, kind: "other", country: cc };
}

export interface IngestPlanOptions {
  buyer: string;
  country?: string;
  /** JSON of the `hints` a source declaration would carry, to try them before declaring. */
  hints?: string;
  save: boolean;
  json: boolean;
  userAgent: string;
  /** Opens the store, only when `--save` is given. */
  openContext: () => Promise<ServiceContext & { close(): Promise<void> }>;
}

export async function ingestPlanCommand(target: string, options: IngestPlanOptions): Promise<void> {
  let country: string | undefined;
  if (options.country !== undefined) {
    const parsed = CountryCode.safeParse(options.country);
    if (!parsed.success) throw new CliError("--country: a country code such as DK, SE or NO", 2);
    country = parsed.data;
  }
  const buyer = buyerNamed(options.buyer, country);
  let hints: SourceConfig["hints"];
  if (options.hints !== undefined) {
    let raw: unknown;
    try {
      raw = JSON.parse(options.hints);
    } catch {
      throw new CliError('--hints: JSON such as {"columns":{"expectedPublication":["Hvornår"]}}', 2);
    }
    const parsed = PlanHintsConfig.safeParse(raw);
    if (!parsed.success) {
      throw new CliError(
        `--hints: ${parsed.error.issues.map((i) => `${i.path.join(".") || "hints"}: ${i.message}`).join("; ")}`,
        2,
      );
    }
    hints = parsed.data;
  }
  let doc: { bytes: Uint8Array; text?: string; contentType?: string; fileName?: string; url: string };
  try {
    if (/^https?:\/\//i.test(target)) {
      const http = createPoliteFetcher({ userAgent: options.userAgent });
      const page = await http.get(target, { conditional: false });
      doc = {
        bytes: page.bytes,
        text: page.text,
        url: page.url,
        fileName: new URL(page.url).pathname,
        ...(page.contentType ? { contentType: page.contentType } : {}),
      };
    } else {
      const bytes = await readInput(target);
      doc = { bytes, text: decodeBody(bytes, null).text, url: target, fileName: basename(target) };
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${target}: ${describe(error)}`);
  }
  let read: { items: PlanItem[]; errors: { message: string; where?: string }[]; notes: string[] };
  try {
    read = await readPlanDocument(doc, {
      buyer: buyer.name,
      country: buyer.country,
      ...(hints ? { hints } : {}),
    });
  } catch (error) {
    throw new CliError(`${target}: ${describe(error)}`);
  }
  for (const e of read.errors) warn(`skipped ${e.where ?? "row"}: ${e.message}`);
  // Items that state no CPV code get the classifier's, marked cpvClassified (a stated code wins).
  const { defaultClassifier } = await import("./classify/classifier.js");
  const items = withClassifiedCpv(read.items, buyer.country, defaultClassifier());
  out(
    options.json,
    items,
    items
      .map(
        (i) =>
          `- ${i.title}${i.expectedPublication ? ` | ${i.expectedPublication.raw ?? i.expectedPublication.date}` : ""}${i.estimatedValue ? ` | ${i.estimatedValue.amount} ${i.estimatedValue.currency}` : ""}${i.cpv.length ? ` | CPV ${i.cpv.join(" ")}${i.cpvClassified ? ` (classified, ${i.cpvClassified.confidence.toFixed(2)})` : ""}` : ""}${i.reservedHint ? " | reserved?" : ""}`,
      )
      .join("\n") || "no items",
  );
  if (!options.save) return;

  const ctx = await options.openContext();
  try {
    const known = await ctx.store.buyers.get(buyer.id);
    if (!known) await ctx.store.buyers.upsertMany([buyer]);
    const sourceId = `plan-${buyer.id}`;
    const tenders = planItemsToTenders(items, {
      sourceId,
      buyer: known ?? buyer,
      now: ctx.clock().toISOString(),
    });
    const runId = await ctx.store.sources.startRun(sourceId);
    const result = await recordSourceOutput(
      ctx,
      sourceId,
      runId,
      {
        items: tenders.map((tender) => ({ tender })),
        errors: read.errors.map((e) => ({ kind: "parse", ...e })),
        notes: read.notes,
      },
      { withdrawMissing: true },
    );
    if (result.status === "failed")
      throw new CliError(`not saved: ${result.errors[0]?.message ?? "store failure"}`);
    const c = result.counts;
    warn(
      `saved as source ${sourceId} (run ${result.runId}): ${c.new} new, ${c.changed} changed, ${c.unchanged} unchanged, ${c.withdrawn} withdrawn, ${c.skipped} skipped`,
    );
  } finally {
    await ctx.close();
  }
}

/** `crawl [source-id…]`: crawls once with a progress display and a summary per source. */
export async function crawlCommand(
  ctx: ServiceContext,
  settings: CrawlerSettings,
  ids: string[],
  json: boolean,
): Promise<number> {
  const known = new Set(sourcesOf(settings).map((s) => s.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw new CliError(`unknown source ${unknown.join(", ")} (see crawlers/sources/)`, 2);
  const tty = process.stderr.isTTY === true && !json;
  const onProgress = (p: CrawlProgress) => {
    const head = `[${p.index + 1}/${p.total}] ${p.source}`;
    if (p.state === "start") warn(`${head} …`);
    else if (p.state === "progress" && tty) process.stderr.write(`\r${head}: ${p.message ?? ""}`);
    else if (p.state === "done" && p.result) {
      const r = p.result;
      const c = r.counts;
      const line =
        r.status === "failed"
          ? `failed: ${r.errors[0]?.kind ?? "?"}: ${r.errors[0]?.message ?? ""}`
          : `${r.status}: ${c.new} new, ${c.changed} changed, ${c.unchanged} unchanged, ${c.withdrawn} withdrawn, ${c.skipped} skipped${r.linked ? `, ${r.linked} linked` : ""} (${r.ms} ms)`;
      warn(`${tty ? "\r" : ""}${head} ${line}`);
    }
  };
  const summary = await crawlSources(ctx, settings, { ...(ids.length ? { only: ids } : {}), onProgress });
  const table = summary.results.map((r) => ({
    source: r.sourceId,
    status: r.status,
    ...r.counts,
    linked: r.linked,
    errors: r.errors.length,
    ms: r.ms,
  }));
  out(
    json,
    summary,
    [
      "",
      "source                          status        new  chg  same  wdr  skip  errors",
      ...table.map(
        (t) =>
          `${t.source.padEnd(31)} ${t.status.padEnd(12)} ${String(t.new).padStart(4)} ${String(t.changed).padStart(4)} ${String(t.unchanged).padStart(5)} ${String(t.withdrawn).padStart(4)} ${String(t.skipped).padStart(5)}  ${t.errors}`,
      ),
      `${summary.sources} sources: ${summary.ok} ok, ${summary.partial} partial, ${summary.notModified} not modified, ${summary.failed} failed`,
    ].join("\n"),
  );
  return summary.failed > 0 ? 1 : 0;
}
