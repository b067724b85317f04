import { describe, expect, it } from "vitest";
import { fieldOfLabel, foldLabel, scoreHeaderRow } from "../../../../crawlers/plan/headers.js";
import type { PlanField } from "../../../../crawlers/plan/plan-item.js";

const expectations: [string, PlanField | undefined][] = [
  // Danish
  ["Opgave", "title"],
  ["Udbud", "title"],
  ["Udbudsnavn", "title"],
  ["Beskrivelse af opgaven", "title"],
  ["Beskrivelse", "description"],
  ["Kort beskrivelse", "description"],
  ["Område", "area"],
  ["Fagområde", "area"],
  ["Område/kategori", "area"],
  ["Forvaltning", "department"],
  ["Afdeling / enhed", "department"],
  ["Forventet annoncering", "expectedPublication"],
  ["Forventet udbud", "expectedPublication"],
  ["Udbudstidspunkt", "expectedPublication"],
  ["Tidspunkt", "expectedPublication"],
  ["Forventet", "expectedPublication"],
  ["Forventet kontraktstart", "contractPeriod"],
  ["Forventet værdi", "estimatedValue"],
  ["Anslået værdi (kr.)", "estimatedValue"],
  ["Værdi", "estimatedValue"],
  ["Kontraktværdi i alt", "estimatedValue"],
  ["Kontraktens løbetid", "contractPeriod"],
  ["Varighed inkl. optioner", "contractPeriod"],
  ["Udbudskonsulent", "contact"],
  ["Kontaktperson", "contact"],
  ["CPV-kode", "cpv"],
  ["Reserveret kontrakt", "reserved"],
  ["Nr.", "reference"],
  ["Udbudsnummer", "reference"],
  ["Udbudsnr.", "reference"],
  ["Sagsnr", "reference"],
  ["Udbudsform", "procedure"],
  // Swedish
  ["Upphandling", "title"],
  ["Upphandlingsnamn", "title"],
  ["Namn", "title"],
  ["Beskrivning", "description"],
  ["Omfattning", "description"],
  ["Verksamhetsområde", "area"],
  ["Förvaltning", "department"],
  ["Nämnd", "department"],
  ["Beräknad annonsering", "expectedPublication"],
  ["Planerad annonsering", "expectedPublication"],
  ["Uppskattat värde", "estimatedValue"],
  ["Beräknat värde (SEK)", "estimatedValue"],
  ["Avtalstid", "contractPeriod"],
  ["Avtalsperiod", "contractPeriod"],
  ["Upphandlare", "contact"],
  ["Handläggare", "contact"],
  ["CPV-kod", "cpv"],
  ["Reserverad", "reserved"],
  ["Diarienummer", "reference"],
  ["Dnr", "reference"],
  ["Upphandlingsform", "procedure"],
  ["Förfarande", "procedure"],
  // Norwegian
  ["Anskaffelse", "title"],
  ["Konkurranse", "title"],
  ["Tittel", "title"],
  ["Etat", "department"],
  ["Virksomhet", "department"],
  ["Planlagt kunngjøring", "expectedPublication"],
  ["Kunngjøring", "expectedPublication"],
  ["Estimert verdi", "estimatedValue"],
  ["Anslått verdi", "estimatedValue"],
  ["Kontraktsperiode", "contractPeriod"],
  ["Varighet", "contractPeriod"],
  ["Saksbehandler", "contact"],
  ["Saksnummer", "reference"],
  ["Prosedyre", "procedure"],
  ["Anskaffelsesprosedyre", "procedure"],
  // English
  ["Contract title", "title"],
  ["Procurement", "title"],
  ["Description of the contract", "description"],
  ["Scope", "description"],
  ["Category", "area"],
  ["Directorate", "department"],
  ["Expected publication", "expectedPublication"],
  ["Timing", "expectedPublication"],
  ["Estimated value (£)", "estimatedValue"],
  ["Contract value", "estimatedValue"],
  ["Contract period", "contractPeriod"],
  ["Duration", "contractPeriod"],
  ["Contact", "contact"],
  ["CPV code", "cpv"],
  ["Reserved", "reserved"],
  ["Ref", "reference"],
  ["Contract reference", "reference"],
  ["Procedure", "procedure"],
  // Nothing
  ["Bemærkninger", undefined],
  ["Tid", undefined],
  ["", undefined],
  ["Læs mere om hvordan kommunen gennemfører sine udbud og hvad det betyder for dig", undefined],
];

describe("fieldOfLabel", () => {
  it.each(expectations)("maps %j to %s", (label, field) => {
    expect(fieldOfLabel(label)).toBe(field);
  });

  it("matches without diacritics, in any case, and with the Danish aa spelling", () => {
    expect(fieldOfLabel("ANSLAAET VAERDI")).toBe("estimatedValue");
    expect(fieldOfLabel("Omraade")).toBe("area");
    expect(fieldOfLabel("Beraknad annonsering")).toBe("expectedPublication");
    expect(fieldOfLabel("Planlagt kunngjoring")).toBe("expectedPublication");
    expect(fieldOfLabel("Forvaltning:")).toBe("department");
  });

  it("folds labels to lower case without diacritics or punctuation", () => {
    expect(foldLabel("Anslået værdi (kr.)")).toBe("anslaet vaerdi kr");
    expect(foldLabel("Förvaltning/Nämnd")).toBe("forvaltning namnd");
  });

  it("takes extra labels from hints, ahead of the vocabulary", () => {
    expect(fieldOfLabel("Indsatsområde")).toBe("area");
    expect(fieldOfLabel("Indsatsområde", { columns: { department: ["Indsatsområde"] } })).toBe("department");
    expect(fieldOfLabel("Hvornår i udbud", { columns: { expectedPublication: ["hvornår i udbud"] } })).toBe(
      "expectedPublication",
    );
  });
});

describe("scoreHeaderRow", () => {
  it("recognises a plan header and maps each column", () => {
    const r = scoreHeaderRow(["Nr.", "Opgave", "Forventet annoncering", "Anslået værdi", "Bemærkninger"]);
    expect(r.fields).toEqual(["reference", "title", "expectedPublication", "estimatedValue", undefined]);
    expect(r.isPlan).toBe(true);
    expect(r.score).toBe(5);
  });

  it("needs a title and some planning evidence", () => {
    expect(scoreHeaderRow(["Opgave", "Kontakt"]).isPlan).toBe(false);
    expect(scoreHeaderRow(["Forventet annoncering", "Værdi"]).isPlan).toBe(false);
    expect(scoreHeaderRow(["Dag", "Tid"]).isPlan).toBe(false);
  });

  it("gives each field to one column, the better match", () => {
    const r = scoreHeaderRow(["Udbud", "Udbudsnavn", "Tidspunkt"]);
    expect(r.fields).toEqual([undefined, "title", "expectedPublication"]);
  });

  it("uses a description as the title when there is no title column", () => {
    const r = scoreHeaderRow(["Beskrivelse", "Forventet udbud", "Værdi"]);
    expect(r.fields).toEqual(["title", "expectedPublication", "estimatedValue"]);
    expect(r.isPlan).toBe(true);
  });

  it("does not read a data row as a header", () => {
    expect(scoreHeaderRow(["Rengøring af skoler", "Q2 2026", "ca. 4,5 mio. kr."]).isPlan).toBe(false);
  });
});
