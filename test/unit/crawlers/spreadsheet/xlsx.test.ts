import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { isCrawlError } from "../../../../crawlers/errors.js";
import { cellText, extractPlanFromXlsx } from "../../../../crawlers/spreadsheet/xlsx.js";

const fixtures = new URL("../../../fixtures/plans/", import.meta.url);
const bytes = (name: string) => new Uint8Array(readFileSync(new URL(name, fixtures)));

async function workbook(build: (wb: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe("extractPlanFromXlsx: Danish plan workbook", () => {
  it("picks the plan sheet, skips the merged title row and reads every kind of cell", async () => {
    const r = await extractPlanFromXlsx(bytes("dk-udbudsplan.xlsx"));
    expect(r.sheet).toBe("Udbudsplan");
    expect(r.notes).toEqual([
      "sheet Udbudsplan: header in row 3, 4 rows",
      "skipped rows: 1 empty, 1 subtotal, 1 section",
    ]);
    expect(r.rows).toEqual([
      {
        fields: {
          reference: "TM-01",
          title: "Vintertjeneste",
          area: "Vej og Park",
          expectedPublication: "2026-04-01",
          estimatedValue: "4500000",
          contractPeriod: "4 år",
          contact: "Mette Holm",
        },
        extra: [],
        where: "sheet Udbudsplan, row 4",
      },
      {
        fields: {
          reference: "TM-02",
          title: "Vejbelysning – drift og vedligehold",
          area: "Vej og Park",
          expectedPublication: "Q3 2026",
          estimatedValue: "2100000",
          contractPeriod: "3 år + 1 år",
          contact: "Mette Holm",
        },
        extra: [],
        where: "sheet Udbudsplan, row 5",
      },
      {
        fields: {
          reference: "TM-03",
          title: "Asfaltarbejder",
          expectedPublication: "efterår 2026",
          estimatedValue: "5000000",
          contractPeriod: "2 år",
          contact: "Jonas Kjær",
        },
        extra: [],
        where: "sheet Udbudsplan, row 6",
      },
      {
        fields: {
          reference: "TM-04",
          title: "Indsamling af dagrenovation",
          area: "Affald og Genbrug",
          expectedPublication: "2027-01-01",
          estimatedValue: "45000000",
          contractPeriod: "6 år",
          contact: "Jonas Kjær",
        },
        extra: [{ label: "link", value: "https://www.sondervig.dk/udbud/dagrenovation" }],
        where: "sheet Udbudsplan, row 9",
      },
    ]);
  });

  it("reads the hinted sheet, whatever its case, and says when there is no plan on it", async () => {
    const r = await extractPlanFromXlsx(bytes("dk-udbudsplan.xlsx"), { sheet: "FORSIDE" });
    expect(r).toEqual({
      rows: [],
      sheet: "Forside",
      notes: ["sheet Forside: no plan header in the first rows"],
    });
    const missing = await extractPlanFromXlsx(bytes("dk-udbudsplan.xlsx"), { sheet: "Ark3" });
    expect(missing.rows).toEqual([]);
    expect(missing.notes).toEqual(['no sheet "Ark3" (sheets: Forside, Udbudsplan)']);
  });
});

describe("extractPlanFromXlsx: details", () => {
  it("uses hinted labels and header row, and keeps unknown columns as extras", async () => {
    const data = await workbook((wb) => {
      const ws = wb.addWorksheet("Ark1");
      ws.addRow(["Indsats", "Hvornår", "Note"]);
      ws.addRow(["Rengøring", "Q2", true]);
    });
    expect((await extractPlanFromXlsx(data)).rows).toEqual([]);
    const r = await extractPlanFromXlsx(data, {
      headerRow: 1,
      columns: { title: ["Indsats"], expectedPublication: ["Hvornår"] },
    });
    expect(r.rows).toEqual([
      {
        fields: { title: "Rengøring", expectedPublication: "Q2" },
        extra: [{ label: "Note", value: "true" }],
        where: "sheet Ark1, row 2",
      },
    ]);
  });

  it("skips hidden sheets when choosing", async () => {
    const data = await workbook((wb) => {
      const hidden = wb.addWorksheet("Gammel", { state: "hidden" });
      hidden.addRow(["Opgave", "Forventet udbud", "Værdi", "Varighed"]);
      hidden.addRow(["Gammel opgave", "2020", "1", "1 år"]);
      const ws = wb.addWorksheet("Plan");
      ws.addRow(["Opgave", "Forventet udbud"]);
      ws.addRow(["Ny opgave", "2026"]);
    });
    const r = await extractPlanFromXlsx(data);
    expect(r.sheet).toBe("Plan");
    expect(r.rows.map((row) => row.fields.title)).toEqual(["Ny opgave"]);
  });

  it("turns cell values into text", () => {
    expect(cellText(null)).toBe("");
    expect(cellText(12.5)).toBe("12.5");
    expect(cellText(new Date(Date.UTC(2026, 5, 30)))).toBe("2026-06-30");
    expect(cellText({ richText: [{ text: "Ren" }, { text: "gøring" }] })).toBe("Rengøring");
    expect(cellText({ formula: "A1", result: new Date(Date.UTC(2026, 0, 2)) })).toBe("2026-01-02");
    expect(cellText({ sharedFormula: "A1", result: 7 })).toBe("7");
    expect(cellText({ formula: "1/0", result: { error: "#DIV/0!" } })).toBe("");
    expect(cellText({ text: "Link", hyperlink: "https://x.dk" })).toBe("Link");
    expect(cellText({ error: "#N/A" })).toBe("");
  });

  it("throws a parse CrawlError for bytes that are not a workbook", async () => {
    const err = await extractPlanFromXlsx(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])).catch(
      (e: unknown) => e,
    );
    expect(isCrawlError(err) && err.kind).toBe("parse");
  });
});
