import { describe, expect, it } from "vitest";
import {
  buyerKindOf,
  countryOfNuts,
  countryToIso2,
  familyOfNoticeType,
  familyOfSubtype,
  languageToIso1,
  subcontractingOfObligation,
} from "../../../../crawlers/eforms/codes.js";
import { parseLocaleNumber, turnoverFromCriterion } from "../../../../crawlers/eforms/turnover.js";

describe("eForms codes", () => {
  it("maps ISO-3 countries and NUTS prefixes to ISO-2", () => {
    expect(countryToIso2("DNK")).toBe("DK");
    expect(countryToIso2("swe")).toBe("SE");
    expect(countryToIso2("NOR")).toBe("NO");
    expect(countryToIso2("GBR")).toBe("GB");
    expect(countryToIso2("ISL")).toBe("IS");
    expect(countryToIso2("LIE")).toBe("LI");
    expect(countryToIso2("UK")).toBe("GB");
    expect(countryToIso2("XYZ")).toBeUndefined();
    expect(countryOfNuts("EL303")).toBe("GR");
    expect(countryOfNuts("DK042")).toBe("DK");
  });

  it("maps notice languages to ISO 639-1", () => {
    expect(languageToIso1("DAN")).toBe("da");
    expect(languageToIso1("SWE")).toBe("sv");
    expect(languageToIso1("NOR")).toBe("nb");
    expect(languageToIso1("NOB")).toBe("nb");
    expect(languageToIso1("ENG")).toBe("en");
    expect(languageToIso1("KLINGON")).toBeUndefined();
  });

  it("knows the family of every subtype", () => {
    expect(["1", "4", "9", "E1", "E2", "T01"].map(familyOfSubtype)).toEqual(Array(6).fill("planning"));
    expect(["10", "14", "16", "22", "24", "E3", "CEI", "N16"].map(familyOfSubtype)).toEqual(
      Array(8).fill("competition"),
    );
    expect(["25", "29", "38", "40", "E4", "T02", "N29"].map(familyOfSubtype)).toEqual(
      Array(7).fill("result"),
    );
    expect(familyOfSubtype("41")).toBeUndefined();
    expect(familyOfNoticeType("pin-cfc-social")).toBe("competition");
    expect(familyOfNoticeType("pin-only")).toBe("planning");
    expect(familyOfNoticeType("veat")).toBe("result");
  });

  it("tells municipalities, regions and the state apart", () => {
    expect(buyerKindOf("la", "ZenithNova")).toBe("municipality");
    expect(buyerKindOf("body-pl", "Aarhus Kommune")).toBe("municipality");
    expect(buyerKindOf("ra", "Uppsala kommun")).toBe("municipality");
    expect(buyerKindOf(undefined, "Donegal County Council")).toBe("municipality");
    expect(buyerKindOf("ra", "Region Midtjylland")).toBe("region");
    expect(buyerKindOf("body-pl-ra", "Troms og Finnmark fylkeskommune")).toBe("region");
    expect(buyerKindOf("cga", "Uppsala universitet")).toBe("state");
    expect(buyerKindOf("body-pl", "Sykehusinnkjøp HF")).toBe("other");
    expect(buyerKindOf("eu-ins-bod-ag", "European Commission")).toBe("other");
  });

  it("maps subcontracting obligations", () => {
    expect(subcontractingOfObligation("subc-min")).toEqual({ obligation: "minimum-share", allowed: true });
    expect(subcontractingOfObligation("subc-oblig-2009-81")).toEqual({
      obligation: "required",
      allowed: true,
    });
    expect(subcontractingOfObligation("none")).toEqual({ obligation: "none" });
    expect(subcontractingOfObligation("other")).toBeUndefined();
  });
});

describe("minimum turnover in selection criteria", () => {
  it("parses numbers written the European way", () => {
    expect(parseLocaleNumber("10.000.000")).toBe(10_000_000);
    expect(parseLocaleNumber("200 000.00")).toBe(200_000);
    expect(parseLocaleNumber("1 234 567,89")).toBe(1_234_567.89);
    expect(parseLocaleNumber("2,5")).toBe(2.5);
    expect(parseLocaleNumber("2,000,000")).toBe(2_000_000);
  });

  it("reads amounts with a currency, in English, Danish, Swedish and Norwegian", () => {
    const t = (s: string, code?: string) => turnoverFromCriterion(code, [s], "DKK");
    expect(t("minimum ‘general’ yearly turnover of GBP 200 000.00 for the last 3 years")).toEqual({
      amount: 200_000,
      currency: "GBP",
    });
    expect(t("Ansøger skal have en årlig omsætning på mindst 10.000.000 kr.")).toEqual({
      amount: 10_000_000,
      currency: "DKK",
    });
    expect(t("En omsättning om minst 2,5 mio SEK per år.")).toEqual({ amount: 2_500_000, currency: "SEK" });
    expect(t("Omsetning på minimum NOK 5 millioner.")).toEqual({ amount: 5_000_000, currency: "NOK" });
    expect(t("Minimum EUR 750 000", "slc-stand-tover")).toEqual({ amount: 750_000, currency: "EUR" });
  });

  it("takes no ratio, year or unrelated amount", () => {
    const t = (s: string) => turnoverFromCriterion("ef-stand", [s], "DKK");
    expect(t("Soliditetsgrad på minimum 10 % i det seneste afsluttede regnskabsår.")).toBeUndefined();
    expect(t("Turnover for 2019, 2020 and 2021 must be stated.")).toBeUndefined();
    expect(t("Insurance cover of EUR 5 000 000 is required.")).toBeUndefined();
  });
});
