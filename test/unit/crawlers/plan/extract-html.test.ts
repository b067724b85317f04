import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extractPlanFromHtml } from "../../../../crawlers/plan/extract-html.js";
import type { RawPlanRow } from "../../../../crawlers/plan/plan-item.js";

const fixtures = new URL("../../../fixtures/plans/", import.meta.url);
const page = (name: string) => readFileSync(new URL(name, fixtures), "utf8");
const titles = (rows: RawPlanRow[]) => rows.map((r) => r.fields.title);
const everyText = (rows: RawPlanRow[]) =>
  rows
    .flatMap((r) => [...Object.values(r.fields), ...r.extra.map((e) => `${e.label} ${e.value}`)])
    .join("\n");

describe("extractPlanFromHtml: Danish kommune page with one plan table", () => {
  const r = extractPlanFromHtml(page("dk-kommune-table.html"), "https://www.sondervig.dk/erhverv/udbudsplan");

  it("finds the plan table and only its rows", () => {
    expect(r.strategy).toBe("table");
    expect(titles(r.rows)).toEqual([
      "Rengøring af kommunale bygninger",
      "Måltider til ældre",
      "Vintertjeneste",
      "Drift af genbrugsbutik",
      "Rådgivning om klimatilpasning",
    ]);
  });

  it("maps every column and keeps line breaks where they mean something", () => {
    expect(r.rows[0]).toEqual({
      fields: {
        reference: "U-2026-01",
        title: "Rengøring af kommunale bygninger",
        description: "Daglig rengøring af skoler og rådhus\ninkl. vinduespolering",
        area: "Ejendomme",
        expectedPublication: "Q2 2026",
        estimatedValue: "ca. 4,5 mio. kr.",
        contractPeriod: "4 år + 2 x 1 års option",
        reserved: "Nej",
        contact: "Mette Holm\nmeho@sondervig.dk",
      },
      extra: [{ label: "link", value: "https://www.sondervig.dk/erhverv/udbud/rengoering-2026" }],
      where: "table 5, row 2",
    });
    expect(r.rows[1]?.fields.description).toBe(
      "Produktion og levering af mad til hjemmeboende ældre.\nMulighed for delkontrakter.",
    );
    expect(r.rows[3]?.fields.reserved).toBe("Ja, reserveret kontrakt efter udbudslovens § 18");
    expect(r.rows.map((row) => row.where)).toEqual([
      "table 5, row 2",
      "table 5, row 3",
      "table 5, row 4",
      "table 5, row 6",
      "table 5, row 8",
    ]);
  });

  it("skips the repeated header, the empty row and the total, and says so", () => {
    expect(r.notes).toContain(
      "table 5: plan header in row 1, 5 rows; skipped rows: 1 empty, 1 repeated header, 1 subtotal",
    );
    expect(r.notes).toContain("2 tables ignored (1 layout, 1 without plan headers)");
  });

  it("never turns navigation, cookie banner, aside, footer or layout content into rows", () => {
    const text = everyText(r.rows);
    for (const chrome of [
      "Borger",
      "Accepter",
      "_ga",
      "Spørgsmål til udbud",
      "Indkøb og Udbud",
      "2024",
      "I alt",
    ])
      expect(text).not.toContain(chrome);
  });
});

describe("extractPlanFromHtml: Danish page with a table per forvaltning", () => {
  const r = extractPlanFromHtml(page("dk-forvaltninger-rowspan.html"), "https://www.kystby.dk/udbudsplan");

  it("collects every plan table, with the heading above each as its department", () => {
    expect(r.strategy).toBe("table");
    expect(r.rows.map((row) => [row.fields.title, row.fields.department])).toEqual([
      ["Legepladsudstyr", "Børne- og Ungeforvaltningen"],
      ["Bleer til vuggestuer", "Børne- og Ungeforvaltningen"],
      ["Skolemøbler", "Børne- og Ungeforvaltningen"],
      ["Vintertjeneste 2026-2030", "Teknik- og Miljøforvaltningen"],
      ["Vejbelysning – drift og vedligehold", "Teknik- og Miljøforvaltningen"],
      ["Indsamling af dagrenovation", "Teknik- og Miljøforvaltningen"],
      ["Hjælpemidler – kørestole", "Social- og Sundhedsforvaltningen"],
      ["Madservice på plejecentre", "Social- og Sundhedsforvaltningen"],
    ]);
  });

  it("repeats rowspan cells down and takes areas from section rows", () => {
    expect(r.rows.map((row) => row.fields.area)).toEqual([
      "Dagtilbud",
      "Dagtilbud",
      "Skoler",
      "Vej og Park",
      "Vej og Park",
      "Affald",
      undefined,
      undefined,
    ]);
    expect(r.rows[4]?.fields.procedure).toBe("Offentligt udbud");
    expect(r.rows[1]).toEqual({
      fields: {
        title: "Bleer til vuggestuer",
        area: "Dagtilbud",
        expectedPublication: "Q2 2026",
        estimatedValue: "900.000 kr.",
        procedure: "Udbud efter tilbudsloven",
        department: "Børne- og Ungeforvaltningen",
      },
      extra: [],
      where: "table 1, row 3",
    });
  });

  it("finds a header below a caption row and keeps unknown columns as extras", () => {
    expect(r.rows[7]).toEqual({
      fields: {
        title: "Madservice på plejecentre",
        expectedPublication: "Q3 2026",
        estimatedValue: "ca. 10 mio. kr.",
        department: "Social- og Sundhedsforvaltningen",
      },
      extra: [{ label: "Bemærkning", value: "Option på forlængelse\nDialogmøde i marts" }],
      where: "table 3, row 4",
    });
    expect(r.notes).toEqual([
      "table 1: plan header in row 1, 3 rows",
      "table 2: plan header in row 1, 3 rows; skipped rows: 1 subtotal, 2 section",
      "table 3: plan header in row 2, 2 rows",
    ]);
  });
});

describe("extractPlanFromHtml: Swedish kommun page with a <details> accordion", () => {
  const r = extractPlanFromHtml(page("se-kommun-accordion.html"), "https://www.alvsta.se/upphandling");

  it("reads each item's 'Label: value' paragraphs and list items", () => {
    expect(r.strategy).toBe("blocks");
    expect(titles(r.rows)).toEqual([
      "Skolskjuts",
      "Livsmedel till förskolor och skolor",
      "Konsulttjänster inom IT",
      "Snöröjning och halkbekämpning",
    ]);
    expect(r.rows[0]).toEqual({
      fields: {
        title: "Skolskjuts",
        description: "Skolskjuts med taxi och buss för elever i grundskolan.",
        expectedPublication: "hösten 2026",
        estimatedValue: "35 mnkr",
        contractPeriod: "4 år + 2 år option",
        department: "Barn- och utbildningsförvaltningen",
        contact: "Anna Berg",
      },
      extra: [],
      where: "block 1 'Skolskjuts'",
    });
  });

  it("gives a lone label the next line even when that line has a colon", () => {
    expect(r.rows[1]?.fields.description).toBe(
      "Livsmedel inom flera kategorier: mejeri, frukt och grönt, kolonial.",
    );
    expect(r.rows[1]?.fields.area).toBeUndefined();
    expect(r.rows[1]?.fields.reference).toBe("KS 2026/118");
  });

  it("reads list items and <b>Label:</b> value", () => {
    expect(r.rows[2]?.fields).toEqual({
      title: "Konsulttjänster inom IT",
      expectedPublication: "våren 2026",
      estimatedValue: "8 mnkr",
      procedure: "Förenklat förfarande",
      department: "Kommunledningsförvaltningen",
    });
    expect(r.rows[3]?.fields).toEqual({
      title: "Snöröjning och halkbekämpning",
      expectedPublication: "hösten 2026",
      estimatedValue: "12 mnkr per år",
      cpv: "90620000-9",
      reserved: "Nej",
    });
  });

  it("leaves out the info block, the FAQ and the footer", () => {
    const text = everyText(r.rows);
    for (const other of ["Om upphandlingsplanen", "Hur lämnar jag anbud", "Växeln", "Telefon", "kakor"])
      expect(text).not.toContain(other);
  });
});

describe("extractPlanFromHtml: Norwegian kommune page with dl/dt/dd items", () => {
  const r = extractPlanFromHtml(page("no-kommune-dl.html"), "https://www.fjordvik.kommune.no/anskaffelser");

  it("reads every item's description list, with the heading as title", () => {
    expect(r.strategy).toBe("blocks");
    expect(r.rows).toEqual([
      {
        fields: {
          title: "Rammeavtale for renhold av kommunale bygg",
          expectedPublication: "2. kvartal 2026",
          estimatedValue: "3,2 MNOK eks. mva. per år",
          department: "Eiendom",
          contractPeriod: "2 år + 1 + 1 år opsjon",
          reference: "26/01234",
        },
        extra: [],
        where: "block 1 'Rammeavtale for renhold av kommunale bygg'",
      },
      {
        fields: {
          title: "Matombringing til hjemmeboende",
          expectedPublication: "august 2026",
          estimatedValue: "ca. 9 mill. kr",
          department: "Helse og velferd",
          reserved: "Ja, reservert for arbeidsmarkedsbedrifter",
        },
        extra: [],
        where: "block 2 'Matombringing til hjemmeboende'",
      },
      {
        fields: {
          title: "Brøyting og strøing",
          expectedPublication: "2. halvår 2026",
          estimatedValue: "15 MNOK",
          procedure: "Åpen anbudskonkurranse",
        },
        extra: [],
        where: "block 3 'Brøyting og strøing'",
      },
      {
        fields: {
          title: "Skoleskyss",
          expectedPublication: "1. kvartal 2027",
          estimatedValue: "22 MNOK",
          contact: "Kari Nordmann\nkari.nordmann@fjordvik.kommune.no",
        },
        extra: [],
        where: "block 4 'Skoleskyss'",
      },
    ]);
  });

  it("does not take the section heading, the contact list or the footer for items", () => {
    const text = everyText(r.rows);
    for (const other of ["Planlagte anskaffelser", "70 00 00 00", "Rådhusgata", "Servicetorget", "Aldri"])
      expect(text).not.toContain(other);
  });
});

describe("extractPlanFromHtml: Danish accordion of buttons", () => {
  const r = extractPlanFromHtml(page("dk-accordion-buttons.html"), "https://www.hedeby.dk/udbud");

  it("follows aria-controls, reads <strong>Label</strong> value and two-column tables", () => {
    expect(r.strategy).toBe("blocks");
    expect(r.rows).toEqual([
      {
        fields: {
          title: "Rengøring af skoler",
          expectedPublication: "Q2 2026",
          estimatedValue: "ca. 4,5 mio. kr. årligt",
          department: "Børn og Unge",
          contact: "Lise Dahl",
        },
        extra: [],
        where: "block 1 'Rengøring af skoler'",
      },
      {
        fields: {
          title: "Måltider til ældre",
          expectedPublication: "Q4 2026",
          estimatedValue: "ca. 11 mio. kr.",
          contractPeriod: "4 år",
        },
        extra: [{ label: "Bemærkninger", value: "Markedsdialog i juni" }],
        where: "block 2 'Måltider til ældre'",
      },
      {
        fields: { title: "Vinduespolering", expectedPublication: "2027", procedure: "Tilbudsloven" },
        extra: [],
        where: "block 3 'Vinduespolering'",
      },
    ]);
  });
});

describe("extractPlanFromHtml: English council table", () => {
  const r = extractPlanFromHtml(
    page("en-council-table.html"),
    "https://www.northmere.gov.uk/business/pipeline",
  );

  it("maps English headers and resolves relative links", () => {
    expect(r.strategy).toBe("table");
    expect(titles(r.rows)).toEqual([
      "Grounds maintenance",
      "Supported living services for adults with learning disabilities",
      "Fleet vehicle leasing",
      "Library management system",
    ]);
    expect(r.rows[2]).toEqual({
      fields: {
        reference: "NBC-2026-040",
        title: "Fleet vehicle leasing",
        department: "Resources",
        estimatedValue: "£800k",
        expectedPublication: "Autumn 2026",
        contractPeriod: "4 years",
        procedure: "Framework call-off",
        cpv: "34100000-8",
      },
      extra: [{ label: "link", value: "https://www.northmere.gov.uk/tenders/fleet" }],
      where: "table 1, row 4",
    });
    expect(r.rows[3]?.fields.cpv).toBeUndefined();
    expect(everyText(r.rows)).not.toContain("procurement@northmere.gov.uk");
  });
});

describe("extractPlanFromHtml: a page without a plan", () => {
  it("returns no rows and says why", () => {
    const r = extractPlanFromHtml(page("no-plan-news.html"), "https://www.sondervig.dk/nyheder/1");
    expect(r).toEqual({
      rows: [],
      strategy: "none",
      notes: [
        "no table with plan headers; 2 tables ignored (1 layout, 1 without plan headers)",
        "no blocks with plan labels",
      ],
    });
  });

  it("returns no rows for an empty page or plain text", () => {
    expect(extractPlanFromHtml("", "https://x.dk/").strategy).toBe("none");
    expect(extractPlanFromHtml("Udbud: Rengøring; Værdi: 3 mio.", "not a url").rows).toEqual([]);
  });
});

describe("extractPlanFromHtml: details", () => {
  it("takes a section row spanning all columns as the area of the rows after it", () => {
    const html = `<table>
      <tr><th>Opgave</th><th>Forventet udbud</th><th>Værdi</th></tr>
      <tr><td colspan="3">Ældre</td></tr>
      <tr><td>Madservice</td><td>Q1</td><td>1 mio.</td></tr>
      <tr><td>Opgave</td><td>Forventet udbud</td><td>Værdi</td></tr>
      <tr><td colspan="3">Skoler</td></tr>
      <tr><td>Skolemøbler</td><td>Q2</td><td>2 mio.</td></tr>
    </table>`;
    const r = extractPlanFromHtml(html, "https://x.dk/");
    expect(r.rows.map((row) => [row.fields.title, row.fields.area, row.where])).toEqual([
      ["Madservice", "Ældre", "table 1, row 3"],
      ["Skolemøbler", "Skoler", "table 1, row 6"],
    ]);
  });

  it("handles colspan and rowspan together, and rowspan=0", () => {
    const html = `<table>
      <tr><th>Forvaltning</th><th>Udbud</th><th>Tidspunkt</th><th>Værdi</th></tr>
      <tr><td rowspan="0">Teknik</td><td>A</td><td colspan="2">afventer</td></tr>
      <tr><td>B</td><td rowspan="2">2026</td><td>3</td></tr>
      <tr><td>C</td><td>4</td></tr>
    </table>`;
    const r = extractPlanFromHtml(html, "https://x.dk/");
    expect(r.rows.map((row) => row.fields)).toEqual([
      { department: "Teknik", title: "A", expectedPublication: "afventer" },
      { department: "Teknik", title: "B", expectedPublication: "2026", estimatedValue: "3" },
      { department: "Teknik", title: "C", expectedPublication: "2026", estimatedValue: "4" },
    ]);
  });

  it("reads a two-row header with grouped columns", () => {
    const html = `<table><thead>
      <tr><th rowspan="2">Udbud</th><th colspan="2">Tidsplan</th><th rowspan="2">Værdi</th></tr>
      <tr><th>Forventet</th><th>Kontraktstart</th></tr></thead>
      <tbody><tr><td>Rengøring</td><td>Q2 2026</td><td>1.1.2027</td><td>3 mio.</td></tr></tbody></table>`;
    expect(extractPlanFromHtml(html, "https://x.dk/").rows).toEqual([
      {
        fields: {
          title: "Rengøring",
          expectedPublication: "Q2 2026",
          contractPeriod: "1.1.2027",
          estimatedValue: "3 mio.",
        },
        extra: [],
        where: "table 1, row 3",
      },
    ]);
  });

  it("uses a single heading above a single table only when it is not the plan's own name", () => {
    const table = `<table><tr><th>Udbud</th><th>Tidspunkt</th></tr><tr><td>Rengøring</td><td>Q2</td></tr></table>`;
    const one = extractPlanFromHtml(`<h2>Udbudsplan 2026</h2>${table}`, "https://x.dk/");
    expect(one.rows[0]?.fields.department).toBeUndefined();
    const two = extractPlanFromHtml(`<h2>Teknik</h2>${table}<h2>Kultur</h2>${table}`, "https://x.dk/");
    expect(two.rows.map((row) => row.fields.department)).toEqual(["Teknik", "Kultur"]);
  });

  it("honours hints: extra column labels and a table selector", () => {
    const html = `<table id="a"><tr><th>Indsats</th><th>Hvornår</th></tr><tr><td>Rengøring</td><td>Q2</td></tr></table>
      <table id="b"><tr><th>Opgave</th><th>Tidspunkt</th></tr><tr><td>Andet</td><td>Q3</td></tr></table>`;
    expect(titles(extractPlanFromHtml(html, "https://x.dk/").rows)).toEqual(["Andet"]);
    const hinted = extractPlanFromHtml(html, "https://x.dk/", {
      tableSelector: "#a",
      columns: { title: ["Indsats"], expectedPublication: ["Hvornår"] },
    });
    expect(hinted.rows).toEqual([
      { fields: { title: "Rengøring", expectedPublication: "Q2" }, extra: [], where: "table 1, row 2" },
    ]);
  });

  it("honours a block selector for custom cards", () => {
    const html = `<div class="card"><span class="t"><strong>Rengøring</strong></span>
      <p>Forventet udbud: Q2 2026</p><p>Værdi: 3 mio. kr.</p></div>
      <div class="card"><span class="t"><strong>Vinduespolering</strong></span>
      <p>Forventet udbud: Q3 2026</p><p>Varighed: 2 år</p></div>`;
    const r = extractPlanFromHtml(html, "https://x.dk/", { blockSelector: ".card" });
    expect(r.rows.map((row) => row.fields)).toEqual([
      { title: "Rengøring", expectedPublication: "Q2 2026", estimatedValue: "3 mio. kr." },
      { title: "Vinduespolering", expectedPublication: "Q3 2026", contractPeriod: "2 år" },
    ]);
  });

  it("prefers an item's own heading to a subheading inside it", () => {
    const item = (t: string) =>
      `<h3>${t}</h3><h4>Detaljer</h4><dl><dt>Forventet udbud</dt><dd>Q2</dd><dt>Værdi</dt><dd>1 mio.</dd></dl>`;
    const r = extractPlanFromHtml(
      `<main><h2>Planlagte udbud</h2>${item("A")}${item("B")}</main>`,
      "https://x.dk/",
    );
    expect(titles(r.rows)).toEqual(["A", "B"]);
  });

  it("reads pages wrapped in a <form> or with a cookie class on <body>", () => {
    const html = `<body class="cookie-consent-pending"><form id="aspnetForm" action="/plan.aspx">
      <div class="cookie-banner"><p>Vi bruger cookies</p><table><tr><th>Opgave</th><th>Udløb</th><th>Værdi</th></tr>
      <tr><td>_ga</td><td>2 år</td><td>1</td></tr></table></div>
      <main><table><tr><th>Opgave</th><th>Tidspunkt</th></tr><tr><td>Rengøring</td><td>Q2</td></tr></table></main>
      </form></body>`;
    expect(titles(extractPlanFromHtml(html, "https://x.dk/").rows)).toEqual(["Rengøring"]);
  });

  it("keeps the heading as an extra when a label names the title", () => {
    const html = `<details><summary>Nr. 7</summary><p>Udbud: Rengøring</p><p>Tidspunkt: Q2</p></details>`;
    expect(extractPlanFromHtml(html, "https://x.dk/").rows).toEqual([
      {
        fields: { title: "Rengøring", expectedPublication: "Q2" },
        extra: [{ label: "heading", value: "Nr. 7" }],
        where: "block 1 'Rengøring'",
      },
    ]);
  });
});

describe("extractPlanFromHtml: robustness", () => {
  it("never throws on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.string({ maxLength: 40 }), (html, base) => {
        const r = extractPlanFromHtml(html, base);
        expect(["table", "blocks", "none"]).toContain(r.strategy);
        // The catch-all in extractPlanFromHtml is a last resort, not the way these are handled.
        expect(r.notes.join(" ")).not.toContain("could not be read");
      }),
      { numRuns: 300 },
    );
  });

  it("never throws on random HTML fragments", () => {
    const tag = fc.constantFrom(
      "table",
      "tr",
      "td",
      "th",
      "thead",
      "tbody",
      "details",
      "summary",
      "dl",
      "dt",
      "dd",
      "p",
      "div",
      "h2",
      "h3",
      "button",
      "br",
      "strong",
      "a",
      "nav",
      "footer",
      "li",
      "ul",
    );
    const attr = fc.constantFrom(
      "",
      ' colspan="3"',
      ' rowspan="0"',
      ' rowspan="-2"',
      ' colspan="999999"',
      ' aria-controls="x"',
      ' id="x"',
      ' href="/a"',
      ' href="javascript:void(0)"',
      ' href="http://[bad"',
      ' role="button"',
    );
    const text = fc.constantFrom(
      "Opgave",
      "Forventet udbud",
      "Værdi: 3 mio.",
      "Udbud",
      "Kontakt:",
      "Q2 2026",
      "",
      " ",
      "I alt",
      "&nbsp;",
    );
    const piece = fc.oneof(
      fc.tuple(tag, attr).map(([t, a]) => `<${t}${a}>`),
      tag.map((t) => `</${t}>`),
      text,
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 80 }), (pieces) => {
        const r = extractPlanFromHtml(pieces.join(""), "https://x.dk/plan");
        expect(r.notes.join(" ")).not.toContain("could not be read");
        for (const row of r.rows) expect(row.fields.title ?? "").not.toBe("");
      }),
      { numRuns: 300 },
    );
  });

  it("reads a 2 000-row table", () => {
    const body = Array.from(
      { length: 2000 },
      (_, i) =>
        `<tr><td>${i + 1}</td><td>Opgave ${i + 1}</td><td>Q${(i % 4) + 1} 2026</td><td>${i} kr.</td></tr>`,
    ).join("");
    const html = `<table><thead><tr><th>Nr.</th><th>Opgave</th><th>Tidspunkt</th><th>Værdi</th></tr></thead><tbody>${body}</tbody></table>`;
    const r = extractPlanFromHtml(html, "https://x.dk/");
    expect(r.rows).toHaveLength(2000);
    expect(r.rows[1999]).toEqual({
      fields: {
        reference: "2000",
        title: "Opgave 2000",
        expectedPublication: "Q4 2026",
        estimatedValue: "1999 kr.",
      },
      extra: [],
      where: "table 1, row 2001",
    });
  });
});
