import { z } from "@hono/zod-openapi";
import { parseCpvPrefix } from "../domain/cpv.js";

/** Query and path parameters shared by several route groups. */
export const CpvPrefixParam = z
  .string()
  .refine(
    (s) => parseCpvPrefix(s) !== undefined,
    "a CPV code or prefix of 2–8 digits (909, 90900000, 90900000-5)",
  )
  .transform((s) => parseCpvPrefix(s) ?? s);

export const MunicipalityCodeParam = z.string().regex(/^\d{4}$/, "a 4-digit municipality code");

export const BooleanParam = z
  .enum(["true", "false"])
  .transform((v) => v === "true")
  .optional();

export const PageParam = z.coerce.number().int().min(1).max(1000).default(1);
export const LimitParam = z.coerce.number().int().min(1).max(100).default(20);

export const FacetCounts = z
  .record(z.string(), z.record(z.string(), z.number().int()))
  .openapi({ description: "facet → value → number of matching documents" });

function pageFields<T extends z.ZodType>(item: T) {
  return { items: z.array(item), total: z.number().int(), page: z.number().int(), limit: z.number().int() };
}

/** A page of results: the items, how many match in all, the page asked for. */
export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z.object(pageFields(item)).openapi(name);
}

/** A page of search results with facet counts over all matches. */
export function searchPageOf<T extends z.ZodType>(item: T, name: string) {
  return z.object({ ...pageFields(item), facets: FacetCounts }).openapi(name);
}
