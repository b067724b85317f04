/**
 * Builds the reference data the service ships with from the shared public data sets:
 *
 *   npx tsx src/data/scripts/build-reference-data.ts ../shared/data
 *
 * Writes src/data/cpv.json (all CPV 2008 codes with English and Norwegian labels, Danish and
 * Swedish labels where the Annex XIV list has them) and src/data/municipalities.json (Danish and
 * Swedish municipalities with codes, NUTS3 and an approximate point). See PROVENANCE.md.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const sharedData = process.argv[2];
if (!sharedData) {
  console.error("usage: build-reference-data <path to shared data folder>");
  process.exit(2);
}
const outDir = join(fileURLToPath(new URL(".", import.meta.url)), "..");

/** RFC 4180 CSV (quoted fields, doubled quotes), enough for these files. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows.filter((r) => r.length > 1 || r[0] !== "");
  if (!header) return [];
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])));
}

const read = (p: string) => readFileSync(join(sharedData, p), "utf8");

// --- CPV -------------------------------------------------------------------------------------
const cpvRows = parseCsv(read("cpv/cpv-2008-en-nb.csv"));
const social = new Map(
  parseCsv(read("cpv/cpv-social-services-annexXIV-en-da-sv-de.csv")).map((r) => [r.code, r]),
);
const cpv = cpvRows.map((r) => {
  const s = social.get(r.code ?? "");
  return {
    code: r.code,
    parent: r.parent || null,
    en: r.en,
    nb: r.nb,
    ...(s?.dan_label ? { da: s.dan_label } : {}),
    ...(s?.swe_label ? { sv: s.swe_label } : {}),
    ...(s ? { annexXIV: true } : {}),
  };
});
writeFileSync(join(outDir, "cpv.json"), JSON.stringify(cpv) + "\n");
console.log(`cpv.json: ${cpv.length} codes, ${social.size} Annex XIV codes with da/sv labels`);

// --- Municipalities --------------------------------------------------------------------------
/**
 * Danish NUTS3 regions (landsdele) by municipality, from Statistics Denmark's landsdel
 * definitions (NUTS 2021). Assigned by hand: no machine-readable copy was in the shared data.
 */
const DK_NUTS3: Record<string, string[]> = {
  DK011: ["København", "Frederiksberg", "Dragør", "Tårnby"],
  DK012: [
    "Albertslund", "Ballerup", "Brøndby", "Gentofte", "Gladsaxe", "Glostrup", "Herlev",
    "Hvidovre", "Høje-Taastrup", "Ishøj", "Lyngby-Taarbæk", "Rødovre", "Vallensbæk",
  ],
  DK013: [
    "Allerød", "Egedal", "Fredensborg", "Frederikssund", "Furesø", "Gribskov", "Halsnæs",
    "Helsingør", "Hillerød", "Hørsholm", "Rudersdal",
  ],
  DK014: ["Bornholm", "Christiansø"],
  DK021: ["Greve", "Køge", "Lejre", "Roskilde", "Solrød"],
  DK022: [
    "Faxe", "Guldborgsund", "Holbæk", "Kalundborg", "Lolland", "Næstved", "Odsherred",
    "Ringsted", "Slagelse", "Sorø", "Stevns", "Vordingborg",
  ],
  DK031: [
    "Assens", "Faaborg-Midtfyn", "Kerteminde", "Langeland", "Middelfart", "Nordfyns", "Nyborg",
    "Odense", "Svendborg", "Ærø",
  ],
  DK032: [
    "Billund", "Esbjerg", "Fanø", "Fredericia", "Haderslev", "Kolding", "Sønderborg", "Tønder",
    "Varde", "Vejen", "Vejle", "Aabenraa",
  ],
  DK041: [
    "Herning", "Holstebro", "Ikast-Brande", "Lemvig", "Ringkøbing-Skjern", "Skive", "Struer",
    "Viborg",
  ],
  DK042: [
    "Favrskov", "Hedensted", "Horsens", "Norddjurs", "Odder", "Randers", "Samsø", "Silkeborg",
    "Skanderborg", "Syddjurs", "Aarhus",
  ],
  DK050: [
    "Brønderslev", "Frederikshavn", "Hjørring", "Jammerbugt", "Læsø", "Mariagerfjord",
    "Morsø", "Rebild", "Thisted", "Vesthimmerland", "Aalborg",
  ],
};
const dkNutsByName = new Map<string, string>();
for (const [nuts, names] of Object.entries(DK_NUTS3)) for (const n of names) dkNutsByName.set(n, nuts);

const dk = parseCsv(read("municipalities/dk-kommuner.csv")).map((r) => {
  const nuts3 = dkNutsByName.get(r.navn ?? "");
  if (!nuts3) throw new Error(`no NUTS3 for Danish municipality ${r.navn}`);
  return {
    country: "DK",
    code: r.kommunekode,
    name: r.navn,
    officialName: `${r.navn} Kommune`,
    region: r.region,
    nuts3,
    orgId: r.cvr,
    lat: Number(r.lat),
    lon: Number(r.lon),
  };
});
const se = parseCsv(read("municipalities/se-kommuner.csv")).map((r) => ({
  country: "SE",
  code: r.municipality_code,
  name: r.municipality_name_short,
  officialName: r.municipality_name,
  region: r.county_name,
  nuts3: r.nuts3,
  ...(r.seat_lat && r.seat_coord_note === "city-name-match"
    ? { lat: Number(r.seat_lat), lon: Number(r.seat_lon) }
    : {}),
}));
const municipalities = [...dk, ...se];
writeFileSync(join(outDir, "municipalities.json"), JSON.stringify(municipalities, null, 1) + "\n");
console.log(
  `municipalities.json: ${dk.length} DK, ${se.length} SE (${se.filter((m) => "lat" in m).length} with a point)`,
);
