import type { Cell, CellValue, Workbook, Worksheet } from "exceljs";
import { CrawlError } from "../errors.js";
import type { RawPlanRow } from "../plan/plan-item.js";
import { describeSkipped, findHeaderRow, foldLabel, rowsFromGrid } from "../plan/headers.js";
import type { GridRow, HeaderChoice, PlanHints } from "../plan/headers.js";

/** Rows read from each sheet to choose the sheet and find its header. */
const HEADER_ROWS = 20;

function isoDate(d: Date): string {
  return Number.isNaN(d.getTime()) ? "" : d.toISOString().slice(0, 10);
}

/** The text of a cell value: rich text joined, a formula's result, a date as YYYY-MM-DD. */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return isoDate(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return String(value);
  if ("richText" in value) return value.richText.map((r) => r.text).join("");
  if ("hyperlink" in value) {
    const text: unknown = value.text;
    // exceljs gives a hyperlink's text as rich text when the cell is formatted.
    if (text && typeof text === "object" && "richText" in text) return cellText(text as CellValue);
    return typeof text === "string" ? text : "";
  }
  if ("formula" in value || "sharedFormula" in value) return cellText(value.result ?? null);
  if ("error" in value) return "";
  return "";
}

function linkOf(value: CellValue): string | undefined {
  if (value && typeof value === "object" && "hyperlink" in value && /^https?:\/\//i.test(value.hyperlink))
    return value.hyperlink;
  return undefined;
}

/**
 * A merged range shows its value in its top-left cell. Going down (a department over several
 * rows) the value repeats, as a rowspan does; going across it stays in the first column.
 */
function cellOf(cell: Cell): { text: string; link: string | undefined; across: boolean } {
  if (cell.isMerged && cell.master !== cell) {
    if (cell.master.col !== cell.col) return { text: "", link: undefined, across: true };
    return { text: cellText(cell.master.value).trim(), link: linkOf(cell.master.value), across: false };
  }
  return { text: cellText(cell.value).trim(), link: linkOf(cell.value), across: false };
}

function readRows(ws: Worksheet, limit: number): GridRow[] {
  const width = ws.columnCount;
  const rows: GridRow[] = [];
  const last = Math.min(ws.rowCount, limit);
  for (let r = 1; r <= last; r++) {
    const row = ws.getRow(r);
    const cells: string[] = [];
    const links: (string | undefined)[] = [];
    let mergedAcross = false;
    for (let c = 1; c <= width; c++) {
      const cell = cellOf(row.getCell(c));
      cells.push(cell.text);
      links.push(cell.link);
      mergedAcross ||= cell.across;
    }
    const filled = cells.filter((t) => t !== "").length;
    rows.push({ cells, links, spansAll: mergedAcross && filled === 1, where: `sheet ${ws.name}, row ${r}` });
  }
  return rows;
}

function chooseSheet(
  wb: Workbook,
  hints: PlanHints | undefined,
): { ws: Worksheet; header: HeaderChoice | undefined } | undefined {
  if (hints?.sheet !== undefined) {
    const wanted = foldLabel(hints.sheet);
    const ws = wb.worksheets.find((w) => foldLabel(w.name) === wanted);
    if (!ws) return undefined;
    return {
      ws,
      header: findHeaderRow(
        readRows(ws, HEADER_ROWS).map((r) => r.cells),
        hints,
      ),
    };
  }
  let best: { ws: Worksheet; header: HeaderChoice | undefined } | undefined;
  for (const ws of wb.worksheets) {
    if (ws.state !== "visible" && ws.state !== undefined) continue;
    const header = findHeaderRow(
      readRows(ws, HEADER_ROWS).map((r) => r.cells),
      hints,
    );
    if (!best || (header && (best.header === undefined || header.score > best.header.score)))
      best = { ws, header };
  }
  return best;
}

/**
 * Plan rows from an XLSX workbook: the hinted sheet or the one whose header reads most like a plan,
 * the header found among its first rows (a title row above it is skipped), columns mapped as for
 * HTML tables. An unreadable workbook is a parse error; a workbook without a plan gives no rows.
 */
export async function extractPlanFromXlsx(
  bytes: Uint8Array,
  hints?: PlanHints,
): Promise<{ rows: RawPlanRow[]; sheet: string; notes: string[] }> {
  // exceljs is large: loaded on the first spreadsheet, not when the crawler starts.
  const { default: ExcelJS } = await import("exceljs");
  const wb = new ExcelJS.Workbook();
  try {
    // A copy as a plain ArrayBuffer, which JSZip (inside exceljs) reads on Node and Workers alike.
    await wb.xlsx.load(new Uint8Array(bytes).buffer);
  } catch (e) {
    throw new CrawlError("parse", `not a readable XLSX workbook: ${String(e)}`, {}, false, { cause: e });
  }
  const chosen = chooseSheet(wb, hints);
  if (!chosen) {
    const names = wb.worksheets.map((w) => w.name).join(", ");
    return {
      rows: [],
      sheet: "",
      notes: [`no sheet ${JSON.stringify(hints?.sheet ?? "")} (sheets: ${names})`],
    };
  }
  const { ws, header } = chosen;
  if (!header)
    return { rows: [], sheet: ws.name, notes: [`sheet ${ws.name}: no plan header in the first rows`] };
  const result = rowsFromGrid(readRows(ws, ws.rowCount), header);
  const notes = [`sheet ${ws.name}: header in row ${header.index + 1}, ${result.rows.length} rows`];
  const skipped = describeSkipped(result.skipped);
  if (skipped) notes.push(skipped);
  return { rows: result.rows, sheet: ws.name, notes };
}
