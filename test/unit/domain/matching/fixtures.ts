import type { Lot } from "../../../../src/domain/tender.js";
import type { MatchEnterprise, MatchTender } from "../../../../src/domain/matching/index.js";

/** An enterprise with neutral defaults: serves anywhere, open to consortia, no reservation status. */
export function ent(id: string, fields: Partial<MatchEnterprise> = {}): MatchEnterprise {
  return {
    id,
    cpv: [],
    serviceRadiusKm: 50,
    publicServiceMission: false,
    openToConsortia: true,
    ...fields,
  };
}

export function lot(id: string, cpv: string[], fields: Partial<Lot> = {}): Lot {
  return { id, title: `Lot ${id}`, cpv, ...fields };
}

export function tender(lots: Lot[], fields: Partial<MatchTender> = {}): MatchTender {
  return { buyer: { id: "aarhus-kommune" }, reserved: "none", lots, requirements: {}, ...fields };
}

export const NOW = "2026-06-15T12:00:00Z";
