import type { Buyer } from "../src/domain/buyer.js";
import { CrawlError, isCrawlError } from "./errors.js";
import { parseEformsNotice } from "./eforms/parse-notice.js";
import type { FetchResult } from "./http/polite-fetcher.js";
import { parseOcds } from "./ocds/parse-ocds.js";
import { extractPlan } from "./plan/extract.js";
import { toPlanItem } from "./plan/to-plan-item.js";
import type { PlanItem } from "./plan/plan-item.js";
import { planItemsToTenders } from "./plan/plan-to-tender.js";
import type {
  SourceConfig,
  SourceEnv,
  SourceItemError,
  SourceKind,
  SourceOutput,
  TenderSource,
} from "./source.js";
import { TedClient, buildExpertQuery } from "./ted/ted-client.js";

/**
 * Reads a plan (HTML page, CSV or XLSX) into plan items: extraction finds the rows, field parsing
 * turns each into a PlanItem; a row that cannot be read becomes an error, the others stay.
 * A document with no plan at all is a CrawlError of kind "parse".
 */
export async function readPlanDocument(
  doc: { bytes: Uint8Array; text?: string; contentType?: string; fileName?: string; url: string },
  at: { buyer: string; country: string; hints?: SourceConfig["hints"] },
): Promise<{ items: PlanItem[]; errors: SourceItemError[]; notes: string[] }> {
  const extracted = await extractPlan(doc, at.hints);
  if (extracted.rows.length === 0) {
    throw new CrawlError("parse", `no tender plan found in ${doc.fileName ?? doc.url}`, {
      url: doc.url,
      missing: extracted.notes,
    });
  }
  const items: PlanItem[] = [];
  const errors: SourceItemError[] = [];
  const sourceUrl = /^https?:/.test(doc.url) ? doc.url : undefined;
  for (const row of extracted.rows) {
    const { item, errors: rowErrors } = toPlanItem(row, {
      buyer: at.buyer,
      country: at.country,
      ...(sourceUrl ? { sourceUrl } : {}),
    });
    if (item) items.push(item);
    for (const message of rowErrors) errors.push({ kind: "parse", message, where: row.where, url: doc.url });
  }
  return { items, errors, notes: [`${extracted.format} (${extracted.strategy})`, ...extracted.notes] };
}

const notModified: SourceOutput = { notModified: true, items: [], errors: [], notes: ["not modified"] };

async function buyerOf(config: SourceConfig, env: SourceEnv): Promise<Buyer> {
  const buyer = config.buyer ? await env.buyer(config.buyer) : undefined;
  if (!buyer) throw new CrawlError("parse", `source ${config.id}: unknown buyer ${config.buyer ?? "(none)"}`);
  return buyer;
}

async function readPlan(config: SourceConfig, env: SourceEnv): Promise<SourceOutput> {
  const buyer = await buyerOf(config, env);
  const page: FetchResult = await env.http.get(config.url);
  if (page.notModified) return notModified;
  const { items, errors, notes } = await readPlanDocument(
    {
      bytes: page.bytes,
      text: page.text,
      url: page.url,
      ...(page.contentType ? { contentType: page.contentType } : {}),
      fileName: new URL(page.url).pathname,
    },
    { buyer: buyer.name, country: buyer.country, ...(config.hints ? { hints: config.hints } : {}) },
  );
  const now = env.now.toISOString();
  // Items without a stated CPV code get the classifier's (marked cpvClassified). Loaded here, not
  // at import, so that commands and readers that never classify do not pay for its model.
  const { defaultClassifier } = await import("../src/classify/classifier.js");
  const tenders = planItemsToTenders(items, { sourceId: config.id, buyer, now }, defaultClassifier());
  return { notModified: false, items: tenders.map((tender) => ({ tender })), errors, notes };
}

/** The items of one eForms notice (a CrawlError when it cannot be read). */
export function eformsItems(
  xml: string,
  at: { now: string; sourceUrl?: string },
): Omit<SourceOutput, "notModified"> {
  const parsed = parseEformsNotice(xml, at);
  return { items: [{ tender: parsed.tender, buyer: parsed.buyer }], errors: [], notes: parsed.warnings };
}

/**
 * The items of an OCDS package; releases that cannot be read are errors, the others still count
 * (a CrawlError when the text is not JSON or not OCDS at all). `where` names the file or URL.
 */
export function ocdsItems(
  text: string,
  at: { now: string; sourceUrl?: string; where: string },
): Omit<SourceOutput, "notModified"> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? `: ${error.message}` : "";
    throw new CrawlError("parse", `${at.where} is not JSON${why}`, { where: at.where }, false, {
      cause: error,
    });
  }
  const parsed = parseOcds(json, { now: at.now, ...(at.sourceUrl ? { sourceUrl: at.sourceUrl } : {}) });
  return {
    items: parsed.items.map((p) => ({ tender: p.tender, buyer: p.buyer })),
    errors: parsed.errors.map((e) => ({
      kind: "parse",
      message: e.message,
      where: `${at.where}: ${e.where}`,
      ...(at.sourceUrl ? { url: at.sourceUrl } : {}),
    })),
    notes: [],
  };
}

async function readEformsNotice(config: SourceConfig, env: SourceEnv): Promise<SourceOutput> {
  const page = await env.http.get(config.url, { accept: "application/xml" });
  if (page.notModified) return notModified;
  return {
    notModified: false,
    ...eformsItems(page.text, { now: env.now.toISOString(), sourceUrl: page.url }),
  };
}

async function readOcdsPackage(config: SourceConfig, env: SourceEnv): Promise<SourceOutput> {
  const page = await env.http.get(config.url, { accept: "application/json" });
  if (page.notModified) return notModified;
  const at = { now: env.now.toISOString(), sourceUrl: page.url, where: page.url };
  return { notModified: false, ...ocdsItems(page.text, at) };
}

async function readTedSearch(config: SourceConfig, env: SourceEnv): Promise<SourceOutput> {
  const query = config.query;
  if (!query) throw new CrawlError("parse", `source ${config.id} has no query`);
  const since = new Date(env.now.getTime() - query.sinceDays * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const client = new TedClient({ http: env.http, baseUrl: new URL(config.url).origin });
  const expert = buildExpertQuery({
    ...(query.countries ? { countries: query.countries } : {}),
    ...(query.noticeTypes ? { noticeTypes: query.noticeTypes } : {}),
    ...(query.reservedOnly ? { reservedOnly: true } : {}),
    ...(query.cpvPrefixes ? { cpvPrefixes: query.cpvPrefixes } : {}),
    publishedSince: since,
  });
  const output: SourceOutput = { notModified: false, items: [], errors: [], notes: [expert] };
  for await (const notice of client.search({ query: expert, maxNotices: query.maxNotices })) {
    try {
      const xml = await client.fetchNoticeXml(notice);
      const parsed = parseEformsNotice(xml, {
        now: env.now.toISOString(),
        sourceUrl: notice.xmlUrl ?? config.url,
      });
      output.items.push({ tender: parsed.tender, buyer: parsed.buyer });
      env.progress?.(`${output.items.length} notices`);
    } catch (error) {
      if (!isCrawlError(error)) throw error;
      output.errors.push({
        kind: error.kind,
        message: error.message,
        where: `notice ${notice.publicationNumber}`,
        ...(error.context.url ? { url: error.context.url } : {}),
      });
    }
  }
  return output;
}

/** How each kind of source is read. */
const READERS: Readonly<Record<SourceKind, (config: SourceConfig, env: SourceEnv) => Promise<SourceOutput>>> =
  {
    "plan-page": readPlan,
    "plan-file": readPlan,
    "eforms-notice": readEformsNotice,
    "ocds-package": readOcdsPackage,
    "ted-search": readTedSearch,
  };

export function sourceOf(config: SourceConfig): TenderSource {
  const read = READERS[config.kind];
  return { config, read: (env) => read(config, env) };
}
