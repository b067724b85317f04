import type { Reservation } from "../domain/tender.js";

/**
 * Codes and conventions shared by the OCDS reader (crawlers/ocds/) and the planning export
 * (planning-export.ts), so that what one writes the other reads back the same way.
 */

/** The OCDS schema version both sides speak. */
export const OCDS_VERSION = "1.1";

/**
 * The ocid prefix of this service's exports. OCDS ocids start with a prefix registered with the
 * Open Contracting Partnership (`ocds-` and six characters); this one is a placeholder, not a
 * registered prefix. A real deployment registers its own and passes it as `ocidPrefix`.
 */
export const OCID_PREFIX = "ocds-jntbd0";

/** The lots extension (tender.lots, items[].relatedLot), listed in a package that uses lots. */
export const LOTS_EXTENSION_URL =
  "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json";

/** The otherRequirements extension (reservedParticipation), listed when a release uses it. */
export const OTHER_REQUIREMENTS_EXTENSION_URL =
  "https://raw.githubusercontent.com/open-contracting-extensions/ocds_otherRequirements_extension/master/extension.json";

/**
 * Average days per month (365.25 / 12). Months become `durationInDays` on export and come back
 * through the same constant, so a period of N months survives a round trip.
 */
export const DAYS_PER_MONTH = 30.4375;

export function monthsToDays(months: number): number {
  return Math.round(months * DAYS_PER_MONTH);
}

export function daysToMonths(days: number): number {
  return Math.max(1, Math.round(days / DAYS_PER_MONTH));
}

/**
 * The otherRequirements extension's `reservedParticipation` codelist and the eForms BT-71 codes
 * it corresponds to. The codelist file (src/demo/notices/ocds/ocds-extension-otherRequirements/)
 * has `shelteredWorkshop` and `publicService`; `publicServiceMissionOrganization` is accepted as
 * well, it is the name of the eForms code the extension maps `publicService` to.
 */
export const RESERVED_PARTICIPATION: Readonly<Record<string, Exclude<Reservation, "none" | "unknown">>> = {
  shelteredWorkshop: "res-ws",
  publicService: "res-pub-ser",
  publicServiceMissionOrganization: "res-pub-ser",
};

/** The code the export writes for a reservation. */
export const RESERVATION_CODE: Readonly<Record<Reservation, string | undefined>> = {
  none: undefined,
  unknown: undefined,
  "res-ws": "shelteredWorkshop",
  "res-pub-ser": "publicService",
};
