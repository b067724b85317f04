import { withHeadingUnit } from "./fields/money.js";
import type { PlanField, RawPlanRow } from "./plan-item.js";

/**
 * Per-source configuration for the plan extractors. Everything is optional: a new municipality
 * needs none of it when its plan uses ordinary wording, and a few lines when it does not.
 */
export interface PlanHints {
  /** CSS selector of the plan table(s), when the page has other tables that look like plans. */
  tableSelector?: string;
  /** CSS selector of one plan item, when items are blocks (accordions, cards) with a custom markup. */
  blockSelector?: string;
  /** Extra header labels per field, for wording the vocabulary does not know ("Indsatsområde"). */
  columns?: Partial<Record<PlanField, string[]>>;
  /** Spreadsheet sheet name (XLSX), matched without regard to case or diacritics. */
  sheet?: string;
  /** 1-based row of the header: sheet row (XLSX), record (CSV) or table row (HTML). */
  headerRow?: number;
  /** CSV delimiter, when sniffing picks the wrong one. */
  delimiter?: string;
  /** CSV encoding (a TextDecoder label), when sniffing picks the wrong one. */
  encoding?: string;
}

/**
 * Header and label vocabulary in Danish, Swedish, Norwegian and English. Terms are matched after
 * folding (see `foldLabel`), so "værdi", "Vaerdi" and "VÆRDI" are one term. A term matches a whole
 * label, whole words of it, the end of a compound word ("kontrakt|værdi") or its start
 * ("udbuds|navn"), in that order of preference; among equals, the longest term wins, so
 * "udbudsform" (procedure) beats "udbud" (title). Terms marked weak ("contract", "projekt") lose to
 * any other term of the same kind of match, so "Contract value" is a value.
 */
const VOCABULARY: Record<PlanField, string[]> = {
  title: [
    "opgave",
    "opgavens navn",
    "opgavetitel",
    "udbud",
    "udbudsnavn",
    "udbudstitel",
    "navn på udbud",
    // Question-style headers: "Hvad skal udbydes?", "Vad ska upphandlas?", "Hva skal anskaffes?".
    "udbydes",
    "upphandlas",
    "anskaffes",
    "projekt*",
    "projektnavn",
    "ydelse*",
    "ydelser*",
    "kontrakt*",
    "beskrivelse af opgave",
    "beskrivelse af opgaven",
    "beskrivelse af udbud",
    "beskrivelse af udbuddet",
    "upphandling",
    "upphandlingsnamn",
    "upphandlingens namn",
    "namn*",
    "navn*",
    "benämning",
    "anskaffelse",
    "anskaffelsens navn",
    "konkurranse",
    "titel",
    "tittel",
    "title",
    "name*",
    "contract*",
    "contract title",
    "contract name",
    "procurement*",
    "project*",
    "tender*",
  ],
  description: [
    "beskrivelse",
    "kort beskrivelse",
    "kort beskrivelse af opgaven",
    "indhold",
    "beskrivning",
    "kort beskrivning",
    "omfattning",
    "omfang",
    "description",
    "scope",
    "summary",
  ],
  area: [
    "område",
    "fagområde",
    "indkøbsområde",
    "udbudsområde",
    "kategori",
    "varegruppe",
    "verksamhetsområde",
    "område kategori",
    "kategorie",
    "kategorier",
    "tjenesteområde",
    "category",
    "area",
    "service area",
    "sector*",
  ],
  department: [
    "forvaltning",
    "afdeling",
    "enhed",
    "center",
    "förvaltning",
    "nämnd",
    "avdelning",
    "etat",
    "sektor",
    "virksomhet",
    "virksomheter",
    "department",
    "directorate",
    "service*",
  ],
  expectedPublication: [
    "forventet*",
    "forventes",
    // "Hvornår forventes udbuddet?", "När annonseras upphandlingen?", "When will it be tendered?"
    "hvornår*",
    "när*",
    "når*",
    "when*",
    "tidsplan",
    "forventet annoncering",
    "forventet udbud",
    "forventet udbudstidspunkt",
    "forventet offentliggørelse",
    "planlagt annoncering",
    "planlagt udbud",
    "udbudstidspunkt",
    "annonceringstidspunkt",
    "annoncering",
    "tidspunkt",
    "tidspunkt for udbud",
    "beräknad annonsering",
    "planerad annonsering",
    "annonsering",
    "annonseringsdatum",
    "beräknad start för upphandling",
    "planlagt kunngjøring",
    "kunngjøring",
    "forventet kunngjøring",
    "kunngjøringstidspunkt",
    "utlysning",
    "planlagt utlysning",
    "utlyses",
    "expected publication",
    "publication date",
    "expected publication date",
    "timing",
    "tender date",
    "expected tender date",
    "procurement start",
    "procurement start date",
    "start of procurement",
    "tender start",
    "tender publication",
    "go to market",
  ],
  estimatedValue: [
    "anslået værdi",
    "forventet værdi",
    "estimeret værdi",
    "kontraktværdi",
    "kontraktsum",
    "værdi",
    "uppskattat värde",
    "beräknat värde",
    "värde",
    "kontraktsvärde",
    "estimert verdi",
    "anslått verdi",
    "verdi",
    "kontraktsverdi",
    "estimated value",
    "value",
    "contract value",
    "total value",
    "budget",
  ],
  contractPeriod: [
    "kontraktperiode",
    "kontraktens løbetid",
    "varighed",
    "løbetid",
    "avtalstid",
    "avtalsperiod",
    "avtalslängd",
    "kontraktstid",
    "kontraktsperiode",
    "kontraktsperiod",
    "varighet",
    "avtaleperiode",
    "længde",
    "kontraktlængde",
    "längd",
    "lengde",
    "contract period",
    "contract duration",
    "contract length",
    "duration",
    "contract term",
    "contract start",
    "kontraktstart",
    "avtalsstart",
    "avtalestart",
  ],
  contact: [
    "kontakt",
    "kontaktperson",
    "udbudskonsulent",
    "indkøber",
    "indkøbskonsulent",
    "upphandlare",
    "handläggare",
    "saksbehandler",
    "innkjøper",
    "contact",
    "contact person",
    "lead officer",
    "officer",
    "e mail",
    "email",
    "e post",
    "epost",
    "telefon",
    "telefonnummer",
    "phone",
  ],
  cpv: ["cpv", "cpv kode", "cpv koder", "cpv kod", "cpv nummer", "cpv code", "cpv codes"],
  reserved: ["reserveret", "reserveret kontrakt", "reserverad", "reserverat", "reservert", "reserved"],
  reference: [
    "nr",
    "nummer",
    "id",
    "udbudsnummer",
    "udbudsnr",
    "sagsnr",
    "sagsnummer",
    "journalnummer",
    "referencenummer",
    "reference nr",
    "diarienummer",
    "diarienr",
    "dnr",
    "ärendenr",
    "ärendenummer",
    "journalnr",
    "j nr",
    "løbenr",
    "löpnr",
    "upphandlingsnummer",
    "upphandlingsnr",
    "saksnummer",
    "saksnr",
    "referanse",
    "reference",
    "referens",
    "ref",
    "ref nr",
  ],
  procedure: [
    "udbudsform",
    "udbudsprocedure",
    "udbudstype",
    "procedure",
    "upphandlingsform",
    "förfarande",
    "prosedyre",
    "anskaffelsesprosedyre",
    "konkurranseform",
    "procurement route",
    "procurement procedure",
    "route to market",
  ],
};

const FOLDS: Record<string, string> = { ø: "o", å: "a", æ: "ae", ä: "a", ö: "o", ü: "u", ß: "ss" };

/**
 * Lower case, diacritics folded (ø→o, å→a, æ→ae, ä→a, ö→o, é→e), the Danish/Norwegian "aa"
 * spelling of å folded too, punctuation turned into spaces: "Anslået værdi (kr.)" → "anslaet vaerdi kr".
 */
/** Answers remembered per label text, up to this many (then forgotten at once). */
const MAX_CACHED = 20_000;
const FOLDED = new Map<string, string>();

/** Forgets the remembered answers (for benchmarks that must not reuse them across passes). */
export function clearLabelCaches(): void {
  FOLDED.clear();
  PLAIN.clear();
}

export function foldLabel(label: string): string {
  const known = FOLDED.get(label);
  if (known !== undefined) return known;
  if (FOLDED.size >= MAX_CACHED) FOLDED.clear();
  const folded = foldLabelUncached(label);
  FOLDED.set(label, folded);
  return folded;
}

function foldLabelUncached(label: string): string {
  return label
    .toLowerCase()
    .replace(/[øåæäöüß]/g, (c) => FOLDS[c] ?? c)
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/aa/g, "a")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

interface Term {
  field: PlanField;
  words: string[];
  length: number;
  weak: boolean;
}

function termOf(field: PlanField, text: string, weak = false): Term | undefined {
  const w = text.endsWith("*");
  const words = foldLabel(w ? text.slice(0, -1) : text)
    .split(" ")
    .filter((x) => x !== "");
  if (words.length === 0) return undefined;
  return { field, words, length: words.join(" ").length, weak: weak || w };
}

const TERMS: Term[] = Object.entries(VOCABULARY).flatMap(([field, texts]) =>
  texts.flatMap((t) => termOf(field as PlanField, t) ?? []),
);

/**
 * The vocabulary indexed for look-up, so that a label is compared with the few terms that can
 * match it rather than with all of them: a one-word term can only match a label word that
 * equals it, starts with it or ends with it (compounds); a longer term only where its first word
 * is one of the label's words.
 */
const TERM_ORDER = new Map(TERMS.map((t, i) => [t, i]));
const ONE_WORD = new Map<string, Term[]>();
const BY_FIRST_WORD = new Map<string, Term[]>();
for (const term of TERMS) {
  const [first] = term.words;
  if (first === undefined) continue;
  const index = term.words.length === 1 ? ONE_WORD : BY_FIRST_WORD;
  index.set(first, [...(index.get(first) ?? []), term]);
}

function candidateTerms(words: readonly string[]): Term[] {
  const found = new Set<Term>();
  const add = (terms: Term[] | undefined) => terms?.forEach((t) => found.add(t));
  for (const word of words) {
    add(BY_FIRST_WORD.get(word));
    for (let k = 1; k <= word.length; k++) {
      add(ONE_WORD.get(word.slice(0, k)));
      if (k < word.length) add(ONE_WORD.get(word.slice(word.length - k)));
    }
  }
  return [...found].sort((a, b) => (TERM_ORDER.get(a) ?? 0) - (TERM_ORDER.get(b) ?? 0));
}

/** Match kinds, best first. */
const EXACT = 5;
const WORDS = 4;
const COMPOUND_HEAD = 3;
const COMPOUND_START = 2;
/** Labels longer than this are sentences, not headers. */
const MAX_LABEL_WORDS = 8;
const MAX_LABEL_CHARS = 80;

function matchTerm(labelWords: string[], term: Term): number {
  const n = term.words.length;
  if (labelWords.length === n && term.words.every((w, i) => labelWords[i] === w)) return EXACT;
  let best = 0;
  const head = term.words.slice(0, -1);
  for (let i = 0; i + n <= labelWords.length; i++) {
    if (!head.every((w, j) => labelWords[i + j] === w)) continue;
    const last = term.words[n - 1] ?? "";
    const word = labelWords[i + n - 1] ?? "";
    if (word === last) return WORDS;
    // Short terms ("nr", "id", "ref") only as whole words: "tid" is not an "id".
    if (last.length < 4 || word.length < last.length + 2) continue;
    if (n === 1 && word.endsWith(last)) best = Math.max(best, COMPOUND_HEAD);
    else if (word.startsWith(last)) best = Math.max(best, COMPOUND_START);
  }
  return best;
}

/** How well a label matches a field, or undefined; exposed so that rows can keep the better of two columns. */
export function matchLabel(
  label: string,
  hints?: PlanHints,
): { field: PlanField; score: number } | undefined {
  // Every cell of every row is asked about, often the same text: remember the answers, per
  // hints object (a source's hints are one object for the whole crawl).
  const cache = hints?.columns ? (HINTED.get(hints) ?? newCache(hints)) : PLAIN;
  const known = cache.get(label);
  if (known !== undefined) return known ?? undefined;
  if (cache.size >= MAX_CACHED) cache.clear();
  const answer = matchLabelUncached(label, hints);
  cache.set(label, answer ?? null);
  return answer;
}

type LabelMatch = { field: PlanField; score: number } | null;
const PLAIN = new Map<string, LabelMatch>();
const HINTED = new WeakMap<PlanHints, Map<string, LabelMatch>>();
function newCache(hints: PlanHints): Map<string, LabelMatch> {
  const cache = new Map<string, LabelMatch>();
  HINTED.set(hints, cache);
  return cache;
}

function matchLabelUncached(
  label: string,
  hints?: PlanHints,
): { field: PlanField; score: number } | undefined {
  const folded = foldLabel(label);
  if (folded === "" || folded.length > MAX_LABEL_CHARS) return undefined;
  const words = folded.split(" ");
  if (words.length > MAX_LABEL_WORDS) return undefined;
  let best: { field: PlanField; score: number } | undefined;
  const consider = (term: Term, bonus: number) => {
    const kind = matchTerm(words, term);
    if (kind === 0) return;
    const score = bonus + kind * 1000 + (term.weak ? term.length / 2 : term.length);
    if (best === undefined || score > best.score) best = { field: term.field, score };
  };
  for (const [field, labels] of Object.entries(hints?.columns ?? {})) {
    for (const text of labels ?? []) {
      const term = termOf(field as PlanField, text);
      if (term) consider(term, 10_000);
    }
  }
  for (const term of candidateTerms(words)) consider(term, 0);
  return best;
}

/** The plan field a column header or block label means, or undefined when it means none. */
export function fieldOfLabel(label: string, hints?: PlanHints): PlanField | undefined {
  return matchLabel(label, hints)?.field;
}

/**
 * Labels of the start and the end of a contract, for plans that give the period as two dates
 * ("Contract start date" | "Contract end date", "Kontraktstart" | "Kontraktudløb"). The end of a
 * current or existing contract is not the new contract's end.
 */
const PERIOD_START = ["start", "startdato", "startdatum", "start date", "oppstart", "opstart"].flatMap(
  (t) => termOf("contractPeriod", t) ?? [],
);
const PERIOD_END = [
  "end",
  "end date",
  "expiry",
  "expiry date",
  "slut",
  "slutt",
  "slutdato",
  "slutdatum",
  "sluttdato",
  "udløb",
  "utløp",
  "utløpsdato",
  "ophør",
].flatMap((t) => termOf("contractPeriod", t) ?? []);
const NOT_THIS_CONTRACT =
  /\b(?:nuvaerende|nuvarande|navaerende|eksisterende|befintlig|befintliga|gaeldende|gallande|gjeldende|current|existing|incumbent)\b/;

function labelHas(label: string, terms: Term[]): boolean {
  const words = foldLabel(label).split(" ");
  return terms.some((t) => matchTerm(words, t) > 0);
}

/** Whether a label names the start date of the contract ("Contract start date", "Kontraktstart"). */
export function isPeriodStartLabel(label: string): boolean {
  return labelHas(label, PERIOD_START);
}

/** Whether a label names the end date of the contract ("Contract end date", "Kontraktudløb"). */
export function isPeriodEndLabel(label: string): boolean {
  return labelHas(label, PERIOD_END) && !NOT_THIS_CONTRACT.test(foldLabel(label));
}

/** A period given as start and end: "01/04/2027 – 31/03/2032", which the period parser reads. */
export function joinPeriod(start: string, end: string): string {
  return `${start.trim()} – ${end.trim()}`;
}

/** Fields besides the title of which a plan needs at least one: what makes a list of names a plan. */
const PLAN_EVIDENCE: readonly PlanField[] = [
  "expectedPublication",
  "estimatedValue",
  "contractPeriod",
  "department",
  "area",
];

/**
 * Maps a row of header labels to fields, each field to at most one column (the better match; the
 * other becomes an extra column). When no column is a title but one is a description, the
 * description is the title: some plans have only "Beskrivelse". `score` counts the recognised
 * fields; `isPlan` says whether the row can head a plan (a title and some evidence of planning).
 */
export function scoreHeaderRow(
  labels: string[],
  hints?: PlanHints,
): { fields: (PlanField | undefined)[]; score: number; isPlan: boolean } {
  const matches = labels.map((l) => matchLabel(l, hints));
  const owner = new Map<PlanField, number>();
  matches.forEach((m, i) => {
    if (!m) return;
    const prev = owner.get(m.field);
    if (prev === undefined || (matches[prev]?.score ?? 0) < m.score) owner.set(m.field, i);
  });
  const fields: (PlanField | undefined)[] = labels.map(() => undefined);
  for (const [field, i] of owner) fields[i] = field;
  if (!owner.has("title") && owner.has("description")) {
    const i = owner.get("description") ?? -1;
    fields[i] = "title";
  }
  const found = fields.filter((f): f is PlanField => f !== undefined);
  const hasTitle = found.includes("title");
  const isPlan = hasTitle && found.some((f) => PLAN_EVIDENCE.includes(f));
  return { fields, score: found.length + (hasTitle ? 1 : 0), isPlan };
}

/** One row of a grid (HTML table, CSV, sheet) as the extractors hand it to `rowsFromGrid`. */
export interface GridRow {
  cells: string[];
  /** Absolute link of a cell, by column, when the cell had one. */
  links?: (string | undefined)[];
  /** The row is a single cell over all columns (colspan, merged cells): a section heading. */
  spansAll?: boolean;
  /** Where the row is: "table 2, row 5", "line 7", "sheet Plan, row 7". */
  where: string;
}

export interface HeaderChoice {
  index: number;
  labels: string[];
  fields: (PlanField | undefined)[];
  score: number;
}

/** How many rows at the top of a table or file may come before the header. */
const HEADER_SEARCH_ROWS = 20;

/**
 * Finds the header among the first rows: the best-scoring row that can head a plan (earliest on a
 * tie), or the hinted row. A header row often has a group row above it ("Tidsplan" over two
 * columns); its labels fill the columns the header row leaves unrecognised.
 */
export function findHeaderRow(rows: string[][], hints?: PlanHints): HeaderChoice | undefined {
  const candidates =
    hints?.headerRow !== undefined
      ? [hints.headerRow - 1]
      : rows.slice(0, HEADER_SEARCH_ROWS).map((_, i) => i);
  let best: HeaderChoice | undefined;
  for (const i of candidates) {
    const labels = rows[i];
    if (!labels) continue;
    const scored = scoreHeaderRow(labels, hints);
    // A hinted row need not look like a plan, but it needs a title column.
    if (hints?.headerRow === undefined ? !scored.isPlan : !scored.fields.includes("title")) continue;
    if (best === undefined || scored.score > best.score) best = { index: i, labels, ...scored };
  }
  if (!best) return undefined;
  const above = rows[best.index - 1];
  if (above && best.fields.some((f) => f === undefined)) {
    const merged = best.labels.map((l, c) => (best?.fields[c] === undefined ? `${above[c] ?? ""} ${l}` : l));
    const scored = scoreHeaderRow(merged, hints);
    if (scored.score > best.score) best = { ...best, labels: merged, ...scored, score: scored.score };
  }
  return best;
}

/** Words per cell, for telling names from sentences. */
function wordCount(s: string): number {
  return s.split(/\s+/).filter((w) => w !== "").length;
}
const MAX_NAME_WORDS = 6;
const MIN_SENTENCE_WORDS = 5;

/**
 * A plan without a title column has its description read as the title (`scoreHeaderRow`). When it
 * also has an area column whose cells are short, all different names while the descriptions are
 * sentences ("Område: Skolskjuts | Beskrivning: Skolskjutsar med taxi och buss för elever …"), the
 * area column names the purchases: it becomes the title and the description stays one. Areas that
 * repeat are categories ("IT", "Bygge og anlæg"), and then the description stays the title.
 */
function withAreaAsTitle(grid: GridRow[], header: HeaderChoice): HeaderChoice {
  const titleCol = header.fields.indexOf("title");
  const areaCol = header.fields.indexOf("area");
  if (titleCol < 0 || areaCol < 0) return header;
  if (matchLabel(header.labels[titleCol] ?? "")?.field !== "description") return header;
  const pairs = grid
    .slice(header.index + 1)
    .map((row) => ({ area: (row.cells[areaCol] ?? "").trim(), text: (row.cells[titleCol] ?? "").trim() }))
    .filter((p) => p.area !== "" && p.text !== "" && !SUBTOTAL.test(foldLabel(p.area)));
  if (pairs.length < 2) return header;
  const distinct = new Set(pairs.map((p) => foldLabel(p.area))).size === pairs.length;
  const short = pairs.every((p) => wordCount(p.area) <= MAX_NAME_WORDS);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const areaWords = mean(pairs.map((p) => wordCount(p.area)));
  const textWords = mean(pairs.map((p) => wordCount(p.text)));
  if (!distinct || !short || textWords < Math.max(MIN_SENTENCE_WORDS, 2 * areaWords)) return header;
  const fields = [...header.fields];
  fields[areaCol] = "title";
  fields[titleCol] = "description";
  return { ...header, fields };
}

const SUBTOTAL =
  /^(i alt|ialt|total|totalt|totals|sum|summa|sub ?total|samlet|samlet sum|samlet i alt|grand total|i alt for .*|total for .*)$/;
/** Fields whose text reads as one line; the others (description, contact) keep their line breaks. */
const MULTILINE: ReadonlySet<PlanField> = new Set(["description", "contact"]);

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, " ").trim();
}

export interface GridResult {
  rows: RawPlanRow[];
  skipped: { empty: number; repeatedHeader: number; subtotal: number; untitled: number; sections: number };
}

/**
 * Turns the rows below a header into plan rows: recognised columns into fields, the others into
 * extras with their header label. Skips empty rows, repeated headers and subtotals; a section row
 * (one cell over the whole width) sets the area of the rows after it. `defaults` fill fields the
 * row leaves empty (the department named by a heading above a table).
 */
export function rowsFromGrid(
  grid: GridRow[],
  header: HeaderChoice,
  defaults: Partial<Record<PlanField, string>> = {},
): GridResult {
  header = withAreaAsTitle(grid, header);
  const skipped = { empty: 0, repeatedHeader: 0, subtotal: 0, untitled: 0, sections: 0 };
  const rows: RawPlanRow[] = [];
  const titleCol = header.fields.indexOf("title");
  const valueCol = header.fields.indexOf("estimatedValue");
  const periodCol = header.fields.indexOf("contractPeriod");
  // "Contract start date" | "Contract end date": the period is the two dates.
  const endCol =
    periodCol >= 0 && isPeriodStartLabel(header.labels[periodCol] ?? "")
      ? header.labels.findIndex((l, c) => header.fields[c] === undefined && isPeriodEndLabel(l))
      : -1;
  const headerKey = header.labels.map((l) => foldLabel(l)).join("|");
  let section: string | undefined;
  for (const row of grid.slice(header.index + 1)) {
    const cells = row.cells.map((c) => c.trim());
    const filled = cells.map((c, i) => (c === "" ? -1 : i)).filter((i) => i >= 0);
    if (filled.length === 0) {
      skipped.empty++;
      continue;
    }
    const first = filled[0] ?? 0;
    const only = cells[first] ?? "";
    if (
      row.spansAll ||
      (filled.length === 1 &&
        first === 0 &&
        header.fields[0] !== "title" &&
        header.fields[0] !== "description" &&
        header.labels.length >= 3)
    ) {
      if (SUBTOTAL.test(foldLabel(only))) skipped.subtotal++;
      else {
        section = oneLine(only);
        skipped.sections++;
      }
      continue;
    }
    if (cells.map((c) => foldLabel(c)).join("|") === headerKey) {
      skipped.repeatedHeader++;
      continue;
    }
    if (filled.some((i) => SUBTOTAL.test(foldLabel(cells[i] ?? "")) && (i === titleCol || i === first))) {
      skipped.subtotal++;
      continue;
    }
    if ((cells[titleCol] ?? "") === "") {
      skipped.untitled++;
      continue;
    }
    const out: RawPlanRow = { fields: {}, extra: [], where: row.where };
    const start = cells[periodCol] ?? "";
    const end = endCol >= 0 ? (cells[endCol] ?? "") : "";
    cells.forEach((value, c) => {
      if (value === "") return;
      const field = header.fields[c];
      if (c === endCol && start !== "") return;
      if (c === periodCol && end !== "") out.fields.contractPeriod = joinPeriod(oneLine(start), oneLine(end));
      else if (c === valueCol)
        out.fields.estimatedValue = withHeadingUnit(oneLine(value), header.labels[c] ?? "");
      else if (field) out.fields[field] = MULTILINE.has(field) ? value : oneLine(value);
      else out.extra.push({ label: oneLine(header.labels[c] ?? "") || `column ${c + 1}`, value });
    });
    const link = row.links?.[titleCol];
    if (link) out.extra.push({ label: "link", value: link });
    if (section !== undefined) {
      if (out.fields.area === undefined) out.fields.area = section;
      else out.extra.push({ label: "section", value: section });
    }
    for (const [field, value] of Object.entries(defaults) as [PlanField, string][]) {
      if (out.fields[field] === undefined) out.fields[field] = value;
    }
    rows.push(out);
  }
  return { rows, skipped };
}

/** "2 empty rows, 1 repeated header skipped" for the notes, or "" when nothing was skipped. */
export function describeSkipped(s: GridResult["skipped"]): string {
  const parts = [
    s.empty ? `${s.empty} empty` : "",
    s.repeatedHeader ? `${s.repeatedHeader} repeated header` : "",
    s.subtotal ? `${s.subtotal} subtotal` : "",
    s.untitled ? `${s.untitled} untitled` : "",
    s.sections ? `${s.sections} section` : "",
  ].filter((p) => p !== "");
  return parts.length ? `skipped rows: ${parts.join(", ")}` : "";
}
