import { describe, expect, it } from "vitest";
import {
  art77Applicable,
  covers,
  cpvPrefixes,
  parseCpv,
  parseCpvPrefix,
  significant,
} from "../../../src/domain/cpv.js";
import { cpvAncestors, cpvCount, cpvEntry, cpvLabel, searchCpv } from "../../../src/domain/cpv-catalogue.js";

describe("CPV codes", () => {
  it("accepts 8 digits with or without the check digit and stores 8 digits", () => {
    expect(parseCpv("90910000-9")).toBe("90910000");
    expect(parseCpv(" 90910000 ")).toBe("90910000");
    expect(parseCpv("9091000")).toBeUndefined();
    expect(parseCpv("90910000-")).toBeUndefined();
    expect(parseCpv("90910000-99")).toBeUndefined();
  });

  it("reads the hierarchy from trailing zeros", () => {
    expect(significant("90000000")).toBe("90");
    expect(significant("90900000")).toBe("909");
    expect(significant("90911200")).toBe("909112");
    expect(cpvPrefixes("90911200")).toEqual(["90", "909", "9091", "90911", "909112"]);
    expect(parseCpvPrefix("90900000-5")).toBe("909");
    expect(parseCpvPrefix("0322")).toBe("0322");
    expect(parseCpvPrefix("9")).toBeUndefined();
  });

  it("covers a code by equality or by an ancestor of at least three significant digits", () => {
    expect(covers("90900000", "90911200")).toBe(true);
    expect(covers("90000000", "90911200")).toBe(false);
    expect(covers("90000000", "90000000")).toBe(true);
    expect(covers("90911200", "90910000")).toBe(false);
    expect(covers("90910000", "90911200")).toBe(true);
    expect(covers("90910000", "90920000")).toBe(false);
  });

  it("marks the Art. 77 codes, including the 85000000–85323000 range", () => {
    expect(art77Applicable("85312000")).toBe(true);
    expect(art77Applicable("85323000")).toBe(true);
    expect(art77Applicable("85400000")).toBe(false);
    expect(art77Applicable("80110000")).toBe(true);
    expect(art77Applicable("80100000")).toBe(false);
    expect(art77Applicable("90910000")).toBe(false);
  });

  it("ships all 9 454 codes with labels and parents", () => {
    expect(cpvCount()).toBe(9454);
    expect(cpvLabel("90911300")).toBe("Window-cleaning services");
    expect(cpvLabel("79622000", "da")).toBe("Anvisning af hushjælpspersonale");
    expect(cpvLabel("90911300", "da")).toBe("Window-cleaning services");
    expect(cpvEntry("85312000-9")).toMatchObject({ annexXIV: true, art77: true, level: 4 });
    expect(cpvAncestors("90911300").map((a) => a.code)).toEqual([
      "90000000",
      "90900000",
      "90910000",
      "90911000",
    ]);
  });

  it("looks codes up by label in Norwegian and with folded letters", () => {
    expect(searchCpv("renhold", 50).map((e) => e.code)).toContain("90900000");
    expect(searchCpv("rengjoring").map((e) => e.code)).toContain("90910000");
    expect(searchCpv("tjenester pa boligomradet").map((e) => e.code)).toContain("75123000");
    expect(searchCpv("9091").every((e) => e.code.startsWith("9091"))).toBe(true);
  });
});
