import { z } from "../../src/domain/zod.js";
import { CountryCode, Money } from "../../src/domain/common.js";
import { CpvCode } from "../../src/domain/cpv.js";
import { ContractPeriod, CpvClassified, ExpectedPublication, ReservedHint } from "../../src/domain/tender.js";

/**
 * The fields a municipal tender plan may have, whatever its language or layout. The extractors
 * (HTML tables, label/value blocks, CSV, XLSX) map each column or label to one of these, and
 * `toPlanItem` parses the raw text of each into a `PlanItem`.
 */
export const PLAN_FIELDS = [
  "reference",
  "title",
  "description",
  "area",
  "department",
  "expectedPublication",
  "estimatedValue",
  "contractPeriod",
  "contact",
  "cpv",
  "reserved",
  "procedure",
] as const;
export type PlanField = (typeof PLAN_FIELDS)[number];

/** One row or block of a plan as found: raw text per recognised field, the rest kept as extras. */
export interface RawPlanRow {
  fields: Partial<Record<PlanField, string>>;
  /** Columns or labels that map to no field, in source order, with their original label. */
  extra: { label: string; value: string }[];
  /** Where in the source it was found, for error messages: "table 2, row 5", "sheet Plan, row 7". */
  where: string;
}

/** What a plan extractor needs to know about the page it reads. */
export interface PlanContext {
  buyer: string;
  country: "DK" | "SE" | "NO" | "GB" | string;
  sourceUrl?: string;
}

/** One planned purchase of a buyer, parsed from a plan page or spreadsheet. */
export const PlanItem = z.object({
  /** The plan's own number for the item, when it has one ("U-2026-014", "Dnr 2026/123"). */
  reference: z.string().trim().min(1).max(120).optional(),
  title: z.string().trim().min(1).max(500),
  description: z.string().max(20_000).optional(),
  /** The buyer's department or area ("Teknik og Miljø", "Socialförvaltningen"). */
  department: z.string().trim().max(300).optional(),
  expectedPublication: ExpectedPublication.optional(),
  estimatedValue: Money.optional(),
  contractPeriod: ContractPeriod.optional(),
  contact: z.string().trim().max(500).optional(),
  /** Stated CPV codes, or the classifier's when the plan gives none (then `cpvClassified` is set). */
  cpv: z.array(CpvCode).default([]),
  /** How sure the classifier was of `cpv` (0–1), and which model; absent for stated codes. */
  cpvClassified: CpvClassified.optional(),
  reservedHint: ReservedHint.optional(),
  sourceUrl: z.url().optional(),
  country: CountryCode,
});
export type PlanItem = z.infer<typeof PlanItem>;
