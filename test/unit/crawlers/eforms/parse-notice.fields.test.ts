/** Field by field on notices chosen for what they exercise; values checked by reading the XML. */
import { describe, expect, it } from "vitest";
import { dateTime, parseEformsNotice } from "../../../../crawlers/eforms/parse-notice.js";
import { NOW, readNotice } from "./corpus.js";

const parse = (path: string, sourceUrl?: string) =>
  parseEformsNotice(readNotice(path), { now: NOW, ...(sourceUrl ? { sourceUrl } : {}) });

describe("reserved contracts", () => {
  it("pin-cfc-social_24: a PIN call for competition reserved to sheltered workshops (res-ws)", () => {
    const { tender, buyer, notice, winners } = parse("eforms/notices/pin-cfc-social_24.xml");
    expect(tender).toMatchObject({
      id: "eforms:7a0d92d2-de31-4c7d-9baa-023a9a2db87b",
      stage: "open",
      title: "Procurement title vol3",
      description: "Procurement description text",
      language: "en",
      reserved: "res-ws",
      cpv: ["85000000"],
      // the lot is performed "anywhere in the EEA": the place falls back to the buyer's NUTS
      place: { nuts: "EL303" },
      deadline: "2023-05-31T15:00:00+03:00",
      buyer: { id: "gr-org-abe", name: "ZenithNova Innovations Ltd.", country: "GR" },
    });
    expect(tender.lots).toEqual([
      {
        id: "LOT-0001",
        title: "Title vol3",
        description: "Lot description text",
        cpv: ["85000000"],
        reserved: "res-ws",
        // BT-736 not-known
        deadline: "2023-05-31T15:00:00+03:00",
      },
    ]);
    expect(notice).toEqual({
      id: "b9bcefc5-2065-4884-a723-c9d39c5c640f-01",
      kind: "competition",
      type: "12",
      publishedAt: "2023-05-26",
      procedureId: "7a0d92d2-de31-4c7d-9baa-023a9a2db87b",
    });
    expect(tender.notice).toEqual(notice);
    // legal type `la` (local authority)
    expect(buyer).toMatchObject({ kind: "municipality", orgId: "ABE", nuts3: "EL303" });
    expect(winners).toEqual([]);
  });

  it("pin-cfc-social_23: Art. 77 reservation (res-pub-ser)", () => {
    const { tender, notice } = parse("eforms/notices/pin-cfc-social_23.xml");
    expect(tender.reserved).toBe("res-pub-ser");
    expect(tender.lots.map((l) => [l.id, l.reserved, l.cpv])).toEqual([
      ["LOT-0001", "res-pub-ser", ["75121000"]],
    ]);
    expect(notice.type).toBe("14");
    expect(tender.deadline).toBe("2023-08-08T06:00:00+03:00");
  });

  it("cn_24_maximal: one reserved lot of two, SME-suitable, at most 2 lots per bidder", () => {
    const { tender, warnings } = parse("eforms/notices/cn_24_maximal.xml");
    expect(tender.reserved).toBe("res-pub-ser");
    expect(tender.lots.map((l) => [l.id, l.reserved, l.reservedExecution, l.smeSuitable])).toEqual([
      ["LOT-0001", "res-pub-ser", true, true],
      ["LOT-0002", "none", true, true],
    ]);
    expect(tender.smeSuitable).toBe(true);
    expect(tender.requirements).toEqual({ currency: "EUR", maxLotsPerBidder: 2 });
    expect(tender.estimatedValue).toEqual({ amount: 9999999.99, currency: "EUR" });
    expect(tender.deadline).toBe("2023-05-22T20:59:32+01:00");
    // a reserved lot beside an unreserved one is normal, not a conflict
    expect(warnings.some((w) => w.includes("disagree"))).toBe(false);
  });

  it("cn_24_maximal_100_lots: 100 lots, 99 of them reserved under Art. 77", () => {
    const { tender } = parse("eforms/notices/cn_24_maximal_100_lots.xml");
    expect(tender.lots).toHaveLength(100);
    expect(tender.lots.filter((l) => l.reserved === "res-pub-ser")).toHaveLength(99);
    expect(tender.lots.filter((l) => l.reserved === "none").map((l) => l.id)).toEqual(["LOT-0002"]);
    expect(tender.reserved).toBe("res-pub-ser");
    expect(new Set(tender.lots.map((l) => l.id)).size).toBe(100);
    expect(tender.cpv).toEqual(["75121000"]);
  });

  it("INVALID_change-cn_24_FRA_comments: invalid only against its parent notice, so it is read", () => {
    // The schematron fails it for changing fields a change notice may not change (and for a
    // PartPresentationCode absent from the parent); the notice itself is complete.
    const { tender, notice } = parse("eforms/notices-invalid/INVALID_change-cn_24_FRA_comments.xml");
    expect(notice.kind).toBe("change");
    expect(tender.stage).toBe("open");
    expect(tender.lots.map((l) => [l.id, l.reserved, l.reservedExecution])).toEqual([
      ["LOT-0001", "none", false],
      ["LOT-0002", "res-ws", true],
    ]);
    expect(tender.reserved).toBe("res-ws");
    expect(tender.requirements.maxLotsPerBidder).toBe(1);
  });
});

describe("notice families", () => {
  it("subco_81: a subcontracting notice (subtype 22) is a competition", () => {
    const { tender, buyer, notice } = parse("eforms/notices/subco_81.xml");
    expect(tender.stage).toBe("open");
    expect(notice).toMatchObject({ kind: "competition", type: "22", publishedAt: "2023-06-29" });
    expect(tender.lots).toEqual([
      {
        id: "LOT-0001",
        title: "Title (BT-21-Lot)",
        description: "Description (BT-24-Lot)",
        cpv: ["24210000"],
        estimatedValue: { amount: 850, currency: "EUR" },
        reserved: "none",
        reservedExecution: true,
      },
    ]);
    expect(tender.estimatedValue).toEqual({ amount: 1000, currency: "EUR" });
    expect(tender.contractPeriod).toEqual({ months: 36, start: "2023-08-31", raw: "36 MONTH" });
    expect(buyer).toMatchObject({ id: "lu-org-tred", name: "Private Org main buyer", orgId: "TRED" });
    // the lot names no place: the tender's place is the buyer's
    expect(tender.place).toEqual({ nuts: "LU000" });
  });

  it("change-cn_24_open_dates: a change of a contract notice keeps the competition stage", () => {
    const { tender, notice } = parse("eforms/notices/change-cn_24_open_dates.xml");
    expect(notice.kind).toBe("change");
    expect(tender.stage).toBe("open");
    expect(tender.deadline).toBe("2020-06-12T12:00:00+01:00");
  });

  it("pin-buyer_24: a PIN on a buyer profile has no lots, so its procedure becomes one", () => {
    const { tender, warnings } = parse("eforms/notices/pin-buyer_24.xml");
    expect(tender.stage).toBe("planned");
    expect(tender.lots).toEqual([
      expect.objectContaining({ id: "LOT-0001", cpv: ["33157000"], nuts: "ITC33" }),
    ]);
    expect(tender.language).toBe("it");
    expect(warnings.some((w) => w.includes("PIN on a buyer profile"))).toBe(true);
  });

  it("pin-only_24: parts (scheme Part) are lots; SME suitability stated on the procedure", () => {
    const { tender, notice } = parse("eforms/notices/pin-only_24.xml");
    expect(tender.stage).toBe("planned");
    expect(notice.kind).toBe("planning");
    expect(tender.lots.map((l) => l.id)).toEqual(["PAR-0000"]);
    expect(tender.smeSuitable).toBe(true);
  });

  it("cn_24_open: a minimum turnover stated in a selection criterion", () => {
    const { tender } = parse("eforms/notices/cn_24_open.xml");
    expect(tender.lots[0]?.minTurnover).toBe(200000);
    expect(tender.requirements).toMatchObject({ minTurnover: 200000, currency: "GBP" });
  });

  it("cn_81: subcontracting obligation none (BT-65) and no indication asked (BT-651)", () => {
    const { tender } = parse("eforms/notices/cn_81.xml");
    expect(tender.lots[0]?.subcontracting).toEqual({ obligation: "none", raw: "BT-65 none; BT-651 none" });
    expect(tender.requirements.subcontracting).toEqual({
      obligation: "none",
      raw: "BT-65 none; BT-651 none",
    });
  });

  it("cn_24_multilingual: texts are taken in the notice language", () => {
    const { buyer, tender } = parse("eforms/notices/cn_24_multilingual.xml");
    expect(tender.language).toBe("en");
    expect(buyer.name).toBe("Publications Office of the European Union");
  });
});

describe("results and winners", () => {
  it("can_24_minimal: the winner of the one lot, with its value", () => {
    const { tender, winners } = parse("eforms/notices/can_24_minimal.xml");
    expect(tender.stage).toBe("awarded");
    expect(winners).toEqual([
      {
        lotId: "LOT-0000",
        name: "Espaces Verts Lemire",
        orgId: "326 912 557",
        country: "FR",
        value: { amount: 95414, currency: "EUR" },
      },
    ]);
    expect(tender.awardedTo).toEqual([{ name: "Espaces Verts Lemire", orgId: "326 912 557" }]);
  });

  it("can_24_maximal: a group of tenderers wins, subcontractors and closed lots do not", () => {
    const { winners, tender } = parse("eforms/notices/can_24_maximal.xml");
    // TEN-0001 by TPA-0001 (ORG-0008 lead + ORG-0009; ORG-0010 is their subcontractor) and
    // TEN-0002 by TPA-0002 (ORG-0011) win LOT-0001; LOT-0002 is closed without a winner.
    expect(winners.map((w) => [w.lotId, w.name, w.orgId, w.country])).toEqual([
      ["LOT-0001", "Gyro Soft SA", "927384203", "LU"],
      ["LOT-0001", "The best App Ltd.", "928374653", "DE"],
      ["LOT-0001", "Competitor", "1223456789", "FR"],
    ]);
    expect(tender.awardedTo).toHaveLength(3);
  });

  it("veat_24: a VEAT notice is a result", () => {
    const { tender, notice, winners } = parse("eforms/notices/veat_24.xml");
    expect(tender.stage).toBe("awarded");
    expect(notice.kind).toBe("result");
    expect(winners.length).toBeGreaterThan(0);
  });
});

describe("real notices from Denmark, Sweden and Norway", () => {
  it("Danish: Københavns Universitet buys a confocal microscope (20-164186)", () => {
    const { tender, buyer } = parse("ted-r209/eforms-converted/20-164186-001-EXP.xml");
    expect(buyer).toEqual({
      id: "dk-org-29979812",
      name: "Københavns Universitet",
      kind: "other",
      country: "DK",
      orgId: "29979812",
      nuts3: "DK011",
      website: "http://www.ku.dk/",
    });
    expect(tender).toMatchObject({
      id: "eforms:ojs-161232-2020",
      stage: "open",
      cpv: ["38515200"],
      place: { nuts: "DK011" },
      deadline: "2020-05-06T12:00:00+01:00",
      reserved: "none",
    });
    expect(tender.estimatedValue).toBeUndefined();
  });

  it("Danish: Skive Fjernvarme, in Danish, DKK 40 million (21-364082)", () => {
    const { tender, buyer } = parse("ted-r209/eforms-converted/21-364082-001-EXP.xml");
    expect(tender).toMatchObject({
      language: "da",
      title: "Skive Biomassevarme - flisfyret kedelanlæg til fjernvarmeproduktion",
      cpv: ["45000000"],
      estimatedValue: { amount: 40_000_000, currency: "DKK" },
      place: { nuts: "DK050" },
      contractPeriod: { months: 48, raw: "48 MONTH" },
      notice: { id: "ojs-354823-2021", kind: "competition", type: "17", publishedAt: "2021-07-08" },
    });
    expect(buyer).toMatchObject({ id: "dk-org-68326214", name: "Skive Fjernvarme A.m.b.A.", country: "DK" });
  });

  it("Swedish: Uppsala universitet buys laboratory furniture, SEK 2 million (21-364236)", () => {
    const { tender, buyer } = parse(
      "ted-r209/eforms-converted/21-364236-001-EXP.xml",
      "https://ted.europa.eu/en/notice/-/detail/352907-2021",
    );
    expect(tender).toMatchObject({
      id: "eforms:ojs-352907-2021",
      language: "sv",
      title: "Laboratorieinredning Hus 6 och 7 Ångström",
      cpv: ["39180000"],
      estimatedValue: { amount: 2_000_000, currency: "SEK" },
      place: { nuts: "SE121" },
      deadline: "2021-08-18T23:59:00+01:00",
      sourceUrl: "https://ted.europa.eu/en/notice/-/detail/352907-2021",
    });
    // `cga` central government authority; the review body (ORG-0002) is not the buyer
    expect(buyer).toMatchObject({
      id: "se-org-202100-2932",
      name: "Uppsala universitet",
      kind: "state",
      orgId: "202100-2932",
    });
  });

  it("Norwegian: Kåfjord Kommune awards winter road maintenance to four firms (20-157399)", () => {
    const { tender, buyer, winners } = parse("ted-r209/eforms-converted/20-157399-001-EXP.xml");
    // legal type `ra` (TED's "regional or local authority"); the name says kommune
    expect(buyer).toMatchObject({
      name: "Kåfjord Kommune",
      kind: "municipality",
      country: "NO",
      orgId: "940 363 586",
    });
    expect(buyer.id).toBe("no-org-940-363-586");
    expect(tender).toMatchObject({ stage: "awarded", cpv: ["90620000"], place: { nuts: "NO072" } });
    expect(winners.map((w) => w.name)).toEqual([
      "Kurt Steinar Wiik",
      "Manndalen Maskin AS",
      "Myrvoll Maskin AS",
      "Traktor and Maskin",
    ]);
    expect(winners.every((w) => w.lotId === "LOT-0000" && w.country === "NO")).toBe(true);
  });

  it("Norwegian: Sykehusinnkjøp HF, three lots of legal services, all three per bidder (20-560391)", () => {
    const { tender } = parse("ted-r209/eforms-converted/20-560391-001-EXP.xml");
    expect(tender.lots.map((l) => [l.id, l.cpv, l.nuts])).toEqual([
      ["LOT-0001", ["79100000"], "NO051"],
      ["LOT-0002", ["79100000"], "NO051"],
      ["LOT-0003", ["79100000"], "NO051"],
    ]);
    expect(tender.requirements.maxLotsPerBidder).toBe(3);
    expect(tender.notice?.type).toBe("20");
  });

  it("Norwegian: Skyss bus concession, NOK 596 million (21-119282)", () => {
    const { tender, buyer } = parse("ted-r209/eforms-converted/21-119282-001-EXP.xml");
    expect(tender.estimatedValue).toEqual({ amount: 596_000_000, currency: "NOK" });
    expect(tender.place?.nuts).toBe("NO0A2");
    expect(buyer.country).toBe("NO");
  });

  it("Norwegian national notice: language NOR → nb, Oslo kommune is a municipality", () => {
    const { tender, buyer } = parse("eforms/notices-norway-national/VALID-national-e3-nor-env.xml");
    expect(tender.language).toBe("nb");
    expect(tender.notice?.type).toBe("E3");
    const oslo = parse("eforms/notices-norway-national/cn-standard-nor-env.xml").buyer;
    expect(oslo).toMatchObject({ name: "Oslo kommune v/ Sykehjemsetaten", kind: "municipality" });
    expect(buyer.country).toBe("NO");
  });
});

describe("reading details", () => {
  it("does not depend on namespace prefixes", () => {
    const xml = readNotice("eforms/notices/cn_24_minimal.xml");
    const renamed = xml
      .replace(/(<\/?)cbc:/g, "$1b:")
      .replace(/xmlns:cbc=/g, "xmlns:b=")
      .replace(/(<\/?)cac:/g, "$1a:")
      .replace(/xmlns:cac=/g, "xmlns:a=")
      .replace(/(<\/?)efac:/g, "$1ea:")
      .replace(/(<\/?)efbc:/g, "$1eb:")
      .replace(/(<\/?)efext:/g, "$1ee:")
      .replace(/(<\/?)ext:/g, "$1x:");
    expect(renamed).not.toContain("<cbc:");
    const a = parseEformsNotice(xml, { now: NOW });
    const b = parseEformsNotice(renamed, { now: NOW });
    expect(b).toEqual(a);
  });

  it("makes the procedure id safe for the tender id", () => {
    const xml = readNotice("eforms/notices/cn_24_minimal.xml").replace(
      /<cbc:ContractFolderID>[^<]*<\/cbc:ContractFolderID>/,
      "<cbc:ContractFolderID>2024/ABC 17#x?y</cbc:ContractFolderID>",
    );
    const { tender, notice } = parseEformsNotice(xml, { now: NOW });
    expect(tender.id).toBe("eforms:2024-ABC-17-x-y");
    expect(notice.procedureId).toBe("2024/ABC 17#x?y");
  });

  it("warns when lots are reserved in different ways, and keeps the first", () => {
    const xml = readNotice("eforms/notices/cn_24_maximal.xml").replace(
      'listName="reserved-procurement">none<',
      'listName="reserved-procurement">res-ws<',
    );
    const { tender, warnings } = parseEformsNotice(xml, { now: NOW });
    expect(tender.lots.map((l) => l.reserved)).toEqual(["res-pub-ser", "res-ws"]);
    expect(tender.reserved).toBe("res-pub-ser");
    expect(warnings.some((w) => w.includes("disagree"))).toBe(true);
  });

  it("tolerates an unknown reservation code as `unknown`, with a warning", () => {
    const xml = readNotice("eforms/notices/cn_24_minimal.xml").replace(
      'listName="reserved-procurement">none<',
      'listName="reserved-procurement">res-future<',
    );
    const { tender, warnings } = parseEformsNotice(xml, { now: NOW });
    expect(tender.lots[0]?.reserved).toBe("unknown");
    expect(tender.reserved).toBe("unknown");
    expect(warnings.some((w) => w.includes("res-future"))).toBe(true);
  });

  it("reads BT-65/BT-64/BT-729: a minimum share to subcontract", () => {
    const xml = readNotice("eforms/notices/cn_81.xml").replace(
      /<cac:AllowedSubcontractTerms>[\s\S]*?<\/cac:AllowedSubcontractTerms>/,
      `<cac:AllowedSubcontractTerms>
        <cbc:SubcontractingConditionsCode listName="subcontracting-obligation">subc-min</cbc:SubcontractingConditionsCode>
        <cbc:MaximumPercent>40</cbc:MaximumPercent>
        <cbc:MinimumPercent>10</cbc:MinimumPercent>
      </cac:AllowedSubcontractTerms>`,
    );
    const { tender } = parseEformsNotice(xml, { now: NOW });
    expect(tender.lots[0]?.subcontracting).toEqual({
      obligation: "minimum-share",
      allowed: true,
      minPercent: 10,
      maxPercent: 40,
      raw: "BT-65 subc-min; BT-651 none",
    });
  });

  it("ends a deadline without a time at 23:59:59 in the date's offset", () => {
    expect(dateTime("2026-03-01+01:00", "")).toBe("2026-03-01T23:59:59+01:00");
    expect(dateTime("2026-03-01Z", "")).toBe("2026-03-01T23:59:59Z");
    expect(dateTime("2026-03-01", "")).toBe("2026-03-01T23:59:59Z");
    expect(dateTime("2026-03-01+02:00", "12:00:00+02:00")).toBe("2026-03-01T12:00:00+02:00");
    expect(dateTime("2026-03-01", "12:00:00")).toBe("2026-03-01T12:00:00Z");
    expect(dateTime("2026-02-30", "12:00:00")).toBeUndefined();
    expect(dateTime("soon", "")).toBeUndefined();
  });

  it("leaves out a source URL that is not http(s), with a warning", () => {
    const { tender, warnings } = parseEformsNotice(readNotice("eforms/notices/cn_24_minimal.xml"), {
      now: NOW,
      sourceUrl: "not a url",
    });
    expect(tender.sourceUrl).toBeUndefined();
    expect(warnings.some((w) => w.includes("sourceUrl"))).toBe(true);
  });
});
