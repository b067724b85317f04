import { languageOfCountry } from "../../src/domain/common.js";
import { uniqueCodes } from "../../src/domain/cpv.js";
import type { ReservedHint } from "../../src/domain/tender.js";
import {
  cleanLines,
  cleanText,
  findCpvCodes,
  findReservedHint,
  isPlaceholder,
  parseContractPeriod,
  parseEstimatedValue,
  parseExpectedPublication,
} from "./fields.js";
import { own, truncate } from "./fields/text.js";
import type { PlanContext, PlanField, RawPlanRow } from "./plan-item.js";
import { PlanItem } from "./plan-item.js";

/**
 * One row or block of a plan, parsed and validated. Returns the item, or no item and the reasons
 * ("row has no title", "estimatedValue.amount: ..."). The reasons do not repeat `row.where`:
 * callers put it in their `CrawlError` context. Never throws.
 *
 * - title: the title field, else the first sentence of the description; neither → no item.
 *   A title longer than the schema allows is cut and kept whole in the description.
 * - department: the department field, else the area; when both differ, the area becomes a line of
 *   the description.
 * - cpv: codes in the cpv cell (any 8-digit code), and codes marked as such ("CPV 90910000",
 *   "90910000-9") in the title, description and extra columns.
 * - reservedHint: from the reserved cell when it says anything but no ("Ja", "x", "§ 20",
 *   "Overvejes" → `Reserveret: Ja`, with the label in the plan's language); an explicit "Nej"/"No"
 *   means no hint; an empty or undecided cell lets the title, description, procedure ("Open –
 *   reserved for supported employment providers") and extras speak.
 * - expectedPublication, estimatedValue (in the country's currency unless the text names one),
 *   contractPeriod: parsed from their cells.
 * - Nothing is lost: the procedure, extra columns, and any cell that could not be parsed (but is
 *   no placeholder such as "Ikke fastlagt") are appended to the description as "Label: value"
 *   lines.
 */
export function toPlanItem(row: RawPlanRow, ctx: PlanContext): { item?: PlanItem; errors: string[] } {
  try {
    return build(row, ctx);
  } catch (e) {
    return { errors: [`could not read the row: ${e instanceof Error ? e.message : String(e)}`] };
  }
}

type Lang = "da" | "sv" | "nb" | "en";
type LabelledField = Exclude<PlanField, "title" | "description" | "department" | "contact">;

const LABELS: Readonly<Record<Lang, Readonly<Record<LabelledField, string>>>> = {
  da: {
    reference: "Reference",
    area: "Område",
    expectedPublication: "Forventet udbud",
    estimatedValue: "Anslået værdi",
    contractPeriod: "Kontraktperiode",
    cpv: "CPV",
    reserved: "Reserveret",
    procedure: "Udbudsform",
  },
  sv: {
    reference: "Referens",
    area: "Område",
    expectedPublication: "Planerad annonsering",
    estimatedValue: "Uppskattat värde",
    contractPeriod: "Avtalstid",
    cpv: "CPV",
    reserved: "Reserverad",
    procedure: "Upphandlingsförfarande",
  },
  nb: {
    reference: "Referanse",
    area: "Område",
    expectedPublication: "Planlagt kunngjøring",
    estimatedValue: "Anslått verdi",
    contractPeriod: "Kontraktsperiode",
    cpv: "CPV",
    reserved: "Reservert",
    procedure: "Prosedyre",
  },
  en: {
    reference: "Reference",
    area: "Area",
    expectedPublication: "Expected publication",
    estimatedValue: "Estimated value",
    contractPeriod: "Contract period",
    cpv: "CPV",
    reserved: "Reserved",
    procedure: "Procedure",
  },
};

/**
 * The month a country's public financial year begins, where plans count quarters of it
 * ("Q3 2026/27" in England is October–December 2026). Elsewhere quarters are calendar quarters.
 */
const FINANCIAL_YEAR_START: Readonly<Record<string, number>> = { GB: 4 };

const MAX_TITLE = 500;
const MAX_TITLE_FROM_DESCRIPTION = 200;
const MAX_REFERENCE = 120;
const MAX_DEPARTMENT = 300;
const MAX_CONTACT = 500;
const MAX_DESCRIPTION = 20_000;
const MAX_HINT = 1_000;

const YES = /^(?:ja|j|jo|yes|y|x|✓|✔|☑|☒|true|1|reserveret|reserverad|reservert|reserved)(?![\p{L}\d])/iu;
/** "Nej", "No": the cell says no. */
const NO = /^(?:nej|nei|no|n|false|0|ikke|ikkje|ej|inte|not|ingen|none)(?![\p{L}\d])\.?$/iu;
/** "Ikke relevant", "Nej, ikke egnet", "Ej aktuellt": also no, once placeholders are ruled out. */
const NO_PREFIX = /^(?:nej|nei|no|ikke|ikkje|ej|inte|not|ingen|none)(?![\p{L}\d])/iu;
/** An extra cell with nothing in it. */
const EMPTY = /^[-–—?.\s]*$/;

function build(row: RawPlanRow, ctx: PlanContext): { item?: PlanItem; errors: string[] } {
  const raw = (typeof row === "object" && row !== null ? row.fields : undefined) ?? {};
  const field = (name: PlanField): string => {
    const value: unknown = raw[name];
    return typeof value === "string" ? cleanText(value) : "";
  };
  const extras = (Array.isArray(row.extra) ? row.extra : []).flatMap((e) => {
    const label = typeof e?.label === "string" ? cleanText(e.label) : "";
    const value = typeof e?.value === "string" ? cleanLines(e.value) : "";
    return EMPTY.test(value) ? [] : [{ label, value, line: label ? `${label}: ${value}` : value }];
  });
  const country = typeof ctx.country === "string" ? ctx.country : "";
  const lang = languageOfCountry(country) as Lang;
  const labels = LABELS[lang] ?? LABELS.en;
  const lines: string[] = [];
  const keep = (name: LabelledField, value: string) => {
    if (value !== "" && !isPlaceholder(value)) lines.push(`${labels[name]}: ${value}`);
  };

  const descriptionRaw = raw.description;
  const description = typeof descriptionRaw === "string" ? cleanLines(descriptionRaw) : "";
  const prose: string[] = [];

  let title = field("title");
  if (title === "") title = firstSentence(description);
  if (title === "") return { errors: ["row has no title"] };
  if (title.length > MAX_TITLE) {
    prose.push(title);
    title = truncate(title, MAX_TITLE);
  }
  if (description !== "") prose.push(description);

  let reference: string | undefined = field("reference") || undefined;
  if (reference !== undefined && reference.length > MAX_REFERENCE) {
    keep("reference", reference);
    reference = undefined;
  }

  const area = field("area");
  const department = field("department") || area;
  if (area !== "" && area !== department) keep("area", area);

  const publicationText = field("expectedPublication");
  const financialYearStart = own(FINANCIAL_YEAR_START, country.trim().toUpperCase());
  const expectedPublication = publicationText
    ? parseExpectedPublication(publicationText, financialYearStart ? { financialYearStart } : {})
    : undefined;
  if (!expectedPublication) keep("expectedPublication", publicationText);

  const valueText = field("estimatedValue");
  const estimatedValue = valueText ? parseEstimatedValue(valueText, country) : undefined;
  if (!estimatedValue) keep("estimatedValue", valueText);

  const periodText = field("contractPeriod");
  const contractPeriod = periodText ? parseContractPeriod(periodText) : undefined;
  if (!contractPeriod) keep("contractPeriod", periodText);

  const cpvText = field("cpv");
  const cpvFromField = findCpvCodes(cpvText, { field: true });
  if (cpvFromField.length === 0) keep("cpv", cpvText);
  const cpv = uniqueCodes([
    ...cpvFromField,
    ...findCpvCodes(title),
    ...findCpvCodes(description),
    ...extras.flatMap((e) => findCpvCodes(e.line)),
  ]);

  keep("procedure", field("procedure"));
  for (const e of extras) lines.push(e.line);

  const reservedHint = hintOf(field("reserved"), labels.reserved, [
    title,
    description,
    field("procedure"),
    ...extras.map((e) => e.line),
  ]);

  const fullDescription = truncate(
    [prose.join("\n\n"), lines.join("\n")].filter((s) => s !== "").join("\n\n"),
    MAX_DESCRIPTION,
  );
  const contact = field("contact");

  const parsed = PlanItem.safeParse({
    ...(reference !== undefined ? { reference } : {}),
    title,
    ...(fullDescription !== "" ? { description: fullDescription } : {}),
    ...(department !== "" ? { department: truncate(department, MAX_DEPARTMENT) } : {}),
    ...(expectedPublication ? { expectedPublication } : {}),
    ...(estimatedValue ? { estimatedValue } : {}),
    ...(contractPeriod ? { contractPeriod } : {}),
    ...(contact !== "" ? { contact: truncate(contact, MAX_CONTACT) } : {}),
    cpv,
    ...(reservedHint ? { reservedHint } : {}),
    ...(typeof ctx.sourceUrl === "string" && ctx.sourceUrl.trim() !== ""
      ? { sourceUrl: ctx.sourceUrl.trim() }
      : {}),
    country,
  });
  if (parsed.success) return { item: parsed.data, errors: [] };
  return {
    errors: parsed.error.issues.map((issue) => {
      const path = issue.path.map(String).join(".");
      return path ? `${path}: ${issue.message}` : issue.message;
    }),
  };
}

/**
 * The hint of the reserved cell, or else of the texts. An explicit no ("Nej", "Ikke relevant")
 * is no hint; an empty or placeholder cell ("Ikke fastlagt", "-") lets the texts decide.
 */
function hintOf(cell: string, label: string, texts: string[]): ReservedHint | undefined {
  const fromCell =
    cell !== "" && !NO.test(cell) && (YES.test(cell) || (!isPlaceholder(cell) && !NO_PREFIX.test(cell)));
  if (fromCell) {
    const kind = findReservedHint(cell)?.kind;
    const text = truncate(`${label}: ${cell}`, MAX_HINT);
    return kind ? { text, kind } : { text };
  }
  const saysNo = cell !== "" && (NO.test(cell) || (!isPlaceholder(cell) && NO_PREFIX.test(cell)));
  if (saysNo) return undefined;
  for (const text of texts) {
    const hint = findReservedHint(text);
    if (hint) return hint;
  }
  return undefined;
}

/** The first sentence of a description, for a row without a title. */
function firstSentence(description: string): string {
  const firstLine = description.split("\n").find((line) => line.trim() !== "") ?? "";
  // A sentence ends before a capital: "ca. 5 mio." and "jf. § 20" do not end one.
  const end = /[.!?](?=\s+[\p{Lu}"“(]|\s*$)/u.exec(firstLine);
  const sentence = (end ? firstLine.slice(0, end.index) : firstLine).trim();
  return truncate(sentence, MAX_TITLE_FROM_DESCRIPTION);
}
