import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeCsv,
  extractPlanFromCsv,
  parseCsv,
  sniffDelimiter,
} from "../../../../crawlers/spreadsheet/csv.js";

const fixtures = new URL("../../../fixtures/plans/", import.meta.url);
const bytes = (name: string) => new Uint8Array(readFileSync(new URL(name, fixtures)));

describe("parseCsv", () => {
  it("reads quoted fields with delimiters, doubled quotes and line breaks", () => {
    expect(parseCsv('a;"b;c";"say ""hi"""\r\n"multi\r\nline";x;\n', ";")).toEqual([
      ["a", "b;c", 'say "hi"'],
      ["multi\r\nline", "x", ""],
    ]);
  });

  it("accepts LF, CRLF and CR line ends, and a last line without one", () => {
    expect(parseCsv("a,b\nc,d\r\ne,f\rg,h", ",")).toEqual([
      ["a", "b"],
      ["c", "d"],
      ["e", "f"],
      ["g", "h"],
    ]);
  });

  it("keeps empty lines as records of one empty field and adds none at the end", () => {
    expect(parseCsv("a\n\nb\n", ",")).toEqual([["a"], [""], ["b"]]);
    expect(parseCsv("", ",")).toEqual([]);
  });

  it("is lenient with stray quotes", () => {
    expect(parseCsv('5" skærm,"ok"x,"open', ",")).toEqual([['5" skærm', "okx", "open"]]);
  });

  it("round-trips any table written with RFC 4180 quoting", () => {
    const cell = fc.string({ unit: fc.constantFrom("a", "ø", ";", ",", '"', "\n", "\r\n", " ") });
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          const text = rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(";")).join("\r\n");
          expect(parseCsv(text, ";")).toEqual(rows);
        },
      ),
    );
  });
});

describe("sniffing", () => {
  it("picks the delimiter with steady column counts, quotes respected", () => {
    expect(sniffDelimiter("Plan 2026\nA;B;C\n1;2,5;3\n4;5,5;6\n")).toBe(";");
    expect(sniffDelimiter('A,B,C\n"x; y",2,3\n4,5,6\n')).toBe(",");
    expect(sniffDelimiter("A\tB\tC\n1\t2\t3\n")).toBe("\t");
    expect(sniffDelimiter("A|B|C\n1|2, 3|4\n5|6|7\n")).toBe("|");
  });

  it("decodes by BOM, valid UTF-8, else windows-1252", () => {
    expect(decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, 0xc3, 0xb8]))).toEqual({
      text: "ø",
      encoding: "utf-8",
    });
    expect(decodeCsv(new Uint8Array([0xc3, 0xb8]))).toEqual({ text: "ø", encoding: "utf-8" });
    expect(decodeCsv(new Uint8Array([0xf8, 0x80, 0x96, 0x93, 0x94]))).toEqual({
      text: "ø€–“”",
      encoding: "windows-1252",
    });
    expect(decodeCsv(new Uint8Array([0x80]), "latin1")).toEqual({ text: "€", encoding: "latin1" });
    expect(decodeCsv(new Uint8Array([0xff, 0xfe, 0xf8, 0x00]))).toEqual({ text: "ø", encoding: "utf-16le" });
  });
});

describe("extractPlanFromCsv: Danish windows-1252 export with ';'", () => {
  const r = extractPlanFromCsv(bytes("dk-udbudsplan-cp1252.csv"));

  it("sniffs encoding and delimiter and skips the title line above the header", () => {
    expect(r.encoding).toBe("windows-1252");
    expect(r.delimiter).toBe(";");
    expect(r.notes).toEqual(["header on line 3, 4 rows", "skipped rows: 1 empty, 1 subtotal"]);
  });

  it("maps the columns of every row", () => {
    expect(r.rows).toEqual([
      {
        fields: {
          reference: "2026-001",
          title: "Rengøring af daginstitutioner",
          department: "Børn og Unge",
          expectedPublication: "Q2 2026",
          estimatedValue: "ca. 4,5 mio.",
          contractPeriod: "4 år + 2 x 1 år",
          cpv: "90919200",
          contact: "Mette Holm",
        },
        extra: [],
        where: "line 4",
      },
      {
        fields: {
          reference: "2026-002",
          title: "Måltider til ældre",
          department: "Sundhed og Ældre",
          expectedPublication: "Q3 2026",
          estimatedValue: "12.000.000",
          contractPeriod: "3 år",
          cpv: "55521100",
          contact: "Jonas Kjær",
        },
        extra: [],
        where: "line 5",
      },
      {
        fields: {
          reference: "2026-003",
          title: "Vintertjeneste; veje og stier",
          department: "Teknik og Miljø",
          expectedPublication: "august 2026",
          estimatedValue: "2.100.000",
          contractPeriod: "2 år + 1 år",
          cpv: "90620000",
          contact: "Mette Holm",
        },
        extra: [],
        where: "line 6",
      },
      {
        fields: {
          reference: "2026-004",
          title: "Køb af el",
          department: "Økonomi",
          expectedPublication: "1. halvår 2026",
          estimatedValue: "ca. 8 mio.",
          contractPeriod: "2 år",
          cpv: "09310000",
          contact: "Søren Ærø",
        },
        extra: [],
        where: "line 8",
      },
    ]);
  });
});

describe("extractPlanFromCsv: Swedish UTF-8 export with ','", () => {
  const r = extractPlanFromCsv(bytes("se-upphandlingsplan.csv"));

  it("finds the header below three title lines and an empty line", () => {
    expect(r.encoding).toBe("utf-8");
    expect(r.delimiter).toBe(",");
    expect(r.notes).toEqual(["header on line 5, 4 rows", "skipped rows: 1 empty"]);
    expect(r.rows.map((row) => [row.fields.title, row.where])).toEqual([
      ["Gatubelysning", "line 6"],
      ["Vinterväghållning, centrala staden", "line 7"],
      ["Slamtömning", "line 10"],
      ["Konsultstöd bygg", "line 12"],
    ]);
  });

  it("keeps quoted commas, quotes and line breaks in the values", () => {
    expect(r.rows[1]).toEqual({
      fields: {
        reference: "TF 2026/15",
        title: "Vinterväghållning, centrala staden",
        description: 'Snöröjning och halkbekämpning.\nOmfattar även gång- och cykelvägar ("GC-vägar").',
        area: "Gata och park",
        expectedPublication: "hösten 2026",
        estimatedValue: "12 mnkr per år",
        contractPeriod: "2+1+1 år",
        procedure: "Öppet förfarande",
      },
      extra: [],
      where: "line 7",
    });
    expect(r.rows[0]?.fields.estimatedValue).toBe("4,5 mnkr");
    expect(r.rows[2]?.fields.description).toBe("Tömning av enskilda avlopp,\nca 3 000 anläggningar");
  });
});

describe("extractPlanFromCsv: hints and edge cases", () => {
  it("uses hinted delimiter, encoding, header row and column labels", () => {
    const text = "Indsats|Hvornår|Note\nRengøring|Q2|x\n";
    expect(extractPlanFromCsv(text).rows).toEqual([]);
    const r = extractPlanFromCsv(Buffer.from(text, "latin1"), {
      delimiter: "|",
      encoding: "latin1",
      headerRow: 1,
      columns: { title: ["Indsats"], expectedPublication: ["Hvornår"] },
    });
    expect(r.encoding).toBe("latin1");
    expect(r.rows).toEqual([
      {
        fields: { title: "Rengøring", expectedPublication: "Q2" },
        extra: [{ label: "Note", value: "x" }],
        where: "line 2",
      },
    ]);
  });

  it("returns no rows with a note when there is no plan header", () => {
    const r = extractPlanFromCsv("Navn;Telefon\nAnna;123\n");
    expect(r.rows).toEqual([]);
    expect(r.notes).toEqual(['no plan header in the first records (delimiter ";")']);
  });

  it("reads a tab-separated file with a UTF-8 BOM", () => {
    const r = extractPlanFromCsv(new TextEncoder().encode("\uFEFFUdbud\tVærdi\nRengøring\t3 mio.\n"));
    expect(r.delimiter).toBe("\t");
    expect(r.rows[0]?.fields).toEqual({ title: "Rengøring", estimatedValue: "3 mio." });
  });
});
