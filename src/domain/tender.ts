import { z } from "./zod.js";
import type { Buyer } from "./buyer.js";
import {
  CountryCode,
  CurrencyCode,
  IsoDate,
  IsoDateTime,
  LanguageCode,
  Latitude,
  Longitude,
  Money,
  NutsCode,
  Slug,
  languageOfCountry,
} from "./common.js";
import { CpvCode, uniqueCodes } from "./cpv.js";
import { AppError } from "./errors.js";
import { stableStringify } from "./json.js";

export const TENDER_STAGES = ["planned", "open", "awarded", "cancelled", "withdrawn"] as const;
export const TenderStage = z.enum(TENDER_STAGES);
export type TenderStage = z.infer<typeof TenderStage>;

/** eForms BT-71 reserved participation: Art. 20 sheltered workshops (`res-ws`), Art. 77 (`res-pub-ser`). */
export const RESERVATIONS = ["none", "res-ws", "res-pub-ser", "unknown"] as const;
export const Reservation = z.enum(RESERVATIONS);
export type Reservation = z.infer<typeof Reservation>;

export const DATE_PRECISIONS = ["day", "month", "quarter", "season", "half", "year"] as const;
export const ExpectedPublication = z.object({
  /** Start of the period ("Q2 2026" → 2026-04-01). */
  date: IsoDate,
  precision: z.enum(DATE_PRECISIONS),
  raw: z.string().optional(),
});
export type ExpectedPublication = z.infer<typeof ExpectedPublication>;

/** Where the work is done. Coordinates come together or not at all; unknown means anywhere. */
export const Place = z
  .object({
    lat: Latitude.optional(),
    lon: Longitude.optional(),
    nuts: NutsCode.optional(),
    /** Municipality code (DK kommunekode, SE kommunkod). */
    municipality: z.string().trim().min(1).optional(),
  })
  .refine((p) => (p.lat === undefined) === (p.lon === undefined), {
    message: "lat and lon must be given together",
    path: ["lat"],
  });
export type Place = z.infer<typeof Place>;

/** A reservation found in plan text ("reserveret for socialøkonomiske virksomheder"), with its sentence. */
export const ReservedHint = z.object({
  /** The sentence (or cell) it came from. */
  text: z.string().trim().min(1).max(1_000),
  /** The reservation it most likely means, when the wording tells. */
  kind: z.enum(["res-ws", "res-pub-ser"]).optional(),
});
export type ReservedHint = z.infer<typeof ReservedHint>;

export const ContractPeriod = z.object({
  /** Base period in months, without options. */
  months: z.number().int().positive().optional(),
  /** Total length of all options in months ("2 år + 2 x 1 års option" → 24). */
  optionMonths: z.number().int().nonnegative().optional(),
  start: IsoDate.optional(),
  end: IsoDate.optional(),
  raw: z.string().optional(),
});

export const SUBCONTRACTING_OBLIGATIONS = ["none", "required", "minimum-share"] as const;
export const Subcontracting = z.object({
  allowed: z.boolean().optional(),
  obligation: z.enum(SUBCONTRACTING_OBLIGATIONS).optional(),
  minPercent: z.number().min(0).max(100).optional(),
  maxPercent: z.number().min(0).max(100).optional(),
  raw: z.string().optional(),
});

export const Requirements = z.object({
  /** Minimum annual turnover a bidder (or a group, combined) must have, in `currency`. */
  minTurnover: z.number().nonnegative().optional(),
  currency: CurrencyCode.optional(),
  maxLotsPerBidder: z.number().int().positive().optional(),
  subcontracting: Subcontracting.optional(),
});
export type Requirements = z.infer<typeof Requirements>;

export const Lot = z.object({
  id: z.string().trim().min(1).max(60),
  title: z.string().trim().min(1).max(500),
  description: z.string().max(20_000).optional(),
  cpv: z.array(CpvCode).max(200).default([]),
  estimatedValue: Money.optional(),
  nuts: NutsCode.optional(),
  reserved: Reservation.optional(),
  /** eForms BT-736: the contract must be performed in the framework of sheltered employment. */
  reservedExecution: z.boolean().optional(),
  smeSuitable: z.boolean().optional(),
  subcontracting: Subcontracting.optional(),
  /** Minimum yearly turnover asked of a bidder for this lot, in `requirements.currency`. */
  minTurnover: z.number().nonnegative().optional(),
  deadline: IsoDateTime.optional(),
});
export type Lot = z.infer<typeof Lot>;

export const AwardedTo = z.object({
  name: z.string().trim().min(1),
  orgId: z.string().trim().min(1).optional(),
});

export const TenderBuyer = z.object({
  id: Slug,
  name: z.string().trim().min(1).max(300),
  country: CountryCode,
});

/** Codes given by the classifier, not stated by the source: how sure it was (0–1), and which model. */
export const CpvClassified = z.object({
  confidence: z.number().min(0).max(1),
  model: z.string().min(1).max(60),
});

export const NOTICE_KINDS = ["planning", "competition", "result", "change", "other"] as const;
/** The published notice a tender was read from (eForms, OCDS release). */
export const NoticeRef = z.object({
  id: z.string().trim().min(1).max(200),
  kind: z.enum(NOTICE_KINDS),
  /** eForms notice subtype or OCDS release tag ("16", "cn-standard", "planning"). */
  type: z.string().max(60).optional(),
  publishedAt: IsoDate.optional(),
  /** The procedure the notice belongs to (eForms ContractFolderID, OCDS ocid). */
  procedureId: z.string().max(200).optional(),
});
export type NoticeRef = z.infer<typeof NoticeRef>;

const lotIdsUnique = (lots: { id: string }[]) => new Set(lots.map((l) => l.id)).size === lots.length;

/** A tender or a planned purchase. The id is stable: `<source>:<external id>`. */
export const Tender = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*:[^\s/?#]+$/, "<source>:<external id>"),
  stage: TenderStage,
  title: z.string().trim().min(1).max(500),
  description: z.string().max(50_000).default(""),
  language: LanguageCode,
  buyer: TenderBuyer,
  reserved: Reservation,
  place: Place.optional(),
  lots: z.array(Lot).min(1).max(500).refine(lotIdsUnique, "lot ids must be unique"),
  /** Every CPV code of every lot. */
  cpv: z.array(CpvCode),
  estimatedValue: Money.optional(),
  expectedPublication: ExpectedPublication.optional(),
  deadline: IsoDateTime.optional(),
  contractPeriod: ContractPeriod.optional(),
  requirements: Requirements.default({}),
  smeSuitable: z.boolean().optional(),
  vcseSuitable: z.boolean().optional(),
  awardedTo: z.array(AwardedTo).optional(),
  sourceUrl: z.url().optional(),
  /** A department of the buyer ("Teknik og Miljø", "Socialförvaltningen"). */
  department: z.string().trim().max(300).optional(),
  contact: z.string().trim().max(500).optional(),
  reservedHint: ReservedHint.optional(),
  notice: NoticeRef.optional(),
  /**
   * Present when the CPV codes were not stated by the source but given by the classifier: how
   * sure it was (0–1) and which model. A stated code always wins over a classified one.
   */
  cpvClassified: CpvClassified.optional(),
  firstSeen: IsoDateTime,
  lastChanged: IsoDateTime,
});
export type Tender = z.infer<typeof Tender>;

/** What a buyer (or an admin) sends to create a tender. */
export const TenderInput = z.object({
  /** The buyer's own reference; the tender id becomes `api:<buyer id>.<externalId>`. */
  externalId: Slug.optional(),
  stage: TenderStage.default("planned"),
  title: z.string().trim().min(1).max(500),
  description: z.string().max(50_000).optional(),
  language: LanguageCode.optional(),
  /** Required for admins; a buyer account always acts for its own buyer. */
  buyerId: Slug.optional(),
  reserved: Reservation.default("none"),
  place: Place.optional(),
  lots: z.array(Lot).min(1).max(500).refine(lotIdsUnique, "lot ids must be unique").optional(),
  /** Codes of a tender without lots (it becomes one lot). */
  cpv: z.array(CpvCode).max(200).optional(),
  estimatedValue: Money.optional(),
  expectedPublication: ExpectedPublication.optional(),
  deadline: IsoDateTime.optional(),
  contractPeriod: ContractPeriod.optional(),
  requirements: Requirements.optional(),
  smeSuitable: z.boolean().optional(),
  vcseSuitable: z.boolean().optional(),
  awardedTo: z.array(AwardedTo).optional(),
  sourceUrl: z.url().optional(),
  department: z.string().trim().max(300).optional(),
  contact: z.string().trim().max(500).optional(),
});
export type TenderInput = z.infer<typeof TenderInput>;

/**
 * A change to a tender: fields present replace the current ones, `null` clears an optional
 * field. The id and buyer cannot change.
 */
export const TenderPatch = z
  .object({
    stage: TenderStage,
    title: z.string().trim().min(1).max(500),
    description: z.string().max(50_000),
    language: LanguageCode,
    reserved: Reservation,
    place: Place.nullable(),
    lots: z.array(Lot).min(1).max(500).refine(lotIdsUnique, "lot ids must be unique"),
    cpv: z.array(CpvCode).max(200),
    estimatedValue: Money.nullable(),
    expectedPublication: ExpectedPublication.nullable(),
    deadline: IsoDateTime.nullable(),
    contractPeriod: ContractPeriod.nullable(),
    requirements: Requirements,
    smeSuitable: z.boolean().nullable(),
    vcseSuitable: z.boolean().nullable(),
    awardedTo: z.array(AwardedTo).nullable(),
    sourceUrl: z.url().nullable(),
    department: z.string().trim().max(300).nullable(),
    contact: z.string().trim().max(500).nullable(),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, "the patch changes nothing");
export type TenderPatch = z.infer<typeof TenderPatch>;

/** Lots and their union of codes: a tender without lots has one lot carrying its codes. */
export function normaliseLots(
  title: string,
  lots: Lot[] | undefined,
  cpv: string[] | undefined,
): { lots: Lot[]; cpv: string[] } {
  if (lots && lots.length > 0 && cpv && cpv.length > 0) {
    throw new AppError("VALIDATION_FAILED", "give the codes per lot when the tender has lots", {
      fields: [{ path: "cpv", message: "not allowed together with lots" }],
    });
  }
  const theLots: Lot[] = lots && lots.length > 0 ? lots : [{ id: "LOT-0001", title, cpv: cpv ?? [] }];
  const normalised = theLots.map((l) => ({ ...l, cpv: uniqueCodes(l.cpv) }));
  return { lots: normalised, cpv: uniqueCodes(normalised.flatMap((l) => l.cpv)) };
}

/** Applies a patch to a tender and returns the full, re-validated tender. */
export function applyTenderPatch(current: Tender, patch: TenderPatch, now: string): Tender {
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  if (patch.lots !== undefined && patch.cpv !== undefined) {
    throw new AppError("VALIDATION_FAILED", "give the codes per lot when the patch has lots", {
      fields: [{ path: "cpv", message: "not allowed together with lots" }],
    });
  }
  if (patch.lots !== undefined) {
    Object.assign(next, normaliseLots(String(next.title), patch.lots, undefined));
  } else if (patch.cpv !== undefined) {
    const [only, ...rest] = current.lots;
    if (!only || rest.length > 0) {
      throw new AppError(
        "VALIDATION_FAILED",
        "this tender has several lots: change their codes through lots",
        {
          fields: [{ path: "cpv", message: "only for a tender with one lot" }],
        },
      );
    }
    Object.assign(next, normaliseLots(String(next.title), [{ ...only, cpv: patch.cpv }], undefined));
  }
  next.lastChanged = now;
  return Tender.parse(next);
}

/** Field-level differences between two versions of a tender, for the history. */
export function diffTenders(before: Tender, after: Tender): { field: string; from: unknown; to: unknown }[] {
  const ignore = new Set(["lastChanged", "firstSeen"]);
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changes: { field: string; from: unknown; to: unknown }[] = [];
  for (const key of [...keys].sort()) {
    if (ignore.has(key)) continue;
    const a = (before as Record<string, unknown>)[key];
    const b = (after as Record<string, unknown>)[key];
    if (stableStringify(a) !== stableStringify(b))
      changes.push({ field: key, from: a ?? null, to: b ?? null });
  }
  return changes;
}

/** Where a tender is done when it does not say: at its buyer. */
export function placeOfBuyer(buyer: Buyer): Place | undefined {
  if (!buyer.location && !buyer.nuts3 && !buyer.municipalityCode) return undefined;
  return {
    ...(buyer.location ? { lat: buyer.location.lat, lon: buyer.location.lon } : {}),
    ...(buyer.nuts3 ? { nuts: buyer.nuts3 } : {}),
    ...(buyer.municipalityCode ? { municipality: buyer.municipalityCode } : {}),
  };
}

/** The full tender for an input: one lot when it has none, place and language from its buyer. */
export function tenderFromInput(input: TenderInput, at: { id: string; buyer: Buyer; now: string }): Tender {
  const { lots, cpv } = normaliseLots(input.title, input.lots, input.cpv);
  const { externalId: _e, buyerId: _b, lots: _l, cpv: _c, ...rest } = input;
  const place = input.place ?? placeOfBuyer(at.buyer);
  return Tender.parse({
    ...rest,
    id: at.id,
    language: input.language ?? languageOfCountry(at.buyer.country),
    buyer: { id: at.buyer.id, name: at.buyer.name, country: at.buyer.country },
    ...(place ? { place } : {}),
    lots,
    cpv,
    firstSeen: at.now,
    lastChanged: at.now,
  });
}
