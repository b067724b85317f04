/** The eForms notices stored in the project and their MANIFEST.csv rows, for the parser tests. */
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const NOTICES_ROOT = fileURLToPath(new URL("../../../../src/demo/notices/", import.meta.url));

export const EFORMS_DIR = `${NOTICES_ROOT}eforms/`;
export const TED_DIR = `${NOTICES_ROOT}ted-r209/`;

export const NOW = "2026-01-15T09:00:00.000Z";

/** `eforms/notices/cn_24_minimal.xml` style path → file text. */
export function readNotice(relative: string): string {
  return readFileSync(`${NOTICES_ROOT}${relative}`, "utf8");
}

export function listXml(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".xml"))
    .sort();
}

/** A small CSV reader: quoted fields may hold commas; no embedded newlines in these manifests. */
export function readCsv(path: string): Record<string, string>[] {
  const lines = readFileSync(path, "utf8").trim().split(/\r?\n/);
  const head = splitCsvLine(lines[0] ?? "");
  return lines.slice(1).map((line) => {
    const cells = splitCsvLine(line);
    return Object.fromEntries(head.map((h, i) => [h, cells[i] ?? ""]));
  });
}

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') {
      if (quoted && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === "," && !quoted) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function words(cell: string | undefined): Set<string> {
  return new Set((cell ?? "").split(/\s+/).filter((w) => w !== ""));
}

/** ISO 3166 alpha-2 → alpha-3 for the countries of the corpus (the manifest lists alpha-3). */
export const ISO2_TO_ISO3: Readonly<Record<string, string>> = {
  BE: "BEL",
  CH: "CHE",
  DE: "DEU",
  DK: "DNK",
  ES: "ESP",
  FR: "FRA",
  GB: "GBR",
  GR: "GRC",
  IE: "IRL",
  IT: "ITA",
  LU: "LUX",
  NO: "NOR",
  SE: "SWE",
};
