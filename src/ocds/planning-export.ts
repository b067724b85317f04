import type { Buyer } from "../domain/buyer.js";
import { cpvLabel } from "../domain/cpv-catalogue.js";
import { cpvDivision } from "../domain/cpv.js";
import { stableStringify } from "../domain/json.js";
import type { Lot, Tender } from "../domain/tender.js";
import {
  LOTS_EXTENSION_URL,
  OCDS_VERSION,
  OCID_PREFIX,
  OTHER_REQUIREMENTS_EXTENSION_URL,
  RESERVATION_CODE,
  monthsToDays,
} from "./ocds-codes.js";
import type { OcdsRelease, OcdsReleasePackage } from "./ocds-package.js";

/**
 * A buyer's tender plan as an OCDS 1.1 release package: one planning release per planned tender,
 * so that OCDS tools (and other portals) can read what municipalities plan to buy. Pure: the
 * caller chooses the tenders.
 */

export interface PlanningExportOptions {
  /** `publisher.name` of the package. */
  publisherName: string;
  /** Base of the package `uri` ("https://jointbid.example"). */
  baseUrl: string;
  /** When the package is made; its `publishedDate` when it holds no release. */
  now: string;
  /** The registered ocid prefix of the deployment; default OCID_PREFIX (a placeholder). */
  ocidPrefix?: string;
}

/** Scheme codes (org-id.guide) of the organisation numbers buyers carry, per country. */
const ORG_ID_SCHEMES: Readonly<Record<string, string>> = {
  DK: "DK-CVR",
  SE: "SE-BLV",
  NO: "NO-BRC",
};

const COUNTRY_NAMES: Readonly<Record<string, string>> = {
  DK: "Denmark",
  SE: "Sweden",
  NO: "Norway",
  FI: "Finland",
  IS: "Iceland",
  GB: "United Kingdom",
};

/** The procurementCategory of a CPV code by its division: 45 works, 03–44 and 48 goods, else services. */
export function procurementCategory(code: string): "goods" | "services" | "works" {
  const division = Number(cpvDivision(code));
  if (division === 45) return "works";
  if ((division >= 3 && division <= 44) || division === 48) return "goods";
  return "services";
}

/** An ocid from a tender id: "demo:aarhus-gavekurve-2027" → "ocds-jntbd0-demo-aarhus-gavekurve-2027". */
export function ocidOf(tenderId: string, prefix = OCID_PREFIX): string {
  return `${prefix}-${tenderId.replace(/[^A-Za-z0-9-]+/g, "-")}`;
}

export function planningReleasePackage(
  tenders: readonly Tender[],
  buyer: Buyer,
  options: PlanningExportOptions,
): OcdsReleasePackage {
  const planned = tenders
    .filter((t) => t.stage === "planned" && t.buyer.id === buyer.id)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const releases = planned.map((t) => planningRelease(t, buyer, options.ocidPrefix ?? OCID_PREFIX));
  const extensions = [
    ...(planned.some((t) => t.lots.length > 1) ? [LOTS_EXTENSION_URL] : []),
    ...(planned.some(usesReservation) ? [OTHER_REQUIREMENTS_EXTENSION_URL] : []),
  ];
  const latest = releases
    .map((r) => r.date)
    .sort()
    .pop();
  return {
    uri: `${options.baseUrl.replace(/\/+$/, "")}/api/ocds/planning?buyer=${encodeURIComponent(buyer.id)}`,
    version: OCDS_VERSION,
    // On-demand packages date from the last change of their content (OCDS guidance).
    publishedDate: latest ?? options.now,
    publisher: { name: options.publisherName },
    ...(extensions.length > 0 ? { extensions } : {}),
    releases,
  };
}

function usesReservation(t: Tender): boolean {
  return (
    RESERVATION_CODE[t.reserved] !== undefined ||
    t.lots.some((l) => l.reserved && RESERVATION_CODE[l.reserved])
  );
}

function reservedParticipation(reserved: Lot["reserved"]) {
  const code = reserved === undefined ? undefined : RESERVATION_CODE[reserved];
  return code === undefined ? {} : { otherRequirements: { reservedParticipation: [code] } };
}

function money(value: { amount: number; currency: string } | undefined) {
  return value === undefined ? undefined : { amount: value.amount, currency: value.currency };
}

function planningRelease(tender: Tender, buyer: Buyer, prefix: string): OcdsRelease {
  const ocid = ocidOf(tender.id, prefix);
  const withLots = tender.lots.length > 1;
  const items = tender.lots.flatMap((lot) =>
    lot.cpv.map((code) => {
      const label = cpvLabel(code, "en");
      return {
        id: `${lot.id}-${code}`,
        ...(label ? { description: label } : {}),
        classification: { scheme: "CPV", id: code, ...(label ? { description: label } : {}) },
        ...(withLots ? { relatedLot: lot.id } : {}),
      };
    }),
  );
  const status = tender.expectedPublication ? "planned" : "planning";
  const [mainCode] = tender.cpv;
  const value = money(tender.estimatedValue);
  const period = tender.contractPeriod;
  const scheme = ORG_ID_SCHEMES[buyer.country];
  const content = {
    ocid,
    date: tender.lastChanged,
    tag: ["planning"],
    initiationType: "tender" as const,
    language: tender.language,
    parties: [
      {
        id: buyer.id,
        name: buyer.name,
        roles: ["buyer"],
        ...(buyer.orgId
          ? { identifier: { ...(scheme ? { scheme } : {}), id: buyer.orgId, legalName: buyer.name } }
          : {}),
        address: {
          countryName: COUNTRY_NAMES[buyer.country] ?? buyer.country,
          ...(buyer.region ? { region: buyer.region } : {}),
        },
        ...(buyer.website ? { details: { url: buyer.website } } : {}),
      },
    ],
    buyer: { id: buyer.id, name: buyer.name },
    ...(value ? { planning: { budget: { amount: value } } } : {}),
    tender: {
      id: tender.id,
      title: tender.title,
      ...(tender.description ? { description: tender.description } : {}),
      status,
      ...(items.length > 0 ? { items } : {}),
      ...(value ? { value } : {}),
      ...(mainCode ? { mainProcurementCategory: procurementCategory(mainCode) } : {}),
      ...(tender.expectedPublication
        ? { tenderPeriod: { startDate: `${tender.expectedPublication.date}T00:00:00Z` } }
        : {}),
      ...(period && (period.months !== undefined || period.start || period.end)
        ? {
            contractPeriod: {
              ...(period.start ? { startDate: `${period.start}T00:00:00Z` } : {}),
              ...(period.end ? { endDate: `${period.end}T23:59:59Z` } : {}),
              // With both dates the duration must equal their difference: the dates say it.
              ...(period.months !== undefined && !(period.start && period.end)
                ? { durationInDays: monthsToDays(period.months) }
                : {}),
            },
          }
        : {}),
      ...reservedParticipation(tender.reserved),
      ...(withLots
        ? {
            lots: tender.lots.map((lot) => ({
              id: lot.id,
              title: lot.title,
              ...(lot.description ? { description: lot.description } : {}),
              status,
              ...(lot.estimatedValue ? { value: money(lot.estimatedValue) } : {}),
              ...reservedParticipation(lot.reserved),
            })),
          }
        : {}),
    },
  };
  return { ...content, id: `${ocid}-${contentHash(stableStringify(content))}` };
}

/** Two 32-bit FNV-1a hashes as 16 hex digits: the release id changes when its content does. */
function contentHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}
