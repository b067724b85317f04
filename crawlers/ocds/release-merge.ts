import { type JsonObject, idOf, isObject } from "./json-access.js";

/**
 * Merges the releases of one contracting process, oldest first, into one release, following the
 * OCDS merge rules in a simplified form: a later value replaces an earlier one, objects merge
 * field by field, arrays of objects that all have an `id` merge by id, other arrays are replaced
 * whole, and `null` removes a field. `id`, `date` and `tag` are those of the last release (the
 * caller sorts by date). A release that only carries what changed (an award release without
 * `tender`) thus keeps what earlier releases said.
 */
export function mergeReleases(releases: readonly JsonObject[]): JsonObject {
  let merged: JsonObject = {};
  for (const release of releases) merged = mergeObjects(merged, release);
  return merged;
}

function mergeObjects(base: JsonObject, next: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(base)) {
    if (key !== "__proto__") out[key] = value;
  }
  for (const [key, value] of Object.entries(next)) {
    if (key === "__proto__") continue;
    const merged = mergeValue(out[key], value);
    if (merged === undefined) delete out[key];
    else out[key] = merged;
  }
  return out;
}

function mergeValue(base: unknown, next: unknown): unknown {
  if (next === null) return undefined;
  if (isObject(base) && isObject(next)) return mergeObjects(base, next);
  if (Array.isArray(base) && Array.isArray(next) && hasIds(base) && hasIds(next)) {
    return mergeById(base, next);
  }
  return next;
}

function hasIds(items: unknown[]): items is JsonObject[] {
  return items.every((item) => isObject(item) && idOf(item.id) !== undefined);
}

function mergeById(base: JsonObject[], next: JsonObject[]): JsonObject[] {
  const byId = new Map<string, JsonObject>();
  for (const item of base) byId.set(idOf(item.id) ?? "", item);
  for (const item of next) {
    const id = idOf(item.id) ?? "";
    const current = byId.get(id);
    byId.set(id, current ? mergeObjects(current, item) : item);
  }
  return [...byId.values()];
}
