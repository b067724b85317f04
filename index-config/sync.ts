import type { Meilisearch, Settings, WaitOptions } from "meilisearch";
import { AppError } from "../src/domain/errors.js";
import { fold } from "../src/domain/text.js";
import { waitForTaskOrThrow } from "../src/search/meilisearch/meilisearch.client.js";
import { describeMeilisearchError, toAppError } from "../src/search/meilisearch/meilisearch.errors.js";
import { INDEX_CONFIGS, indexUid } from "./index.js";
import type { IndexConfig, IndexName } from "./index.js";

/**
 * `npm run index:sync`: makes each index's settings equal index-config/, idempotently. For every
 * index: create it with its primary key when missing, read its settings, compare them with the
 * desired ones (ignoring orders Meilisearch does not care about), and only when they differ send
 * the desired settings and wait for the task, throwing when it failed. A second run changes
 * nothing and says so (`changed: []`).
 */
export interface SyncSummary {
  /** Index uid (prefix + suffix). */
  index: string;
  name: IndexName;
  created: boolean;
  /** Settings (and `primaryKey`) that differed and were updated; empty when already in sync. */
  changed: string[];
}

export interface SyncOptions {
  /** MEILI_INDEX_PREFIX. */
  prefix: string;
  /** The indexes to sync; all of index-config/ by default. */
  configs?: readonly IndexConfig[];
  /** Waiting for tasks; settings changes reindex, so the default allows 10 minutes. */
  wait?: WaitOptions;
}

/** Lists whose order Meilisearch ignores (sets). searchableAttributes and rankingRules are ordered. */
const UNORDERED = new Set([
  "filterableAttributes",
  "sortableAttributes",
  "stopWords",
  "separatorTokens",
  "nonSeparatorTokens",
  "dictionary",
  "disableOnWords",
  "disableOnAttributes",
]);

function normaliseSynonyms(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const out: Record<string, string[]> = {};
  for (const [term, list] of Object.entries(value)) {
    const values = Array.isArray(list) ? list.map((v) => fold(String(v))) : [];
    out[fold(term)] = [...new Set(values)].sort();
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}

/**
 * Whether the server's value satisfies the desired one. Objects (typoTolerance, faceting,
 * pagination) are compared on the keys we set, since the server answers with every key;
 * unordered lists are compared as sets; synonyms as Meilisearch normalises them.
 */
function satisfies(name: string, desired: unknown, current: unknown): boolean {
  if (name === "synonyms")
    return canonical(normaliseSynonyms(desired)) === canonical(normaliseSynonyms(current));
  if (Array.isArray(desired)) {
    if (!Array.isArray(current)) return false;
    if (UNORDERED.has(name)) {
      const a = desired.map(canonical).sort();
      const b = current.map(canonical).sort();
      return a.length === b.length && a.every((v, i) => v === b[i]);
    }
    return canonical(desired) === canonical(current);
  }
  if (typeof desired === "object" && desired !== null) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return false;
    const cur = current as Record<string, unknown>;
    return Object.entries(desired).every(([key, value]) => satisfies(key, value, cur[key]));
  }
  return canonical(desired) === canonical(current);
}

/** Names of the top-level settings whose current value does not satisfy the desired one. */
export function diffSettings(desired: Settings, current: Settings): string[] {
  const cur = current as Record<string, unknown>;
  return Object.entries(desired)
    .filter(([name, value]) => value !== undefined && !satisfies(name, value, cur[name]))
    .map(([name]) => name);
}

const DEFAULT_WAIT: WaitOptions = { timeout: 600_000, interval: 100 };

async function syncOne(
  client: Meilisearch,
  config: IndexConfig,
  prefix: string,
  wait: WaitOptions,
): Promise<SyncSummary> {
  const uid = indexUid(prefix, config);
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(uid)) {
    throw new AppError("VALIDATION_FAILED", `invalid Meilisearch index uid ${JSON.stringify(uid)}`, {
      context: { uid },
    });
  }
  const context = { operation: "index:sync", indexUid: uid };
  const changed: string[] = [];
  let created = false;

  let primaryKey: string | undefined;
  try {
    primaryKey = (await client.getRawIndex(uid)).primaryKey ?? undefined;
  } catch (error) {
    if (describeMeilisearchError(error).code !== "index_not_found") throw toAppError(error, context);
    await waitForTaskOrThrow(
      client,
      client.createIndex(uid, { primaryKey: config.primaryKey }),
      context,
      wait,
    );
    created = true;
    primaryKey = config.primaryKey;
  }
  if (primaryKey === undefined) {
    await waitForTaskOrThrow(
      client,
      client.updateIndex(uid, { primaryKey: config.primaryKey }),
      context,
      wait,
    );
    changed.push("primaryKey");
  } else if (primaryKey !== config.primaryKey) {
    throw new AppError(
      "CONFLICT",
      `Meilisearch index ${uid} has primary key "${primaryKey}", expected "${config.primaryKey}"; delete the index, then run index:sync and index:rebuild`,
      { context: { ...context, primaryKey, expected: config.primaryKey } },
    );
  }

  let current: Settings;
  try {
    current = await client.index(uid).getSettings();
  } catch (error) {
    throw toAppError(error, context);
  }
  const differing = diffSettings(config.settings, current);
  if (differing.length > 0) {
    await waitForTaskOrThrow(client, client.index(uid).updateSettings(config.settings), context, wait);
    changed.push(...differing);
  }
  return { index: uid, name: config.name, created, changed };
}

export async function syncIndexSettings(client: Meilisearch, options: SyncOptions): Promise<SyncSummary[]> {
  const wait = { ...DEFAULT_WAIT, ...options.wait };
  const out: SyncSummary[] = [];
  for (const config of options.configs ?? INDEX_CONFIGS)
    out.push(await syncOne(client, config, options.prefix, wait));
  return out;
}
