/**
 * The labelled real data the classifier learns from and is evaluated on (Node only: reads the
 * files under src/demo/notices). Each tender with CPV codes becomes one example: its title, its
 * description and every code it states (tender level, the union of its lots). Texts that are
 * placeholders of the eForms SDK examples ("Procurement Title ---", "Peeping Tom vol3") are left
 * out, identical texts are kept once, and notices in languages the classifier does not serve
 * (French, Italian, German, Spanish examples) are counted and left out.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseEformsNotice } from "../../../crawlers/eforms/parse-notice.js";
import { parseOcds } from "../../../crawlers/ocds/parse-ocds.js";
import { fold } from "../../domain/text.js";
import { CLASSIFY_LANGUAGES } from "../classifier.port.js";
import { type LabelledExample, deriveSplit, type Split } from "../split.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const NOTICES = join(ROOT, "src/demo/notices");
const OCDS_FILES = [
  "ocds/uk-contracts-finder-releases.json",
  "ocds/uk-contracts-finder-planning-releases.json",
];
const EFORMS_DIRS = ["eforms/notices", "eforms/notices-norway-national", "ted-r209/eforms-converted"];
/** Fixed: the parsers stamp it as firstSeen; nothing else depends on it. */
const NOW = "2026-01-01T00:00:00.000Z";

/**
 * Placeholder titles and descriptions of the SDK examples: "vol2"/"vol3" film plots, "---",
 * "(BT-21-Procedure)", "Procedure Name", "Lorem", keyboard mash.
 */
const PLACEHOLDER = [
  /\bvol\s?\d\b/i,
  /---/,
  /\(BT-\d+/i,
  /\bBT-\d+-Procedure\b/i,
  /^procedure (name|description)$/i,
  /^(title|description)\b.*\bvol\d/i,
  /^title \(/i,
  /\blorem\b/i,
  /^(ProPrName\d*|PrPrDesc\w*|wegweg\w*)$/i,
  /^tittel for anskaffelsesprosedyren$/i,
  /^bellow eea/i,
];

function isPlaceholder(text: string): boolean {
  const t = text.trim();
  return t.length < 3 || PLACEHOLDER.some((re) => re.test(t));
}

export interface LabelledData {
  examples: LabelledExample[];
  /** Why texts were left out, with counts. */
  excluded: { placeholder: number; duplicate: number; noCodes: number; otherLanguage: number };
}

function push(
  out: LabelledExample[],
  seen: Set<string>,
  excluded: LabelledData["excluded"],
  example: LabelledExample,
): void {
  if (!(CLASSIFY_LANGUAGES as readonly string[]).includes(example.lang)) {
    excluded.otherLanguage++;
    return;
  }
  if (example.codes.length === 0) {
    excluded.noCodes++;
    return;
  }
  if (isPlaceholder(example.title) || isPlaceholder(example.description)) {
    excluded.placeholder++;
    return;
  }
  const key = fold(`${example.title} ${example.description}`).replace(/\s+/g, " ").trim();
  if (seen.has(key)) {
    excluded.duplicate++;
    return;
  }
  seen.add(key);
  out.push(example);
}

/** Reads every labelled tender shipped in src/demo/notices, in a stable order. */
export function loadLabelledData(): LabelledData {
  const examples: LabelledExample[] = [];
  const seen = new Set<string>();
  const excluded = { placeholder: 0, duplicate: 0, noCodes: 0, otherLanguage: 0 };
  for (const file of OCDS_FILES) {
    const parsed = parseOcds(JSON.parse(readFileSync(join(NOTICES, file), "utf8")), { now: NOW });
    for (const item of parsed.items) {
      const t = item.tender;
      push(examples, seen, excluded, {
        id: t.id,
        lang: t.language,
        title: t.title,
        description: t.description,
        codes: t.cpv,
        source: file,
      });
    }
  }
  for (const dir of EFORMS_DIRS) {
    for (const name of readdirSync(join(NOTICES, dir)).sort()) {
      if (!name.endsWith(".xml")) continue;
      const parsed = parseEformsNotice(readFileSync(join(NOTICES, dir, name), "utf8"), { now: NOW });
      const t = parsed.tender;
      push(examples, seen, excluded, {
        id: `${dir}/${name}`,
        lang: t.language,
        title: t.title,
        description: t.description,
        codes: t.cpv,
        source: dir,
      });
    }
  }
  return { examples, excluded };
}

/** The data and its split (derived, see split.ts). */
export function loadSplitData(): LabelledData & { split: Split } {
  const data = loadLabelledData();
  return { ...data, split: deriveSplit(data.examples) };
}
