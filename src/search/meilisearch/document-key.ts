import { AppError } from "../../domain/errors.js";
import type { EnterpriseDoc, TenderDoc } from "../documents.js";

/**
 * Meilisearch document ids may only hold a-z A-Z 0-9 - _ (at most 511 bytes), but ours hold ":"
 * and "." (`ted:123456-2024`, `api:dk-0751.2027-03`). Documents therefore carry a derived primary
 * key, the base64url encoding (no padding) of the id's UTF-8 bytes, and keep `id` as a normal
 * attribute. The encoding is reversible and uses only allowed characters. btoa/atob and
 * TextEncoder exist on Node and Workers alike.
 */
export const MAX_KEY_BYTES = 511;

export function encodeDocumentKey(id: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(id)) binary += String.fromCharCode(byte);
  const key = btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  if (key.length === 0 || key.length > MAX_KEY_BYTES) {
    throw new AppError(
      "VALIDATION_FAILED",
      `search document id is empty or too long for Meilisearch: ${id.slice(0, 80)}`,
      {
        context: { id: id.slice(0, 200), keyLength: key.length },
      },
    );
  }
  return key;
}

export function decodeDocumentKey(key: string): string {
  const base64 = key.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

export type MeilisearchDocument<D> = { key: string } & { [K in keyof D]?: D[K] };

/**
 * The document as sent to Meilisearch: the derived key added and null attributes left out. A
 * missing attribute and a null one mean the same to every filter and sort we use (neither
 * matches `=`, `>=`, `IN`; both sort last), and leaving `_geo` out is what geo fields require.
 */
export function toMeilisearchDocument<D extends TenderDoc | EnterpriseDoc>(doc: D): MeilisearchDocument<D> {
  const out: Record<string, unknown> = { key: encodeDocumentKey(doc.id) };
  for (const [name, value] of Object.entries(doc))
    if (value !== null && value !== undefined) out[name] = value;
  return out as MeilisearchDocument<D>;
}
