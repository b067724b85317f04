/**
 * Every stored eForms notice parses and agrees with its MANIFEST.csv row. The manifests are
 * regex summaries made by the collector; where they disagree with the XML, the XML was read by
 * hand and wins. Each such case is listed below with its reason.
 */
import { describe, expect, it } from "vitest";
import { parseEformsNotice } from "../../../../crawlers/eforms/parse-notice.js";
import { all, child, firstElement, parseXml, text } from "../../../../crawlers/eforms/xml.js";
import { Tender } from "../../../../src/domain/tender.js";
import { EFORMS_DIR, ISO2_TO_ISO3, NOW, TED_DIR, listXml, readCsv, readNotice, words } from "./corpus.js";

/**
 * Lot counts where the manifest differs. Its `lot_like_parts` counts every `schemeName="Lot"`
 * or `"Part"` attribute, so result notices (which name each lot again in LotResult and
 * LotTender) and notices with lot groups are over-counted; PIN-on-buyer-profile notices
 * (subtypes 1–3) have no lots by design and become one lot LOT-0001. The TED manifest's `lots`
 * comes from the original TED-XML: the converted 20-343258 keeps one lot (LOT-0000) of 24, and
 * 22-104446 has three ProcurementProjectLot elements (its PROVENANCE also says 3 lots).
 */
const LOTS_IN_XML: Readonly<Record<string, number>> = {
  "notices-norway-national/VALID-national-e4-minimum.xml": 1,
  "notices-norway-national/can_24_maximal_national.xml": 2,
  "notices-norway-national/can_24_minimal_national.xml": 1,
  "notices/E4_minimal.xml": 1,
  "notices/can-desg_24.xml": 4,
  "notices/can-modif_24_value.xml": 1,
  "notices/can-social_23.xml": 3,
  "notices/can-social_24.xml": 3,
  "notices/can_24_maximal.xml": 2,
  "notices/can_24_minimal.xml": 1,
  "notices/can_25_ENG.xml": 1,
  "notices/cn_24_maximal.xml": 2,
  "notices/pin-buyer_24.xml": 1,
  "notices/pin-buyer_24_published.xml": 1,
  "notices/pin-buyer_25.xml": 1,
  "notices/pin-buyer_81.xml": 1,
  "notices/t02_ESP.xml": 1,
  "notices/veat_24.xml": 1,
  "eforms-converted/20-343258-001-EXP.xml": 1,
  "eforms-converted/22-104446-001-EXP.xml": 3,
};

/** CEI.xml: the manifest's `none` comes from a BT-71 element that is commented out. */
const RESERVED_IN_XML: Readonly<Record<string, string[]>> = { "notices/CEI.xml": [] };

/** The TED manifest lists at most 10 CPV codes; 20-295737 has 30 (procedure and lot). */
const CPV_MANIFEST_TRUNCATED = new Set(["eforms-converted/20-295737-001-EXP.xml"]);

/** NUTS codes the TED manifest missed (its regex found none): place of performance or buyer address. */
const NUTS_IN_XML: Readonly<Record<string, string[]>> = {
  "eforms-converted/21-119282-001-EXP.xml": ["NO0A2"],
  "eforms-converted/21-364082-001-EXP.xml": ["DK050"],
  "eforms-converted/21-364236-001-EXP.xml": ["SE121"],
};

/**
 * 20-343258: the manifest's name comes from the original TED-XML (Danish version, with a typo:
 * "Europa-Kommissionen … Programmel"); the eForms conversion names the buyer in English.
 */
const BUYER_NAME_IN_XML: Readonly<Record<string, string>> = {
  "eforms-converted/20-343258-001-EXP.xml":
    "European Commission, JRC — Joint Research Centre, JRC.A — Strategy, Work Programme and Resources (Brussels), JRC.A.6 — Quality Assurance and Evaluation",
};

function stageOfSubtype(subtype: string): string {
  const n = /^N?(\d+)$/.exec(subtype)?.[1];
  if (n !== undefined) {
    const v = Number(n);
    return v <= 9 ? "planned" : v <= 24 ? "open" : "awarded";
  }
  if (["E1", "E2", "T01"].includes(subtype)) return "planned";
  if (["E3", "CEI"].includes(subtype)) return "open";
  return "awarded";
}

/** TED R2.0.9 forms: F01 PIN, F02/F05/F21/F24 calls for competition, F03 award. */
const STAGE_OF_TED_FORM: Readonly<Record<string, string>> = {
  F01_2014: "planned",
  F02_2014: "open",
  F03_2014: "awarded",
  F05_2014: "open",
  F21_2014: "open",
  F24_2014: "open",
};

/** CPV codes on the procedure (the manifests list every code in the file). */
function procedureCpv(xml: string): string[] {
  const project = child(firstElement(parseXml(xml)), "ProcurementProject");
  return [
    ...all(project, "MainCommodityClassification", "ItemClassificationCode"),
    ...all(project, "AdditionalCommodityClassification", "ItemClassificationCode"),
  ].map(text);
}

const eformsRows = new Map(readCsv(`${EFORMS_DIR}MANIFEST.csv`).map((r) => [r.file ?? "", r]));
const tedRows = new Map(readCsv(`${TED_DIR}MANIFEST.csv`).map((r) => [r.eforms_conversion ?? "", r]));

const eformsFiles = [
  ...listXml(`${EFORMS_DIR}notices`).map((f) => `notices/${f}`),
  ...listXml(`${EFORMS_DIR}notices-norway-national`).map((f) => `notices-norway-national/${f}`),
];
const tedFiles = listXml(`${TED_DIR}eforms-converted`).map((f) => `eforms-converted/${f}`);

describe("eForms corpus: SDK and Norwegian examples", () => {
  it("has a manifest row for every stored notice", () => {
    expect(eformsFiles.length).toBe(49);
    for (const f of eformsFiles) expect(eformsRows.has(f), f).toBe(true);
  });

  it.each(eformsFiles)("%s parses and matches its manifest row", (file) => {
    const xml = readNotice(`eforms/${file}`);
    const row = eformsRows.get(file) ?? {};
    const { tender, buyer, notice } = parseEformsNotice(xml, { now: NOW });
    expect(Tender.safeParse(tender).success).toBe(true);

    expect(tender.lots).toHaveLength(LOTS_IN_XML[file] ?? Number(row.lot_like_parts));
    if (LOTS_IN_XML[file] !== undefined) expect(Number(row.lot_like_parts)).not.toBe(LOTS_IN_XML[file]);

    // CPV: the manifest lists every code (procedure, lots and lot groups).
    const ours = new Set([...tender.cpv, ...procedureCpv(xml)]);
    expect(ours).toEqual(words(row.cpv_codes));
    for (const code of tender.cpv) expect(words(row.cpv_codes).has(code)).toBe(true);

    const reserved = new Set(tender.lots.flatMap((l) => (l.reserved ? [l.reserved] : [])));
    expect(reserved).toEqual(new Set(RESERVED_IN_XML[file] ?? words(row.reserved_procurement)));
    if (reserved.has("res-ws") || reserved.has("res-pub-ser")) expect(tender.reserved).not.toBe("none");
    else expect(tender.reserved).toBe("none");

    const execution = new Set(
      tender.lots.flatMap((l) =>
        l.reservedExecution === undefined ? [] : [l.reservedExecution ? "yes" : "no"],
      ),
    );
    expect(execution).toEqual(new Set([...words(row.reserved_execution)].filter((c) => c !== "not-known")));

    const nuts = words(row.nuts);
    for (const l of tender.lots) if (l.nuts) expect(nuts.has(l.nuts), `${l.id} ${l.nuts}`).toBe(true);
    if (tender.place?.nuts) expect(nuts.has(tender.place.nuts)).toBe(true);

    expect(words(row.countries).has(ISO2_TO_ISO3[buyer.country] ?? "?")).toBe(true);
    expect(tender.buyer).toEqual({ id: buyer.id, name: buyer.name, country: buyer.country });

    expect(notice.type).toBe(row.subtype);
    expect(tender.stage).toBe(stageOfSubtype(row.subtype ?? ""));
    const kindOfStage: Record<string, string> = {
      planned: "planning",
      open: "competition",
      awarded: "result",
    };
    expect(notice.kind).toBe(file.includes("change-") ? "change" : kindOfStage[tender.stage]);
    if (row.sme_suitable === "true") expect(tender.smeSuitable).toBe(true);
    if (row.subcontracting === "none") {
      expect(tender.lots.every((l) => l.subcontracting?.obligation === "none")).toBe(true);
    }
    expect(tender.firstSeen).toBe(NOW);
    expect(tender.id).toMatch(/^eforms:[^\s/?#]+$/);
  });
});

describe("eForms corpus: real TED notices converted to eForms", () => {
  it("has a manifest row for every stored notice", () => {
    expect(tedFiles).toHaveLength(11);
    for (const f of tedFiles) expect(tedRows.has(f), f).toBe(true);
  });

  it.each(tedFiles)("%s parses and matches its manifest row", (file) => {
    const xml = readNotice(`ted-r209/${file}`);
    const row = tedRows.get(file) ?? {};
    const { tender, buyer, notice, warnings } = parseEformsNotice(xml, { now: NOW });

    expect(tender.lots).toHaveLength(LOTS_IN_XML[file] ?? Number(row.lots));
    const ours = new Set([...tender.cpv, ...procedureCpv(xml)]);
    if (CPV_MANIFEST_TRUNCATED.has(file)) {
      for (const code of words(row.cpv)) expect(ours.has(code)).toBe(true);
      expect(ours.size).toBeGreaterThan(words(row.cpv).size);
    } else expect(ours).toEqual(words(row.cpv));

    expect(row.reserved).toBe("");
    expect(tender.reserved).toBe("none");

    const nuts = new Set([...words(row.nuts), ...(NUTS_IN_XML[file] ?? [])]);
    for (const l of tender.lots) if (l.nuts) expect(nuts.has(l.nuts), `${l.id} ${l.nuts}`).toBe(true);
    if (tender.place?.nuts) expect(nuts.has(tender.place.nuts)).toBe(true);

    expect(buyer.country).toBe(row.country === "UK" ? "GB" : row.country);
    expect(buyer.name).toBe(BUYER_NAME_IN_XML[file] ?? row.first_official_name);
    expect(tender.stage).toBe(STAGE_OF_TED_FORM[row.form ?? ""]);

    // The converter writes the same placeholder BT-701/BT-04 into every notice; the OJ S
    // publication number stands in for them.
    const ojs = row.ojs_no ?? "";
    expect(notice.id).toMatch(/^ojs-\d{6}-\d{4}$/);
    expect(tender.id).toBe(`eforms:${notice.id}`);
    expect(ojs).toMatch(/^\d{4}\/S/);
    expect(warnings.some((w) => w.includes("placeholder"))).toBe(true);
  });

  it("keeps the eleven converted notices apart (one tender each)", () => {
    const ids = tedFiles.map((f) => parseEformsNotice(readNotice(`ted-r209/${f}`), { now: NOW }).tender.id);
    expect(new Set(ids).size).toBe(tedFiles.length);
  });
});
