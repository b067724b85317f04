import { load } from "cheerio";
import { describe, expect, it } from "vitest";
import { atomFeed, escapeIcalText, foldIcalLine, icalFeed } from "../../../src/alerts/feeds.js";
import { aPlannedTender, aSubscription, aTender, anItem } from "../../support/alert-fixtures.js";

const NOW = "2027-03-01T08:00:00Z";
const selfUrl = "https://jointbid.example.org/feeds/tok_abc.atom?lang=da&v=1";

const octets = (s: string) => new TextEncoder().encode(s).length;
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, "");

describe("atomFeed", () => {
  const items = [
    anItem("tender.new", aTender(), { occurredAt: "2027-02-27T09:00:00Z", idempotencyKey: "a1" }),
    anItem("tender.new", aPlannedTender(), { occurredAt: "2027-02-28T09:00:00Z", idempotencyKey: "b2" }),
    anItem("tender.changed", aTender({ title: `Fish & "chips" <for> 'all'\u0001` }), {
      occurredAt: "2027-02-26T09:00:00Z",
      idempotencyKey: "c3",
      changes: [{ field: "deadline", from: "2027-05-01T10:00:00Z", to: "2027-05-12T10:00:00Z" }],
    }),
  ];
  const xml = atomFeed({ subscription: aSubscription(), items, selfUrl, now: NOW });
  const $ = load(xml, { xml: true });

  it("is an Atom 1.0 feed with id, title, updated and a self link", () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    const feed = $("feed");
    expect(feed).toHaveLength(1);
    expect(feed.attr("xmlns")).toBe("http://www.w3.org/2005/Atom");
    expect(feed.attr("xml:lang")).toBe("da");
    expect($("feed > id").text()).toBe("urn:jointbid:subscription:sub_1");
    expect($("feed > title").text()).toBe("jointbid: Rengøring i Østjylland");
    expect($("feed > updated").text()).toBe("2027-02-28T09:00:00.000Z");
    expect($('feed > link[rel="self"]').attr("href")).toBe(selfUrl);
    expect($("feed > author > name").text()).toBe("jointbid");
  });

  it("has one entry per item, newest first, with stable ids, links and a summary in the language", () => {
    const entries = $("entry");
    expect(entries).toHaveLength(3);
    expect(entries.map((_, e) => $(e).children("id").text()).get()).toEqual([
      "urn:jointbid:b2",
      "urn:jointbid:a1",
      "urn:jointbid:c3",
    ]);
    const first = entries.first();
    expect(first.children("title").text()).toBe("Nyt planlagt indkøb: Vinduespolering 2028");
    expect(first.children("updated").text()).toBe("2027-02-28T09:00:00.000Z");
    expect(first.children("link").attr("href")).toBe(
      "https://jointbid.example.org/tenders/plan%3Aaarhus-2027-7",
    );
    expect(first.children("category").attr("term")).toBe("tender.new");
    const summary = first.children("summary").text();
    expect(summary).toContain("Forventet offentliggørelse: forår 2027");
    expect(summary).toContain("Ordregiver: Aarhus Kommune");
    const changed = entries.last().children("summary").text();
    expect(changed).toContain("Hvad er ændret:");
    expect(changed).toContain("Tilbudsfrist: 1. maj 2027");
  });

  it("escapes text and drops characters XML does not allow", () => {
    expect($("entry").last().children("title").text()).toBe(`Ændret: Fish & "chips" <for> 'all'`);
    expect(xml).not.toContain("\u0001");
    expect(xml).toContain("Fish &amp; &quot;chips&quot; &lt;for&gt; &apos;all&apos;");
  });

  it("is the same text for the same items, and dated now when empty", () => {
    expect(
      atomFeed({
        subscription: aSubscription(),
        items: [...items].reverse(),
        selfUrl,
        now: "2030-01-01T00:00:00Z",
      }),
    ).toBe(xml);
    const empty = load(atomFeed({ subscription: aSubscription(), items: [], selfUrl, now: NOW }), {
      xml: true,
    });
    expect(empty("entry")).toHaveLength(0);
    expect(empty("feed > updated").text()).toBe("2027-03-01T08:00:00.000Z");
  });

  it("writes the summary in the subscription's language", () => {
    const sv = load(atomFeed({ subscription: aSubscription({ language: "sv" }), items, selfUrl, now: NOW }), {
      xml: true,
    });
    expect(sv("feed").attr("xml:lang")).toBe("sv");
    expect(sv("entry").first().children("summary").text()).toContain("Beräknad annonsering: våren 2027");
  });
});

describe("icalFeed", () => {
  const planned = aPlannedTender({ title: "Snerydning; veje, stier \\ pladser\nog pladser" });
  const items = [
    anItem("tender.new", aTender(), { version: 1 }),
    anItem("tender.changed", aTender({ deadline: "2027-05-20T10:00:00Z" }), {
      version: 2,
      occurredAt: "2027-03-01T07:00:00Z",
    }),
    anItem("tender.new", planned),
  ];
  const ics = icalFeed({ subscription: aSubscription(), items, now: NOW });
  const lines = ics.split("\r\n");

  it("is a VCALENDAR with CRLF line endings, PRODID, VERSION and a name", () => {
    expect(ics.endsWith("\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines).toContain("VERSION:2.0");
    expect(lines).toContain("PRODID:-//jointbid//Tender alerts//EN");
    expect(lines).toContain("X-WR-CALNAME:jointbid: Rengøring i Østjylland");
    expect(lines.at(-2)).toBe("END:VCALENDAR");
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(ics.match(/END:VEVENT/g)).toHaveLength(2);
  });

  it("folds lines at 75 octets without cutting a character", () => {
    for (const line of lines) expect(octets(line), line).toBeLessThanOrEqual(75);
    expect(lines.some((l) => l.startsWith(" "))).toBe(true);
    const long = "SUMMARY:" + "æøå€😀".repeat(40);
    const folded = foldIcalLine(long);
    for (const part of folded.split("\r\n")) expect(octets(part)).toBeLessThanOrEqual(75);
    expect(unfold(folded)).toBe(long);
    expect(folded).not.toContain("\ufffd");
    expect(foldIcalLine("SUMMARY:short")).toBe("SUMMARY:short");
  });

  it("escapes backslash, semicolon, comma and newlines in text", () => {
    expect(escapeIcalText("a\\b;c,d\ne\r\nf")).toBe("a\\\\b\\;c\\,d\\ne\\nf");
    expect(unfold(ics)).toContain(
      "SUMMARY:Forventet offentliggørelse (forår 2027): Snerydning\\; veje\\, stier \\\\ pladser og pladser",
    );
    expect(unfold(ics)).toMatch(/DESCRIPTION:Ordregiver: Aarhus Kommune\\nStatus: /);
  });

  it("makes a timed UTC event at the deadline, from the tender's latest version", () => {
    const flat = unfold(ics);
    const deadline = flat.split("BEGIN:VEVENT").find((e) => e.includes("UID:deadline."));
    expect(deadline).toBeDefined();
    expect(deadline).toContain("DTSTART:20270520T100000Z");
    expect(deadline).toContain("SEQUENCE:2");
    expect(deadline).toContain("SUMMARY:Tilbudsfrist: Rengøring af kommunale bygninger");
    expect(deadline).toContain("URL:https://jointbid.example.org/tenders/udbud%3A2027-0042");
    expect(deadline).toContain("DTSTAMP:20270301T080000Z");
    expect(deadline).toContain("STATUS:CONFIRMED");
    expect(deadline).not.toContain("VALUE=DATE");
  });

  it("makes an all-day event at the start of the expected publication period, with the precision", () => {
    const flat = unfold(ics);
    const expected = flat.split("BEGIN:VEVENT").find((e) => e.includes("UID:expected-publication."));
    expect(expected).toContain("DTSTART;VALUE=DATE:20270301");
    expect(expected).toContain("DTEND;VALUE=DATE:20270302");
    expect(expected).toContain("STATUS:TENTATIVE");
    const en = unfold(
      icalFeed({
        subscription: aSubscription({ language: "en" }),
        items: [
          anItem(
            "tender.new",
            aPlannedTender({ expectedPublication: { date: "2027-04-01", precision: "quarter" } }),
          ),
        ],
        now: NOW,
      }),
    );
    expect(en).toContain("SUMMARY:Expected publication (Q2 2027): Vinduespolering 2028");
    expect(en).toContain("DTSTART;VALUE=DATE:20270401");
  });

  it("keeps UIDs stable per tender and kind", () => {
    const uids = (text: string) => unfold(text).match(/^UID:.*$/gm) ?? [];
    const again = icalFeed({
      subscription: aSubscription(),
      items: [...items].reverse(),
      now: "2028-01-01T00:00:00Z",
    });
    expect(uids(again)).toEqual(uids(ics));
    expect(uids(ics)).toEqual([
      "UID:expected-publication.plan:aarhus-2027-7.sub_1@jointbid",
      "UID:deadline.udbud:2027-0042.sub_1@jointbid",
    ]);
  });

  it("cancels the events of a withdrawn tender and drops the expected date once published", () => {
    const withdrawn = unfold(
      icalFeed({
        subscription: aSubscription(),
        items: [anItem("tender.withdrawn", aTender({ stage: "withdrawn" }))],
        now: NOW,
      }),
    );
    expect(withdrawn).toContain("STATUS:CANCELLED");
    const published = icalFeed({
      subscription: aSubscription(),
      items: [anItem("tender.published", aPlannedTender(), { version: 3 })],
      now: NOW,
    });
    expect(published).not.toContain("BEGIN:VEVENT");
  });
});
