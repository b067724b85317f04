import { describe, expect, it } from "vitest";
import enterprisesJson from "../../../src/demo/enterprises.json" with { type: "json" };
import tendersJson from "../../../src/demo/tenders.json" with { type: "json" };
import { cpvEntry } from "../../../src/domain/cpv-catalogue.js";
import { art77Applicable, covers } from "../../../src/domain/cpv.js";
import { EnterpriseInput } from "../../../src/domain/enterprise.js";
import { distanceKm } from "../../../src/domain/geo.js";
import { toEur } from "../../../src/domain/money.js";
import { municipality } from "../../../src/domain/municipalities.js";
import { normaliseLots, TenderInput, type Lot } from "../../../src/domain/tender.js";

/** The one enterprise whose turnover and staff come from its seed (Kooptjänst, 2015 slides). */
const FIGURES_FROM_SEED = new Set(["kooptjanst"]);

const enterprises = (enterprisesJson as unknown[]).map((raw) => EnterpriseInput.parse(raw));
const tenders = (tendersJson as unknown[]).map((raw) => TenderInput.parse(raw));

type ParsedEnterprise = (typeof enterprises)[number];
type ParsedTender = (typeof tenders)[number];

function lotsOf(t: ParsedTender): Lot[] {
  return normaliseLots(t.title, t.lots, t.cpv).lots;
}

function tender(externalId: string): ParsedTender {
  const found = tenders.find((t) => t.externalId === externalId);
  if (!found) throw new Error(`no demo tender ${externalId}`);
  return found;
}

/** Within its service radius of the tender's place (a place without coordinates is anywhere). */
function reaches(e: ParsedEnterprise, t: ParsedTender): boolean {
  const { place } = t;
  if (place?.lat === undefined || place.lon === undefined) return true;
  if (!e.location) return false;
  return distanceKm(e.location, { lat: place.lat, lon: place.lon }) <= e.serviceRadiusKm;
}

/** Every code of the lot is covered by one of the enterprise's codes. */
function coversLot(e: ParsedEnterprise, lot: Lot): boolean {
  return lot.cpv.every((code) => e.cpv.some((own) => covers(own, code)));
}

/** Enterprises that can deliver at least one lot of the tender where it is performed. */
function candidates(t: ParsedTender): ParsedEnterprise[] {
  return enterprises.filter((e) => reaches(e, t) && lotsOf(t).some((lot) => coversLot(e, lot)));
}

function alone(t: ParsedTender): ParsedEnterprise[] {
  return enterprises.filter((e) => reaches(e, t) && lotsOf(t).every((lot) => coversLot(e, lot)));
}

function unionCovers(group: ParsedEnterprise[], t: ParsedTender): boolean {
  return lotsOf(t).every((lot) => group.some((e) => coversLot(e, lot)));
}

function turnoverEur(e: ParsedEnterprise): number {
  if (e.annualTurnover === undefined || e.currency === undefined) return 0;
  return toEur(e.annualTurnover, e.currency) ?? 0;
}

describe("demo enterprises", () => {
  it("all parse with EnterpriseInput, carry an id, and the ids are unique", () => {
    expect(enterprises.length).toBeGreaterThanOrEqual(11);
    const ids = enterprises.map((e) => e.id);
    expect(ids.every((id) => typeof id === "string" && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("use CPV codes of the catalogue", () => {
    for (const e of enterprises) {
      expect(e.cpv.length, e.id).toBeGreaterThan(0);
      for (const code of e.cpv) expect(cpvEntry(code), `${e.id} ${code}`).toBeDefined();
    }
  });

  it("sit in a known municipality, at that municipality's point", () => {
    for (const e of enterprises) {
      expect(e.municipality, e.id).toBeDefined();
      const m = municipality(e.country, e.municipality ?? "");
      expect(m, `${e.id} ${e.country}-${e.municipality}`).toBeDefined();
      expect(e.location, e.id).toEqual({ lat: m?.lat, lon: m?.lon });
    }
  });

  it("mark every figure the seeds do not give as illustrative", () => {
    for (const e of enterprises) {
      if (e.annualTurnover !== undefined) expect(e.currency, e.id).toBeDefined();
      if (FIGURES_FROM_SEED.has(e.id ?? "")) continue;
      if (e.annualTurnover !== undefined) expect(e.illustrative, e.id).toContain("annualTurnover");
      if (e.employees !== undefined) expect(e.illustrative, e.id).toContain("employees");
      if (e.disadvantagedShare !== undefined) expect(e.illustrative, e.id).toContain("disadvantagedShare");
    }
    const koop = enterprises.find((e) => e.id === "kooptjanst");
    expect(koop?.employees).toBe(87);
    expect(koop?.annualTurnover).toBe(30_000_000);
    expect(koop?.currency).toBe("SEK");
    expect(koop?.illustrative).not.toContain("employees");
    expect(koop?.illustrative).not.toContain("annualTurnover");
    expect(koop?.illustrative).toContain("disadvantagedShare");
  });

  it("carry no personal contact data", () => {
    for (const e of enterprises) expect(e.contact, e.id).toBeUndefined();
  });
});

describe("demo tenders", () => {
  it("all parse with TenderInput, with a unique externalId and a municipal buyer", () => {
    expect(tenders.length).toBeGreaterThanOrEqual(10);
    expect(tenders.length).toBeLessThanOrEqual(14);
    const ids = tenders.map((t) => t.externalId);
    expect(ids.every((id) => typeof id === "string")).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of tenders) {
      const match = /^(dk|se)-(\d{4})$/.exec(t.buyerId ?? "");
      expect(match, `${t.externalId} buyer ${t.buyerId}`).not.toBeNull();
      const [, country = "", code = ""] = match ?? [];
      const m = municipality(country, code);
      expect(m, `${t.externalId} buyer ${t.buyerId}`).toBeDefined();
      expect(t.language).toBe(country === "dk" ? "da" : "sv");
      expect(t.place).toEqual({ lat: m?.lat, lon: m?.lon, nuts: m?.nuts3, municipality: m?.code });
    }
  });

  it("use CPV codes of the catalogue, per lot or for the whole tender", () => {
    for (const t of tenders) {
      expect(Boolean(t.lots) !== Boolean(t.cpv), `${t.externalId}: lots or cpv`).toBe(true);
      for (const lot of lotsOf(t)) {
        expect(lot.cpv.length, `${t.externalId} ${lot.id}`).toBeGreaterThan(0);
        for (const code of lot.cpv) expect(cpvEntry(code), `${t.externalId} ${code}`).toBeDefined();
      }
    }
  });

  it("are planned (expected in 2027) or open (deadline in 2027)", () => {
    for (const t of tenders) {
      if (t.stage === "planned") expect(t.expectedPublication?.date.slice(0, 4), t.externalId).toBe("2027");
      else {
        expect(t.stage).toBe("open");
        expect(t.deadline?.slice(0, 4), t.externalId).toBe("2027");
      }
    }
  });

  it("reserve under Art. 77 only Art. 77 codes, for at most three years", () => {
    const art77 = tenders.filter((t) => t.reserved === "res-pub-ser");
    expect(art77.length).toBeGreaterThan(0);
    for (const t of art77) {
      for (const lot of lotsOf(t)) {
        for (const code of lot.cpv) {
          expect(art77Applicable(code), `${t.externalId} ${code}`).toBe(true);
          expect(cpvEntry(code)?.annexXIV, `${t.externalId} ${code}`).toBe(true);
        }
      }
      const months = (t.contractPeriod?.months ?? 0) + (t.contractPeriod?.optionMonths ?? 0);
      expect(months, t.externalId).toBeLessThanOrEqual(36);
      expect(candidates(t).filter((e) => e.publicServiceMission).length, t.externalId).toBeGreaterThan(0);
    }
  });

  it("have an eligible demo enterprise for every Art. 20 reservation", () => {
    for (const t of tenders.filter((x) => x.reserved === "res-ws")) {
      const eligible = alone(t).filter((e) => (e.disadvantagedShare ?? 0) >= 0.3);
      expect(eligible.length, t.externalId).toBeGreaterThan(0);
    }
  });
});

describe("the demo set shows what matching can find", () => {
  it("gift baskets: no single enterprise covers every lot, the enterprises within reach together do", () => {
    const t = tender("aarhus-gavekurve-2027");
    expect(lotsOf(t).length).toBeGreaterThanOrEqual(3);
    expect(alone(t)).toEqual([]);
    for (const e of enterprises) {
      expect(
        lotsOf(t).every((lot) => coversLot(e, lot)),
        e.id,
      ).toBe(false);
    }
    expect(unionCovers(candidates(t), t)).toBe(true);
  });

  it("minimum turnover: above every single enterprise's, met by the group that covers the lots", () => {
    const t = tender("aarhus-drift-borgerhuse-2027");
    const { minTurnover, currency } = t.requirements ?? {};
    expect(minTurnover).toBeDefined();
    expect(currency).toBeDefined();
    const minEur = toEur(minTurnover ?? 0, currency ?? "") ?? Number.NaN;
    for (const e of enterprises) expect(turnoverEur(e), e.id).toBeLessThan(minEur);
    const group = candidates(t);
    expect(alone(t)).toEqual([]);
    expect(unionCovers(group, t)).toBe(true);
    expect(group.reduce((sum, e) => sum + turnoverEur(e), 0)).toBeGreaterThanOrEqual(minEur);
  });

  it("a cap on lots per bidder below the number of lots", () => {
    const capped = tenders.filter((t) => t.requirements?.maxLotsPerBidder !== undefined);
    expect(capped.length).toBeGreaterThan(0);
    for (const t of capped) {
      expect(t.requirements?.maxLotsPerBidder ?? 0).toBeLessThan(lotsOf(t).length);
    }
  });

  it("competition law: the only feasible group includes an enterprise that could bid alone", () => {
    const t = tender("aarhus-it-test-og-support-2027");
    const soloists = alone(t);
    expect(soloists.map((e) => e.id)).toEqual(["special-minds"]);
    const partners = candidates(t).filter((e) => !soloists.includes(e));
    expect(partners.length).toBeGreaterThan(0);
    expect(unionCovers(partners, t)).toBe(false);
  });

  it("one planned purchase nobody in the demo set covers", () => {
    const t = tender("randers-frugt-og-groent-2027");
    for (const e of enterprises) {
      for (const lot of lotsOf(t)) expect(coversLot(e, lot), `${e.id} ${lot.id}`).toBe(false);
    }
  });

  it("every other tender has at least one demo enterprise that can bid on it, alone or in a group", () => {
    for (const t of tenders.filter((x) => x.externalId !== "randers-frugt-og-groent-2027")) {
      expect(unionCovers(candidates(t), t), t.externalId).toBe(true);
    }
  });
});
