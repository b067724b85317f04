/**
 * The matching benchmark (issue 5, item 9): consortium formation at scale, and against a plain
 * exhaustive search on small instances.
 *
 * Scale. Synthetic enterprises (N = 1 000, 10 000, 100 000; the smaller sets are prefixes of the
 * largest): real CPV codes at group..category level in the divisions municipalities buy in,
 * several per enterprise; real Danish and Swedish municipality coordinates with a little jitter;
 * service radii of 10–200 km (most 25–75); disadvantaged shares mostly low, some ≥ 0.30; a
 * public-service mission on some; lognormal turnover in DKK or SEK; most open to consortia.
 * Tenders: 1–8 lots of 1–5 codes (each lot's codes under one CPV group, so that coverage is
 * plausible), placed at a municipality, with no reservation, Art. 20 (per member, or the
 * combined rule) or Art. 77, some with a minimum turnover. The timed operation per tender is
 * what an API call does: candidate lookup through an in-memory index from 8-digit code to
 * enterprises (the enterprises holding a covering code of some required code, as the search
 * index returns them) plus `formConsortia` with limit 10 and maximum size 4.
 *
 * Exactness. 300 small random instances (10–16 enterprises, 1–3 lots): `formConsortia` against
 * every subset of up to 4 members checked with `isFeasibleConsortium` and
 * `isIrredundantConsortium`, timed in the same run; any difference in the minimum size throws.
 *
 * Target: p95 ≤ 100 ms at 100 000 enterprises.
 */
import { cpvLevelDigits } from "../../src/domain/cpv.js";
import { cpvEntries } from "../../src/domain/cpv-catalogue.js";
import {
  coveringCodes,
  formConsortia,
  isFeasibleConsortium,
  isIrredundantConsortium,
  servesPlace,
  type GroupRule,
  type MatchEnterprise,
  type MatchOptions,
  type MatchTender,
} from "../../src/domain/matching/index.js";
import type { Lot, Reservation } from "../../src/domain/tender.js";
import { Dice, MUNICIPAL_PLACES, MUNICIPAL_THEMES, seededRandom, type SyntheticPlace } from "./synthetic.js";

const SIZES = [1_000, 10_000, 100_000] as const;
const TENDERS = 200;
const SMALL_INSTANCES = 300;
const MAX_SIZE = 4;
const LIMIT = 10;
const NOW = "2026-06-15T12:00:00Z";
const TARGET_P95_MS = 100;

// ------------------------------------------------------------------------------ reference data

/** Codes with 3–5 significant digits (group, class, category), by division. */
const HELD_BY_DIVISION = new Map<string, string[]>();
/** Codes with 4–6 significant digits, by group (3 digits): what lots are classified with. */
const FINE_BY_GROUP = new Map<string, string[]>();
for (const { code } of cpvEntries()) {
  const digits = cpvLevelDigits(code);
  const division = code.slice(0, 2);
  if (digits >= 3 && digits <= 5)
    HELD_BY_DIVISION.set(division, [...(HELD_BY_DIVISION.get(division) ?? []), code]);
  if (digits >= 4 && digits <= 6)
    FINE_BY_GROUP.set(code.slice(0, 3), [...(FINE_BY_GROUP.get(code.slice(0, 3)) ?? []), code]);
}
const THEMES = MUNICIPAL_THEMES.filter(([d]) => (HELD_BY_DIVISION.get(d)?.length ?? 0) > 0);
const PLACES = MUNICIPAL_PLACES.filter((p) => p.lat !== undefined && p.lon !== undefined);
const CURRENCY: Readonly<Record<string, string>> = { DK: "DKK", SE: "SEK" };

function lognormal(dice: Dice, median: number, sigma: number): number {
  const u = Math.max(dice.random(), 1e-12);
  const v = dice.random();
  return median * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
}

/** Held codes of a division by level (groups, classes, categories). */
const HELD_BY_LEVEL = new Map<string, string[][]>(
  [...HELD_BY_DIVISION].map(([division, codes]) => [
    division,
    [3, 4, 5].map((d) => codes.filter((c) => cpvLevelDigits(c) === d)),
  ]),
);

/** Held codes of a division: groups 30 %, classes 45 %, categories 25 %. */
function heldCodes(dice: Dice, division: string, count: number): string[] {
  const all = HELD_BY_DIVISION.get(division) ?? [];
  const byLevel = HELD_BY_LEVEL.get(division) ?? [];
  const out = new Set<string>();
  for (let i = 0; i < count * 3 && out.size < count; i++) {
    const level = dice.weighted([
      [0, 30],
      [1, 45],
      [2, 25],
    ] as const);
    const list = byLevel[level]?.length ? (byLevel[level] ?? all) : all;
    out.add(dice.pick(list));
  }
  return [...out];
}

function placeOf(dice: Dice): SyntheticPlace {
  return dice.pick(PLACES);
}

// ------------------------------------------------------------------------------ enterprises

export function matchEnterprises(n: number, seed = 5): MatchEnterprise[] {
  const dice = new Dice(seededRandom(seed));
  return Array.from({ length: n }, (_, i) => {
    const place = placeOf(dice);
    const theme = dice.weighted(THEMES);
    const cpv = [
      ...heldCodes(dice, theme, dice.int(1, 4)),
      ...(dice.chance(0.35) ? heldCodes(dice, dice.weighted(THEMES), dice.int(1, 2)) : []),
    ];
    const radius = dice.weighted([
      [[10, 25], 15],
      [[25, 75], 70],
      [[75, 200], 15],
    ] as const);
    const jitter = (): number => (dice.random() - 0.5) * 0.1;
    const share = dice.chance(0.78)
      ? Math.round(dice.random() * 28) / 100
      : Math.round(30 + dice.random() * 60) / 100;
    return {
      id: `m${String(i).padStart(6, "0")}`,
      cpv: [...new Set(cpv)],
      ...(place.lat !== undefined && place.lon !== undefined
        ? { location: { lat: place.lat + jitter(), lon: place.lon + jitter() } }
        : {}),
      serviceRadiusKm: Math.round(dice.int(radius[0], radius[1])),
      ...(dice.chance(0.9)
        ? {
            annualTurnover: Math.round(lognormal(dice, 4_000_000, 1.3) / 1000) * 1000,
            currency: CURRENCY[place.country] ?? "DKK",
          }
        : {}),
      ...(dice.chance(0.9) ? { employees: Math.max(1, Math.round(lognormal(dice, 12, 1.1))) } : {}),
      ...(dice.chance(0.9) ? { disadvantagedShare: share } : {}),
      publicServiceMission: dice.chance(0.2),
      openToConsortia: dice.chance(0.85),
    };
  });
}

// ------------------------------------------------------------------------------ tenders

type BenchTender = { tender: MatchTender; groupRule: GroupRule };

export function matchTenders(n: number, seed = 6): BenchTender[] {
  const dice = new Dice(seededRandom(seed));
  return Array.from({ length: n }, (_, i) => {
    const place = placeOf(dice);
    const theme = dice.weighted(THEMES);
    const lotCount = dice.weighted([
      [1, 40],
      [2, 14],
      [3, 12],
      [4, 10],
      [5, 8],
      [6, 6],
      [7, 5],
      [8, 5],
    ] as const);
    const groups = [...FINE_BY_GROUP.keys()];
    const themeGroups = groups.filter((g) => g.startsWith(theme));
    const lots: Lot[] = Array.from({ length: lotCount }, (_, l) => {
      const group = dice.chance(0.85) && themeGroups.length > 0 ? dice.pick(themeGroups) : dice.pick(groups);
      const fine = FINE_BY_GROUP.get(group) ?? [];
      const codes = new Set<string>();
      const want = dice.int(1, 5);
      for (let j = 0; j < want * 3 && codes.size < want; j++) codes.add(dice.pick(fine));
      return { id: `LOT-${l + 1}`, title: `Lot ${l + 1}`, cpv: [...codes] };
    });
    const reserved: Reservation = dice.weighted([
      ["none", 70],
      ["res-ws", 20],
      ["res-pub-ser", 10],
    ] as const);
    const minTurnover = dice.chance(0.25)
      ? Math.round(lognormal(dice, 15_000_000, 1) / 100_000) * 100_000
      : undefined;
    const tender: MatchTender = {
      buyer: { id: `${place.country.toLowerCase()}-${place.municipality ?? i}` },
      reserved,
      place: {
        nuts: place.nuts3,
        ...(place.municipality ? { municipality: place.municipality } : {}),
        ...(place.lat !== undefined && place.lon !== undefined ? { lat: place.lat, lon: place.lon } : {}),
      },
      lots,
      requirements:
        minTurnover !== undefined ? { minTurnover, currency: CURRENCY[place.country] ?? "DKK" } : {},
    };
    return { tender, groupRule: reserved === "res-ws" && dice.chance(0.5) ? "combined" : "per-member" };
  });
}

// ------------------------------------------------------------------------------ candidate index

/** 8-digit code → enterprises holding it (what the search index answers for a CPV filter). */
function codeIndex(enterprises: readonly MatchEnterprise[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  enterprises.forEach((e, i) => {
    for (const code of e.cpv) {
      const list = index.get(code);
      if (list) list.push(i);
      else index.set(code, [i]);
    }
  });
  return index;
}

function lookup(
  tender: MatchTender,
  enterprises: readonly MatchEnterprise[],
  index: Map<string, number[]>,
): MatchEnterprise[] {
  const seen = new Set<number>();
  const out: MatchEnterprise[] = [];
  const codes = new Set(tender.lots.flatMap((l) => l.cpv));
  for (const code of codes) {
    for (const own of coveringCodes(code)) {
      for (const i of index.get(own) ?? []) {
        if (seen.has(i)) continue;
        seen.add(i);
        const e = enterprises[i];
        if (e) out.push(e);
      }
    }
  }
  return out;
}

// ------------------------------------------------------------------------------ statistics

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? 0;
}

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

type ScaleRow = {
  n: number;
  tenders: number;
  candidatesP50: number;
  candidatesP95: number;
  inReachP50: number;
  inReachP95: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  feasibleShare: number;
  minSizes: Record<"1" | "2" | "3" | "4" | "none", number>;
};

function runScale(enterprises: readonly MatchEnterprise[], tenders: readonly BenchTender[]): ScaleRow {
  const index = codeIndex(enterprises);
  const options = (t: BenchTender): MatchOptions => ({
    limit: LIMIT,
    maxSize: MAX_SIZE,
    now: NOW,
    groupRule: t.groupRule,
  });
  // Warm-up: the same work once, untimed.
  for (const t of tenders.slice(0, 20))
    formConsortia(t.tender, lookup(t.tender, enterprises, index), options(t));
  const times: number[] = [];
  const candidates: number[] = [];
  const inReach: number[] = [];
  const minSizes = { "1": 0, "2": 0, "3": 0, "4": 0, none: 0 };
  for (const t of tenders) {
    const started = performance.now();
    const found = lookup(t.tender, enterprises, index);
    const result = formConsortia(t.tender, found, options(t));
    times.push(performance.now() - started);
    candidates.push(found.length);
    inReach.push(found.filter((e) => servesPlace(e, t.tender.place)).length);
    const size = result.consortia[0]?.members.length;
    if (size === undefined) minSizes.none++;
    else minSizes[String(size) as "1" | "2" | "3" | "4"]++;
  }
  const sortedTimes = [...times].sort((a, b) => a - b);
  const sortedCandidates = [...candidates].sort((a, b) => a - b);
  const sortedReach = [...inReach].sort((a, b) => a - b);
  return {
    n: enterprises.length,
    tenders: tenders.length,
    candidatesP50: quantile(sortedCandidates, 0.5),
    candidatesP95: quantile(sortedCandidates, 0.95),
    inReachP50: quantile(sortedReach, 0.5),
    inReachP95: quantile(sortedReach, 0.95),
    p50Ms: round(quantile(sortedTimes, 0.5)),
    p95Ms: round(quantile(sortedTimes, 0.95)),
    maxMs: round(sortedTimes[sortedTimes.length - 1] ?? 0),
    feasibleShare: round((tenders.length - minSizes.none) / tenders.length, 3),
    minSizes,
  };
}

// ------------------------------------------------------------------------------ small instances

/** A handful of related codes, so that random small pools often combine into consortia. */
const SMALL_REQUIRED = ["90911200", "90919200", "90910000", "77311000", "77310000", "55521000", "55520000"];
const SMALL_HELD = [
  "90900000",
  "90910000",
  "90911200",
  "90919200",
  "77300000",
  "77310000",
  "77311000",
  "55520000",
  "55521000",
  "90000000",
];

function smallInstance(dice: Dice): {
  tender: MatchTender;
  enterprises: MatchEnterprise[];
  options: MatchOptions;
} {
  const place = placeOf(dice);
  const near = (): { lat: number; lon: number } => ({
    lat: (place.lat ?? 56) + (dice.random() - 0.5) * 1.2,
    lon: (place.lon ?? 10) + (dice.random() - 0.5) * 2,
  });
  const n = dice.int(10, 16);
  const enterprises: MatchEnterprise[] = Array.from({ length: n }, (_, i) => ({
    id: `s${i}`,
    cpv: [...new Set(Array.from({ length: dice.int(1, 2) }, () => dice.pick(SMALL_HELD)))],
    ...(dice.chance(0.9) ? { location: near() } : {}),
    serviceRadiusKm: dice.int(20, 120),
    ...(dice.chance(0.85) ? { annualTurnover: dice.int(1, 100) * 100_000, currency: "DKK" } : {}),
    ...(dice.chance(0.9) ? { employees: dice.int(1, 40) } : {}),
    ...(dice.chance(0.9) ? { disadvantagedShare: dice.pick([0, 0.1, 0.2, 0.3, 0.45, 0.8]) } : {}),
    publicServiceMission: dice.chance(0.4),
    openToConsortia: dice.chance(0.85),
  }));
  const lots: Lot[] = Array.from({ length: dice.int(1, 3) }, (_, l) => ({
    id: `L${l + 1}`,
    title: `Lot ${l + 1}`,
    cpv: [...new Set(Array.from({ length: dice.int(1, 3) }, () => dice.pick(SMALL_REQUIRED)))],
  }));
  const reserved: Reservation = dice.weighted([
    ["none", 50],
    ["res-ws", 30],
    ["res-pub-ser", 20],
  ] as const);
  const tender: MatchTender = {
    buyer: { id: "dk-751" },
    reserved,
    place: {
      nuts: place.nuts3,
      ...(place.lat !== undefined && place.lon !== undefined ? { lat: place.lat, lon: place.lon } : {}),
    },
    lots,
    requirements: dice.chance(0.35) ? { minTurnover: dice.int(10, 150) * 100_000, currency: "DKK" } : {},
  };
  const groupRule: GroupRule = dice.chance(0.5) ? "combined" : "per-member";
  return { tender, enterprises, options: { now: NOW, maxSize: MAX_SIZE, limit: LIMIT, groupRule } };
}

/** Every subset of up to `maxSize` members, checked with the exported definitions. */
function exhaustive(
  tender: MatchTender,
  enterprises: readonly MatchEnterprise[],
  options: MatchOptions,
): { minSize: number | undefined; irredundant: number } {
  let minSize: number | undefined;
  let irredundant = 0;
  const set: MatchEnterprise[] = [];
  const go = (start: number): void => {
    if (set.length > 0 && isFeasibleConsortium(tender, set, options)) {
      minSize = Math.min(minSize ?? Infinity, set.length);
      if (isIrredundantConsortium(tender, set, options)) irredundant++;
    }
    if (set.length === (options.maxSize ?? MAX_SIZE)) return;
    for (let i = start; i < enterprises.length; i++) {
      const e = enterprises[i];
      if (!e) continue;
      set.push(e);
      go(i + 1);
      set.pop();
    }
  };
  go(0);
  return { minSize, irredundant };
}

type ExactRow = {
  instances: number;
  feasible: number;
  formConsortiaMs: number;
  exhaustiveMs: number;
  speedUp: number;
  minSizeMismatches: number;
};

function runExact(): ExactRow {
  const dice = new Dice(seededRandom(7));
  const instances = Array.from({ length: SMALL_INSTANCES }, () => smallInstance(dice));
  let fast = 0;
  let slow = 0;
  let feasible = 0;
  const mismatches: string[] = [];
  instances.forEach(({ tender, enterprises, options }, i) => {
    let started = performance.now();
    const result = formConsortia(tender, enterprises, options);
    fast += performance.now() - started;
    started = performance.now();
    const exact = exhaustive(tender, enterprises, options);
    slow += performance.now() - started;
    const got = result.consortia[0]?.members.length;
    if (got !== exact.minSize)
      mismatches.push(`instance ${i}: formConsortia ${got}, exhaustive ${exact.minSize}`);
    if (exact.minSize !== undefined) feasible++;
  });
  if (mismatches.length > 0) throw new Error(`minimum sizes differ:\n${mismatches.join("\n")}`);
  return {
    instances: instances.length,
    feasible,
    formConsortiaMs: round(fast, 1),
    exhaustiveMs: round(slow, 1),
    speedUp: round(slow / fast, 1),
    minSizeMismatches: mismatches.length,
  };
}

// ------------------------------------------------------------------------------ report

function table(rows: readonly ScaleRow[], growth: readonly string[], exact: ExactRow): string {
  const head =
    "N          cand p50/p95   reach p50/p95   p50 ms   p95 ms   max ms   feasible   min size 1/2/3/4/none";
  const lines = rows.map((r) =>
    [
      String(r.n).padEnd(10),
      `${r.candidatesP50}/${r.candidatesP95}`.padStart(14),
      `${r.inReachP50}/${r.inReachP95}`.padStart(15),
      r.p50Ms.toFixed(2).padStart(8),
      r.p95Ms.toFixed(2).padStart(8),
      r.maxMs.toFixed(2).padStart(8),
      `${(r.feasibleShare * 100).toFixed(1)} %`.padStart(10),
      `   ${r.minSizes["1"]}/${r.minSizes["2"]}/${r.minSizes["3"]}/${r.minSizes["4"]}/${r.minSizes.none}`,
    ].join(" "),
  );
  const last = rows[rows.length - 1];
  const verdict = last
    ? `p95 at ${last.n}: ${last.p95Ms.toFixed(2)} ms (target ≤ ${TARGET_P95_MS} ms: ${last.p95Ms <= TARGET_P95_MS ? "met" : "MISSED"})`
    : "";
  return [
    `formConsortia (limit ${LIMIT}, max size ${MAX_SIZE}) with candidate lookup, ${rows[0]?.tenders ?? 0} tenders per N`,
    head,
    ...lines,
    `growth: ${growth.join("; ")}`,
    verdict,
    "",
    `small instances: ${exact.instances} (10–16 enterprises, 1–3 lots), ${exact.feasible} feasible`,
    `formConsortia ${exact.formConsortiaMs} ms, exhaustive (all subsets ≤ ${MAX_SIZE}) ${exact.exhaustiveMs} ms, speed-up ${exact.speedUp}×, minimum sizes identical (${exact.minSizeMismatches} differences)`,
  ].join("\n");
}

export async function runMatchBench(): Promise<{
  scale: ScaleRow[];
  growth: { from: number; to: number; p50Ratio: number; p95Ratio: number }[];
  exact: ExactRow;
  table: string;
}> {
  await Promise.resolve();
  const largest = SIZES[SIZES.length - 1] ?? 100_000;
  const all = matchEnterprises(largest);
  const tenders = matchTenders(TENDERS);
  const scale = SIZES.map((n) => runScale(all.slice(0, n), tenders));
  const growth = scale.slice(1).map((r, i) => {
    const prev = scale[i];
    return {
      from: prev?.n ?? 0,
      to: r.n,
      p50Ratio: round(r.p50Ms / Math.max(prev?.p50Ms ?? 1, 1e-3)),
      p95Ratio: round(r.p95Ms / Math.max(prev?.p95Ms ?? 1, 1e-3)),
    };
  });
  const exact = runExact();
  const growthText = growth.map((g) => `${g.from}→${g.to}: p50 ×${g.p50Ratio}, p95 ×${g.p95Ratio}`);
  return { scale, growth, exact, table: table(scale, growthText, exact) };
}
