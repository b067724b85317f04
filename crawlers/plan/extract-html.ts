import { load } from "cheerio";
import type { CheerioAPI } from "cheerio";
import type { AnyNode, Element, Text } from "domhandler";
import type { PlanField, RawPlanRow } from "./plan-item.js";
import { withHeadingUnit } from "./fields/money.js";
import {
  describeSkipped,
  findHeaderRow,
  isPeriodEndLabel,
  isPeriodStartLabel,
  joinPeriod,
  matchLabel,
  rowsFromGrid,
} from "./headers.js";
import type { GridRow, PlanHints } from "./headers.js";

/**
 * General extractor for municipal tender-plan pages. It knows no municipality: it looks for a table
 * whose header row reads as a plan (see `scoreHeaderRow`) and, when there is none, for blocks
 * (accordions, `<details>`, heading + description list) whose labels do. Site chrome (navigation,
 * header, footer, asides, cookie banners) is removed first, so it can never become a row.
 */
export function extractPlanFromHtml(
  html: string,
  baseUrl: string,
  hints?: PlanHints,
): { rows: RawPlanRow[]; strategy: "table" | "blocks" | "none"; notes: string[] } {
  try {
    return extract(html, baseUrl, hints);
  } catch (e) {
    // Parsing is lenient and the walks are bounded, so this is a last resort: a page that breaks
    // the extractor is a page without a readable plan, not a crash of the crawl.
    return { rows: [], strategy: "none", notes: [`page could not be read: ${String(e)}`] };
  }
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

function isElement(n: AnyNode): n is Element {
  return n.nodeType === ELEMENT_NODE;
}
function isText(n: AnyNode): n is Text {
  return n.nodeType === TEXT_NODE;
}

const CHROME = [
  "script",
  "style",
  "noscript",
  "template",
  "svg",
  "iframe",
  // Not <form>: WebForms and SharePoint sites wrap the whole page in one.
  "nav",
  "footer",
  "aside",
  "[role=navigation]",
  "[role=banner]",
  "[role=contentinfo]",
  "[role=complementary]",
  "[role=search]",
].join(",");
const COOKIE = /cookie|consent|gdpr|samtykke|samtycke/i;
const PAGE_WRAPPERS = new Set(["html", "body", "main", "article"]);

function removeChrome($: CheerioAPI): void {
  $(CHROME).remove();
  // A page's own <header> is chrome; an article's or a section's is content.
  $("header")
    .filter((_, el) => $(el).parents("main, article, section, details").length === 0)
    .remove();
  // Cookie banners, but not a page whose <body> or wrapper carries a "cookie-banner-open" class.
  $("[id], [class]")
    .filter(
      (_, el) =>
        COOKIE.test(`${el.attribs.id ?? ""} ${el.attribs.class ?? ""}`) &&
        !PAGE_WRAPPERS.has(el.name) &&
        $(el).find("main, article, h1").length === 0,
    )
    .remove();
}

const BLOCK_TAGS = new Set([
  "p",
  "div",
  "li",
  "ul",
  "ol",
  "dl",
  "dt",
  "dd",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "tr",
  "table",
  "thead",
  "tbody",
  "section",
  "article",
  "blockquote",
  "pre",
  "address",
  "figure",
  "figcaption",
  "details",
  "summary",
  "hr",
  "header",
  "main",
]);

/** Text of a node with line breaks where the page has them (`<br>`, paragraphs, list items). */
function textOf(node: AnyNode): string {
  const parts: string[] = [];
  const walk = (n: AnyNode): void => {
    if (isText(n)) parts.push(n.data);
    else if (isElement(n)) {
      if (n.name === "br") {
        parts.push("\n");
        return;
      }
      const block = BLOCK_TAGS.has(n.name) || n.name === "td" || n.name === "th";
      if (block) parts.push("\n");
      for (const c of n.children) walk(c);
      if (block) parts.push("\n");
    }
  };
  walk(node);
  return cleanLines(parts.join(""));
}

function cleanLines(s: string): string {
  return s
    .split("\n")
    .map((l) => l.replace(/[\s\u00a0]+/g, " ").trim())
    .filter((l) => l !== "")
    .join("\n");
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, " ").trim();
}

function absoluteUrl(href: string | undefined, baseUrl: string): string | undefined {
  if (!href || href.startsWith("#") || /^(javascript|mailto|tel):/i.test(href.trim())) return undefined;
  try {
    const url = new URL(href.trim(), baseUrl);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function linkOf(cell: Element, baseUrl: string): string | undefined {
  const stack: AnyNode[] = [...cell.children];
  while (stack.length > 0) {
    const n = stack.shift();
    if (!n || !isElement(n)) continue;
    if (n.name === "a") {
      const url = absoluteUrl(n.attribs.href, baseUrl);
      if (url) return url;
    }
    stack.push(...n.children);
  }
  return undefined;
}

function childElements(el: Element, names: ReadonlySet<string>): Element[] {
  return el.children.filter((c): c is Element => isElement(c) && names.has(c.name));
}

const SECTIONS = new Set(["thead", "tbody", "tfoot"]);
const CELLS = new Set(["td", "th"]);
const ROWS = new Set(["tr"]);
/** Spans beyond these are typing errors, not layouts; they would only cost memory. */
const MAX_COLSPAN = 50;
const MAX_ROWSPAN = 5_000;

/** The rows of this table, not of tables nested in it. */
function rowsOfTable(table: Element): Element[] {
  const rows: Element[] = [];
  for (const c of table.children) {
    if (!isElement(c)) continue;
    if (c.name === "tr") rows.push(c);
    else if (SECTIONS.has(c.name)) rows.push(...childElements(c, ROWS));
  }
  return rows;
}

function span(value: string | undefined, max: number): number {
  const n = Number.parseInt(value ?? "1", 10);
  if (n === 0) return max;
  return Number.isFinite(n) && n > 0 ? Math.min(n, max) : 1;
}

/**
 * The table as a grid: a rowspan cell repeats down its rows, a colspan cell sits in its first
 * column (the others stay empty), and a row of one cell over the whole width is marked as a section.
 */
function tableGrid(table: Element, tableNo: number, baseUrl: string): GridRow[] {
  const pending: { text: string; link: string | undefined; left: number }[] = [];
  const grid: (GridRow & { singleSpan: number })[] = [];
  rowsOfTable(table).forEach((tr, r) => {
    const cells: string[] = [];
    const links: (string | undefined)[] = [];
    let col = 0;
    const fillPending = () => {
      for (let p = pending[col]; p && p.left > 0; p = pending[col]) {
        cells[col] = p.text;
        links[col] = p.link;
        p.left--;
        col++;
      }
    };
    const tds = childElements(tr, CELLS);
    for (const td of tds) {
      fillPending();
      const colspan = span(td.attribs.colspan, MAX_COLSPAN);
      const rowspan = span(td.attribs.rowspan, MAX_ROWSPAN);
      const text = textOf(td);
      const link = linkOf(td, baseUrl);
      for (let k = 0; k < colspan; k++) {
        cells[col + k] = k === 0 ? text : "";
        links[col + k] = k === 0 ? link : undefined;
        pending[col + k] = { text: k === 0 ? text : "", link: k === 0 ? link : undefined, left: rowspan - 1 };
      }
      col += colspan;
    }
    while (col < pending.length) {
      fillPending();
      col++;
    }
    for (let c = 0; c < cells.length; c++) cells[c] ??= "";
    const only = tds.length === 1 ? tds[0] : undefined;
    grid.push({
      cells,
      links,
      where: `table ${tableNo}, row ${r + 1}`,
      singleSpan: only ? span(only.attribs.colspan, MAX_COLSPAN) : 0,
    });
  });
  const width = Math.max(0, ...grid.map((g) => g.cells.length));
  return grid.map(({ singleSpan, ...row }) => ({
    ...row,
    cells: Array.from({ length: width }, (_, c) => row.cells[c] ?? ""),
    spansAll: width >= 2 && singleSpan >= width,
  }));
}

/** Headings that name the plan itself ("Udbudsplan 2026"), not a department or area. */
const PLAN_HEADING =
  /plan|udbud|upphandl|anskaff|innkjøp|indkøb|inköp|procure|tender|pipeline|kunngjør|oversigt|översikt|oversikt|overview/i;

interface Positioned {
  order: Map<AnyNode, number>;
  headings: Element[];
}

function position($: CheerioAPI): Positioned {
  const order = new Map<AnyNode, number>();
  $("*").each((i, el) => {
    order.set(el, i);
  });
  return { order, headings: $("h2, h3").toArray() };
}

function contains(outer: AnyNode, inner: AnyNode): boolean {
  for (let n: AnyNode | null = inner; n; n = n.parent) if (n === outer) return true;
  return false;
}

/** The nearest h2/h3 before `target` that is outside `exclude` and, when given, above `belowLevel`. */
function sectionHeading(
  pos: Positioned,
  target: AnyNode,
  exclude: AnyNode[],
  belowLevel = 9,
): string | undefined {
  const at = pos.order.get(target) ?? -1;
  let found: Element | undefined;
  for (const h of pos.headings) {
    if ((pos.order.get(h) ?? Infinity) >= at) break;
    if (exclude.some((x) => contains(x, h))) continue;
    if (Number(h.name.slice(1)) >= belowLevel) continue;
    found = h;
  }
  const text = found ? oneLine(textOf(found)) : "";
  return text === "" || text.length > 120 || PLAN_HEADING.test(text) ? undefined : text;
}

/**
 * Section headings become department (or area) only when they tell plan parts apart: two or more
 * different ones. A single heading above a single table is more often "Om planen" than a department.
 */
function applySections(
  parts: { rows: RawPlanRow[]; heading: string | undefined; has: Set<PlanField> }[],
): void {
  const distinct = new Set(parts.map((p) => p.heading).filter((h) => h !== undefined));
  if (distinct.size < 2) return;
  for (const part of parts) {
    if (part.heading === undefined) continue;
    const field: PlanField | undefined = !part.has.has("department")
      ? "department"
      : !part.has.has("area")
        ? "area"
        : undefined;
    if (!field) continue;
    for (const row of part.rows) row.fields[field] ??= part.heading;
  }
}

function extractTables(
  $: CheerioAPI,
  tableNo: Map<AnyNode, number>,
  pos: Positioned,
  baseUrl: string,
  hints: PlanHints | undefined,
): { rows: RawPlanRow[]; notes: string[] } {
  const candidates = hints?.tableSelector
    ? $(hints.tableSelector)
        .toArray()
        .filter(isElement)
        .flatMap((el) => (el.name === "table" ? [el] : $(el).find("table").toArray()))
    : $("table").toArray();
  const ignored = { layout: 0, singleColumn: 0, noHeaders: 0 };
  const notes: string[] = [];
  const parts: { rows: RawPlanRow[]; heading: string | undefined; has: Set<PlanField> }[] = [];
  for (const table of candidates) {
    const no = tableNo.get(table) ?? 0;
    if ($(table).find("table").length > 0 || table.attribs.role === "presentation") {
      ignored.layout++;
      continue;
    }
    const grid = tableGrid(table, no, baseUrl);
    if ((grid[0]?.cells.length ?? 0) < 2) {
      ignored.singleColumn++;
      continue;
    }
    const header = findHeaderRow(
      grid.map((g) => g.cells.map(oneLine)),
      hints,
    );
    if (!header) {
      ignored.noHeaders++;
      continue;
    }
    const result = rowsFromGrid(grid, header);
    const skipped = describeSkipped(result.skipped);
    notes.push(
      `table ${no}: plan header in row ${header.index + 1}, ${result.rows.length} rows${skipped ? `; ${skipped}` : ""}`,
    );
    parts.push({
      rows: result.rows,
      heading: sectionHeading(pos, table, [table]),
      has: new Set(header.fields.filter((f): f is PlanField => f !== undefined)),
    });
  }
  applySections(parts);
  const total = ignored.layout + ignored.singleColumn + ignored.noHeaders;
  if (total > 0) {
    const why = [
      ignored.layout ? `${ignored.layout} layout` : "",
      ignored.singleColumn ? `${ignored.singleColumn} single-column` : "",
      ignored.noHeaders ? `${ignored.noHeaders} without plan headers` : "",
    ].filter((w) => w !== "");
    notes.push(`${total} table${total === 1 ? "" : "s"} ignored (${why.join(", ")})`);
  }
  return { rows: parts.flatMap((p) => p.rows), notes };
}

// ---------------------------------------------------------------------------------------------
// Label/value blocks
// ---------------------------------------------------------------------------------------------

interface Block {
  trigger: Element;
  /** The element(s) holding the item's details. */
  content: Element[];
  /** Element(s) the whole block lives in, for "is this inside that" checks. */
  roots: Element[];
  explicit: boolean;
}

type Line =
  /** `marked`: the label was marked up (strong, dt, th), not just followed by a colon. */
  | { kind: "pair"; label: string; value: string; text: string; marked: boolean }
  | { kind: "label" | "text"; text: string };

const EMPHASIS = new Set(["strong", "b", "th", "dt", "h4", "h5", "h6"]);
/** A label is a few words; a longer text before a colon is a sentence. */
const MAX_LABEL_CHARS = 60;
const MAX_LABEL_WORDS = 6;

function isLabel(s: string): boolean {
  const t = s.trim();
  return (
    t !== "" &&
    t.length <= MAX_LABEL_CHARS &&
    t.split(/\s+/).length <= MAX_LABEL_WORDS &&
    /\p{L}/u.test(t) &&
    !/\d$/.test(t)
  );
}

function stripColon(s: string): string {
  return s.replace(/[\s:–—-]+$/, "").trim();
}

/** Reads the content of a block as lines: label/value pairs, lone labels and plain text. */
function linesOf(content: Element[], skip?: AnyNode): Line[] {
  const lines: Line[] = [];
  let pieces: { text: string; strong: boolean }[] = [];
  let strong = 0;

  const flush = () => {
    const text = pieces
      .map((p) => p.text)
      .join("")
      .replace(/[\s\u00a0]+/g, " ")
      .trim();
    if (text !== "") {
      let lead = "";
      for (const p of pieces) {
        if (!p.strong && p.text.trim() !== "") break;
        lead += p.text;
      }
      const label = stripColon(lead.replace(/[\s\u00a0]+/g, " "));
      const rest = text
        .slice(lead.replace(/[\s\u00a0]+/g, " ").trim().length)
        .replace(/^[\s:–—-]+/, "")
        .trim();
      const colon = /^([^:]+?)\s*:\s*(.*)$/.exec(text);
      if (label !== "" && isLabel(label)) {
        lines.push(
          rest === ""
            ? { kind: "label", text: label }
            : { kind: "pair", label, value: rest, text, marked: true },
        );
      } else if (colon && isLabel(colon[1] ?? "") && !(colon[2] ?? "").startsWith("//")) {
        const value = (colon[2] ?? "").trim();
        const l = (colon[1] ?? "").trim();
        lines.push(
          value === "" ? { kind: "label", text: l } : { kind: "pair", label: l, value, text, marked: false },
        );
      } else lines.push({ kind: "text", text });
    }
    pieces = [];
  };

  const walk = (n: AnyNode): void => {
    if (isText(n)) {
      pieces.push({ text: n.data, strong: strong > 0 });
      return;
    }
    if (!isElement(n) || n === skip) return;
    if (n.name === "br") return flush();
    if (n.name === "dl") {
      flush();
      for (const c of n.children) {
        if (!isElement(c)) continue;
        const text = textOf(c);
        if (text === "") continue;
        if (c.name === "dt") lines.push({ kind: "label", text: stripColon(oneLine(text)) });
        else if (c.name === "dd") lines.push({ kind: "text", text });
        else if (c.name === "div") {
          // <dl><div><dt/><dd/></div></dl>, as HTML allows.
          for (const d of childElements(c, new Set(["dt", "dd"]))) {
            const t = textOf(d);
            if (t !== "")
              lines.push(
                d.name === "dt" ? { kind: "label", text: stripColon(oneLine(t)) } : { kind: "text", text: t },
              );
          }
        }
      }
      return;
    }
    if (n.name === "table") {
      flush();
      for (const tr of rowsOfTable(n)) {
        const cells = childElements(tr, CELLS).map(textOf);
        const [label, value] = cells;
        if (cells.length === 2 && label !== undefined && value !== undefined && isLabel(stripColon(label)))
          lines.push({
            kind: "pair",
            label: stripColon(oneLine(label)),
            value,
            text: `${label} ${value}`,
            marked: true,
          });
        else for (const c of cells) if (c !== "") lines.push({ kind: "text", text: c });
      }
      return;
    }
    const block = BLOCK_TAGS.has(n.name);
    const emphasis = EMPHASIS.has(n.name);
    if (block) flush();
    if (emphasis) strong++;
    for (const c of n.children) walk(c);
    if (emphasis) strong--;
    if (block) flush();
  };
  for (const el of content) {
    walk(el);
    flush();
  }
  return lines;
}

/**
 * Pairs the lines: a lone label takes the text lines after it as its value, even one that has a
 * colon in it ("<strong>Beskrivning</strong><br>Livsmedel inom flera kategorier: mejeri, …").
 */
function pairsOf(lines: Line[]): { pairs: { label: string; value: string }[]; free: string[] } {
  const pairs: { label: string; value: string }[] = [];
  const free: string[] = [];
  let pending: { label: string; value: string[] } | undefined;
  const close = () => {
    if (pending && pending.value.length > 0)
      pairs.push({ label: pending.label, value: pending.value.join("\n") });
    pending = undefined;
  };
  for (const line of lines) {
    if (line.kind === "pair" && pending && pending.value.length === 0 && !line.marked) {
      pending.value.push(line.text);
    } else if (line.kind === "pair") {
      close();
      pairs.push({ label: line.label, value: line.value });
    } else if (line.kind === "label") {
      close();
      pending = { label: line.text, value: [] };
    } else if (pending) pending.value.push(line.text);
    else free.push(line.text);
  }
  close();
  return { pairs, free };
}

const MULTILINE: ReadonlySet<PlanField> = new Set(["description", "contact"]);
/**
 * Labels that make a block a planned purchase rather than, say, a contact box ("Kontakt",
 * "Område"): when, how much, how long or how it will be bought.
 */
const BLOCK_EVIDENCE: ReadonlySet<PlanField> = new Set([
  "expectedPublication",
  "estimatedValue",
  "contractPeriod",
  "cpv",
  "reserved",
  "procedure",
]);
/** A block is a plan item when this many of its labels name fields. */
const MIN_BLOCK_FIELDS = 2;

function rowOfBlock(
  block: Block,
  hints: PlanHints | undefined,
): { fields: Partial<Record<PlanField, string>>; extra: RawPlanRow["extra"]; mapped: number } {
  const { pairs, free } = pairsOf(linesOf(block.content, block.trigger));
  const fields: Partial<Record<PlanField, string>> = {};
  const extra: RawPlanRow["extra"] = [];
  let mapped = 0;
  let periodLabel = "";
  for (const { label, value } of pairs) {
    const field = matchLabel(label, hints)?.field;
    if (field && fields[field] === undefined) {
      fields[field] = MULTILINE.has(field) ? value : oneLine(value);
      if (field === "estimatedValue") fields[field] = withHeadingUnit(oneLine(value), label);
      if (field === "contractPeriod") periodLabel = label;
      mapped++;
    } else extra.push({ label, value });
  }
  // "Kontraktstart: 01.01.2027" and "Kontraktudløb: 31.12.2029": the period is the two dates.
  const end =
    periodLabel !== "" && isPeriodStartLabel(periodLabel)
      ? extra.findIndex((e) => isPeriodEndLabel(e.label))
      : -1;
  const endValue = extra[end]?.value;
  if (fields.contractPeriod !== undefined && endValue !== undefined) {
    fields.contractPeriod = joinPeriod(fields.contractPeriod, oneLine(endValue));
    extra.splice(end, 1);
  }
  const heading = oneLine(textOf(block.trigger));
  if (fields.title === undefined) {
    if (heading !== "") fields.title = heading;
  } else if (heading !== "") extra.unshift({ label: "heading", value: heading });
  if (fields.description === undefined && free.length > 0) fields.description = free.join("\n");
  return { fields, extra, mapped };
}

const TRIGGER_HEADINGS = new Set(["h2", "h3", "h4"]);
const HEADINGS = new Set(["h1", "h2", "h3", "h4", "h5", "h6"]);

function headingLevel(el: Element): number {
  return HEADINGS.has(el.name) ? Number(el.name.slice(1)) : 9;
}

function isTriggerButton(el: Element): boolean {
  return el.name === "button" || el.attribs.role === "button";
}

/** Following siblings of a trigger up to the next trigger of the same or a higher rank. */
function followingContent(trigger: Element): Element[] {
  let anchor: Element = trigger;
  // A heading or button alone in a wrapper (<div class="title"><h3>…</h3></div><div class="body">).
  for (let i = 0; i < 2 && !anchor.next && anchor.parent && isElement(anchor.parent); i++) {
    if (anchor.parent.name === "body" || anchor.parent.name === "main") break;
    anchor = anchor.parent;
  }
  const level = headingLevel(trigger);
  const stops = (el: Element): boolean => {
    if (HEADINGS.has(el.name) && headingLevel(el) <= level) return true;
    if (isTriggerButton(trigger) && (isTriggerButton(el) || el.name === trigger.name)) return true;
    if (el.name === "details") return true;
    return false;
  };
  const content: Element[] = [];
  for (let n = anchor.next; n; n = n.next) {
    if (!isElement(n)) continue;
    if (stops(n)) break;
    const inner = [...n.children].some(
      (c) => isElement(c) && HEADINGS.has(c.name) && headingLevel(c) <= level,
    );
    if (inner) break;
    content.push(n);
  }
  return content;
}

function findBlocks($: CheerioAPI, hints: PlanHints | undefined): Block[] {
  const blocks: Block[] = [];
  if (hints?.blockSelector) {
    for (const el of $(hints.blockSelector).toArray().filter(isElement)) {
      const trigger = $(el)
        .find("summary, h1, h2, h3, h4, h5, h6, button, [role=button], strong")
        .toArray()
        .filter(isElement)[0];
      if (!trigger) continue;
      blocks.push({ trigger, content: [el], roots: [el], explicit: true });
    }
    return blocks;
  }
  for (const details of $("details").toArray()) {
    const summary = childElements(details, new Set(["summary"]))[0];
    if (!summary) continue;
    const content = details.children.filter((c): c is Element => isElement(c) && c !== summary);
    blocks.push({ trigger: summary, content, roots: [details], explicit: true });
  }
  const byId = new Map<string, Element>();
  for (const el of $("[id]").toArray())
    if (el.attribs.id && !byId.has(el.attribs.id)) byId.set(el.attribs.id, el);
  for (const trigger of $("[aria-controls]").toArray()) {
    const ids = (trigger.attribs["aria-controls"] ?? "").split(/\s+/).filter((id) => id !== "");
    const content = ids.flatMap((id) => byId.get(id) ?? []).filter((el) => !contains(el, trigger));
    if (content.length === 0) continue;
    const heading = trigger.parent && isElement(trigger.parent) && HEADINGS.has(trigger.parent.name);
    const titled = heading && trigger.parent && isElement(trigger.parent) ? trigger.parent : trigger;
    blocks.push({ trigger: titled, content, roots: [titled, ...content], explicit: true });
  }
  const claimed = blocks.flatMap((b) => b.roots);
  for (const trigger of $("h2, h3, h4, button, [role=button]").toArray()) {
    if (claimed.some((r) => contains(r, trigger))) continue;
    // A button inside a heading is the heading's; the heading is the trigger.
    if (
      isTriggerButton(trigger) &&
      trigger.parent &&
      isElement(trigger.parent) &&
      HEADINGS.has(trigger.parent.name)
    )
      continue;
    if (!TRIGGER_HEADINGS.has(trigger.name) && !isTriggerButton(trigger)) continue;
    const content = followingContent(trigger);
    if (content.length === 0) continue;
    blocks.push({ trigger, content, roots: [trigger, ...content], explicit: false });
  }
  return blocks;
}

function extractBlocks(
  $: CheerioAPI,
  pos: Positioned,
  hints: PlanHints | undefined,
): { rows: RawPlanRow[]; notes: string[] } {
  const found = findBlocks($, hints)
    .map((block) => ({ block, ...rowOfBlock(block, hints) }))
    .filter(
      (b) =>
        b.mapped >= MIN_BLOCK_FIELDS &&
        b.fields.title !== undefined &&
        Object.keys(b.fields).some((f) => BLOCK_EVIDENCE.has(f as PlanField)),
    );
  // Items of one plan share their markup: of the blocks found by headings and buttons, keep those
  // of the most common kind (on a tie the higher rank: an item's h3 over its "Detaljer" h4).
  const kinds = new Map<string, number>();
  for (const b of found)
    if (!b.block.explicit) kinds.set(b.block.trigger.name, (kinds.get(b.block.trigger.name) ?? 0) + 1);
  const kind = [...kinds].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  const kept = found.filter((b) => b.block.explicit || b.block.trigger.name === kind);
  // An outer block (a heading over several items) yields to the items inside it.
  const items = kept.filter(
    (outer) =>
      outer.block.explicit ||
      !kept.some(
        (inner) => inner !== outer && outer.block.content.some((c) => contains(c, inner.block.trigger)),
      ),
  );
  items.sort((a, b) => (pos.order.get(a.block.trigger) ?? 0) - (pos.order.get(b.block.trigger) ?? 0));
  const parts = items.map((item, i) => {
    const title = item.fields.title ?? "";
    const row: RawPlanRow = {
      fields: item.fields,
      extra: item.extra,
      where: `block ${i + 1} '${title.length > 60 ? `${title.slice(0, 57)}...` : title}'`,
    };
    const level = headingLevel(item.block.trigger);
    return {
      rows: [row],
      heading: sectionHeading(pos, item.block.trigger, item.block.roots, level),
      has: new Set(Object.keys(item.fields) as PlanField[]),
    };
  });
  applySections(parts);
  const rows = parts.flatMap((p) => p.rows);
  const notes = rows.length > 0 ? [`${rows.length} blocks with plan labels`] : [];
  return { rows, notes };
}

function extract(
  html: string,
  baseUrl: string,
  hints: PlanHints | undefined,
): { rows: RawPlanRow[]; strategy: "table" | "blocks" | "none"; notes: string[] } {
  const $ = load(html);
  const tableNo = new Map<AnyNode, number>();
  $("table").each((i, el) => {
    tableNo.set(el, i + 1);
  });
  removeChrome($);
  const pos = position($);
  const tables = extractTables($, tableNo, pos, baseUrl, hints);
  if (tables.rows.length > 0) return { rows: tables.rows, strategy: "table", notes: tables.notes };
  const blocks = extractBlocks($, pos, hints);
  if (blocks.rows.length > 0)
    return { rows: blocks.rows, strategy: "blocks", notes: [...tables.notes, ...blocks.notes] };
  const planTables = tables.notes.filter((n) => n.startsWith("table ")).length;
  const why = planTables > 0 ? `${planTables} plan table(s) without rows` : "no table with plan headers";
  const ignored = tables.notes.filter((n) => !n.startsWith("table "));
  return {
    rows: [],
    strategy: "none",
    notes: [
      [why, ...(ignored.length > 0 ? ignored : ["no tables"])].join("; "),
      "no blocks with plan labels",
    ],
  };
}
