import type { Enterprise } from "../enterprise.js";
import { distanceKm } from "../geo.js";
import type { Place } from "../tender.js";

export type PlaceFields = Pick<Enterprise, "location" | "serviceRadiusKm">;

/** Great-circle distance from the enterprise to the place, or undefined when either is unknown. */
export function distanceToPlace(e: PlaceFields, place: Place | undefined): number | undefined {
  if (!e.location || place?.lat === undefined || place.lon === undefined) return undefined;
  return distanceKm(e.location, { lat: place.lat, lon: place.lon });
}

/** The enterprise serves the place when it is within its radius; unknown either way → serves. */
export function servesPlace(e: PlaceFields, place: Place | undefined): boolean {
  const d = distanceToPlace(e, place);
  return d === undefined || d <= e.serviceRadiusKm;
}
