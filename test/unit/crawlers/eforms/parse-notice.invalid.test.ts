/** What is not a usable notice fails with a CrawlError of kind parse that says what is missing. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CrawlError } from "../../../../crawlers/errors.js";
import { formatNoticeError, parseEformsNotice } from "../../../../crawlers/eforms/parse-notice.js";
import { Tender } from "../../../../src/domain/tender.js";
import { NOW, readNotice } from "./corpus.js";

function parseError(xml: string): CrawlError {
  try {
    parseEformsNotice(xml, { now: NOW });
  } catch (e) {
    expect(e).toBeInstanceOf(CrawlError);
    if (e instanceof CrawlError) {
      expect(e.kind).toBe("parse");
      expect(e.retry).toBe(false);
      return e;
    }
  }
  throw new Error("expected a CrawlError");
}

describe("invalid notices", () => {
  it.each(["INVALID_cn_24_empty.xml", "INVALID_pin-only_24_empty.xml"])(
    "%s: names everything it lacks",
    (file) => {
      const e = parseError(readNotice(`eforms/notices-invalid/${file}`));
      expect(e.message).toMatch(/^incomplete eForms notice: /);
      expect(e.message).toContain("the notice has no lot or part (cac:ProcurementProjectLot)");
      expect(e.message).toContain("no buyer organisation");
      expect(e.context.missing).toEqual([
        "notice identifier (cbc:ID)",
        "procedure identifier (cbc:ContractFolderID)",
        "buyer organisation (the cac:ContractingParty reference has no efac:Organization)",
        "lot or part (cac:ProcurementProjectLot)",
        "title (cac:ProcurementProject/cbc:Name)",
      ]);
    },
  );

  it("an empty string", () => {
    const e = parseError("");
    expect(e.message).toBe("not XML: the notice is empty");
    expect(e.context.missing).toEqual(["XML document"]);
    expect(parseError("  \n\t ").message).toBe("not XML: the notice is empty");
  });

  it("text that is not XML", () => {
    expect(parseError("Udbudsplan 2026: rengøring, kantine").message).toBe(
      "not XML: the text does not start with '<'",
    );
    expect(parseError('{"ocid":"ocds-213czf-000-00001","tag":["planning"]}').message).toBe(
      "not XML: the text does not start with '<' (it looks like JSON)",
    );
    expect(parseError("<!-- nothing but a comment -->").message).toBe("not XML: no root element found");
  });

  it("XML of another kind", () => {
    expect(parseError("<foo/>").message).toBe(
      "not an eForms notice: the root element is <foo>, expected ContractNotice, ContractAwardNotice or PriorInformationNotice",
    );
    const ocdsXml = '<?xml version="1.0"?><release><ocid>ocds-1</ocid><tag>planning</tag></release>';
    expect(parseError(ocdsXml).context.missing).toEqual(["eForms notice root element"]);
    // a legacy TED-XML R2.0.9 notice
    expect(
      parseError('<TED_EXPORT xmlns="http://publications.europa.eu/resource/schema/ted/R2.0.9/publication"/>')
        .message,
    ).toMatch(/root element is <TED_EXPORT>/);
  });

  it("a notice whose lots were removed", () => {
    const xml = readNotice("eforms/notices/cn_24_minimal.xml").replace(
      /<cac:ProcurementProjectLot>[\s\S]*?<\/cac:ProcurementProjectLot>/g,
      "",
    );
    const e = parseError(xml);
    expect(e.message).toBe("the notice has no lot or part (cac:ProcurementProjectLot)");
    expect(e.context.missing).toEqual(["lot or part (cac:ProcurementProjectLot)"]);
  });

  it("a notice whose organisations were removed", () => {
    const xml = readNotice("eforms/notices/cn_24_minimal.xml").replace(
      /<efac:Organizations>[\s\S]*?<\/efac:Organizations>/,
      "",
    );
    const e = parseError(xml);
    expect(e.message).toBe(
      "no buyer organisation (the cac:ContractingParty reference has no efac:Organization)",
    );
  });

  it("a buyer without a country", () => {
    const xml = readNotice("eforms/notices/cn_24_minimal.xml").replace(
      /<cac:Country>[\s\S]*?<\/cac:Country>/g,
      "",
    );
    const e = parseError(
      xml.replace(/<cbc:CountrySubentityCode[^>]*>[^<]*<\/cbc:CountrySubentityCode>/g, ""),
    );
    expect(e.message).toMatch(/^no buyer country/);
  });

  it("formats an error as one line for stderr", () => {
    const e = parseError(readNotice("eforms/notices-invalid/INVALID_cn_24_empty.xml"));
    const line = formatNoticeError(e);
    expect(line).not.toContain("\n");
    expect(line).toMatch(/^eForms parse error: incomplete eForms notice: .*\(missing: notice identifier/);
    const withUrl = new CrawlError("parse", "not XML: the notice is empty", {
      url: "https://ted.europa.eu/x",
      missing: ["XML document"],
    });
    expect(formatNoticeError(withUrl)).toBe(
      "eForms parse error: not XML: the notice is empty (missing: XML document) [https://ted.europa.eu/x]",
    );
    expect(formatNoticeError(new TypeError("bad\nthing"))).toBe("TypeError: bad thing");
    expect(formatNoticeError("boom")).toBe("error: boom");
  });

  it("puts the source URL in the error context", () => {
    try {
      parseEformsNotice("<foo/>", { now: NOW, sourceUrl: "https://ted.europa.eu/x" });
    } catch (e) {
      expect(e instanceof CrawlError && e.context.url).toBe("https://ted.europa.eu/x");
    }
  });
});

/** Random damage: truncation, a deleted element, a deleted span, a changed character. */
type Mutation =
  | { kind: "truncate"; at: number }
  | { kind: "delete-element"; pick: number }
  | { kind: "delete-span"; at: number; length: number }
  | { kind: "replace-char"; at: number; char: string };

function mutate(xml: string, mutations: Mutation[]): string {
  let out = xml;
  for (const m of mutations) {
    const n = out.length;
    if (n === 0) break;
    switch (m.kind) {
      case "truncate":
        out = out.slice(0, m.at % n);
        break;
      case "delete-span": {
        const start = m.at % n;
        out = out.slice(0, start) + out.slice(start + m.length);
        break;
      }
      case "replace-char": {
        const at = m.at % n;
        out = out.slice(0, at) + m.char + out.slice(at + 1);
        break;
      }
      case "delete-element": {
        const opens = [...out.matchAll(/<([A-Za-z]+:[A-Za-z]+)[\s>]/g)];
        const open = opens.length > 0 ? opens[m.pick % opens.length] : undefined;
        const name = open?.[1];
        if (!open || open.index === undefined || name === undefined) break;
        const close = out.indexOf(`</${name}>`, open.index);
        if (close < 0) break;
        out = out.slice(0, open.index) + out.slice(close + name.length + 3);
        break;
      }
    }
  }
  return out;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("delete-element" as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant("delete-span" as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 400 }),
  }),
  fc.record({
    kind: fc.constant("replace-char" as const),
    at: fc.nat(),
    char: fc.constantFrom("<", ">", "&", '"', "x", " ", "\u0000", "/"),
  }),
);

describe("damaged notices", () => {
  const sources = [
    "eforms/notices/cn_24_minimal.xml",
    "eforms/notices/can_24_minimal.xml",
    "eforms/notices/pin-cfc-social_24.xml",
    "ted-r209/eforms-converted/21-364236-001-EXP.xml",
  ].map((p) => readNotice(p));

  it("either parse to a valid tender or fail with a parse CrawlError, never anything else", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: sources.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (which, mutations) => {
          const xml = mutate(sources[which] ?? "", mutations);
          try {
            const result = parseEformsNotice(xml, { now: NOW });
            expect(Tender.safeParse(result.tender).success).toBe(true);
            expect(result.tender.lots.length).toBeGreaterThan(0);
          } catch (e) {
            if (!(e instanceof CrawlError)) throw e;
            expect(e.kind).toBe("parse");
            expect(e.message.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
