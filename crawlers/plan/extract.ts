import type { RawPlanRow } from "./plan-item.js";
import type { PlanHints } from "./headers.js";
import { extractPlanFromHtml } from "./extract-html.js";
import { extractPlanFromCsv, sniffDelimiter } from "../spreadsheet/csv.js";
import { extractPlanFromXlsx } from "../spreadsheet/xlsx.js";

export type PlanFormat = "html" | "csv" | "xlsx";

export interface PlanInput {
  bytes: Uint8Array;
  /** The body decoded by the fetcher (its charset handling); used for HTML. */
  text?: string;
  contentType?: string;
  fileName?: string;
  url: string;
}

export interface PlanExtraction {
  rows: RawPlanRow[];
  format: PlanFormat;
  /** "table", "blocks" or "none". */
  strategy: string;
  notes: string[];
}

const CSV_TYPES =
  /^(text\/csv|application\/csv|text\/comma-separated-values|text\/tab-separated-values|text\/x-csv)/i;
const CSV_NAMES = /\.(csv|tsv)$/i;
const XLSX_TYPES = /spreadsheetml|officedocument\.spreadsheet/i;

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** Whether the start of a text has the shape of CSV: no markup, lines of a steady number of fields. */
function looksLikeCsv(bytes: Uint8Array): boolean {
  const head = new TextDecoder("utf-8").decode(bytes.subarray(0, 4096)).replace(/^\uFEFF/, "");
  if (/^\s*</.test(head)) return false;
  const lines = head
    .split(/\r\n|\n|\r/)
    .filter((l) => l.trim() !== "")
    .slice(0, 10);
  if (lines.length < 2) return false;
  const delimiter = sniffDelimiter(head);
  const counts = lines.map((l) => l.split(delimiter).length);
  return counts.filter((c) => c > 1 && c === counts[counts.length - 1]).length >= Math.min(2, counts.length);
}

/**
 * The format of a plan document: XLSX by its ZIP signature, CSV by its type, name or shape, else
 * HTML. Bytes win over headers: servers often call a CSV "application/vnd.ms-excel" or
 * "application/octet-stream".
 */
export function detectPlanFormat(bytes: Uint8Array, contentType?: string, fileName?: string): PlanFormat {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return "xlsx";
  if (contentType && CSV_TYPES.test(contentType)) return "csv";
  if (fileName && CSV_NAMES.test(fileName)) return "csv";
  if (contentType && /html|xml/i.test(contentType)) return "html";
  if (contentType && XLSX_TYPES.test(contentType)) return "xlsx";
  return looksLikeCsv(bytes) ? "csv" : "html";
}

type Extractor = (input: PlanInput, hints: PlanHints | undefined) => Promise<Omit<PlanExtraction, "format">>;

const EXTRACTORS: Record<PlanFormat, Extractor> = {
  html: async (input, hints) => {
    const text = input.text ?? new TextDecoder("utf-8").decode(input.bytes);
    return extractPlanFromHtml(text, input.url, hints);
  },
  csv: async (input, hints) => {
    const source = input.bytes.length === 0 && input.text !== undefined ? input.text : input.bytes;
    const r = extractPlanFromCsv(source, hints);
    return {
      rows: r.rows,
      strategy: r.rows.length > 0 ? "table" : "none",
      notes: [`encoding ${r.encoding}, delimiter ${JSON.stringify(r.delimiter)}`, ...r.notes],
    };
  },
  xlsx: async (input, hints) => {
    const r = await extractPlanFromXlsx(input.bytes, hints);
    return { rows: r.rows, strategy: r.rows.length > 0 ? "table" : "none", notes: r.notes };
  },
};

/**
 * Extracts the rows of a plan from a fetched document of any supported format. A document without
 * a plan gives no rows and notes saying why; only an unreadable workbook throws (`CrawlError`).
 */
export async function extractPlan(input: PlanInput, hints?: PlanHints): Promise<PlanExtraction> {
  const format = detectPlanFormat(input.bytes, input.contentType, input.fileName);
  const result = await EXTRACTORS[format](input, hints);
  return { ...result, format };
}
