import { z } from "./zod.js";
import { CountryCode, LatLon, NutsCode, Slug } from "./common.js";

export const BUYER_KINDS = ["municipality", "region", "state", "other"] as const;

export const Buyer = z.object({
  id: Slug,
  name: z.string().trim().min(1).max(300),
  kind: z.enum(BUYER_KINDS).default("other"),
  country: CountryCode,
  /** Danish kommunekode or Swedish kommunkod (4 digits), where the buyer is a municipality. */
  municipalityCode: z
    .string()
    .regex(/^\d{4}$/)
    .optional(),
  /** Organisation number: CVR (DK), organisationsnummer (SE), organisasjonsnummer (NO). */
  orgId: z.string().trim().min(1).max(40).optional(),
  nuts3: NutsCode.optional(),
  region: z.string().optional(),
  location: LatLon.optional(),
  website: z.url().optional(),
});
export type Buyer = z.infer<typeof Buyer>;

/** The id a municipality gets as a buyer: country and municipality code, "dk-0751". */
export function municipalityBuyerId(country: string, code: string): string {
  return `${country.toLowerCase()}-${code}`;
}
