import { z } from "../src/domain/zod.js";
import type { Buyer } from "../src/domain/buyer.js";
import { CountryCode, Slug } from "../src/domain/common.js";
import type { Tender } from "../src/domain/tender.js";
import type { PoliteFetcher } from "./http/polite-fetcher.js";
import { PLAN_FIELDS } from "./plan/plan-item.js";

/**
 * A source is where tenders come from: a municipality's plan page or spreadsheet, an eForms
 * notice, an OCDS package, a TED search. Known sources are declared as data in
 * `crawlers/sources/*.json` and validated by `SourceConfig`; the code that reads each kind is
 * chosen from a map by `kind`.
 */
export const SOURCE_KINDS = [
  "plan-page",
  "plan-file",
  "eforms-notice",
  "ocds-package",
  "ted-search",
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** How often the scheduled crawl visits a source. */
export const SOURCE_SCHEDULES = { hourly: 60, daily: 24 * 60, weekly: 7 * 24 * 60 } as const;
export type SourceSchedule = keyof typeof SOURCE_SCHEDULES;

/** Hints for the general plan extractor, for a page it cannot read unaided. */
export const PlanHintsConfig = z
  .object({
    /** CSS selector of the plan table(s) when header detection is not enough. */
    tableSelector: z.string().min(1).optional(),
    /** CSS selector of one item's block on an accordion or card page. */
    blockSelector: z.string().min(1).optional(),
    /** Extra column labels per field: `{"expectedPublication": ["Hvornår"]}`. */
    columns: z.partialRecord(z.enum(PLAN_FIELDS), z.array(z.string().min(1)).min(1)).optional(),
    /** Worksheet name of an XLSX plan. */
    sheet: z.string().min(1).optional(),
    /** 1-based row of the header in a spreadsheet, when it cannot be found. */
    headerRow: z.number().int().positive().optional(),
    delimiter: z.string().length(1).optional(),
    encoding: z.string().min(1).optional(),
  })
  .strict();

/** A TED expert-query search, for `ted-search` sources. */
export const TedQueryConfig = z
  .object({
    countries: z.array(CountryCode).min(1).optional(),
    noticeTypes: z.array(z.enum(["planning", "competition", "result"])).optional(),
    reservedOnly: z.boolean().optional(),
    cpvPrefixes: z.array(z.string().regex(/^\d{2,8}$/)).optional(),
    /** Only notices published in the last this many days. */
    sinceDays: z.number().int().positive().max(3650).default(60),
    maxNotices: z.number().int().positive().max(5000).default(500),
  })
  .strict();

export const SourceConfig = z
  .object({
    /** Lower-case id; also the prefix of the ids of the tenders it gives (`dk-aarhus-plan:…`). */
    id: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,58}[a-z0-9]$/, "lower-case letters, digits and '-', starting with a letter"),
    name: z.string().trim().min(1).max(200),
    kind: z.enum(SOURCE_KINDS),
    url: z.url(),
    country: CountryCode,
    /** The buyer whose plan this is (`dk-0751`); required for plan pages and files. */
    buyer: Slug.optional(),
    hints: PlanHintsConfig.optional(),
    query: TedQueryConfig.optional(),
    schedule: z.enum(Object.keys(SOURCE_SCHEDULES) as [SourceSchedule, ...SourceSchedule[]]).default("daily"),
    enabled: z.boolean().default(true),
    /** Why this source is here and what to know about it. */
    notes: z.string().max(2000).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if ((s.kind === "plan-page" || s.kind === "plan-file") && !s.buyer) {
      ctx.addIssue({ code: "custom", path: ["buyer"], message: "a plan source needs its buyer id" });
    }
    if (s.kind === "ted-search" && !s.query) {
      ctx.addIssue({ code: "custom", path: ["query"], message: "a TED search needs a query" });
    }
  });
export type SourceConfig = z.infer<typeof SourceConfig>;

/** One tender a source gave, with its buyer when the source names one the store may not have. */
export interface SourceItem {
  tender: Tender;
  buyer?: Buyer;
}

/** A problem with one row or notice; the rest of the source still counts. */
export interface SourceItemError {
  kind: string;
  message: string;
  where?: string;
  url?: string;
}

export interface SourceOutput {
  /** The server said nothing changed since the last crawl (conditional GET): nothing to do. */
  notModified: boolean;
  items: SourceItem[];
  errors: SourceItemError[];
  notes: string[];
}

/** What reading a source needs from outside. */
export interface SourceEnv {
  http: PoliteFetcher;
  now: Date;
  /** A buyer of the store by id (plan sources belong to a known buyer). */
  buyer(id: string): Promise<Buyer | undefined>;
  progress?(message: string): void;
}

/**
 * A source that can be read. `read` throws a CrawlError when the source as a whole cannot be read
 * (unreachable, blocked, no plan on the page); problems with single rows go to `errors`.
 */
export interface TenderSource {
  readonly config: SourceConfig;
  read(env: SourceEnv): Promise<SourceOutput>;
}
