import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectPlanFormat, extractPlan } from "../../../../crawlers/plan/extract.js";

const fixtures = new URL("../../../fixtures/plans/", import.meta.url);
const bytes = (name: string) => new Uint8Array(readFileSync(new URL(name, fixtures)));
const utf8 = (s: string) => new TextEncoder().encode(s);

describe("detectPlanFormat", () => {
  it("knows XLSX by its ZIP signature, whatever the headers say", () => {
    expect(detectPlanFormat(bytes("dk-udbudsplan.xlsx"))).toBe("xlsx");
    expect(detectPlanFormat(bytes("dk-udbudsplan.xlsx"), "text/html", "plan.html")).toBe("xlsx");
  });

  it("knows CSV by content type, file name or shape", () => {
    expect(detectPlanFormat(utf8("a"), "text/csv; charset=utf-8")).toBe("csv");
    expect(detectPlanFormat(utf8("a"), "application/octet-stream", "Udbudsplan.CSV")).toBe("csv");
    expect(detectPlanFormat(bytes("dk-udbudsplan-cp1252.csv"), "application/vnd.ms-excel")).toBe("csv");
    expect(detectPlanFormat(bytes("se-upphandlingsplan.csv"))).toBe("csv");
  });

  it("takes everything else for HTML", () => {
    expect(detectPlanFormat(bytes("dk-kommune-table.html"), "text/html")).toBe("html");
    expect(detectPlanFormat(bytes("dk-kommune-table.html"))).toBe("html");
    expect(detectPlanFormat(utf8("Udbudsplan 2026"))).toBe("html");
    expect(detectPlanFormat(new Uint8Array())).toBe("html");
  });
});

describe("extractPlan", () => {
  it("dispatches HTML, using the decoded text", async () => {
    const r = await extractPlan({
      bytes: new Uint8Array(),
      text: readFileSync(new URL("en-council-table.html", fixtures), "utf8"),
      contentType: "text/html; charset=utf-8",
      url: "https://www.northmere.gov.uk/business/pipeline",
    });
    expect([r.format, r.strategy, r.rows.length]).toEqual(["html", "table", 4]);
  });

  it("dispatches CSV, sniffing encoding from the bytes", async () => {
    const r = await extractPlan({
      bytes: bytes("dk-udbudsplan-cp1252.csv"),
      fileName: "udbudsplan.csv",
      url: "https://www.sondervig.dk/udbudsplan.csv",
    });
    expect([r.format, r.strategy, r.rows.length]).toEqual(["csv", "table", 4]);
    expect(r.notes[0]).toBe('encoding windows-1252, delimiter ";"');
    expect(r.rows[3]?.fields.contact).toBe("Søren Ærø");
  });

  it("dispatches XLSX", async () => {
    const r = await extractPlan({
      bytes: bytes("dk-udbudsplan.xlsx"),
      url: "https://www.sondervig.dk/plan.xlsx",
    });
    expect([r.format, r.strategy, r.rows.length]).toEqual(["xlsx", "table", 4]);
  });

  it("returns strategy none with notes for a page without a plan", async () => {
    const r = await extractPlan({
      bytes: bytes("no-plan-news.html"),
      url: "https://www.sondervig.dk/nyheder/1",
    });
    expect(r.format).toBe("html");
    expect(r.strategy).toBe("none");
    expect(r.rows).toEqual([]);
    expect(r.notes[0]).toMatch(/^no table with plan headers/);
  });
});
