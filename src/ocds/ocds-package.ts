import { z } from "../domain/zod.js";

/**
 * The outline of what the OCDS export writes, for the OpenAPI document and the types. The full
 * rules are the OCDS 1.1 release package schema (https://standard.open-contracting.org/1.1/en/schema/),
 * which the tests validate the export against; releases keep every field that schema allows.
 */
export const OcdsRelease = z
  .looseObject({
    ocid: z.string().openapi({ example: "ocds-jntbd0-demo-aarhus-gavekurve-2027" }),
    id: z.string(),
    date: z.string().openapi({ format: "date-time" }),
    tag: z.array(z.string()).openapi({ example: ["planning"] }),
    initiationType: z.literal("tender"),
  })
  .openapi("OcdsRelease", {
    description:
      "An OCDS 1.1 planning release: parties, buyer, planning.budget and tender (items with CPV " +
      "classifications, lots per the lots extension, tenderPeriod.startDate = expected publication).",
  });
export type OcdsRelease = z.infer<typeof OcdsRelease>;

export const OcdsReleasePackage = z
  .object({
    uri: z.string().openapi({ format: "uri" }),
    version: z.literal("1.1"),
    publishedDate: z.string().openapi({ format: "date-time" }),
    publisher: z.object({ name: z.string() }),
    extensions: z.array(z.string()).optional(),
    releases: z.array(OcdsRelease),
  })
  .openapi("OcdsReleasePackage", {
    description: "An OCDS 1.1 release package (release-package-schema.json).",
  });
export type OcdsReleasePackage = z.infer<typeof OcdsReleasePackage>;
