import { describe, expect, it } from "vitest";
import {
  formatDateTime,
  formatExpectedPublication,
  formatMoney,
} from "../../../src/alerts/email/alert-format.js";
import { escapeHtml, messageIdFor, renderAlertEmail } from "../../../src/alerts/email/email.render.js";
import type { AlertLanguage } from "../../../src/domain/subscription.js";
import type { ExpectedPublication } from "../../../src/domain/tender.js";
import { aPlannedTender, aSubscription, aTender, anAlert, anItem } from "../../support/alert-fixtures.js";

const consortium = {
  members: [
    { id: "alfa", name: "Alfa A/S" },
    { id: "rengoer-aps", name: "Rengør ApS" },
    { id: "beta", name: "Beta ApS" },
  ],
  lots: ["LOT-1", "LOT-2", "LOT-3"],
};

describe("renderAlertEmail: one item in each language", () => {
  const cases: {
    language: AlertLanguage;
    subject: string;
    labels: string[];
    reservation: string;
    unsubscribe: string;
    value: string;
  }[] = [
    {
      language: "da",
      subject: "Nyt udbud: Rengøring af kommunale bygninger",
      labels: [
        "Ordregiver: Aarhus Kommune",
        "Status: Åben for tilbud",
        "Tilbudsfrist: 12. maj 2027 kl. 12.00",
      ],
      reservation: "Forbeholdt beskyttede værksteder",
      unsubscribe: "Afmeld",
      value: "Anslået værdi: 1.500.000 DKK",
    },
    {
      language: "sv",
      subject: "Ny upphandling: Rengøring af kommunale bygninger",
      labels: [
        "Upphandlande organisation: Aarhus Kommune",
        "Status: Öppen för anbud",
        "Sista anbudsdag: 12 maj 2027 kl. 12.00",
      ],
      reservation: "Reserverad för skyddade verkstäder",
      unsubscribe: "Avsluta prenumerationen",
      value: "Uppskattat värde: 1\u00a0500\u00a0000 DKK",
    },
    {
      language: "nb",
      subject: "Ny anskaffelse: Rengøring af kommunale bygninger",
      labels: [
        "Oppdragsgiver: Aarhus Kommune",
        "Status: Åpen for tilbud",
        "Tilbudsfrist: 12. mai 2027 kl. 12.00",
      ],
      reservation: "Forbeholdt vernede virksomheter",
      unsubscribe: "Meld deg av",
      value: "Anslått verdi: 1\u00a0500\u00a0000 DKK",
    },
    {
      language: "en",
      subject: "New tender: Rengøring af kommunale bygninger",
      labels: ["Buyer: Aarhus Kommune", "Stage: Open for tenders", "Tender deadline: 12 May 2027, 12:00"],
      reservation:
        "Reserved for sheltered workshops and enterprises whose main aim is the integration of disabled or disadvantaged persons (Art. 20)",
      unsubscribe: "Unsubscribe",
      value: "Estimated value: DKK 1,500,000",
    },
  ];

  for (const c of cases) {
    it(`writes ${c.language}`, () => {
      const mail = renderAlertEmail(anAlert([anItem("tender.new")], { language: c.language }));
      expect(mail.subject).toBe(c.subject);
      for (const label of c.labels) expect(mail.text).toContain(label);
      expect(mail.text).toContain(c.reservation);
      expect(mail.text).toContain(c.value);
      expect(mail.text).toContain(`${c.unsubscribe}: https://jointbid.example.org/unsubscribe/tok_sub_1`);
      expect(mail.text).toContain("https://jointbid.example.org/tenders/udbud%3A2027-0042");
      expect(mail.html).toContain(`<html lang="${c.language}">`);
      expect(mail.html).toContain(escapeHtml(c.reservation));
      expect(mail.html).toContain(`>${c.unsubscribe}</a>`);
      expect(mail.html).not.toMatch(/<(img|link|script)\b/i);
      expect(mail.html).not.toMatch(/src=/i);
    });
  }

  it("says what a planned purchase is and when it is expected", () => {
    const mail = renderAlertEmail(anAlert([anItem("tender.new", aPlannedTender())]));
    expect(mail.subject).toBe("Nyt planlagt indkøb: Vinduespolering 2028");
    expect(mail.text).toContain("Forventet offentliggørelse: forår 2027");
    expect(mail.text).toContain("Anslået værdi: ikke oplyst");
    expect(mail.text).toContain(
      "Forbeholdt organisationer, der har en mission inden for offentlige tjenester (art. 77)",
    );
    const en = renderAlertEmail(anAlert([anItem("tender.new", aPlannedTender())], { language: "en" }));
    expect(en.text).toContain(
      "Reservation: Reserved for organisations with a public-service mission (Art. 77)",
    );
    expect(en.text).toContain("Expected publication: Spring 2027");
  });
});

describe("renderAlertEmail: a reservation only the plan text mentions", () => {
  it("quotes the sentence and says the reservation is not stated", () => {
    const tender = aPlannedTender({
      reserved: "unknown",
      reservedHint: { text: "Udbuddet reserveres til socialøkonomiske virksomheder.", kind: "res-ws" },
    });
    const mail = renderAlertEmail(anAlert([anItem("tender.new", tender)]));
    expect(mail.text).toContain("Reserveret kontrakt: Ikke oplyst");
    expect(mail.text).toContain(
      "Indkøbsplanen nævner en reserveret kontrakt: »Udbuddet reserveres til socialøkonomiske virksomheder.«",
    );
  });
});

describe("expected publication at its precision", () => {
  const table: [ExpectedPublication["precision"], string, Record<AlertLanguage, string>][] = [
    ["day", "2027-05-12", { da: "12. maj 2027", sv: "12 maj 2027", nb: "12. mai 2027", en: "12 May 2027" }],
    ["month", "2027-05-01", { da: "maj 2027", sv: "maj 2027", nb: "mai 2027", en: "May 2027" }],
    [
      "quarter",
      "2027-04-01",
      { da: "2. kvartal 2027", sv: "andra kvartalet 2027", nb: "2. kvartal 2027", en: "Q2 2027" },
    ],
    ["season", "2027-03-01", { da: "forår 2027", sv: "våren 2027", nb: "våren 2027", en: "Spring 2027" }],
    ["season", "2027-09-01", { da: "efterår 2027", sv: "hösten 2027", nb: "høsten 2027", en: "Autumn 2027" }],
    [
      "half",
      "2027-07-01",
      {
        da: "andet halvår 2027",
        sv: "andra halvåret 2027",
        nb: "andre halvår 2027",
        en: "Second half of 2027",
      },
    ],
    ["year", "2027-01-01", { da: "2027", sv: "2027", nb: "2027", en: "2027" }],
  ];
  for (const [precision, date, expected] of table) {
    for (const language of ["da", "sv", "nb", "en"] as const) {
      it(`${precision} ${date} in ${language}: ${expected[language]}`, () => {
        expect(formatExpectedPublication({ date, precision }, language)).toBe(expected[language]);
      });
    }
  }

  it("shows a quarter in the e-mail as written", () => {
    const tender = aPlannedTender({ expectedPublication: { date: "2027-04-01", precision: "quarter" } });
    const mail = renderAlertEmail(anAlert([anItem("tender.new", tender)], { language: "en" }));
    expect(mail.text).toContain("Expected publication: Q2 2027");
    expect(mail.html).toContain("Q2 2027");
  });

  it("shows deadlines in the subscriber's time zone and money with its currency", () => {
    expect(formatDateTime("2027-01-15T11:30:00Z", "da", "Europe/Copenhagen")).toBe(
      "15. januar 2027 kl. 12.30 (Europe/Copenhagen)",
    );
    expect(formatDateTime("2027-07-15T11:30:00Z", "en", "Europe/London")).toBe(
      "15 July 2027, 12:30 (Europe/London)",
    );
    expect(formatMoney({ amount: 2_750_000.5, currency: "SEK" }, "sv")).toBe("2\u00a0750\u00a0000,50 SEK");
    expect(formatMoney({ amount: 999, currency: "EUR" }, "en")).toBe("EUR 999");
  });
});

describe("renderAlertEmail: events", () => {
  it("lists what changed, from → to", () => {
    const item = anItem("tender.changed", aTender(), {
      changes: [
        { field: "deadline", from: "2027-05-01T10:00:00Z", to: "2027-05-12T10:00:00Z" },
        { field: "estimatedValue", from: null, to: { amount: 1_500_000, currency: "DKK" } },
        { field: "reserved", from: "none", to: "res-ws" },
      ],
    });
    const mail = renderAlertEmail(anAlert([item]));
    expect(mail.subject).toBe("Ændret: Rengøring af kommunale bygninger");
    expect(mail.text).toContain("Hvad er ændret:");
    expect(mail.text).toContain(
      "Tilbudsfrist: 1. maj 2027 kl. 12.00 (Europe/Copenhagen) → 12. maj 2027 kl. 12.00 (Europe/Copenhagen)",
    );
    expect(mail.text).toContain("Anslået værdi: ikke oplyst → 1.500.000 DKK");
    expect(mail.text).toContain("Reserveret kontrakt: ikke forbeholdt → forbeholdt (art. 20)");
    expect(mail.html).toContain("<del>ikke forbeholdt</del> → <ins>forbeholdt (art. 20)</ins>");
    expect(mail.headers["X-Jointbid-Event"]).toBe("tender.changed");
  });

  it("names the notice a planned purchase was published as", () => {
    const item = anItem("tender.published", aPlannedTender(), {
      publishedAs: {
        id: "ted:123-2027",
        title: "Vinduespolering 2028-2031",
        link: "https://ted.example/123",
      },
    });
    const mail = renderAlertEmail(anAlert([item], { language: "en" }));
    expect(mail.subject).toBe("Now published: Vinduespolering 2028");
    expect(mail.text).toContain("Published as: Vinduespolering 2028-2031 <https://ted.example/123>");
    expect(mail.html).toContain('<a href="https://ted.example/123"');
  });

  it("describes the group of a consortium opportunity, with the subscriber as you", () => {
    const en = renderAlertEmail(
      anAlert([anItem("consortium.opportunity", aTender(), { consortium })], { language: "en" }),
    );
    expect(en.subject).toBe("Group opportunity: Rengøring af kommunale bygninger");
    expect(en.text).toContain("You, Alfa A/S and Beta ApS together cover all three lots.");
    expect(en.text).toContain("Lots you cover: Skoler; Rådhus; Vinduespolering");
    const da = renderAlertEmail(anAlert([anItem("consortium.opportunity", aTender(), { consortium })]));
    expect(da.text).toContain("Du, Alfa A/S og Beta ApS dækker tilsammen alle tre delkontrakter.");
    const sv = renderAlertEmail(
      anAlert(
        [anItem("consortium.opportunity", aTender(), { consortium: { ...consortium, lots: ["LOT-1"] } })],
        {
          language: "sv",
        },
      ),
    );
    expect(sv.text).toContain("Du, Alfa A/S och Beta ApS täcker tillsammans 1 av de 3 delområdena.");
  });

  it("says a withdrawn tender is withdrawn", () => {
    const mail = renderAlertEmail(
      anAlert([anItem("tender.withdrawn", aTender({ stage: "withdrawn" }))], { language: "nb" }),
    );
    expect(mail.subject).toBe("Trukket tilbake: Rengøring af kommunale bygninger");
    expect(mail.text).toContain("Status: Trukket tilbake");
    expect(mail.text).toContain("Oppdragsgiveren har trukket anskaffelsen tilbake");
  });
});

describe("renderAlertEmail: digest", () => {
  const items = [
    anItem("tender.changed", aTender(), { changes: [{ field: "stage", from: "planned", to: "open" }] }),
    anItem("tender.new", aPlannedTender()),
    anItem("consortium.opportunity", aTender(), { consortium }),
    anItem("tender.new", aTender({ id: "udbud:2027-0043", title: "Kantinedrift" })),
  ];

  it("groups the items by event, in a fixed order, under one subject", () => {
    const subscription = aSubscription({ frequency: "daily", language: "da" });
    const mail = renderAlertEmail(anAlert(items, { subscription, key: "digest-1" }));
    expect(mail.subject).toBe("4 opdateringer for »Rengøring i Østjylland«");
    const order = [
      "Nye udbud og planlagte indkøb",
      "Vinduespolering 2028",
      "Kantinedrift",
      "Ændrede udbud",
      "  - Status: Planlagt indkøb → Åben for tilbud",
      "Muligheder for fælles bud",
      "Du, Alfa A/S og Beta ApS dækker tilsammen alle tre delkontrakter.",
    ];
    const text = mail.text;
    let at = -1;
    for (const piece of order) {
      const next = text.indexOf(piece, at + 1);
      expect(next, piece).toBeGreaterThan(at);
      at = next;
    }
    expect(text.startsWith("Dit daglige udbudsoverblik")).toBe(true);
    expect(mail.html.match(/<h2 /g)).toHaveLength(3);
    expect(mail.html.match(/<h3 /g)).toHaveLength(4);
    expect(mail.headers["X-Jointbid-Event"]).toBe("tender.new, tender.changed, consortium.opportunity");
    expect(mail.headers["Message-ID"]).toBe("<digest-1@jointbid>");
  });

  it("uses the singular for one item of a daily subscription", () => {
    const subscription = aSubscription({ frequency: "daily", language: "en" });
    const mail = renderAlertEmail(anAlert([items[1] ?? anItem()], { subscription, language: "en" }));
    expect(mail.subject).toBe("1 update for “Rengøring i Østjylland”");
    expect(mail.text.startsWith("Your daily tender digest")).toBe(true);
  });
});

describe("renderAlertEmail: escaping and headers", () => {
  const evil = aTender({
    title: `<script>alert("x")</script> & 'Rengøring' <b>`,
    buyer: { id: "evil", name: `Buyer "<img src=x onerror=alert(1)>"`, country: "DK" },
  });

  it("escapes every value in the HTML and keeps the text part as written", () => {
    const mail = renderAlertEmail(
      anAlert([anItem("tender.new", evil, { link: "javascript:alert(1)" })], {
        subscription: aSubscription({ name: "<i>mine</i>" }),
      }),
    );
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).not.toContain("<img");
    expect(mail.html).not.toContain("<b>");
    expect(mail.html).not.toContain("<i>mine");
    expect(mail.html).toContain(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Rengøring&#39;",
    );
    expect(mail.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(mail.html).not.toContain("javascript:");
    expect(mail.text).toContain(`<script>alert("x")</script> & 'Rengøring' <b>`);
  });

  it("keeps the subject on one line", () => {
    const tender = aTender({ title: "Rengøring\r\nBcc: victim@example.org" });
    const mail = renderAlertEmail(anAlert([anItem("tender.new", tender)]));
    expect(mail.subject).toBe("Nyt udbud: Rengøring Bcc: victim@example.org");
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });

  it("derives Message-ID from the idempotency key, so a resend has the same one", () => {
    const a = renderAlertEmail(anAlert([anItem()], { key: "5f2a9c" }));
    const b = renderAlertEmail({
      ...anAlert([anItem()], { key: "5f2a9c" }),
      deliveredAt: "2027-03-02T08:00:00Z",
    });
    expect(a.headers["Message-ID"]).toBe("<5f2a9c@jointbid>");
    expect(b.headers["Message-ID"]).toBe(a.headers["Message-ID"]);
    expect(messageIdFor("sub:tender:event:1")).toBe("<sub%3Atender%3Aevent%3A1@jointbid>");
    expect(messageIdFor("a.b")).not.toBe(messageIdFor("a_b"));
  });

  it("offers one-click unsubscribe (RFC 8058) and names the event", () => {
    const mail = renderAlertEmail(anAlert([anItem("tender.new")]));
    expect(mail.headers["List-Unsubscribe"]).toBe("<https://jointbid.example.org/unsubscribe/tok_sub_1>");
    expect(mail.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(mail.headers["X-Jointbid-Event"]).toBe("tender.new");
    expect(mail.headers["Auto-Submitted"]).toBe("auto-generated");
  });
});
