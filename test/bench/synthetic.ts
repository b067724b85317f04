/**
 * Deterministic synthetic tenders and enterprises for benchmarks (search, matching, alerts).
 *
 * Same seed, same data. Built from the real CPV list (src/data/cpv.json: English and Norwegian
 * labels for every code, Danish and Swedish for the social-services annex) and the real Danish
 * and Swedish municipalities with their coordinates and NUTS codes (src/data/municipalities.json),
 * plus a few Norwegian and British buyers. Objects have the shape of the domain types (they
 * satisfy `Tender.parse` / `Enterprise.parse`; `validateSample` checks a sample), without paying
 * for zod on every one of 100 000 objects.
 */
import { municipalityBuyerId } from "../../src/domain/buyer.js";
import { cpvLevelDigits } from "../../src/domain/cpv.js";
import { type CpvEntry, cpvEntries } from "../../src/domain/cpv-catalogue.js";
import { CERTIFICATIONS, Enterprise } from "../../src/domain/enterprise.js";
import { municipalities, type Municipality } from "../../src/domain/municipalities.js";
import { Tender, type Lot, type Reservation, type TenderStage } from "../../src/domain/tender.js";

// ------------------------------------------------------------------------------ randomness

/** mulberry32: a small, fast, seeded PRNG with a 2^32 period. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Dice {
  constructor(readonly random: () => number) {}

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.random() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.random() * items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }

  weighted<T>(table: readonly (readonly [T, number])[]): T {
    const total = table.reduce((s, [, w]) => s + w, 0);
    let r = this.random() * total;
    for (const [item, w] of table) {
      r -= w;
      if (r < 0) return item;
    }
    const last = table[table.length - 1];
    if (!last) throw new Error("weighted pick from an empty table");
    return last[0];
  }

  /** Log-uniform between lo and hi. */
  logUniform(lo: number, hi: number): number {
    return Math.exp(Math.log(lo) + this.random() * (Math.log(hi) - Math.log(lo)));
  }
}

// ------------------------------------------------------------------------------ reference data

type CpvRow = CpvEntry;

const CPV = cpvEntries();
/** Codes of class level or finer (what lots are usually classified with), by division. */
const FINE_BY_DIVISION = new Map<string, CpvRow[]>();
/** Group and class codes (what enterprises often declare), by division. */
const BROAD_BY_DIVISION = new Map<string, CpvRow[]>();
for (const row of CPV) {
  const division = row.code.slice(0, 2);
  const digits = cpvLevelDigits(row.code);
  const target = digits >= 4 ? FINE_BY_DIVISION : BROAD_BY_DIVISION;
  const list = target.get(division) ?? [];
  list.push(row);
  target.set(division, list);
  if (digits === 4) {
    const broad = BROAD_BY_DIVISION.get(division) ?? [];
    broad.push(row);
    BROAD_BY_DIVISION.set(division, broad);
  }
}
const ALL_DIVISIONS = [...FINE_BY_DIVISION.keys()].sort();

/** Divisions social enterprises and municipal plans are full of, weighted; the rest share 10 %. */
const THEMES: readonly (readonly [string, number])[] = [
  ["90", 14],
  ["77", 8],
  ["55", 8],
  ["15", 6],
  ["85", 8],
  ["80", 5],
  ["79", 6],
  ["72", 6],
  ["60", 4],
  ["39", 4],
  ["50", 4],
  ["45", 6],
  ["18", 2],
  ["30", 2],
  ["33", 3],
  ["98", 3],
  ["92", 2],
  ["03", 2],
  ["71", 3],
  ["34", 2],
];

type Lang = "da" | "sv" | "nb" | "en";

function label(row: CpvRow, lang: Lang): string {
  return row.labels[lang] ?? row.labels.nb ?? row.labels.en ?? row.code;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

const WORDS: Readonly<
  Record<Lang, { lead: string[]; link: string[]; places: string[]; sentences: string[] }>
> = {
  da: {
    lead: ["Udbud af", "Rammeaftale om", "Indkøb af", "Levering af", "Drift af", ""],
    link: ["til", "i", "for"],
    places: [
      "daginstitutioner",
      "skoler",
      "plejehjem",
      "rådhuset",
      "kommunens ejendomme",
      "botilbud",
      "idrætsanlæg",
      "biblioteker",
      "ældrecentre",
      "kantiner",
      "genbrugspladser",
      "bosteder",
    ],
    sentences: [
      "Kontrakten omfatter {x} til {p} i {m}.",
      "Udbuddet forventes opdelt i {n} delaftaler.",
      "Der lægges vægt på sociale klausuler og lokale leverandører.",
      "Socialøkonomiske virksomheder opfordres til at byde, også i konsortier.",
      "Kontraktperioden er 2 år med option på forlængelse i 2 x 12 måneder.",
      "Leverandøren skal kunne levere med kort varsel og dokumentere miljøkrav.",
      "Opgaven løses i dag af flere mindre leverandører.",
    ],
  },
  sv: {
    lead: ["Upphandling av", "Ramavtal för", "Inköp av", "Leverans av", "Drift av", ""],
    link: ["för", "till", "i"],
    places: [
      "förskolor",
      "skolor",
      "äldreboenden",
      "kommunens fastigheter",
      "bibliotek",
      "idrottsanläggningar",
      "LSS-boenden",
      "kök och matsalar",
      "kommunhuset",
      "fritidsgårdar",
    ],
    sentences: [
      "Avtalet omfattar {x} för {p} i {m}.",
      "Upphandlingen delas in i {n} delområden.",
      "Sociala hänsyn och arbetsintegrerande sociala företag välkomnas.",
      "Avtalstiden är två år med möjlighet till förlängning i ytterligare två år.",
      "Leverantören ska uppfylla kommunens miljö- och kvalitetskrav.",
      "Upphandlingen kan komma att reserveras för arbetsintegrerande sociala företag.",
    ],
  },
  nb: {
    lead: ["Anskaffelse av", "Rammeavtale om", "Innkjøp av", "Levering av", ""],
    link: ["til", "for", "i"],
    places: ["barnehager", "skoler", "sykehjem", "kommunale bygg", "bibliotek", "idrettsanlegg"],
    sentences: [
      "Avtalen omfatter {x} til {p} i {m}.",
      "Konkurransen deles i {n} delkontrakter.",
      "Sosiale hensyn og lokale leverandører vektlegges.",
      "Avtaleperioden er to år med opsjon på forlengelse.",
    ],
  },
  en: {
    lead: ["Provision of", "Framework agreement for", "Supply of", "Delivery of", ""],
    link: ["for", "at", "in"],
    places: ["schools", "care homes", "council buildings", "libraries", "leisure centres", "day centres"],
    sentences: [
      "The contract covers {x} for {p} in {m}.",
      "The procurement is divided into {n} lots.",
      "Social value and local suppliers carry weight in the evaluation.",
      "Voluntary, community and social enterprises are encouraged to bid, also jointly.",
      "The contract runs for two years with an option to extend by two further years.",
    ],
  },
};

interface Place {
  country: string;
  name: string;
  municipality?: string;
  nuts3: string;
  lat?: number;
  lon?: number;
}

const DK_SE: Place[] = municipalities().map((m: Municipality) => ({
  country: m.country,
  name: m.name,
  municipality: m.code,
  nuts3: m.nuts3,
  ...(m.lat !== undefined && m.lon !== undefined ? { lat: m.lat, lon: m.lon } : {}),
}));
const BY_COUNTRY = new Map<string, Place[]>();
for (const place of DK_SE) BY_COUNTRY.set(place.country, [...(BY_COUNTRY.get(place.country) ?? []), place]);
BY_COUNTRY.set("NO", [
  { country: "NO", name: "Oslo", nuts3: "NO081", lat: 59.91273, lon: 10.74609 },
  { country: "NO", name: "Bergen", nuts3: "NO0A1", lat: 60.39299, lon: 5.32415 },
  { country: "NO", name: "Trondheim", nuts3: "NO060", lat: 63.43049, lon: 10.39506 },
  { country: "NO", name: "Stavanger", nuts3: "NO092", lat: 58.97005, lon: 5.73332 },
]);
BY_COUNTRY.set("GB", [
  { country: "GB", name: "London", nuts3: "UKI31", lat: 51.5072, lon: -0.1276 },
  { country: "GB", name: "Manchester", nuts3: "UKD33", lat: 53.48095, lon: -2.23743 },
  { country: "GB", name: "Bristol", nuts3: "UKK11", lat: 51.45451, lon: -2.58791 },
]);

const REGIONAL_BUYERS: readonly { id: string; name: string; country: string }[] = [
  { id: "dk-region-midt", name: "Region Midtjylland", country: "DK" },
  { id: "dk-region-h", name: "Region Hovedstaden", country: "DK" },
  { id: "dk-ski", name: "Statens og Kommunernes Indkøbsservice", country: "DK" },
  { id: "se-region-ostergotland", name: "Region Östergötland", country: "SE" },
  { id: "se-adda", name: "Adda Inköpscentral", country: "SE" },
  { id: "se-trafikverket", name: "Trafikverket", country: "SE" },
];

const CURRENCY: Readonly<Record<string, string>> = { DK: "DKK", SE: "SEK", NO: "NOK", GB: "GBP" };
const LANGUAGE: Readonly<Record<string, Lang>> = { DK: "da", SE: "sv", NO: "nb", GB: "en" };
const COUNTRIES: readonly (readonly [string, number])[] = [
  ["DK", 52],
  ["SE", 38],
  ["NO", 6],
  ["GB", 4],
];
const STAGES: readonly (readonly [TenderStage, number])[] = [
  ["planned", 35],
  ["open", 30],
  ["awarded", 20],
  ["cancelled", 8],
  ["withdrawn", 7],
];
const RESERVATIONS: readonly (readonly [Reservation, number])[] = [
  ["none", 78],
  ["res-ws", 8],
  ["res-pub-ser", 4],
  ["unknown", 10],
];
const PRECISIONS = ["day", "month", "quarter", "season", "half", "year"] as const;

const DAY = 86_400_000;
const T_START = Date.parse("2025-01-01T00:00:00Z");
const T_END = Date.parse("2026-12-31T00:00:00Z");

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function isoDateTime(ms: number): string {
  return new Date(ms).toISOString();
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function codesFrom(dice: Dice, division: string, count: number, broad: boolean): string[] {
  const pool =
    (broad ? BROAD_BY_DIVISION : FINE_BY_DIVISION).get(division) ?? FINE_BY_DIVISION.get("90") ?? [];
  const codes = new Set<string>();
  for (let i = 0; i < count * 3 && codes.size < count; i++) codes.add(dice.pick(pool).code);
  return [...codes];
}

function rowOf(code: string): CpvRow | undefined {
  return CPV_BY_CODE.get(code);
}
const CPV_BY_CODE = new Map(CPV.map((r) => [r.code, r]));

function fill(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w)\}/g, (_, k: string) => vars[k] ?? "");
}

// ------------------------------------------------------------------------------ tenders

function syntheticTender(dice: Dice, i: number): Tender {
  const country = dice.weighted(COUNTRIES);
  const lang: Lang = dice.chance(0.06) ? "en" : (LANGUAGE[country] ?? "en");
  const words = WORDS[lang];
  const places = BY_COUNTRY.get(country) ?? [];
  const place = dice.pick(places);
  const regional = REGIONAL_BUYERS.filter((b) => b.country === country);
  const buyer =
    regional.length > 0 && dice.chance(0.12)
      ? dice.pick(regional)
      : {
          id: place.municipality
            ? municipalityBuyerId(country, place.municipality)
            : `${country.toLowerCase()}-${place.name.toLowerCase()}`,
          name: place.municipality
            ? country === "DK"
              ? `${place.name} Kommune`
              : `${place.name} kommun`
            : country === "NO"
              ? `${place.name} kommune`
              : `${place.name} City Council`,
          country,
        };

  const theme = dice.chance(0.9) ? dice.weighted(THEMES) : dice.pick(ALL_DIVISIONS);
  const lotCount = dice.weighted([
    [1, 45],
    [2, 12],
    [3, 12],
    [4, 9],
    [5, 7],
    [6, 6],
    [7, 5],
    [8, 4],
  ] as const);
  const lots: Lot[] = [];
  for (let l = 0; l < lotCount; l++) {
    const division = dice.chance(0.85) ? theme : dice.pick(ALL_DIVISIONS);
    const cpv = codesFrom(dice, division, dice.int(1, 5), false);
    const first = rowOf(cpv[0] ?? "");
    const lotPlace = dice.chance(0.1) ? dice.pick(places) : undefined;
    lots.push({
      id: `LOT-${pad(l + 1, 4)}`,
      title: first ? label(first, lang) : `Lot ${l + 1}`,
      cpv,
      ...(lotPlace ? { nuts: lotPlace.nuts3 } : {}),
      ...(dice.chance(0.06) ? { reserved: "res-ws" as const } : {}),
    });
  }
  const cpv = [...new Set(lots.flatMap((l) => l.cpv))];
  const main = rowOf(cpv[0] ?? "") ?? CPV[0];
  const subject = main ? label(main, lang) : "Services";
  const lead = dice.pick(words.lead);
  const title = `${lead === "" ? subject : `${lead} ${lowerFirst(subject)}`} ${dice.pick(words.link)} ${dice.pick(words.places)}`;
  const sentences = [
    fill(words.sentences[0] ?? "", {
      x: lowerFirst(subject),
      p: dice.pick(words.places),
      m: place.name,
      n: "",
    }),
    ...Array.from({ length: dice.int(1, 3) }, () =>
      fill(dice.pick(words.sentences.slice(1)), { n: String(lotCount), m: place.name, p: "", x: "" }),
    ),
    ...lots.slice(1, 4).map((l) => l.title + "."),
  ];

  const stage = dice.weighted(STAGES);
  const lastChanged = T_START + Math.floor(dice.random() * (T_END - T_START));
  const firstSeen = lastChanged - dice.int(0, 200) * DAY;
  const currency = CURRENCY[country] ?? "EUR";
  const amount = Math.round(dice.logUniform(50_000, 400_000_000) / 1000) * 1000;
  const withPlace = dice.chance(0.9);
  const reserved = dice.weighted(RESERVATIONS);

  const tender: Tender = {
    id: `synth:t${pad(i, 6)}`,
    stage,
    title,
    description: sentences.join(" "),
    language: lang,
    buyer,
    reserved,
    ...(withPlace
      ? {
          place: {
            nuts: place.nuts3,
            ...(place.municipality ? { municipality: place.municipality } : {}),
            ...(place.lat !== undefined && place.lon !== undefined ? { lat: place.lat, lon: place.lon } : {}),
          },
        }
      : {}),
    lots,
    cpv,
    ...(dice.chance(0.8)
      ? {
          estimatedValue: {
            amount,
            currency,
            ...(dice.chance(0.3) ? { raw: `ca. ${(amount / 1e6).toFixed(1)} mio.` } : {}),
          },
        }
      : {}),
    ...(stage === "planned" && dice.chance(0.9)
      ? {
          expectedPublication: {
            date: isoDate(Date.UTC(2026, 2 + dice.int(0, 33), 1)),
            precision: dice.pick(PRECISIONS),
          },
        }
      : {}),
    ...(stage === "open" && dice.chance(0.9)
      ? { deadline: isoDateTime(Date.parse("2026-06-01T11:00:00Z") + dice.int(0, 580) * DAY) }
      : {}),
    requirements: {
      ...(dice.chance(0.2) ? { minTurnover: Math.round(amount / 2 / 1000) * 1000, currency } : {}),
      ...(lotCount > 1 && dice.chance(0.3) ? { maxLotsPerBidder: dice.int(1, lotCount) } : {}),
    },
    ...(dice.chance(0.3) ? { smeSuitable: dice.chance(0.6) } : {}),
    ...(country === "GB" && dice.chance(0.5) ? { vcseSuitable: dice.chance(0.5) } : {}),
    ...(stage === "awarded"
      ? { awardedTo: [{ name: `${dice.pick(NAME_PARTS)} ${dice.pick(SUFFIX[country] ?? ["Ltd"])}` }] }
      : {}),
    firstSeen: isoDateTime(Math.max(firstSeen, T_START - 200 * DAY)),
    lastChanged: isoDateTime(lastChanged),
  };
  return tender;
}

/** `n` tenders, the same for the same seed. Ids are `synth:t000000`, `synth:t000001`, … */
export function syntheticTenders(n: number, seed = 1): Tender[] {
  const dice = new Dice(seededRandom(seed));
  return Array.from({ length: n }, (_, i) => syntheticTender(dice, i));
}

// ------------------------------------------------------------------------------ enterprises

const NAME_PARTS = [
  "Grøn",
  "Fælles",
  "Social",
  "Kooperativ",
  "Nord",
  "Syd",
  "Fair",
  "Hånd",
  "Omsorg",
  "Service",
  "Trädgård",
  "Städ",
  "Café",
  "Mad",
  "Kaffe",
  "Værksted",
  "Verkstad",
  "Bygg",
  "IT",
  "Data",
  "Hjælp",
  "Flex",
  "Rengøring",
  "Catering",
  "Kurv",
  "Børste",
  "Möbel",
  "Cykel",
  "Transport",
  "Vask",
];
const SUFFIX: Readonly<Record<string, string[]>> = {
  DK: ["ApS", "A/S", "Socialøkonomisk Virksomhed", "Forening", "IVS"],
  SE: ["AB", "ek. för.", "Kooperativ", "Socialt företag"],
  NO: ["AS", "SA", "Arbeidsinkludering"],
  GB: ["CIC", "Ltd", "Community Interest Company", "Co-operative"],
};
const ENTERPRISE_COUNTRIES: readonly (readonly [string, number])[] = [
  ["DK", 58],
  ["SE", 36],
  ["NO", 3],
  ["GB", 3],
];
const ABOUT: Readonly<Record<Lang, string[]>> = {
  da: [
    "Socialøkonomisk virksomhed med medarbejdere i fleksjob.",
    "Vi leverer {x} i {m} og omegn.",
    "Virksomheden beskæftiger mennesker på kanten af arbejdsmarkedet.",
    "Vi indgår gerne i konsortier med andre virksomheder.",
  ],
  sv: [
    "Arbetsintegrerande socialt företag.",
    "Vi levererar {x} i {m} med omnejd.",
    "Företaget ger arbete åt personer som står långt från arbetsmarknaden.",
    "Vi samarbetar gärna med andra företag i upphandlingar.",
  ],
  nb: ["Arbeidsinkluderingsbedrift.", "Vi leverer {x} i {m} og omegn."],
  en: [
    "Community interest company.",
    "We deliver {x} in {m} and the surrounding area.",
    "We employ people furthest from the labour market.",
  ],
};

function syntheticEnterprise(dice: Dice, i: number): Enterprise {
  const country = dice.weighted(ENTERPRISE_COUNTRIES);
  const lang: Lang = LANGUAGE[country] ?? "en";
  const place = dice.pick(BY_COUNTRY.get(country) ?? []);
  const theme = dice.weighted(THEMES);
  const second = dice.chance(0.4) ? dice.weighted(THEMES) : undefined;
  const cpv = [
    ...codesFrom(dice, theme, dice.int(1, 4), dice.chance(0.5)),
    ...(second ? codesFrom(dice, second, dice.int(1, 2), dice.chance(0.5)) : []),
  ];
  const labels = cpv.flatMap((c) => {
    const row = rowOf(c);
    return row ? [label(row, lang)] : [];
  });
  const name = `${dice.pick(NAME_PARTS)}${dice.chance(0.5) ? ` ${dice.pick(NAME_PARTS).toLowerCase()}` : ""} ${place.name} ${dice.pick(SUFFIX[country] ?? ["Ltd"])}`;
  const about = ABOUT[lang];
  const description = [
    dice.pick(about),
    fill(about[1] ?? "", { x: lowerFirst(labels[0] ?? ""), m: place.name }),
    ...labels.slice(1, 3).map((l) => `${l}.`),
  ].join(" ");
  const keywords = [
    ...new Set(labels.flatMap((l) => l.toLowerCase().split(/[^\p{L}]+/u)).filter((w) => w.length >= 5)),
  ].slice(0, dice.int(1, 5));
  const currency = CURRENCY[country] ?? "EUR";
  const certifications = CERTIFICATIONS.filter((c) => {
    if (c === "rsv") return country === "DK" && dice.chance(0.6);
    if (c === "asf") return country === "SE" && dice.chance(0.5);
    if (c === "vcse" || c === "cic") return country === "GB" && dice.chance(0.6);
    if (c === "sheltered-workshop") return dice.chance(0.08);
    return dice.chance(0.02);
  });
  const created = T_START + Math.floor(dice.random() * (T_END - T_START));
  const jitter = (): number => (dice.random() - 0.5) * 0.12;
  const e: Enterprise = {
    id: `synth-e${pad(i, 6)}`,
    name,
    ...(dice.chance(0.8) ? { orgId: String(dice.int(10_000_000, 99_999_999)) } : {}),
    country,
    ...(place.municipality ? { municipality: place.municipality } : {}),
    ...(place.lat !== undefined && place.lon !== undefined && dice.chance(0.95)
      ? { location: { lat: place.lat + jitter(), lon: place.lon + jitter() } }
      : {}),
    serviceRadiusKm: Math.round(dice.logUniform(10, 300)),
    cpv,
    description,
    keywords,
    ...(dice.chance(0.85)
      ? { annualTurnover: Math.round(dice.logUniform(200_000, 200_000_000) / 1000) * 1000, currency }
      : {}),
    ...(dice.chance(0.9) ? { employees: Math.round(dice.logUniform(1, 300)) } : {}),
    ...(dice.chance(0.8) ? { disadvantagedShare: Math.round(dice.random() * 100) / 100 } : {}),
    publicServiceMission: dice.chance(0.25),
    certifications,
    openToConsortia: dice.chance(0.8),
    openToSubcontracting: dice.chance(0.85),
    languages: dice.chance(0.3) && lang !== "en" ? [lang, "en"] : [lang],
    illustrative: dice.chance(0.3) ? ["annualTurnover", "employees"] : [],
    createdAt: isoDateTime(created),
    updatedAt: isoDateTime(created + dice.int(0, 300) * DAY),
  };
  return e;
}

/** `m` enterprises, the same for the same seed. Ids are `synth-e000000`, `synth-e000001`, … */
export function syntheticEnterprises(m: number, seed = 2): Enterprise[] {
  const dice = new Dice(seededRandom(seed));
  return Array.from({ length: m }, (_, i) => syntheticEnterprise(dice, i));
}

/**
 * Parses every `step`-th object with the domain schemas and throws on the first that does not
 * satisfy them (a guard that the generator keeps producing real domain objects).
 */
export function validateSample(
  tenders: readonly Tender[],
  enterprises: readonly Enterprise[],
  step = 97,
): void {
  for (let i = 0; i < tenders.length; i += step) Tender.parse(tenders[i]);
  for (let i = 0; i < enterprises.length; i += step) Enterprise.parse(enterprises[i]);
}

// ------------------------------------------------------------------------------ shared with other benches

/** For other benches (matching): the dice, the municipal division weights and the DK/SE places. */
export { Dice, THEMES as MUNICIPAL_THEMES, DK_SE as MUNICIPAL_PLACES };
export type { Place as SyntheticPlace };

// ------------------------------------------------------------------------------ alert subscriptions

/**
 * `n` saved-search filters as subscribers write them (the input of `SubscriptionFilters`), the
 * same for the same seed: mostly CPV prefixes of the municipal themes with a country, some by
 * municipality, buyer or NUTS region, stages and value ranges now and then, a few free-text
 * queries, and a few with nothing to index (a query or a reservation alone).
 */
export function syntheticSubscriptionFilters(n: number, seed = 3): Record<string, unknown>[] {
  const dice = new Dice(seededRandom(seed));
  const prefixOf = (code: string, digits: number) => code.slice(0, digits);
  const cpvPrefixes = () => {
    const theme = dice.weighted(THEMES);
    const codes = codesFrom(dice, theme, dice.int(1, 3), dice.chance(0.5));
    return [...new Set(codes.map((c) => prefixOf(c, dice.pick([3, 3, 4, 5]))))];
  };
  const query = (lang: Lang) => {
    if (dice.chance(0.5)) return dice.pick(WORDS[lang].places);
    const theme = dice.weighted(THEMES);
    const row = rowOf(codesFrom(dice, theme, 1, true)[0] ?? "");
    const word = (row ? label(row, lang) : "rengøring").split(/[^\p{L}]+/u).find((w) => w.length >= 5);
    return (word ?? "rengøring").toLowerCase();
  };
  return Array.from({ length: n }, () => {
    const country = dice.weighted(COUNTRIES);
    const lang: Lang = LANGUAGE[country] ?? "en";
    const places = BY_COUNTRY.get(country) ?? [];
    const kind = dice.weighted([
      ["cpv", 45],
      ["municipality", 15],
      ["buyer", 10],
      ["nuts", 10],
      ["country-q", 10],
      ["q", 5],
      ["reserved", 5],
    ] as const);
    const f: Record<string, unknown> = {};
    if (kind === "cpv") {
      f.cpv = cpvPrefixes();
      if (dice.chance(0.7)) f.countries = [country];
    } else if (kind === "municipality") {
      const withCode = places.filter((p) => p.municipality);
      if (withCode.length > 0)
        f.municipalities = [
          ...new Set(Array.from({ length: dice.int(1, 5) }, () => dice.pick(withCode).municipality)),
        ];
      if (dice.chance(0.5)) f.cpv = cpvPrefixes();
    } else if (kind === "buyer") {
      const withCode = places.filter((p) => p.municipality);
      if (withCode.length > 0)
        f.buyers = [
          ...new Set(
            Array.from({ length: dice.int(1, 3) }, () =>
              municipalityBuyerId(country, dice.pick(withCode).municipality ?? ""),
            ),
          ),
        ];
    } else if (kind === "nuts") {
      f.nuts = [prefixOf(dice.pick(places).nuts3, dice.pick([3, 4, 5]))];
      if (dice.chance(0.5)) f.cpv = cpvPrefixes();
    } else if (kind === "country-q") {
      f.countries = [country];
      f.q = query(lang);
    } else if (kind === "q") {
      f.q = query(lang);
    } else {
      f.reservedOnly = true;
      if (dice.chance(0.5)) f.q = query(lang);
    }
    if (dice.chance(0.4)) f.stages = dice.pick([["planned"], ["planned", "open"], ["open"]]);
    if (dice.chance(0.3)) {
      const min = Math.round(dice.logUniform(50_000, 5_000_000) / 1000) * 1000;
      f.minValue = min;
      if (dice.chance(0.3)) f.maxValue = min * dice.int(2, 20);
      f.currency = CURRENCY[country] ?? "EUR";
    }
    if (kind !== "reserved" && dice.chance(0.03)) f.reservedOnly = true;
    return f;
  });
}
