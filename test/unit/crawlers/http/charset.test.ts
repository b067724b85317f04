/**
 * Decoding what municipal servers send: UTF-8 and ISO-8859-1 pages with right, wrong and missing
 * declarations. Whatever the declaration, "Rengøring" must come out as "Rengøring".
 */
import { describe, expect, it } from "vitest";
import { decodeBody } from "../../../../crawlers/http/charset.js";
import { latin1, utf8 } from "./support.js";

const WORD = "Rengøring af børnehaver, Århus";

function html(head: string, body = WORD): string {
  return `<!doctype html><html><head>${head}<title>Udbud</title></head><body><p>${body}</p></body></html>`;
}

describe("decodeBody", () => {
  it("uses a latin1 charset in the Content-Type header, decoding as windows-1252 like browsers", () => {
    const decoded = decodeBody(latin1(html("")), "text/html; charset=ISO-8859-1");

    expect(decoded.charset).toBe("windows-1252");
    expect(decoded.text).toContain(WORD);
  });

  it("decodes windows-1252 characters that ISO-8859-1 lacks (€, –) under a latin1 label", () => {
    const bytes = Uint8Array.from([
      0x50, 0x72, 0x69, 0x73, 0x3a, 0x20, 0x80, 0x20, 0x35, 0x20, 0x96, 0x20, 0x37,
    ]);

    expect(decodeBody(bytes, "text/plain; charset=latin1").text).toBe("Pris: € 5 – 7");
  });

  it("reads <meta charset> when the header has no charset", () => {
    const decoded = decodeBody(latin1(html('<meta charset="windows-1252">')), "text/html");

    expect(decoded).toMatchObject({ charset: "windows-1252" });
    expect(decoded.text).toContain(WORD);
  });

  it("reads <meta http-equiv=Content-Type content=…charset=…>", () => {
    const meta = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">';
    const decoded = decodeBody(latin1(html(meta)), null);

    expect(decoded.charset).toBe("windows-1252");
    expect(decoded.text).toContain(WORD);
  });

  it("reads the encoding of an XML declaration", () => {
    const xml = `<?xml version="1.0" encoding="ISO-8859-1"?><plan><titel>${WORD}</titel></plan>`;

    expect(decodeBody(latin1(xml), "application/xml").text).toContain(WORD);
  });

  it("lets a UTF-8 BOM win over a wrong header and drops the BOM from the text", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(WORD)]);
    const decoded = decodeBody(bytes, "text/csv; charset=iso-8859-1");

    expect(decoded).toEqual({ text: WORD, charset: "utf-8" });
  });

  it("decodes UTF-16 with a BOM (spreadsheet exports)", () => {
    const units = Array.from(WORD, (c) => c.charCodeAt(0));
    const bytes = new Uint8Array([0xff, 0xfe, ...units.flatMap((u) => [u & 0xff, u >> 8])]);

    expect(decodeBody(bytes, "text/csv")).toEqual({ text: WORD, charset: "utf-16le" });
  });

  it("falls back to windows-1252 when the header says utf-8 but the bytes are ISO-8859-1", () => {
    const decoded = decodeBody(latin1(html("")), "text/html; charset=utf-8");

    expect(decoded.charset).toBe("windows-1252");
    expect(decoded.text).toContain(WORD);
    expect(decoded.text).not.toContain("\uFFFD");
  });

  it("falls back the same way for a wrong <meta charset=utf-8>", () => {
    const decoded = decodeBody(latin1(html('<meta charset="utf-8">')), "text/html");

    expect(decoded.text).toContain(WORD);
  });

  it("reads UTF-8 bytes as UTF-8 when the server claims ISO-8859-1", () => {
    const decoded = decodeBody(utf8(html("")), "text/html; charset=ISO-8859-1");

    expect(decoded.charset).toBe("utf-8");
    expect(decoded.text).toContain(WORD);
  });

  it("without any declaration, takes valid UTF-8 as UTF-8", () => {
    expect(decodeBody(utf8(html("")), "text/html")).toMatchObject({ charset: "utf-8" });
    expect(decodeBody(utf8(html("")), undefined).text).toContain(WORD);
  });

  it("without any declaration, takes bytes that are not UTF-8 as windows-1252", () => {
    const decoded = decodeBody(latin1(html("")));

    expect(decoded.charset).toBe("windows-1252");
    expect(decoded.text).toContain(WORD);
  });

  it("ignores a charset label it does not know and goes on to the page's own declaration", () => {
    const decoded = decodeBody(
      latin1(html('<meta charset="iso-8859-1">')),
      "text/html; charset=x-unknown-thing",
    );

    expect(decoded.charset).toBe("windows-1252");
    expect(decoded.text).toContain(WORD);
  });

  it("only looks for <meta> in the first 2 KB", () => {
    const late = `<!doctype html><html><head>${" ".repeat(3000)}<meta charset="utf-16"></head><body>${WORD}</body></html>`;

    expect(decodeBody(utf8(late), "text/html")).toMatchObject({ charset: "utf-8" });
    expect(decodeBody(latin1(late), "text/html")).toMatchObject({ charset: "windows-1252" });
  });
});
