import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cleanText,
  findCpvCodes,
  findReservedHint,
  parseContractPeriod,
  parseEstimatedValue,
  parseExpectedPublication,
} from "../../../../crawlers/plan/fields.js";

type Precision = "day" | "month" | "quarter" | "season" | "half" | "year";

describe("cleanText", () => {
  it.each([
    ["  Rengøring\u00a0af   daginstitutioner \n", "Rengøring af daginstitutioner"],
    ["1\u2009200\u202f000", "1 200 000"],
    ["Snö\u00adröjning", "Snöröjning"],
    ["a\u200bb", "ab"],
    ["a\u030a", "å"],
    ["\t\n ", ""],
  ])("%j → %j", (raw, expected) => {
    expect(cleanText(raw)).toBe(expected);
  });
});

describe("parseExpectedPublication", () => {
  const cases: [string, string, Precision][] = [
    // quarters
    ["Q2 2026", "2026-04-01", "quarter"],
    ["q1 2027", "2027-01-01", "quarter"],
    ["2. kvartal 2026", "2026-04-01", "quarter"],
    ["kvartal 3 2026", "2026-07-01", "quarter"],
    ["3. kv. 2026", "2026-07-01", "quarter"],
    ["K3 2026", "2026-07-01", "quarter"],
    ["kv 4 2026", "2026-10-01", "quarter"],
    ["kv4 2026", "2026-10-01", "quarter"],
    ["4. kvt. 2026", "2026-10-01", "quarter"],
    ["3:e kvartalet 2026", "2026-07-01", "quarter"],
    ["andra kvartalet 2026", "2026-04-01", "quarter"],
    ["fjerde kvartal 2026", "2026-10-01", "quarter"],
    ["første kvartal 2027", "2027-01-01", "quarter"],
    ["first quarter of 2027", "2027-01-01", "quarter"],
    ["2nd quarter 2026", "2026-04-01", "quarter"],
    ["Q2-2026", "2026-04-01", "quarter"],
    ["Q2/2026", "2026-04-01", "quarter"],
    ["Q2-26", "2026-04-01", "quarter"],
    ["2026 Q3", "2026-07-01", "quarter"],
    ["2026: K4", "2026-10-01", "quarter"],
    ["Forventes annonceret i Q2 2026", "2026-04-01", "quarter"],
    ["Q2-Q3 2026", "2026-04-01", "quarter"],
    ["Planlagt kunngjort: 3. kvartal 2026", "2026-07-01", "quarter"],
    ["Q3 (juli) 2026", "2026-07-01", "quarter"],
    ["Ultimo 1. kvartal 2027", "2027-01-01", "quarter"],
    ["Annonsering planeras till kvartal 1, 2027", "2027-01-01", "quarter"],
    // seasons
    ["efterår 2026", "2026-09-01", "season"],
    ["efteråret 2026", "2026-09-01", "season"],
    ["forår 2026", "2026-03-01", "season"],
    ["foråret 2027", "2027-03-01", "season"],
    ["sommer 2026", "2026-06-01", "season"],
    ["sommaren 2026", "2026-06-01", "season"],
    ["vinter 2026/27", "2026-12-01", "season"],
    ["vinteren 2026/2027", "2026-12-01", "season"],
    ["vintern 2026", "2026-12-01", "season"],
    ["hösten 2026", "2026-09-01", "season"],
    ["höst 2026", "2026-09-01", "season"],
    ["våren 2026", "2026-03-01", "season"],
    ["høsten 2026", "2026-09-01", "season"],
    ["høst 2026", "2026-09-01", "season"],
    ["vår 2026", "2026-03-01", "season"],
    ["autumn 2026", "2026-09-01", "season"],
    ["spring 2027", "2027-03-01", "season"],
    ["Fall 2026", "2026-09-01", "season"],
    ["I løbet af efteråret 2026", "2026-09-01", "season"],
    ["forår/sommer 2026", "2026-03-01", "season"],
    ["Annonseres høsten -26", "2026-09-01", "season"],
    ["vinter 26/27", "2026-12-01", "season"],
    // months
    ["maj 2026", "2026-05-01", "month"],
    ["mai 2026", "2026-05-01", "month"],
    ["januar 2027", "2027-01-01", "month"],
    ["januari 2027", "2027-01-01", "month"],
    ["sept. 2026", "2026-09-01", "month"],
    ["Sep 2026", "2026-09-01", "month"],
    ["oktober 2026", "2026-10-01", "month"],
    ["okt. 2026", "2026-10-01", "month"],
    ["mars 2026", "2026-03-01", "month"],
    ["marts 2026", "2026-03-01", "month"],
    ["desember 2026", "2026-12-01", "month"],
    ["des. 2026", "2026-12-01", "month"],
    ["jul. 2026", "2026-07-01", "month"],
    ["May 2026", "2026-05-01", "month"],
    ["marts-april 2026", "2026-03-01", "month"],
    ["primo maj 2026", "2026-05-01", "month"],
    ["05/2026", "2026-05-01", "month"],
    ["5.2026", "2026-05-01", "month"],
    ["2026-05", "2026-05-01", "month"],
    ["Udbud forventes i august 2026", "2026-08-01", "month"],
    // weeks: the Monday of the ISO week, precision "day"
    ["uge 12 2026", "2026-03-16", "day"],
    ["vecka 12 2026", "2026-03-16", "day"],
    ["uke 12 2026", "2026-03-16", "day"],
    ["week 12 2026", "2026-03-16", "day"],
    ["v. 12 2026", "2026-03-16", "day"],
    ["v12 2026", "2026-03-16", "day"],
    ["ca. uge 12, 2026", "2026-03-16", "day"],
    ["uge 12/2026", "2026-03-16", "day"],
    ["uge 12-13 2026", "2026-03-16", "day"],
    ["uge 1 2026", "2025-12-29", "day"],
    ["uge 53 2026", "2026-12-28", "day"],
    ["2026, uge 40", "2026-09-28", "day"],
    ["Forventet annoncering: uge 37, 2026", "2026-09-07", "day"],
    ["Planerad annonsering: v. 40 2026", "2026-09-28", "day"],
    // halves
    ["1. halvår 2026", "2026-01-01", "half"],
    ["2. halvår 2026", "2026-07-01", "half"],
    ["H1 2026", "2026-01-01", "half"],
    ["H2 2026", "2026-07-01", "half"],
    ["första halvåret 2026", "2026-01-01", "half"],
    ["andra halvåret 2026", "2026-07-01", "half"],
    ["1:a halvåret 2026", "2026-01-01", "half"],
    ["andet halvår 2026", "2026-07-01", "half"],
    ["halvår 2 2026", "2026-07-01", "half"],
    ["second half of 2026", "2026-07-01", "half"],
    ["primo 2027", "2027-01-01", "half"],
    ["ultimo 2026", "2026-07-01", "half"],
    ["början av 2027", "2027-01-01", "half"],
    ["slutten av 2026", "2026-07-01", "half"],
    ["late 2026", "2026-07-01", "half"],
    ["Udbud forventes offentliggjort i slutningen af 2026", "2026-07-01", "half"],
    // years
    ["2027", "2027-01-01", "year"],
    ["I løbet af 2027", "2027-01-01", "year"],
    ["medio 2026", "2026-01-01", "year"],
    ["mid-2026", "2026-01-01", "year"],
    ["2026-2027", "2026-01-01", "year"],
    // exact dates
    ["15.03.2026", "2026-03-15", "day"],
    ["15-03-2026", "2026-03-15", "day"],
    ["15/3/2026", "2026-03-15", "day"],
    ["1.1.2027", "2027-01-01", "day"],
    ["2026-03-15", "2026-03-15", "day"],
    ["15. marts 2026", "2026-03-15", "day"],
    ["15 mars 2026", "2026-03-15", "day"],
    ["1. sept. 2026", "2026-09-01", "day"],
    ["March 15, 2026", "2026-03-15", "day"],
    ["15th March 2026", "2026-03-15", "day"],
    ["Annonceres den 15. marts 2026 (Q1)", "2026-03-15", "day"],
  ];

  it.each(cases)("%j → %s (%s)", (raw, date, precision) => {
    expect(parseExpectedPublication(raw)).toEqual({ date, precision, raw });
  });

  it("keeps the cleaned text as raw", () => {
    expect(parseExpectedPublication("  Q2\u00a02026 ")).toEqual({
      date: "2026-04-01",
      precision: "quarter",
      raw: "Q2 2026",
    });
  });

  it.each([
    "Ikke fastlagt",
    "ej bestämt",
    "Ej fastställt",
    "Ikke avklart",
    "-",
    "",
    "   ",
    "løbende",
    "Løpende",
    "N/A",
    "TBD",
    "31.02.2026",
    "kvartal",
    "Q2",
    "maj",
    "efterår",
    "Det afgøres senere",
    "i vår plan",
    "i vår 26 ansatte",
  ])("%j → undefined", (raw) => {
    // No year and no `today` means no date; "vår plan" is "our plan".
    expect(parseExpectedPublication(raw)).toBeUndefined();
  });

  it.each([
    ["uge 53 2027", "2027-01-01"],
    ["Q5 2026", "2026-01-01"],
    // "jul" without a dot is Christmas, not July.
    ["jul 2026", "2026-01-01"],
  ])("%j is no real period and falls back to its year", (raw, date) => {
    expect(parseExpectedPublication(raw)).toEqual({ date, precision: "year", raw });
  });

  describe("without a year, the year of `today` (or the next, when the period is over)", () => {
    it.each([
      ["Q2", "2026-03-10", "2026-04-01", "quarter"],
      ["Q1", "2026-03-10", "2026-01-01", "quarter"],
      ["Q1", "2026-11-05", "2027-01-01", "quarter"],
      ["efterår", "2026-03-10", "2026-09-01", "season"],
      ["maj", "2026-06-15", "2027-05-01", "month"],
      ["uge 12", "2026-01-10", "2026-03-16", "day"],
      ["uge 2", "2026-11-05", "2027-01-11", "day"],
      ["2. halvår", "2026-03-10", "2026-07-01", "half"],
    ] as const)("%j on %s → %s", (raw, today, date, precision) => {
      expect(parseExpectedPublication(raw, { today })).toEqual({ date, precision, raw });
    });

    it("a written year wins over today", () => {
      expect(parseExpectedPublication("Q1 2026", { today: "2026-11-05" })?.date).toBe("2026-01-01");
    });

    it("ignores a today that is no date", () => {
      expect(parseExpectedPublication("Q2", { today: "soon" })).toBeUndefined();
    });
  });
});

describe("parseEstimatedValue", () => {
  const cases: [string, string, number, string][] = [
    ["ca. 4,5 mio. kr.", "DK", 4_500_000, "DKK"],
    ["4,5 mio. kr.", "NO", 4_500_000, "NOK"],
    ["6.800.000 kr.", "DK", 6_800_000, "DKK"],
    ["kr. 6.800.000,-", "DK", 6_800_000, "DKK"],
    ["tkr. 750", "DK", 750_000, "DKK"],
    ["950 tkr", "SE", 950_000, "SEK"],
    ["750 t.kr.", "DK", 750_000, "DKK"],
    ["8 MSEK", "SE", 8_000_000, "SEK"],
    ["8 MSEK", "DK", 8_000_000, "SEK"],
    ["8 mnkr", "SE", 8_000_000, "SEK"],
    ["12 mkr", "SE", 12_000_000, "SEK"],
    ["2,5 mill.", "NO", 2_500_000, "NOK"],
    ["2,5 mill. kr", "NO", 2_500_000, "NOK"],
    ["2,5 millioner kroner", "NO", 2_500_000, "NOK"],
    ["3 miljoner kronor", "SE", 3_000_000, "SEK"],
    ["1 200 000", "DK", 1_200_000, "DKK"],
    ["1\u00a0200\u00a0000 kr", "SE", 1_200_000, "SEK"],
    ["1\u2009200\u2009000", "NO", 1_200_000, "NOK"],
    ["1\u202f200\u202f000", "NO", 1_200_000, "NOK"],
    ["1.200.000,50", "DK", 1_200_000.5, "DKK"],
    ["1,200,000.50", "GB", 1_200_000.5, "GBP"],
    ["3 000 000 SEK", "SE", 3_000_000, "SEK"],
    ["€ 2.5 million", "GB", 2_500_000, "EUR"],
    ["EUR 1,200,000", "GB", 1_200_000, "EUR"],
    ["£1.2m", "GB", 1_200_000, "GBP"],
    ["£450k", "GB", 450_000, "GBP"],
    ["DKK 4.5m", "DK", 4_500_000, "DKK"],
    ["500.000 - 750.000 kr.", "DK", 750_000, "DKK"],
    ["500.000–750.000 kr.", "DK", 750_000, "DKK"],
    ["fra 500.000 til 750.000 kr.", "DK", 750_000, "DKK"],
    ["2-3 mio. kr.", "DK", 3_000_000, "DKK"],
    ["50 000 - 100 000 EUR", "SE", 100_000, "EUR"],
    ["1,2 mia. kr.", "DK", 1_200_000_000, "DKK"],
    ["1,2 mrd. kr.", "NO", 1_200_000_000, "NOK"],
    ["2 MNOK", "NO", 2_000_000, "NOK"],
    ["2 500 000 NOK eks. mva.", "NO", 2_500_000, "NOK"],
    ["Det er nok 2 mio.", "DK", 2_000_000, "DKK"],
    ["4.500", "DK", 4_500, "DKK"],
    ["4,5", "DK", 4.5, "DKK"],
    ["0,5 mio. kr.", "DK", 500_000, "DKK"],
    ["1.1 mio", "DK", 1_100_000, "DKK"],
    ["Beløb i mio. kr.: 4,5", "DK", 4_500_000, "DKK"],
    ["ca. 30 mio. kr. over 4 år", "DK", 30_000_000, "DKK"],
    ["Budget 2026: 3 mio. kr.", "DK", 3_000_000, "DKK"],
    ["Anslået værdi (ekskl. moms): 1.250.000 kr.", "DK", 1_250_000, "DKK"],
    ["Uppskattat värde: 2,4 Mkr", "SE", 2_400_000, "SEK"],
    ["kr 3 500 000 eks. mva.", "NO", 3_500_000, "NOK"],
    ["Ca. 12 millioner kr. årlig", "NO", 12_000_000, "NOK"],
    ["Ca 400 000 kr/år", "SE", 400_000, "SEK"],
    ["Över 5 miljoner kronor", "SE", 5_000_000, "SEK"],
    ["1-2 mio.", "DK", 2_000_000, "DKK"],
    ["250000", "DK", 250_000, "DKK"],
    ["-500", "DK", 500, "DKK"],
    ["100 000 €", "SE", 100_000, "EUR"],
    ["5 000 000", "GB", 5_000_000, "GBP"],
    ["5 000 000", "FI", 5_000_000, "EUR"],
  ];

  it.each(cases)("%j in %s → %d %s", (raw, country, amount, currency) => {
    expect(parseEstimatedValue(raw, country)).toEqual({ amount, currency, raw: cleanText(raw) });
  });

  it.each(["Ikke fastlagt", "Ej fastställt", "Ukjent", "-", "N/A", "", "kr.", "Afventer budget"])(
    "%j → undefined",
    (raw) => {
      expect(parseEstimatedValue(raw, "DK")).toBeUndefined();
    },
  );

  it("reads no number out of an absurdly long digit run", () => {
    expect(parseEstimatedValue("9".repeat(400), "DK")).toBeUndefined();
  });
});

describe("parseContractPeriod", () => {
  const cases: [string, number | undefined, number | undefined][] = [
    ["2 år + 2 x 1 års option", 24, 24],
    ["2+1+1 år", 24, 24],
    ["2+1+1", 24, 24],
    ["4 år", 48, undefined],
    ["3 år med option på 1 år", 36, 12],
    ["24 måneder + 12 måneders option", 24, 12],
    ["2 år + option 2 x 12 mdr.", 24, 24],
    ["36 mån", 36, undefined],
    ["36 mdr.", 36, undefined],
    ["2 år och 2 års förlängning", 24, 24],
    ["avtalstid 2 år med möjlighet till förlängning 1+1 år", 24, 24],
    ["Avtalsperiod 2 år med option om förlängning 2 x 1 år", 24, 24],
    ["2 år + 1 + 1", 24, 24],
    ["2 år (+1+1)", 24, 24],
    ["4 years including options", 48, undefined],
    ["3 years + 1 year extension", 36, 12],
    ["Kontrakt 3 år med opsjon på 1+1 år", 36, 24],
    ["2 år med mulighed for forlængelse i 2 x 12 måneder", 24, 24],
    ["to år med mulighed for forlængelse i et år", 24, 12],
    ["toårig kontrakt", 24, undefined],
    ["2-årig aftale med option på 2 x 12 måneder", 24, 24],
    ["1½ år", 18, undefined],
    ["1,5 år", 18, undefined],
    ["et halvt år", 6, undefined],
    ["2 år + 2 x 1 år, i alt 4 år", 24, 24],
    ["2 år med mulighed for forlængelse", 24, undefined],
    ["Option 2 x 12 mdr.", undefined, 24],
    ["Rammeavtale 2 år + opsjon 1 + 1 år", 24, 24],
    ["Avtalet gäller i 3 år med möjlighet till förlängning i ytterligare 1 år", 36, 12],
    ["4 år (2+1+1)", 24, 24],
    ["Aftalen løber i 4 år inkl. option", 48, undefined],
    ["12 mdr. + 2 x 12 mdr.", 12, 24],
  ];

  it.each(cases)("%j → %s + %s months", (raw, months, optionMonths) => {
    expect(parseContractPeriod(raw)).toEqual({
      ...(months !== undefined ? { months } : {}),
      ...(optionMonths !== undefined ? { optionMonths } : {}),
      raw,
    });
  });

  it("reads two dates as start, end and months", () => {
    expect(parseContractPeriod("01.01.2027 - 31.12.2028")).toEqual({
      months: 24,
      start: "2027-01-01",
      end: "2028-12-31",
      raw: "01.01.2027 - 31.12.2028",
    });
    expect(parseContractPeriod("2027-04-01 – 2030-03-31")).toEqual({
      months: 36,
      start: "2027-04-01",
      end: "2030-03-31",
      raw: "2027-04-01 – 2030-03-31",
    });
  });

  it("adds options written next to dates, and ignores a restated length", () => {
    expect(parseContractPeriod("01.01.2027 - 31.12.2028 med option på 2 x 1 år")).toEqual({
      months: 24,
      optionMonths: 24,
      start: "2027-01-01",
      end: "2028-12-31",
      raw: "01.01.2027 - 31.12.2028 med option på 2 x 1 år",
    });
    expect(parseContractPeriod("01.01.2027 - 31.12.2028 (2 år)")?.optionMonths).toBeUndefined();
  });

  it("reads one date as the start", () => {
    expect(parseContractPeriod("Fra 1. januar 2027, 4 år")).toEqual({
      months: 48,
      start: "2027-01-01",
      raw: "Fra 1. januar 2027, 4 år",
    });
  });

  it.each([
    "løbende",
    "Løpende",
    "ongoing",
    "Ikke fastlagt",
    "-",
    "",
    "4",
    "Løbende med 3 mdr. opsigelse",
    "2026-2028",
  ])("%j → undefined", (raw) => {
    expect(parseContractPeriod(raw)).toBeUndefined();
  });
});

describe("findReservedHint", () => {
  const positives: [string, string, "res-ws" | "res-pub-ser" | undefined][] = [
    ["Udbuddet reserveres.", "Udbuddet reserveres.", undefined],
    [
      "Rengøring af 12 institutioner. Kontrakten forventes reserveret til socialøkonomiske virksomheder, jf. udbudslovens § 20. Kontakt os for dialog.",
      "Kontrakten forventes reserveret til socialøkonomiske virksomheder, jf. udbudslovens § 20.",
      "res-ws",
    ],
    ["Reserveres efter § 20", "Reserveres efter § 20", "res-ws"],
    [
      "Udbydes som reserveret kontrakt efter paragraf 20",
      "Udbydes som reserveret kontrakt efter paragraf 20",
      "res-ws",
    ],
    [
      "Upphandlingen reserveras för arbetsintegrerande sociala företag.",
      "Upphandlingen reserveras för arbetsintegrerande sociala företag.",
      "res-ws",
    ],
    ["Reserverad upphandling", "Reserverad upphandling", undefined],
    [
      "Reserverad upphandling enligt 4 kap. 18 § LOU",
      "Reserverad upphandling enligt 4 kap. 18 § LOU",
      "res-ws",
    ],
    ["Vi ønsker dialog med sociale virksomheder.", "Vi ønsker dialog med sociale virksomheder.", "res-ws"],
    ["Egnet for skærmede virksomheder", "Egnet for skærmede virksomheder", "res-ws"],
    [
      "Opgaven kan løses af borgere i beskyttet beskæftigelse",
      "Opgaven kan løses af borgere i beskyttet beskæftigelse",
      "res-ws",
    ],
    [
      "Reservert konkurranse for arbeidsintegrerende virksomheter",
      "Reservert konkurranse for arbeidsintegrerende virksomheter",
      "res-ws",
    ],
    ["Aktuell for vekstbedrift", "Aktuell for vekstbedrift", "res-ws"],
    ["Reserved for sheltered workshops", "Reserved for sheltered workshops", "res-ws"],
    [
      "Reserved for supported businesses under Regulation 20",
      "Reserved for supported businesses under Regulation 20",
      "res-ws",
    ],
    [
      "Contracts reserved under Article 20 of Directive 2014/24/EU",
      "Contracts reserved under Article 20 of Directive 2014/24/EU",
      "res-ws",
    ],
    [
      "The contract is reserved for mutuals under Article 77.",
      "The contract is reserved for mutuals under Article 77.",
      "res-pub-ser",
    ],
    ["Udbydes efter udbudslovens § 191", "Udbydes efter udbudslovens § 191", "res-pub-ser"],
    [
      "Reserved for organisations with a public service mission",
      "Reserved for organisations with a public service mission",
      "res-pub-ser",
    ],
    ["Article 20 and Article 77", "Article 20 and Article 77", undefined],
    ["Overvejes reserveret jf. §20", "Overvejes reserveret jf. §20", "res-ws"],
  ];

  it.each(positives)("%j → %j (%s)", (text, sentence, kind) => {
    expect(findReservedHint(text)).toEqual(kind ? { text: sentence, kind } : { text: sentence });
  });

  it("keeps the line, not the whole cell, when the text has line breaks", () => {
    expect(
      findReservedHint("Vinduespolering\nReserveret for socialøkonomiske virksomheder\nKontakt: Jens"),
    ).toEqual({
      text: "Reserveret for socialøkonomiske virksomheder",
      kind: "res-ws",
    });
  });

  it("cuts a very long sentence to a window around the sign", () => {
    const text = `${"ord ".repeat(600)}reserveret for socialøkonomiske virksomheder ${"ord ".repeat(600)}`;
    const hint = findReservedHint(text);
    expect(hint?.kind).toBe("res-ws");
    expect(hint?.text.length).toBeLessThanOrEqual(1000);
    expect(hint?.text).toContain("reserveret for socialøkonomiske virksomheder");
  });

  it.each([
    "Alle rettigheder reserveret",
    "© 2026 Aarhus Kommune. Alle rettigheder reserveret.",
    "All rights reserved.",
    "Samtliga rättigheter reserverade för upphandlande myndighet",
    "Parkering reserveret for håndværkere under udbuddet",
    "Reserved parking for contractors",
    "Indkøb af reservedele til kommunens køretøjer",
    "Reservestrøm og nødgeneratorer",
    "Kommunen reserverer sig retten til at ændre udbudsplanen.",
    "Udbudsplanen er med reservation for ændringer.",
    "Lokalet er reserveret til møder.",
    "Se § 200 i loven",
    "anskaffelsesforskriften § 20-3",
    "Artikel 200",
    "§ 2",
    "Rengøring af skoler",
    "",
  ])("%j → undefined", (text) => {
    expect(findReservedHint(text)).toBeUndefined();
  });
});

describe("findCpvCodes", () => {
  it.each([
    ["CPV: 90910000-9, 90911200 og 90919200", ["90910000", "90911200", "90919200"]],
    ["Rengøring (90910000-9)", ["90910000"]],
    ["CPV-kode 77310000 Kontakt 33 12 34 56", ["77310000"]],
    ["CPV 90910000 90910000-9", ["90910000"]],
    ["Hovedkode (CPV): 45000000-7; biord 45210000-2", ["45000000", "45210000"]],
    ["CPV-koder: 90910000 Rengøring, 90911200 Vinduespolering", ["90910000", "90911200"]],
    ["(CPV 77310000). Kontakt tlf. 45123456.", ["77310000"]],
    ["CPV 77310000, tlf. 45123456", ["77310000"]],
    ["Ring på tlf. 45123456 eller 90910000", []],
    ["Ordrenr. 90910000", []],
    ["CPV 90910000,5", []],
    ["CPV 909100001", []],
    ["CPV 12345678-9", []],
    ["CPV 90910000-12", []],
    ["CPV 2026-03-15", []],
  ])("%j → %j", (text, codes) => {
    expect(findCpvCodes(text)).toEqual(codes);
  });

  it("takes every 8-digit code of a cpv cell", () => {
    expect(findCpvCodes("90910000; 77310000-6 Grøn pleje", { field: true })).toEqual([
      "90910000",
      "77310000",
    ]);
    expect(findCpvCodes("90910000", { field: true })).toEqual(["90910000"]);
    expect(findCpvCodes("12345678", { field: true })).toEqual([]);
  });
});

describe("no parser throws, and values are sane", () => {
  const arbitraryText = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: "grapheme", maxLength: 200 }),
    fc
      .array(
        fc.constantFrom(
          "Q2",
          "2026",
          " ",
          "\u00a0",
          ".",
          ",",
          "-",
          "+",
          "x",
          "1",
          "12",
          "000",
          "mio.",
          "kr",
          "tkr",
          "uge",
          "år",
          "option",
          "§ 20",
          "reserveret",
          "CPV",
          "90910000",
          "-9",
          "maj",
          "halvår",
          "kvartal",
          "€",
          "constructor",
          "__proto__",
        ),
        { maxLength: 40 },
      )
      .map((parts) => parts.join("")),
  );

  it("parses arbitrary strings without throwing", () => {
    fc.assert(
      fc.property(arbitraryText, fc.constantFrom("DK", "SE", "NO", "GB", "", "xx"), (text, country) => {
        const publication = parseExpectedPublication(text, { today: "2026-05-01" });
        if (publication) expect(publication.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        const period = parseContractPeriod(text);
        if (period?.months !== undefined)
          expect(Number.isInteger(period.months) && period.months > 0).toBe(true);
        if (period?.optionMonths !== undefined) expect(period.optionMonths).toBeGreaterThanOrEqual(0);
        findReservedHint(text);
        for (const code of findCpvCodes(text, { field: true })) expect(code).toMatch(/^\d{8}$/);
        cleanText(text);
        const value = parseEstimatedValue(text, country);
        if (value) {
          expect(Number.isNaN(value.amount)).toBe(false);
          expect(Number.isFinite(value.amount)).toBe(true);
          expect(value.amount).toBeGreaterThanOrEqual(0);
          expect(value.currency).toMatch(/^[A-Z]{3}$/);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it("stays fast on 20 KB inputs", () => {
    const inputs = [
      "1".repeat(20_000),
      "1.".repeat(10_000),
      "1 000 ".repeat(3_400),
      "a".repeat(20_000),
      "§ ".repeat(10_000),
      "uge 1 ".repeat(3_400),
      "Q".repeat(20_000),
      `${"reserveret ".repeat(1_800)}`,
      "90910000 ".repeat(2_200),
    ];
    const started = Date.now();
    for (const text of inputs) {
      parseExpectedPublication(text);
      parseEstimatedValue(text, "DK");
      parseContractPeriod(text);
      findReservedHint(text);
      findCpvCodes(text);
    }
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
