import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PlanContext, PlanField, RawPlanRow } from "../../../../crawlers/plan/plan-item.js";
import { PLAN_FIELDS } from "../../../../crawlers/plan/plan-item.js";
import { toPlanItem } from "../../../../crawlers/plan/to-plan-item.js";

const DK: PlanContext = {
  buyer: "Aarhus Kommune",
  country: "DK",
  sourceUrl: "https://www.aarhus.dk/udbudsplan",
};
const SE: PlanContext = { buyer: "Malmö stad", country: "SE" };
const NO: PlanContext = { buyer: "Bergen kommune", country: "NO" };

function row(fields: RawPlanRow["fields"], extra: RawPlanRow["extra"] = []): RawPlanRow {
  return { fields, extra, where: "table 1, row 2" };
}

describe("toPlanItem", () => {
  it("parses a full Danish row", () => {
    const result = toPlanItem(
      row(
        {
          reference: "U-2026-014",
          title: " Rengøring af\u00a0daginstitutioner ",
          description: "Daglig rengøring af 42 institutioner.",
          department: "Børn og Unge",
          area: "Børn og Unge",
          expectedPublication: "2. kvartal 2026",
          estimatedValue: "ca. 4,5 mio. kr.",
          contractPeriod: "2 år + 2 x 1 års option",
          contact: "Jens Hansen, jeha@aarhus.dk, tlf. 41 85 00 00",
          cpv: "90910000-9, 90911200",
          reserved: "Ja",
          procedure: "Offentligt udbud",
        },
        [{ label: "Bemærkning", value: "Mulighed for delaftaler" }],
      ),
      DK,
    );
    expect(result).toEqual({
      errors: [],
      item: {
        reference: "U-2026-014",
        title: "Rengøring af daginstitutioner",
        description:
          "Daglig rengøring af 42 institutioner.\n\nUdbudsform: Offentligt udbud\nBemærkning: Mulighed for delaftaler",
        department: "Børn og Unge",
        expectedPublication: { date: "2026-04-01", precision: "quarter", raw: "2. kvartal 2026" },
        estimatedValue: { amount: 4_500_000, currency: "DKK", raw: "ca. 4,5 mio. kr." },
        contractPeriod: { months: 24, optionMonths: 24, raw: "2 år + 2 x 1 års option" },
        contact: "Jens Hansen, jeha@aarhus.dk, tlf. 41 85 00 00",
        cpv: ["90910000", "90911200"],
        reservedHint: { text: "Reserveret: Ja" },
        sourceUrl: "https://www.aarhus.dk/udbudsplan",
        country: "DK",
      },
    });
  });

  it("parses a Swedish row with the labels in Swedish", () => {
    const { item, errors } = toPlanItem(
      row({
        title: "Snöröjning",
        area: "Stadsfastigheter",
        expectedPublication: "hösten 2026",
        estimatedValue: "8 mnkr",
        contractPeriod: "avtalstid 2 år med möjlighet till förlängning 1+1 år",
        reserved: "Reserveras för arbetsintegrerande sociala företag",
        procedure: "Förenklat förfarande",
      }),
      SE,
    );
    expect(errors).toEqual([]);
    expect(item).toEqual({
      title: "Snöröjning",
      description: "Upphandlingsförfarande: Förenklat förfarande",
      department: "Stadsfastigheter",
      expectedPublication: { date: "2026-09-01", precision: "season", raw: "hösten 2026" },
      estimatedValue: { amount: 8_000_000, currency: "SEK", raw: "8 mnkr" },
      contractPeriod: {
        months: 24,
        optionMonths: 24,
        raw: "avtalstid 2 år med möjlighet till förlängning 1+1 år",
      },
      cpv: [],
      reservedHint: {
        text: "Reserverad: Reserveras för arbetsintegrerande sociala företag",
        kind: "res-ws",
      },
      country: "SE",
    });
  });

  it("parses a Norwegian row: krone is NOK, and a reservation found in the description", () => {
    const { item } = toPlanItem(
      row({
        title: "Vedlikehold av grøntarealer",
        description:
          "Rammeavtale for drift av parker. Konkurransen blir reservert for arbeidsintegrerende virksomheter.",
        estimatedValue: "2,5 mill. kr",
        expectedPublication: "høsten 2026",
      }),
      NO,
    );
    expect(item?.estimatedValue).toEqual({ amount: 2_500_000, currency: "NOK", raw: "2,5 mill. kr" });
    expect(item?.expectedPublication).toEqual({
      date: "2026-09-01",
      precision: "season",
      raw: "høsten 2026",
    });
    expect(item?.reservedHint).toEqual({
      text: "Konkurransen blir reservert for arbeidsintegrerende virksomheter.",
      kind: "res-ws",
    });
  });

  it("takes the title from the description's first sentence when there is none", () => {
    const { item, errors } = toPlanItem(
      row({ description: "Indkøb af frugt til skoler, ca. 3 mio. kr. pr. år. Leverance dagligt." }),
      DK,
    );
    expect(errors).toEqual([]);
    expect(item?.title).toBe("Indkøb af frugt til skoler, ca. 3 mio. kr. pr. år");
    expect(item?.description).toBe("Indkøb af frugt til skoler, ca. 3 mio. kr. pr. år. Leverance dagligt.");
  });

  it("cuts a first sentence that is too long for a title", () => {
    const { item } = toPlanItem(row({ description: `Rammeaftale om ${"vinduespolering ".repeat(30)}` }), DK);
    expect(item?.title.length).toBeLessThanOrEqual(200);
    expect(item?.title.endsWith("…")).toBe(true);
  });

  it.each([
    [{}],
    [{ title: "   " }],
    [{ title: "\u00a0", description: " \n " }],
    [{ reference: "U-1", estimatedValue: "4 mio." }],
  ] as RawPlanRow["fields"][][])("reports a row without a title: %j", (fields) => {
    expect(toPlanItem(row(fields), DK)).toEqual({ errors: ["row has no title"] });
  });

  it("uses the area when there is no department, and keeps an area that differs", () => {
    expect(toPlanItem(row({ title: "Kørsel", area: "Teknik og Miljø" }), DK).item?.department).toBe(
      "Teknik og Miljø",
    );
    const { item } = toPlanItem(
      row({ title: "Kørsel", department: "Vej og Park", area: "Teknik og Miljø" }),
      DK,
    );
    expect(item?.department).toBe("Vej og Park");
    expect(item?.description).toBe("Område: Teknik og Miljø");
  });

  it("collects CPV codes from the cpv cell, the description and the extras", () => {
    const { item } = toPlanItem(
      row(
        {
          title: "Grøn pleje",
          description: "Pleje af grønne områder (CPV 77310000). Kontakt tlf. 45123456.",
          cpv: "77311000; 77310000-6",
        },
        [{ label: "CPV (biord)", value: "77313000" }],
      ),
      DK,
    );
    expect(item?.cpv).toEqual(["77311000", "77310000", "77313000"]);
  });

  describe("the reserved cell", () => {
    it.each([
      ["Ja", DK, { text: "Reserveret: Ja" }],
      ["x", DK, { text: "Reserveret: x" }],
      ["Yes", { ...DK, country: "GB" }, { text: "Reserved: Yes" }],
      ["Ja, § 20", DK, { text: "Reserveret: Ja, § 20", kind: "res-ws" }],
      ["Ja (§ 191)", DK, { text: "Reserveret: Ja (§ 191)", kind: "res-pub-ser" }],
      ["Overvejes", DK, { text: "Reserveret: Overvejes" }],
      ["Ja", SE, { text: "Reserverad: Ja" }],
      ["Ja", NO, { text: "Reservert: Ja" }],
    ] as const)("%j → %j", (reserved, ctx, hint) => {
      expect(toPlanItem(row({ title: "Kantinedrift", reserved }), ctx).item?.reservedHint).toEqual(hint);
    });

    it.each(["Nej", "nej.", "No", "Ikke relevant", "Nej, ikke egnet", "Ej aktuellt"])(
      "an explicit no (%j) wins over the description",
      (reserved) => {
        const { item } = toPlanItem(
          row({
            title: "Kantinedrift",
            description: "Tidligere reserveret for socialøkonomiske virksomheder.",
            reserved,
          }),
          DK,
        );
        expect(item?.reservedHint).toBeUndefined();
      },
    );

    it("an empty or undecided cell lets the texts speak", () => {
      const description = "Udbuddet forventes reserveret efter udbudslovens § 20.";
      for (const reserved of ["", "-", "Ikke fastlagt"]) {
        const { item } = toPlanItem(row({ title: "Kantinedrift", description, reserved }), DK);
        expect(item?.reservedHint).toEqual({ text: description, kind: "res-ws" });
      }
    });

    it("finds a reservation in an extra column", () => {
      const { item } = toPlanItem(
        row({ title: "Vaskeri" }, [
          { label: "Sociale hensyn", value: "Reserveres til sociale virksomheder" },
        ]),
        DK,
      );
      expect(item?.reservedHint).toEqual({
        text: "Sociale hensyn: Reserveres til sociale virksomheder",
        kind: "res-ws",
      });
    });

    it("does not take a copyright line for a reservation", () => {
      const { item } = toPlanItem(
        row({ title: "Vaskeri" }, [{ label: "Kilde", value: "© Kommunen. Alle rettigheder reserveret." }]),
        DK,
      );
      expect(item?.reservedHint).toBeUndefined();
    });
  });

  it("keeps cells it cannot parse as description lines, but not placeholders", () => {
    const { item } = toPlanItem(
      row({
        title: "Vinterberedskab",
        expectedPublication: "Afhænger af politisk beslutning",
        estimatedValue: "Ikke fastlagt",
        contractPeriod: "løbende",
        cpv: "Snerydning",
      }),
      DK,
    );
    expect(item?.expectedPublication).toBeUndefined();
    expect(item?.estimatedValue).toBeUndefined();
    expect(item?.contractPeriod).toBeUndefined();
    expect(item?.cpv).toEqual([]);
    expect(item?.description).toBe(
      "Forventet udbud: Afhænger af politisk beslutning\nKontraktperiode: løbende\nCPV: Snerydning",
    );
  });

  it("keeps multi-line descriptions and skips empty extras", () => {
    const { item } = toPlanItem(
      row({ title: "Madservice", description: "Linje 1\r\n\r\n\r\n  Linje\u00a02  " }, [
        { label: "Note", value: " - " },
        { label: "", value: "Uden overskrift" },
      ]),
      DK,
    );
    expect(item?.description).toBe("Linje 1\n\nLinje 2\n\nUden overskrift");
  });

  it("cuts an over-long title and keeps it whole in the description", () => {
    const title = "Indkøb af ".concat("kontorartikler ".repeat(40)).trim();
    const { item, errors } = toPlanItem(row({ title }), DK);
    expect(errors).toEqual([]);
    expect(item?.title.length).toBeLessThanOrEqual(500);
    expect(item?.description).toBe(title);
  });

  it("moves an over-long reference into the description", () => {
    const reference = "R".repeat(130);
    const { item } = toPlanItem(row({ title: "Busdrift", reference }), DK);
    expect(item?.reference).toBeUndefined();
    expect(item?.description).toBe(`Reference: ${reference}`);
  });

  it("turns schema problems into readable errors", () => {
    expect(toPlanItem(row({ title: "Busdrift" }), { ...DK, sourceUrl: "not a url" }).errors).toEqual([
      "sourceUrl: Invalid URL",
    ]);
    const bad = toPlanItem(row({ title: "Busdrift" }), { ...DK, country: "Danmark" });
    expect(bad.item).toBeUndefined();
    expect(bad.errors).toEqual(["country: an ISO 3166-1 alpha-2 country code such as DK or SE"]);
  });

  it("never throws on odd rows", () => {
    const odd = [
      { fields: { title: 42 }, extra: [], where: "x" },
      { fields: null, extra: null, where: "x" },
      { fields: { title: "A" }, extra: [null, { label: 1, value: {} }], where: "x" },
      null,
    ] as unknown as RawPlanRow[];
    for (const r of odd) expect(() => toPlanItem(r, DK)).not.toThrow();
    expect(toPlanItem(odd[2] as RawPlanRow, DK).item?.title).toBe("A");
    expect(toPlanItem(odd[1] as RawPlanRow, DK).errors).toEqual(["row has no title"]);
  });

  it("never throws, and yields either a valid item or errors, for arbitrary rows", () => {
    const fieldValue = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.constantFrom("Q2 2026", "4,5 mio. kr.", "2+1+1 år", "Ja", "90910000-9", "Nej", "-", "§ 20"),
    );
    const fields = fc.dictionary(fc.constantFrom<PlanField>(...PLAN_FIELDS), fieldValue);
    const extra = fc.array(
      fc.record({ label: fc.string({ maxLength: 20 }), value: fc.string({ maxLength: 60 }) }),
      {
        maxLength: 4,
      },
    );
    fc.assert(
      fc.property(fields, extra, fc.constantFrom("DK", "SE", "NO", "GB"), (f, e, country) => {
        const result = toPlanItem({ fields: f, extra: e, where: "row 1" }, { buyer: "B", country });
        if (result.item) {
          expect(result.errors).toEqual([]);
          expect(result.item.title.trim()).not.toBe("");
          expect(result.item.country).toBe(country);
        } else {
          expect(result.errors.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
