import { IsoDateTime } from "../../src/domain/common.js";
import { CrawlError } from "../errors.js";
import { type JsonObject, idOf, isObject, kindOf, objects, str, strings } from "./json-access.js";
import { mergeReleases } from "./release-merge.js";
import { type ParsedRelease, type ReleaseOptions, releaseToTender } from "./release-to-tender.js";

export type { ParsedRelease } from "./release-to-tender.js";

/**
 * The OCDS reader: release packages, record packages, arrays of releases and single releases
 * become tenders, one per ocid. Pure: the caller fetches (or reads a file) and saves the tenders
 * through `saveTender`. A release that cannot be read is reported in `errors` and the others
 * are still read; only input that is no OCDS at all throws (`CrawlError` of kind "parse").
 */

export interface OcdsReadError {
  /** "release 3 (ocds-b5fd17-…)", "record 0 (ocds-07smqs-993235)". */
  where: string;
  message: string;
}

export interface OcdsReadResult {
  items: ParsedRelease[];
  errors: OcdsReadError[];
}

export type ParseOcdsOptions = ReleaseOptions;

const EXPECTED =
  'an OCDS release package (an object with "releases"), a record package (an object with ' +
  '"records"), an array of releases or a single release (an object with "ocid")';

/** One release as found in the input, before the releases of an ocid are put together. */
interface Found {
  index: number;
  label: "release" | "record";
  release: JsonObject;
  ocid: string;
  /** A compiled release (record package, or tag "compiled"): already holds the whole process. */
  compiled: boolean;
}

/** Reads OCDS JSON: a parsed value, or JSON text. */
export function parseOcds(json: unknown, options: ParseOcdsOptions): OcdsReadResult {
  if (!IsoDateTime.safeParse(options.now).success) {
    throw new TypeError(`options.now must be an ISO date-time, got ${String(options.now)}`);
  }
  const data = typeof json === "string" ? parseText(json, options.sourceUrl) : json;
  const errors: OcdsReadError[] = [];
  const found: Found[] = [];
  const context = options.sourceUrl ? { url: options.sourceUrl } : {};

  if (Array.isArray(data)) {
    data.forEach((value, index) => collectRelease(value, index, found, errors));
  } else if (isObject(data) && "releases" in data) {
    if (!Array.isArray(data.releases)) {
      throw new CrawlError(
        "parse",
        `"releases" must be an array of releases, found ${kindOf(data.releases)}`,
        {
          ...context,
          where: "releases",
        },
      );
    }
    data.releases.forEach((value, index) => collectRelease(value, index, found, errors));
  } else if (isObject(data) && "records" in data) {
    if (!Array.isArray(data.records)) {
      throw new CrawlError("parse", `"records" must be an array of records, found ${kindOf(data.records)}`, {
        ...context,
        where: "records",
      });
    }
    data.records.forEach((value, index) => collectRecord(value, index, found, errors));
  } else if (isObject(data) && "ocid" in data) {
    collectRelease(data, 0, found, errors);
  } else {
    throw new CrawlError("parse", `not OCDS: expected ${EXPECTED}, found ${kindOf(data)}`, {
      ...context,
      missing: ["releases", "records", "ocid"],
    });
  }

  const items: ParsedRelease[] = [];
  for (const group of groupByOcid(found)) {
    const { release, where } = combine(group);
    try {
      items.push(releaseToTender(release, options));
    } catch (error) {
      errors.push({ where, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { items, errors };
}

function parseText(text: string, url: string | undefined): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CrawlError(
      "parse",
      `not JSON: ${error instanceof Error ? error.message : String(error)}`,
      url ? { url } : {},
      false,
      { cause: error },
    );
  }
}

function whereOf(label: string, index: number, value: unknown): string {
  const name = isObject(value) ? (str(value.ocid) ?? idOf(value.id)) : undefined;
  return name === undefined ? `${label} ${index}` : `${label} ${index} (${name})`;
}

function collectRelease(value: unknown, index: number, found: Found[], errors: OcdsReadError[]): void {
  const where = whereOf("release", index, value);
  if (!isObject(value)) {
    errors.push({ where, message: `a release must be an object, found ${kindOf(value)}` });
    return;
  }
  const ocid = str(value.ocid);
  if (ocid === undefined) {
    errors.push({ where, message: "the release has no ocid: it cannot be told which process it belongs to" });
    return;
  }
  found.push({
    index,
    label: "release",
    release: value,
    ocid,
    compiled: strings(value.tag).includes("compiled"),
  });
}

/** A record: its compiled release, else its embedded releases merged. */
function collectRecord(value: unknown, index: number, found: Found[], errors: OcdsReadError[]): void {
  const where = whereOf("record", index, value);
  if (!isObject(value)) {
    errors.push({ where, message: `a record must be an object, found ${kindOf(value)}` });
    return;
  }
  let release: JsonObject | undefined;
  if (isObject(value.compiledRelease)) release = value.compiledRelease;
  else {
    const embedded = objects(value.releases).filter((r) => "ocid" in r || "tender" in r || "tag" in r);
    const linked = objects(value.releases).filter((r) => "url" in r && !("ocid" in r));
    if (embedded.length === 0) {
      errors.push({
        where,
        message:
          linked.length > 0
            ? "the record has no compiledRelease and its releases are links, which this reader does not fetch"
            : "the record has no compiledRelease and no releases",
      });
      return;
    }
    release = mergeLatestLast(embedded);
  }
  const ocid = str(value.ocid) ?? str(release.ocid);
  if (ocid === undefined) {
    errors.push({ where, message: "the record has no ocid" });
    return;
  }
  found.push({ index, label: "record", release: { ...release, ocid }, ocid, compiled: true });
}

function groupByOcid(found: Found[]): Found[][] {
  const groups = new Map<string, Found[]>();
  for (const f of found) groups.set(f.ocid, [...(groups.get(f.ocid) ?? []), f]);
  return [...groups.values()];
}

function timeOf(release: JsonObject): number {
  const time = Date.parse(str(release.date) ?? "");
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

/** Oldest first; releases without a date count as oldest, ties keep their order. */
function byDate<T>(items: T[], release: (item: T) => JsonObject): T[] {
  return items
    .map((item, order) => ({ item, order, time: timeOf(release(item)) }))
    .sort((a, b) => a.time - b.time || a.order - b.order)
    .map((e) => e.item);
}

/** Merges releases of one process; id, date and tag are the latest release's. */
function mergeLatestLast(releases: JsonObject[]): JsonObject {
  const sorted = byDate(releases, (r) => r);
  const latest = sorted[sorted.length - 1] ?? {};
  const merged = mergeReleases(sorted);
  for (const key of ["id", "date", "tag"] as const) {
    if (key in latest) merged[key] = latest[key];
    else delete merged[key];
  }
  return merged;
}

/**
 * The releases of one ocid as one: the latest compiled release if there is one, else all
 * releases merged (the latest wins where they differ). Errors name the latest release.
 */
function combine(group: Found[]): { release: JsonObject; where: string } {
  const compiled = group.filter((f) => f.compiled);
  const sorted = byDate(compiled.length > 0 ? compiled : group, (f) => f.release);
  const latest = sorted[sorted.length - 1] ?? group[0];
  if (latest === undefined) return { release: {}, where: "release" };
  const where = `${latest.label} ${latest.index} (${latest.ocid})`;
  if (compiled.length > 0 || sorted.length === 1) return { release: latest.release, where };
  return { release: mergeLatestLast(sorted.map((f) => f.release)), where };
}
