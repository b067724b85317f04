/**
 * Expert queries: exact strings, field names that exist in the API, and options that cannot
 * change the structure of the query.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildExpertQuery, toIso3 } from "../../../../crawlers/ted/ted-query.js";

const FIELDS = new Set(
  readFileSync(new URL("../../../fixtures/ted-api-v3/search-fields.csv", import.meta.url), "utf8")
    .split("\n")
    .slice(1)
    .map((line) => line.split(",")[0]),
);

describe("buildExpertQuery", () => {
  it("builds the Nordic reserved-contracts query", () => {
    expect(
      buildExpertQuery({
        countries: ["DK", "SE", "NO"],
        noticeTypes: ["planning", "competition"],
        reservedOnly: true,
        cpvPrefixes: ["85311000", "98000000"],
        publishedSince: "2026-01-01",
      }),
    ).toBe(
      "buyer-country IN (DNK SWE NOR) AND form-type IN (planning competition) AND " +
        "reserved-procurement-lot IN (res-ws res-pub-ser) AND classification-cpv IN (85311000 98000000) AND " +
        "publication-date>=20260101",
    );
  });

  it("writes each criterion on its own", () => {
    expect(buildExpertQuery({ countries: ["dk"] })).toBe("buyer-country IN (DNK)");
    expect(buildExpertQuery({ noticeTypes: ["result"] })).toBe("form-type IN (result)");
    expect(buildExpertQuery({ reservedOnly: true })).toBe("reserved-procurement-lot IN (res-ws res-pub-ser)");
    expect(buildExpertQuery({ publishedSince: "2025-02-28" })).toBe("publication-date>=20250228");
  });

  it("turns short CPV prefixes into wildcard terms and drops check digits", () => {
    expect(buildExpertQuery({ cpvPrefixes: ["8531"] })).toBe("classification-cpv=8531*");
    expect(buildExpertQuery({ cpvPrefixes: ["85311000-2", "90", "8531"] })).toBe(
      "(classification-cpv IN (85311000) OR classification-cpv=90* OR classification-cpv=8531*)",
    );
  });

  it("removes duplicates and maps EU country aliases", () => {
    expect(buildExpertQuery({ countries: ["SE", "se", "UK", "EL"] })).toBe("buyer-country IN (SWE GBR GRC)");
    expect(toIso3("NO")).toBe("NOR");
  });

  it("uses only field names the API knows", () => {
    const query = buildExpertQuery({
      countries: ["DK"],
      noticeTypes: ["competition"],
      reservedOnly: true,
      cpvPrefixes: ["85", "85311000"],
      publishedSince: "2026-01-01",
    });
    const names = [...query.matchAll(/([a-z][a-z-]+)(?= IN |=|>=)/g)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(FIELDS.has(name), name).toBe(true);
  });

  it.each([
    { countries: ["DK) OR (buyer-country IN (DEU"] },
    { countries: ["DNK"] },
    { countries: ["XX"] },
    { countries: [] },
    { cpvPrefixes: ["85311000) OR notice-type IN (cn-standard"] },
    { cpvPrefixes: ["8531*"] },
    { cpvPrefixes: ["1"] },
    { cpvPrefixes: ["853110001"] },
    { publishedSince: "20260101" },
    { publishedSince: "2026-01-01 OR publication-date>=19000101" },
    { publishedSince: "2026-02-30" },
    { noticeTypes: ["competition) OR (form-type IN (result" as "competition"] },
    {},
  ])("rejects %j", (options) => {
    expect(() => buildExpertQuery(options)).toThrow(RangeError);
  });
});
