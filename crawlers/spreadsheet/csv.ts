import type { RawPlanRow } from "../plan/plan-item.js";
import { describeSkipped, findHeaderRow, rowsFromGrid } from "../plan/headers.js";
import type { GridRow, PlanHints } from "../plan/headers.js";

/** Delimiters tried when sniffing, in order of preference on a tie. */
const DELIMITERS = [";", ",", "\t", "|"] as const;
/** How much of the file sniffing reads. */
const SNIFF_CHARS = 64 * 1024;
const SNIFF_RECORDS = 30;

interface CsvRecord {
  fields: string[];
  /** 1-based line of the file where the record starts. */
  line: number;
}

/**
 * RFC 4180 records: quoted fields may hold delimiters, doubled quotes and line breaks; lines end in
 * CRLF, LF or CR. Lenient where files are not: a quote inside an unquoted field is kept as is, and
 * text after a closing quote is appended. An empty line is a record of one empty field.
 */
function parseRecords(text: string, delimiter: string, maxRecords = Infinity): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let atFieldStart = true;
  let line = 1;
  let recordLine = 1;
  const endField = () => {
    fields.push(field);
    field = "";
    atFieldStart = true;
  };
  const endRecord = () => {
    endField();
    records.push({ fields, line: recordLine });
    fields = [];
  };
  const n = text.length;
  for (let i = 0; i < n && records.length < maxRecords; i++) {
    const c = text[i] ?? "";
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
    } else if (c === delimiter) endField();
    else if (c === "\r" || c === "\n") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += c;
      atFieldStart = false;
    }
  }
  // A last record without a line break; a file ending in a break has no empty record after it.
  if ((field !== "" || fields.length > 0 || !atFieldStart || quoted) && records.length < maxRecords)
    endRecord();
  return records;
}

/** Parses CSV text into rows of fields (RFC 4180: quotes, embedded line breaks, CRLF). */
export function parseCsv(text: string, delimiter: string): string[][] {
  return parseRecords(text, delimiter).map((r) => r.fields);
}

/**
 * The delimiter whose split gives the most records of one consistent width (at least two columns)
 * over the start of the file, quotes respected. Title lines above the header do not disturb it:
 * they are a minority of one-column records.
 */
export function sniffDelimiter(text: string): string {
  const sample = text.slice(0, SNIFF_CHARS);
  let best: { delimiter: string; consistent: number; width: number } = {
    delimiter: ";",
    consistent: 0,
    width: 0,
  };
  for (const delimiter of DELIMITERS) {
    const widths = parseRecords(sample, delimiter, SNIFF_RECORDS)
      .map((r) => r.fields.length)
      .filter((w) => w > 1);
    const counts = new Map<number, number>();
    for (const w of widths) counts.set(w, (counts.get(w) ?? 0) + 1);
    for (const [width, consistent] of counts) {
      if (consistent > best.consistent || (consistent === best.consistent && width > best.width))
        best = { delimiter, consistent, width };
    }
  }
  return best.delimiter;
}

/** windows-1252 characters of bytes 0x80–0x9F; the rest of the code page is Latin-1. */
const CP1252_HIGH =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

/**
 * windows-1252 by hand: Node 20's TextDecoder("windows-1252") decodes as Latin-1, so "€" and the
 * dashes and quotes Excel writes (0x80–0x9F) would come out as control characters.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192);
    out += String.fromCharCode(
      ...Array.from(chunk, (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH.charCodeAt(b - 0x80) : b)),
    );
  }
  return out;
}

const WINDOWS_1252 = /^(windows-1252|cp1252|x-cp1252|latin1|iso-8859-1|iso8859-1|l1|ascii|us-ascii)$/i;

/**
 * Decodes CSV bytes: a byte-order mark decides, then valid UTF-8, else windows-1252 (what Danish
 * and Swedish Excel saves as "CSV (semikolonsepareret)").
 */
export function decodeCsv(bytes: Uint8Array, encoding?: string): { text: string; encoding: string } {
  // As in browsers, the Latin-1 labels mean windows-1252.
  if (encoding && WINDOWS_1252.test(encoding.trim())) return { text: decodeWindows1252(bytes), encoding };
  if (encoding) return { text: new TextDecoder(encoding).decode(bytes), encoding };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: new TextDecoder("utf-8").decode(bytes), encoding: "utf-8" };
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder("utf-16le").decode(bytes), encoding: "utf-16le" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder("utf-16be").decode(bytes), encoding: "utf-16be" };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    return { text: decodeWindows1252(bytes), encoding: "windows-1252" };
  }
}

/**
 * Plan rows from a CSV file: encoding and delimiter sniffed (or hinted), the header found among the
 * first records (title lines above it are skipped), columns mapped to fields as for HTML tables.
 */
export function extractPlanFromCsv(
  input: Uint8Array | string,
  hints?: PlanHints,
): { rows: RawPlanRow[]; delimiter: string; encoding: string; notes: string[] } {
  const decoded =
    typeof input === "string" ? { text: input, encoding: "decoded" } : decodeCsv(input, hints?.encoding);
  const text = decoded.text.replace(/^\uFEFF/, "");
  const delimiter = hints?.delimiter ?? sniffDelimiter(text);
  const records = parseRecords(text, delimiter);
  const notes: string[] = [];
  const header = findHeaderRow(
    records.map((r) => r.fields.map((f) => f.trim())),
    hints,
  );
  if (!header) {
    notes.push(`no plan header in the first records (delimiter ${JSON.stringify(delimiter)})`);
    return { rows: [], delimiter, encoding: decoded.encoding, notes };
  }
  const grid: GridRow[] = records.map((r) => ({ cells: r.fields, where: `line ${r.line}` }));
  const result = rowsFromGrid(grid, header);
  notes.push(`header on line ${records[header.index]?.line ?? header.index + 1}, ${result.rows.length} rows`);
  const skipped = describeSkipped(result.skipped);
  if (skipped) notes.push(skipped);
  return { rows: result.rows, delimiter, encoding: decoded.encoding, notes };
}
