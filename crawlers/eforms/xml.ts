/**
 * A few helpers over the DOM that cheerio (htmlparser2 in XML mode) builds. eForms notices use
 * namespace prefixes (`cbc:`, `cac:`, `efac:`, ...) that a producer may rename, so every lookup
 * goes by local name and ignores the prefix. Walking children directly is linear in the size of
 * the notice and much faster than CSS selectors with escaped colons.
 */
import { load } from "cheerio/slim";

/** The parts of a domhandler node these helpers read (elements, text, CDATA, comments). */
export interface XmlNode {
  type: string;
  name?: string;
  attribs?: Record<string, string>;
  children?: XmlNode[];
  data?: string;
}

/**
 * Parses XML leniently; returns the document node (never throws on malformed input). Comments
 * and the whitespace between tags are dropped first: eForms has no mixed content, and the
 * converted TED notices are half comments, so the tree the parser builds is much smaller.
 */
export function parseXml(text: string): XmlNode | undefined {
  const compact = text.replace(/<!--[\s\S]*?-->/g, "").replace(/>\s+</g, "><");
  const $ = load(compact, { xml: { xmlMode: true, decodeEntities: true } });
  const doc: XmlNode | undefined = $.root()[0];
  return doc;
}

export function isElement(node: XmlNode): boolean {
  return node.type === "tag" && typeof node.name === "string";
}

/** "cbc:ID" → "ID". */
export function localName(node: XmlNode): string {
  const name = node.name ?? "";
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
}

/** The first element child of a node, whatever its name (the root element of a document). */
export function firstElement(node: XmlNode | undefined): XmlNode | undefined {
  for (const c of node?.children ?? []) if (isElement(c)) return c;
  return undefined;
}

/** Element children with the given local name. */
export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const out: XmlNode[] = [];
  for (const c of node?.children ?? []) if (isElement(c) && localName(c) === name) out.push(c);
  return out;
}

/** The first element child with the given local name. */
export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  for (const c of node?.children ?? []) if (isElement(c) && localName(c) === name) return c;
  return undefined;
}

/** Every element reached by following the local names from `node` (all branches). */
export function all(node: XmlNode | undefined, ...path: string[]): XmlNode[] {
  let current: XmlNode[] = node ? [node] : [];
  for (const name of path) {
    const next: XmlNode[] = [];
    for (const n of current) for (const c of children(n, name)) next.push(c);
    current = next;
    if (current.length === 0) break;
  }
  return current;
}

/** The first element reached by following the local names from `node`. */
export function first(node: XmlNode | undefined, ...path: string[]): XmlNode | undefined {
  return all(node, ...path)[0];
}

/** Attribute value by local name (`listName`, `languageID`, `currencyID`, `schemeName`). */
export function attr(node: XmlNode | undefined, name: string): string | undefined {
  const attribs = node?.attribs;
  if (!attribs) return undefined;
  const direct = attribs[name];
  if (direct !== undefined) return direct;
  for (const [key, value] of Object.entries(attribs)) {
    const colon = key.indexOf(":");
    if (colon >= 0 && key.slice(colon + 1) === name) return value;
  }
  return undefined;
}

/** Text content (text and CDATA descendants, comments left out), whitespace collapsed. */
export function text(node: XmlNode | undefined): string {
  if (!node) return "";
  const parts: string[] = [];
  collectText(node, parts);
  return parts.join("").replace(/\s+/g, " ").trim();
}

function collectText(node: XmlNode, parts: string[]): void {
  for (const c of node.children ?? []) {
    if (c.type === "text" && typeof c.data === "string") parts.push(c.data);
    else if (c.type === "tag" || c.type === "cdata") collectText(c, parts);
  }
}

/** The `efext:EformsExtension` elements under a node's `ext:UBLExtensions`. */
export function extensions(node: XmlNode | undefined): XmlNode[] {
  return all(node, "UBLExtensions", "UBLExtension", "ExtensionContent", "EformsExtension");
}

/**
 * The text of the element in the wanted language among multilingual siblings
 * (`<cbc:Name languageID="DAN">`), else the first non-empty one.
 */
export function pickLanguage(nodes: XmlNode[], language3: string | undefined): string | undefined {
  let fallback: string | undefined;
  for (const n of nodes) {
    const value = text(n);
    if (!value) continue;
    if (language3 && attr(n, "languageID")?.toUpperCase() === language3) return value;
    fallback ??= value;
  }
  return fallback;
}
