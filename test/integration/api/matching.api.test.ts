/**
 * The matching endpoints on the demo data (real SQLite, the embedded index): who can bid for a
 * tender alone or together, an enterprise's opportunities, a buyer's insight, and what-if
 * questions, with their errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { body, createTestApp, type TestApp } from "../../support/app.js";

interface Consortium {
  members: string[];
  lots: string[];
  score: number;
  competitionFlag: boolean;
  explanation: {
    coverage: { lotId: string; code: string; memberId: string; memberCode: string }[];
    members: { id: string; eligible: boolean; distanceKm?: number }[];
    turnover: { sum: number; required?: number; currency?: string };
  };
}
interface Matches {
  tenderId: string;
  lots: string[];
  consortia: Consortium[];
  singles: { id: string; lots: string[] }[];
  lotSingles: { lotId: string; members: string[] }[];
  infeasible?: { reasons: { kind: string; lotId?: string; code?: string }[]; closest: { id: string }[] };
  subcontracting: { applicable: boolean; reason: string; leads: { role: string; members: string[] }[] };
  candidates: { count: number; total: number; truncated: boolean };
  enterprises: Record<string, { name: string }>;
  group?: {
    feasible: boolean;
    irredundant: boolean;
    competitionFlag: boolean;
    redundant: string[];
    problems: { kind: string; lotId?: string; code?: string; memberId?: string }[];
  };
}
interface ErrorBody {
  error: { code: string; message: string; fields?: { path: string; message: string }[] };
}

const GIFT_BASKETS = "demo:aarhus-gavekurve-2027";
const COMMUNITY_HOUSES = "demo:aarhus-drift-borgerhuse-2027";
const GIFT_TRIO = ["blindes-arbejde-aarhus", "fair-trade-gruppen", "social-foodies"];

describe("matching API", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ demo: true });
  });
  afterAll(() => t.close());

  const get = async (path: string) => {
    const res = await t.request("GET", path);
    expect(res.status, path).toBe(200);
    return body<Matches>(res);
  };

  it("puts three enterprises together for the three gift-basket lots, saying who delivers what", async () => {
    const m = await get(`/api/tenders/${GIFT_BASKETS}/matches`);
    expect(m.singles).toEqual([]);
    const first = m.consortia[0];
    expect(first?.members.slice().sort()).toEqual(GIFT_TRIO);
    expect(first?.lots).toEqual(["LOT-0001", "LOT-0002", "LOT-0003"]);
    expect(first?.competitionFlag).toBe(false);
    const who = Object.fromEntries(
      (first?.explanation.coverage ?? []).map((c) => [`${c.lotId}/${c.code}`, c.memberId]),
    );
    expect(who["LOT-0001/15842000"]).toBe("social-foodies");
    expect(who["LOT-0002/39224000"]).toBe("blindes-arbejde-aarhus");
    expect(who["LOT-0003/15860000"]).toBe("fair-trade-gruppen");
    // Every member is within its own radius of Aarhus and named for the reader.
    for (const member of first?.explanation.members ?? []) {
      expect(member.distanceKm).toBeLessThan(50);
      expect(m.enterprises[member.id]?.name).toBeTruthy();
    }
    // Nobody has to go: the suggestion is irredundant, and all suggestions are distinct.
    const keys = m.consortia.map((c) => c.members.slice().sort().join("+"));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("meets a combined minimum turnover with a group, and shows the capacity against it", async () => {
    const m = await get(`/api/tenders/${COMMUNITY_HOUSES}/matches`);
    const first = m.consortia[0];
    expect(first).toBeDefined();
    expect(first?.explanation.turnover.required).toBe(24_000_000);
    expect(first?.explanation.turnover.sum).toBeGreaterThanOrEqual(24_000_000);
    expect(first?.lots).toHaveLength(4);
    // Smallest first.
    const sizes = m.consortia.map((c) => c.members.length);
    expect(sizes).toEqual(sizes.slice().sort((a, b) => a - b));
  });

  it("asks for one lot only when told to, and refuses a lot the tender does not have", async () => {
    const one = await get(`/api/tenders/${GIFT_BASKETS}/matches?lots=LOT-0002`);
    expect(one.lots).toEqual(["LOT-0002"]);
    expect(one.singles.map((s) => s.id)).toContain("blindes-arbejde-aarhus");
    const none = await get(`/api/tenders/${GIFT_BASKETS}/matches?lots=LOT-0009`);
    expect(none.consortia).toEqual([]);
    expect(none.infeasible?.reasons).toContainEqual({ kind: "unknown-lot", lotId: "LOT-0009" });
  });

  it("answers 404 for an unknown tender and 400 for a bad maximum size, with the error envelope", async () => {
    const missing = await t.request("GET", "/api/tenders/demo:no-such-tender/matches");
    expect(missing.status).toBe(404);
    expect((await body<ErrorBody>(missing)).error.code).toBe("NOT_FOUND");
    const bad = await t.request("GET", `/api/tenders/${GIFT_BASKETS}/matches?maxSize=0`);
    expect(bad.status).toBe(400);
    expect((await body<ErrorBody>(bad)).error.fields?.[0]?.path).toBe("maxSize");
  });

  it("lists an enterprise's opportunities: alone where it can, and the consortia it is in", async () => {
    const res = await t.request("GET", "/api/enterprises/social-foodies/opportunities");
    expect(res.status).toBe(200);
    const o = await body<{
      opportunities: {
        tender: { id: string };
        alone: boolean;
        aloneLots: string[];
        consortia: Consortium[];
      }[];
    }>(res);
    const gifts = o.opportunities.find((x) => x.tender.id === GIFT_BASKETS);
    expect(gifts?.alone).toBe(false);
    expect(gifts?.aloneLots).toEqual(["LOT-0001"]);
    expect(gifts?.consortia[0]?.members.slice().sort()).toEqual(GIFT_TRIO);
    for (const x of o.opportunities)
      expect(x.alone || x.aloneLots.length > 0 || x.consortia.length > 0).toBe(true);
    expect((await t.request("GET", "/api/enterprises/nobody-at-all/opportunities")).status).toBe(404);
  });

  it("gives a buyer an insight with a recommendation for each planned purchase", async () => {
    const res = await t.request("GET", "/api/buyers/dk-0751/insight");
    expect(res.status).toBe(200);
    const insight = await body<{
      tenders: {
        tenderId: string;
        art77Possible: boolean;
        withinReach: number;
        recommendation: { kind: string; reason: string };
      }[];
    }>(res);
    const planned = insight.tenders.map((x) => x.tenderId);
    expect(planned).toContain(GIFT_BASKETS);
    expect(planned).not.toContain("demo:aarhus-it-test-og-support-2027"); // open, not planned
    const gifts = insight.tenders.find((x) => x.tenderId === GIFT_BASKETS);
    expect(gifts?.withinReach).toBeGreaterThanOrEqual(3);
    expect(gifts?.art77Possible).toBe(false);
    for (const x of insight.tenders) expect(x.recommendation.reason.length).toBeGreaterThan(10);
    expect((await t.request("GET", "/api/buyers/xx-9999/insight")).status).toBe(404);
  });

  it("checks a group someone put together: what is missing, and that the full trio works", async () => {
    const two = await t.request("POST", "/api/match", {
      body: { tenderId: GIFT_BASKETS, enterpriseIds: ["social-foodies", "blindes-arbejde-aarhus"] },
    });
    expect(two.status).toBe(200);
    const pair = await body<Matches>(two);
    expect(pair.group?.feasible).toBe(false);
    expect(pair.group?.problems).toContainEqual({ kind: "uncovered", lotId: "LOT-0003", code: "15860000" });
    expect(pair.consortia).toEqual([]);

    const three = await body<Matches>(
      await t.request("POST", "/api/match", { body: { tenderId: GIFT_BASKETS, enterpriseIds: GIFT_TRIO } }),
    );
    expect(three.group).toMatchObject({
      feasible: true,
      irredundant: true,
      competitionFlag: false,
      problems: [],
    });
  });

  it("flags a group whose member could bid alone (the competition warning)", async () => {
    const m = await body<Matches>(
      await t.request("POST", "/api/match", {
        body: {
          tenderId: GIFT_BASKETS,
          lots: ["LOT-0002"],
          enterpriseIds: ["blindes-arbejde-aarhus", "social-foodies"],
        },
      }),
    );
    expect(m.group).toMatchObject({ feasible: true, irredundant: false, competitionFlag: true });
    expect(m.group?.redundant).toEqual(["social-foodies"]);
  });

  it("answers what-if questions on a posted tender: reserving the gift baskets under Art. 20", async () => {
    const res = await t.request("POST", "/api/match", {
      body: {
        tender: {
          title: "Gavekurve, reserveret",
          buyerId: "dk-0751",
          reserved: "res-ws",
          place: { lat: 56.16317, lon: 10.16897 },
          lots: [
            { id: "A", title: "Fødevarer", cpv: ["15842000"] },
            { id: "B", title: "Kurve", cpv: ["39224000"] },
          ],
          somethingElse: "ignored",
        },
      },
    });
    expect(res.status).toBe(200);
    const m = await body<Matches>(res);
    // social-foodies employs 20 % disadvantaged people: below the 30 % of Art. 20, so lot A is not covered.
    expect(m.consortia).toEqual([]);
    expect(m.infeasible?.reasons).toContainEqual({ kind: "uncovered", lotId: "A", code: "15842000" });
    expect(m.lotSingles.find((l) => l.lotId === "B")?.members).toContain("blindes-arbejde-aarhus");
  });

  it("refuses bad what-if questions with a 400 naming the field", async () => {
    const both = await t.request("POST", "/api/match", {
      body: { tenderId: GIFT_BASKETS, tender: { title: "x", cpv: ["90911200"] } },
    });
    expect(both.status).toBe(400);
    const unknown = await t.request("POST", "/api/match", {
      body: { tenderId: GIFT_BASKETS, enterpriseIds: ["social-foodies", "ghost-enterprise"] },
    });
    expect(unknown.status).toBe(400);
    expect((await body<ErrorBody>(unknown)).error.fields).toContainEqual({
      path: "enterpriseIds.1",
      message: "no enterprise ghost-enterprise",
    });
    const noCodes = await t.request("POST", "/api/match", { body: { tender: { title: "x" } } });
    expect(noCodes.status).toBe(400);
    expect((await body<ErrorBody>(noCodes)).error.fields?.[0]?.path).toMatch(/^tender/);
  });
});

describe("matching API: track record from awarded tenders", () => {
  let t: TestApp;
  let admin: string;
  const ODENSE = { lat: 55.3959, lon: 10.3883 };

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await t.account("admin")).token;
    const enterprise = (id: string, orgId: string, cpv: string) => ({
      id,
      name: id,
      country: "DK",
      orgId,
      location: ODENSE,
      cpv: [cpv],
    });
    for (const e of [
      enterprise("a-clean", "DK11111111", "90911200"),
      enterprise("b-clean", "DK22222222", "90911200"),
      enterprise("a-green", "DK33333333", "77310000"),
      enterprise("b-green", "DK44444444", "77310000"),
    ]) {
      const res = await t.request("POST", "/api/enterprises", { token: admin, body: e });
      expect(res.status).toBe(201);
    }
    const awarded = await t.request("POST", "/api/tenders", {
      token: admin,
      body: {
        buyerId: "dk-0461",
        externalId: "won-2024",
        stage: "awarded",
        title: "Rengøring og grønne områder 2024",
        cpv: ["90911200", "77310000"],
        awardedTo: [
          { name: "B Clean", orgId: "22222222" },
          { name: "B Green", orgId: "dk 44444444" },
        ],
      },
    });
    expect(awarded.status).toBe(201);
    const planned = await t.request("POST", "/api/tenders", {
      token: admin,
      body: {
        buyerId: "dk-0461",
        externalId: "plan-2027",
        title: "Rengøring og grønne områder 2027",
        lots: [
          { id: "1", title: "Rengøring", cpv: ["90911200"] },
          { id: "2", title: "Grønne områder", cpv: ["77310000"] },
        ],
      },
    });
    expect(planned.status).toBe(201);
  });
  afterAll(() => t.close());

  it("ranks the pair that won a contract together first, whatever their ids, and says why", async () => {
    const res = await t.request("GET", "/api/tenders/api:dk-0461.plan-2027/matches");
    expect(res.status).toBe(200);
    const m = await body<Matches>(res);
    expect(m.consortia).toHaveLength(4);
    expect(m.consortia[0]?.members.slice().sort()).toEqual(["b-clean", "b-green"]);
    const first = m.consortia[0]?.explanation as Consortium["explanation"] & { record?: number };
    expect(first.record).toBeGreaterThan(0.5);
    expect(first.members.map((x) => (x as { awards?: number }).awards)).toEqual([1, 1]);
  });
});

describe("matching API: the Art. 77 three-year rule from awarded tenders", () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await t.account("admin")).token;
    const res = await t.request("POST", "/api/enterprises", {
      token: admin,
      body: {
        id: "social-training",
        name: "Social Training",
        country: "DK",
        orgId: "DK55555555",
        cpv: ["80530000"],
        publicServiceMission: true,
      },
    });
    expect(res.status).toBe(201);
    const won = await t.request("POST", "/api/tenders", {
      token: admin,
      body: {
        buyerId: "dk-0461",
        externalId: "art77-won",
        stage: "awarded",
        reserved: "res-pub-ser",
        title: "Erhvervsrettet uddannelse",
        cpv: ["80530000"],
        awardedTo: [{ name: "Social Training", orgId: "55555555" }],
      },
    });
    expect(won.status).toBe(201);
  });
  afterAll(() => t.close());

  it("excludes an enterprise that won an Art. 77 contract from the same buyer, not from another", async () => {
    const ask = async (buyerId: string) =>
      body<Matches>(
        await t.request("POST", "/api/match", {
          body: { tender: { title: "Uddannelse", buyerId, reserved: "res-pub-ser", cpv: ["80530000"] } },
        }),
      );
    expect((await ask("dk-0461")).singles.map((s) => s.id)).toEqual([]);
    expect((await ask("dk-0751")).singles.map((s) => s.id)).toEqual(["social-training"]);
  });
});
