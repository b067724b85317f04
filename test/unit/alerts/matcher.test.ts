import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileSubscriptions, matchesFilters } from "../../../src/alerts/matcher.js";
import { SubscriptionFilters } from "../../../src/domain/subscription.js";
import { Tender } from "../../../src/domain/tender.js";

const T0 = "2026-10-01T08:00:00.000Z";

function tender(extra: Partial<Tender> = {}): Tender {
  return Tender.parse({
    id: "test:t1",
    stage: "planned",
    title: "Rengøring af daginstitutioner",
    description: "Daglig rengøring og vinduespolering i 42 daginstitutioner.",
    language: "da",
    buyer: { id: "dk-0751", name: "Aarhus Kommune", country: "DK" },
    reserved: "none",
    place: { nuts: "DK042", municipality: "0751" },
    lots: [{ id: "LOT-0001", title: "Rengøring", cpv: ["90919300"] }],
    cpv: ["90919300"],
    estimatedValue: { amount: 4_500_000, currency: "DKK" },
    firstSeen: T0,
    lastChanged: T0,
    ...extra,
  });
}

const f = (input: Record<string, unknown>) => SubscriptionFilters.parse(input);

describe("matchesFilters", () => {
  it("matches everything with no filters", () => {
    expect(matchesFilters(f({}), tender())).toBe(true);
  });

  it("takes CPV codes as prefixes of significant digits, in any spelling", () => {
    expect(matchesFilters(f({ cpv: ["909"] }), tender())).toBe(true);
    expect(matchesFilters(f({ cpv: ["90900000-6"] }), tender())).toBe(true);
    expect(matchesFilters(f({ cpv: ["9091"] }), tender())).toBe(true);
    expect(matchesFilters(f({ cpv: ["9092"] }), tender())).toBe(false);
    expect(matchesFilters(f({ cpv: ["9092", "909193"] }), tender())).toBe(true);
  });

  it("ANDs fields and ORs values", () => {
    expect(matchesFilters(f({ countries: ["SE", "DK"], stages: ["planned"] }), tender())).toBe(true);
    expect(matchesFilters(f({ countries: ["SE"], stages: ["planned"] }), tender())).toBe(false);
    expect(matchesFilters(f({ countries: ["DK"], stages: ["open"] }), tender())).toBe(false);
    expect(matchesFilters(f({ buyers: ["dk-0751"], municipalities: ["0751"] }), tender())).toBe(true);
    expect(matchesFilters(f({ municipalities: ["0730"] }), tender())).toBe(false);
    expect(matchesFilters(f({ nuts: ["DK04"] }), tender())).toBe(true);
    expect(matchesFilters(f({ nuts: ["DK01"] }), tender())).toBe(false);
  });

  it("reservedOnly wants the tender or one of its lots reserved", () => {
    expect(matchesFilters(f({ reservedOnly: true }), tender())).toBe(false);
    expect(matchesFilters(f({ reservedOnly: true }), tender({ reserved: "res-ws" }))).toBe(true);
    const lots = [
      { id: "L1", title: "Rengøring", cpv: ["90919300"] },
      { id: "L2", title: "Vinduer", cpv: ["90911300"], reserved: "res-pub-ser" as const },
    ];
    expect(matchesFilters(f({ reservedOnly: true }), tender({ lots }))).toBe(true);
    expect(matchesFilters(f({ reservedOnly: true }), tender({ reserved: "unknown" }))).toBe(false);
  });

  it("compares values in EUR and lets a tender without a value pass", () => {
    // 4.5 million DKK is about 602 000 EUR.
    expect(matchesFilters(f({ minValue: 500_000 }), tender())).toBe(true);
    expect(matchesFilters(f({ minValue: 700_000 }), tender())).toBe(false);
    expect(matchesFilters(f({ minValue: 4_000_000, currency: "DKK" }), tender())).toBe(true);
    expect(matchesFilters(f({ maxValue: 4_000_000, currency: "DKK" }), tender())).toBe(false);
    expect(matchesFilters(f({ maxValue: 5_000_000, currency: "SEK" }), tender())).toBe(false);
    expect(matchesFilters(f({ minValue: 1e9 }), tender({ estimatedValue: undefined }))).toBe(true);
    // A currency the table does not know converts to nothing: no value to filter on.
    expect(
      matchesFilters(f({ minValue: 1e9 }), tender({ estimatedValue: { amount: 1, currency: "XYZ" } })),
    ).toBe(true);
  });

  it("finds every query word, folded and stemmed, in title, description, buyer or lot titles", () => {
    expect(matchesFilters(f({ q: "rengøring" }), tender())).toBe(true);
    expect(matchesFilters(f({ q: "rengoring" }), tender())).toBe(true);
    expect(matchesFilters(f({ q: "RENGØRINGEN" }), tender())).toBe(true);
    expect(matchesFilters(f({ q: "vinduespolering aarhus" }), tender())).toBe(true);
    expect(matchesFilters(f({ q: "rengøring snerydning" }), tender())).toBe(false);
    expect(matchesFilters(f({ q: "daginstitution" }), tender())).toBe(true);
    const lots = [
      { id: "L1", title: "Rengøring", cpv: ["90919300"] },
      { id: "L2", title: "Snerydning af veje", cpv: ["90620000"] },
    ];
    expect(matchesFilters(f({ q: "snerydning" }), tender({ lots, cpv: ["90919300", "90620000"] }))).toBe(
      true,
    );
    // No typos and no prefixes in a saved query.
    expect(matchesFilters(f({ q: "rengørin" }), tender())).toBe(false);
  });
});

describe("compileSubscriptions", () => {
  it("answers like the plain loop, in compile order", () => {
    const subs = [
      { id: "a", filters: f({ cpv: ["909"] }) },
      { id: "b", filters: f({ countries: ["SE"] }) },
      { id: "c", filters: f({ q: "rengøring" }) },
      { id: "d", filters: f({ buyers: ["dk-0751"], cpv: ["45"] }) },
      { id: "e", filters: f({ stages: ["planned"], nuts: ["DK0"] }) },
      { id: "f", filters: f({}) },
    ];
    const match = compileSubscriptions(subs);
    expect(match(tender())).toEqual(["a", "c", "e", "f"]);
    expect(match.size).toBe(6);
  });

  it("gives the same answers as the plain loop for any filters and tenders (property)", () => {
    let made = 0;
    const cpvCodes = ["90919300", "90911200", "45000000", "85311000", "55520000", "03222000"];
    const prefixes = ["90", "909", "9091", "90919", "45", "853", "55", "032"];
    const words = ["rengøring", "skoler", "måltider", "cleaning", "frukt", "vinduer"];
    const arbTender = fc
      .record({
        stage: fc.constantFrom("planned", "open", "awarded", "withdrawn"),
        buyer: fc.constantFrom(
          { id: "dk-0751", name: "Aarhus Kommune", country: "DK" },
          { id: "dk-0730", name: "Randers Kommune", country: "DK" },
          { id: "se-0580", name: "Linköpings kommun", country: "SE" },
        ),
        municipality: fc.option(fc.constantFrom("0751", "0730", "0580"), { nil: undefined }),
        nuts: fc.option(fc.constantFrom("DK042", "DK041", "SE123"), { nil: undefined }),
        reserved: fc.constantFrom("none", "res-ws", "res-pub-ser", "unknown"),
        codes: fc.uniqueArray(fc.constantFrom(...cpvCodes), { minLength: 1, maxLength: 3 }),
        title: fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 3 }),
        value: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: undefined }),
      })
      .map((r) =>
        tender({
          id: `test:p${++made}`,
          stage: r.stage as Tender["stage"],
          buyer: r.buyer,
          place: {
            ...(r.municipality ? { municipality: r.municipality } : {}),
            ...(r.nuts ? { nuts: r.nuts } : {}),
          },
          reserved: r.reserved as Tender["reserved"],
          title: r.title.join(" "),
          description: "",
          lots: r.codes.map((c, k) => ({ id: `L${k}`, title: `Del ${k}`, cpv: [c] })),
          cpv: r.codes,
          estimatedValue: r.value === undefined ? undefined : { amount: r.value, currency: "DKK" },
        }),
      );
    const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
    const arbFilters = fc
      .record({
        q: opt(fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 2 }).map((w) => w.join(" "))),
        cpv: opt(fc.uniqueArray(fc.constantFrom(...prefixes), { maxLength: 3 })),
        buyers: opt(fc.uniqueArray(fc.constantFrom("dk-0751", "dk-0730", "se-0580"), { maxLength: 2 })),
        countries: opt(fc.uniqueArray(fc.constantFrom("DK", "SE", "NO"), { maxLength: 2 })),
        nuts: opt(fc.uniqueArray(fc.constantFrom("DK", "DK04", "DK042", "SE1"), { maxLength: 2 })),
        municipalities: opt(fc.uniqueArray(fc.constantFrom("0751", "0730", "0580"), { maxLength: 2 })),
        stages: opt(fc.uniqueArray(fc.constantFrom("planned", "open", "awarded"), { maxLength: 2 })),
        reservedOnly: fc.boolean(),
        minValue: opt(fc.integer({ min: 0, max: 1_000_000 })),
        maxValue: opt(fc.integer({ min: 0, max: 2_000_000 })),
      })
      .map((r) =>
        SubscriptionFilters.parse(Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined))),
      );
    fc.assert(
      fc.property(
        fc.array(arbFilters, { minLength: 1, maxLength: 40 }),
        fc.array(arbTender, { maxLength: 10 }),
        (filters, tenders) => {
          const subs = filters.map((filters, i) => ({ id: `s${i}`, filters }));
          const match = compileSubscriptions(subs);
          for (const t of tenders) {
            const plain = subs.filter((s) => matchesFilters(s.filters, t)).map((s) => s.id);
            expect(match(t)).toEqual(plain);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
