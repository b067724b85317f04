import { z } from "./zod.js";
import { CountryCode, CurrencyCode, IsoDateTime, LanguageCode, LatLon, Slug } from "./common.js";
import { CpvCode } from "./cpv.js";
import { stableStringify } from "./json.js";
import type { MatchEnterprise } from "./matching/consortium.js";

/**
 * Statuses a buyer may look for: `rsv` registered social-economy enterprise (DK), `asf`
 * work-integration social enterprise (SE), `sheltered-workshop` (Art. 20), `vcse` voluntary,
 * community and social enterprise (UK), `scop` cooperative (FR), `cic` community interest
 * company (UK), `b-corp`.
 */
export const CERTIFICATIONS = ["rsv", "asf", "sheltered-workshop", "vcse", "scop", "cic", "b-corp"] as const;
export const Certification = z.enum(CERTIFICATIONS);

/** Fields whose figures may be marked illustrative (estimated, not stated by the enterprise). */
export const ILLUSTRATIVE_FIELDS = [
  "annualTurnover",
  "employees",
  "disadvantagedShare",
  "serviceRadiusKm",
  "location",
  "cpv",
] as const;

export const Contact = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  email: z.email().optional(),
  phone: z.string().trim().min(3).max(40).optional(),
});

const enterpriseFields = {
  name: z.string().trim().min(1).max(300),
  /** CVR (DK), organisationsnummer (SE), organisasjonsnummer (NO), company number (UK). */
  orgId: z.string().trim().min(1).max(40).optional(),
  country: CountryCode,
  /** Municipality code (DK kommunekode, SE kommunkod). */
  municipality: z.string().trim().min(1).max(20).optional(),
  location: LatLon.optional(),
  /** How far from `location` the enterprise delivers. */
  serviceRadiusKm: z.number().positive().max(5000).default(50),
  cpv: z.array(CpvCode).max(200).default([]),
  description: z.string().max(20_000).default(""),
  keywords: z.array(z.string().trim().min(1).max(80)).max(100).default([]),
  /** In `currency`. */
  annualTurnover: z.number().nonnegative().optional(),
  currency: CurrencyCode.optional(),
  employees: z.number().int().nonnegative().optional(),
  /** Share of employees who are disabled or disadvantaged, 0..1 (Art. 20 needs ≥ 0.30). */
  disadvantagedShare: z.number().min(0).max(1).optional(),
  /** Public-service mission, profits reinvested, participatory ownership (Art. 77). */
  publicServiceMission: z.boolean().default(false),
  certifications: z.array(Certification).default([]),
  openToConsortia: z.boolean().default(true),
  openToSubcontracting: z.boolean().default(true),
  /** Personal data: shown only to signed-in users. */
  contact: Contact.optional(),
  languages: z.array(LanguageCode).default([]),
  website: z.url().optional(),
  /** Which figures are illustrative estimates rather than stated by the enterprise. */
  illustrative: z.array(z.enum(ILLUSTRATIVE_FIELDS)).default([]),
};

export const Enterprise = z.object({
  id: Slug,
  ...enterpriseFields,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Enterprise = z.infer<typeof Enterprise>;

/** What an enterprise account sends to register. The id is its own, or taken from the name. */
export const EnterpriseInput = z.object({ id: Slug.optional(), ...enterpriseFields });
export type EnterpriseInput = z.infer<typeof EnterpriseInput>;

const optionalKeys = [
  "orgId",
  "municipality",
  "location",
  "annualTurnover",
  "currency",
  "employees",
  "disadvantagedShare",
  "contact",
  "website",
] as const;

/** A change to an enterprise: fields present replace the current ones, `null` clears optional ones. */
export const EnterprisePatch = z
  .object({
    ...enterpriseFields,
    orgId: enterpriseFields.orgId.unwrap().nullable(),
    municipality: enterpriseFields.municipality.unwrap().nullable(),
    location: LatLon.nullable(),
    annualTurnover: enterpriseFields.annualTurnover.unwrap().nullable(),
    currency: CurrencyCode.nullable(),
    employees: enterpriseFields.employees.unwrap().nullable(),
    disadvantagedShare: enterpriseFields.disadvantagedShare.unwrap().nullable(),
    contact: Contact.nullable(),
    website: z.url().nullable(),
    serviceRadiusKm: enterpriseFields.serviceRadiusKm.unwrap(),
    cpv: enterpriseFields.cpv.unwrap(),
    description: enterpriseFields.description.unwrap(),
    keywords: enterpriseFields.keywords.unwrap(),
    publicServiceMission: z.boolean(),
    certifications: enterpriseFields.certifications.unwrap(),
    openToConsortia: z.boolean(),
    openToSubcontracting: z.boolean(),
    languages: enterpriseFields.languages.unwrap(),
    illustrative: enterpriseFields.illustrative.unwrap(),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, "the patch changes nothing");
export type EnterprisePatch = z.infer<typeof EnterprisePatch>;

export function applyEnterprisePatch(current: Enterprise, patch: EnterprisePatch, now: string): Enterprise {
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null && (optionalKeys as readonly string[]).includes(key)) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  next.updatedAt = now;
  return Enterprise.parse(next);
}

/** The enterprise as an anonymous visitor sees it: without personal contact data. */
export function publicEnterprise(e: Enterprise): Omit<Enterprise, "contact"> {
  const { contact: _contact, ...rest } = e;
  return rest;
}

/** "Kaffé Fair Aarhus" → "kaffe-fair-aarhus" (Danish and Swedish letters folded). */
export function slugify(name: string): string {
  const folded = name
    .toLowerCase()
    .replace(/æ/g, "ae")
    .replace(/ø/g, "o")
    .replace(/å/g, "a")
    .replace(/ß/g, "ss")
    .normalize("NFD")
    .replace(/\p{M}/gu, "");
  const slug = folded
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80);
  return slug || "enterprise";
}

/**
 * The fields the matching engine reads (`MatchEnterprise` in src/domain/matching, and `orgId`
 * for the track record and the Art. 77 three-year rule): a change to one of them can make a
 * consortium newly feasible, so it records an outbox event; a change to anything else (the
 * description, keywords, contact) does not.
 */
export const MATCHING_FIELDS = [
  "cpv",
  "location",
  "serviceRadiusKm",
  "annualTurnover",
  "currency",
  "employees",
  "disadvantagedShare",
  "publicServiceMission",
  "openToConsortia",
  "orgId",
] as const satisfies readonly (keyof Enterprise)[];
export type MatchingField = (typeof MATCHING_FIELDS)[number];

export const ENTERPRISE_EVENTS = ["enterprise.new", "enterprise.changed"] as const;
export const EnterpriseEvent = z.enum(ENTERPRISE_EVENTS);
export type EnterpriseEvent = z.infer<typeof EnterpriseEvent>;

/** Every field `MatchEnterprise` picks is a matching field: this type is `true`, or the build fails. */
export type MatchingFieldsComplete =
  Exclude<keyof MatchEnterprise, "id" | MatchingField> extends never ? true : never;
const _complete: MatchingFieldsComplete = true;

/** A matching field's value, compared as matching reads it (the order of CPV codes does not matter). */
function comparable(e: Enterprise, field: MatchingField): string {
  const value = e[field];
  return stableStringify(Array.isArray(value) ? [...value].sort() : (value ?? null));
}

/** The matching fields that differ between two versions of an enterprise (all of them when new). */
export function matchingChanges(before: Enterprise | undefined, after: Enterprise): MatchingField[] {
  if (!before) return [...MATCHING_FIELDS];
  return MATCHING_FIELDS.filter((field) => comparable(before, field) !== comparable(after, field));
}
