/**
 * Turning the bytes of a response into text. Municipal sites are a mix of UTF-8 and ISO-8859-1
 * pages, and their declarations are often wrong; the order below makes "Rengøring" come out right
 * in every case we have met:
 *
 * 1. a byte order mark (UTF-8, UTF-16 LE/BE) wins over everything;
 * 2. the `charset` parameter of the Content-Type header;
 * 3. `<meta charset>`, `<meta http-equiv="Content-Type" content="…; charset=…">` or an XML
 *    declaration's `encoding` in the first 2 KB;
 * 4. otherwise UTF-8 when the bytes are valid UTF-8, else windows-1252.
 *
 * A declaration is checked against the bytes: "utf-8" on bytes that are not valid UTF-8 (a
 * Danish ISO-8859-1 page behind a server that says utf-8) decodes as windows-1252, and a Latin
 * single-byte declaration (iso-8859-x, windows-125x) on bytes that are valid UTF-8 with non-ASCII
 * characters (a UTF-8 page behind a server that says iso-8859-1) decodes as UTF-8: Latin-1 text
 * practically never forms valid multi-byte UTF-8 sequences by accident.
 *
 * Labels are resolved by TextDecoder as browsers do (WHATWG Encoding), so "latin1" and
 * "iso-8859-1" decode as windows-1252.
 */

export interface DecodedBody {
  text: string;
  /** The WHATWG name of the encoding used, e.g. "utf-8", "windows-1252", "utf-16le". */
  charset: string;
}

const PRESCAN_BYTES = 2048;
const FALLBACK = "windows-1252";

export function decodeBody(bytes: Uint8Array, contentTypeHeader?: string | null): DecodedBody {
  const bom = charsetFromBom(bytes);
  if (bom) return decode(bytes, bom);

  const declared = charsetFromContentType(contentTypeHeader) ?? charsetFromPrescan(bytes);
  if (declared) return decode(bytes, checkDeclared(declared, bytes));

  return decode(bytes, isValidUtf8(bytes) ? "utf-8" : FALLBACK);
}

/** The media type of a Content-Type header without parameters, lower case. */
export function mediaType(contentTypeHeader?: string | null): string | undefined {
  const type = contentTypeHeader?.split(";")[0]?.trim().toLowerCase();
  return type ? type : undefined;
}

function charsetFromBom(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  return undefined;
}

function charsetFromContentType(header?: string | null): string | undefined {
  if (!header) return undefined;
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(header);
  return canonical(match?.[1] ?? match?.[2]);
}

function charsetFromPrescan(bytes: Uint8Array): string | undefined {
  // windows-1252 maps every byte to one character, so positions and ASCII markup survive.
  const head = new TextDecoder(FALLBACK).decode(bytes.subarray(0, PRESCAN_BYTES));
  const xml = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/i.exec(head);
  if (xml) return canonical(xml[1]);
  for (const meta of head.matchAll(/<meta\b[^>]*>/gi)) {
    const match = /\bcharset\s*=\s*["']?\s*([^"'\s;/>]+)/i.exec(meta[0]);
    const found = canonical(match?.[1]);
    if (found) {
      // HTML: a meta that claims UTF-16 was read as ASCII, so it must be UTF-8.
      return found.startsWith("utf-16") ? "utf-8" : found;
    }
  }
  return undefined;
}

/** The WHATWG name for a label, or undefined for labels TextDecoder does not know. */
function canonical(label: string | undefined): string | undefined {
  const trimmed = label?.trim();
  if (!trimmed) return undefined;
  try {
    return new TextDecoder(trimmed).encoding;
  } catch {
    return undefined;
  }
}

function checkDeclared(declared: string, bytes: Uint8Array): string {
  if (declared === "utf-8") return isValidUtf8(bytes) ? "utf-8" : FALLBACK;
  if (isLatinSingleByte(declared) && hasNonAscii(bytes) && isValidUtf8(bytes)) return "utf-8";
  return declared;
}

function isLatinSingleByte(encoding: string): boolean {
  return /^(windows-125\d|iso-8859-\d+)$/.test(encoding);
}

function hasNonAscii(bytes: Uint8Array): boolean {
  return bytes.some((b) => b >= 0x80);
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function decode(bytes: Uint8Array, charset: string): DecodedBody {
  // TextDecoder removes a BOM that matches the encoding (ignoreBOM defaults to false).
  const text = new TextDecoder(charset).decode(bytes);
  return { text: charset === "windows-1252" ? fixWindows1252(text) : text, charset };
}

/**
 * windows-1252 puts €, ‚, „, …, ‘, ’, “, ”, –, —, ™ and others at 0x80–0x9F. Some Node releases
 * (20.x among them, nodejs/node#56542) decode every windows-1252 label as ISO-8859-1 and give C1
 * control characters there instead; no real text contains those, so map them to what the bytes
 * mean. On a correct runtime this changes nothing (the five unassigned bytes map to themselves).
 */
const WINDOWS_1252_80_9F = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d,
  0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x9d, 0x017e, 0x0178,
];

function fixWindows1252(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (c) => {
    const code = c.charCodeAt(0);
    return String.fromCharCode(WINDOWS_1252_80_9F[code - 0x80] ?? code);
  });
}
