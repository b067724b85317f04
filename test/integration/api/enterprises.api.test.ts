import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveEnterprise } from "../../../src/services/enterprises.service.js";
import { ENTERPRISES } from "../../fixtures/search/corpus.js";
import { body, createTestApp, type TestApp } from "../../support/app.js";

interface EnterpriseBody {
  id: string;
  name: string;
  contact?: { email?: string };
  cpv: string[];
  currency?: string;
}
interface ListBody {
  items: EnterpriseBody[];
  total: number;
  facets: Record<string, Record<string, number>>;
}

describe("enterprises API", () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    for (const e of ENTERPRISES) await saveEnterprise(t.deps, e);
    admin = (await t.account("admin")).token;
  });
  afterAll(() => t.close());

  it("registers the enterprise an account acts for, links the account, and shows contact only to signed-in users", async () => {
    const { token, id: accountId } = await t.account("enterprise");
    const res = await t.request("POST", "/api/enterprises", {
      token,
      body: {
        name: "Grønne Hænder Kooperativ",
        country: "dk",
        municipality: "0751",
        location: { lat: 56.15, lon: 10.2 },
        cpv: ["77310000-6"],
        description: "Beskæring og pleje af grønne arealer.",
        disadvantagedShare: 0.45,
        contact: { name: "Kontakt", email: "kontakt@example.org" },
      },
    });
    expect(res.status).toBe(201);
    const created = await body<EnterpriseBody>(res);
    expect(created.id).toBe("gronne-haender-kooperativ");
    expect(created.cpv).toEqual(["77310000"]);
    expect((await t.deps.store.accounts.get(accountId))?.enterpriseId).toBe("gronne-haender-kooperativ");

    const anonymous = await body<EnterpriseBody>(
      await t.request("GET", "/api/enterprises/gronne-haender-kooperativ"),
    );
    expect(anonymous.contact).toBeUndefined();
    const signedIn = await body<EnterpriseBody>(
      await t.request("GET", "/api/enterprises/gronne-haender-kooperativ", { token: admin }),
    );
    expect(signedIn.contact?.email).toBe("kontakt@example.org");
    const listed = await body<ListBody>(await t.request("GET", "/api/enterprises?q=beskaering"));
    expect(listed.items.map((e) => e.id)).toEqual(["gronne-haender-kooperativ"]);
    expect(listed.items[0]?.contact).toBeUndefined();

    const patched = await t.request("PATCH", "/api/enterprises/gronne-haender-kooperativ", {
      token,
      body: { keywords: ["hækklipning"], contact: null },
    });
    expect(patched.status).toBe(200);
    const found = await body<ListBody>(await t.request("GET", "/api/enterprises?q=haekklipning"));
    expect(found.total).toBe(1);
  });

  it("finds enterprises near a point, by CPV prefix, certification and eligibility", async () => {
    const near = await body<ListBody>(
      await t.request("GET", "/api/enterprises?near=56.15674,10.21076&radiusKm=60&sort=distance"),
    );
    expect(near.items[0]?.id).toMatch(/test-(blindes-arbejde|fo-aarhus)|gronne-haender-kooperativ/);
    expect(near.items.map((e) => e.id)).not.toContain("test-kooptjanst");
    const cleaning = await body<ListBody>(await t.request("GET", "/api/enterprises?cpv=909"));
    expect(cleaning.items.map((e) => e.id).sort()).toEqual(["test-flexvirk", "test-kooptjanst"]);
    const rsv = await body<ListBody>(
      await t.request("GET", "/api/enterprises?certification=rsv&eligibility=res-ws"),
    );
    expect(rsv.items.map((e) => e.id).sort()).toEqual(["test-flexvirk", "test-kamoon", "test-special-minds"]);
    expect(rsv.facets.certifications?.rsv).toBe(3);
  });

  it("rejects a bad point, a share above 1 and an unknown certification with their fields", async () => {
    const near = await t.request("GET", "/api/enterprises?near=north");
    expect(near.status).toBe(400);
    const res = await t.request("POST", "/api/enterprises", {
      token: admin,
      body: { name: "X", country: "DK", disadvantagedShare: 1.5, certifications: ["gold-star"] },
    });
    expect(res.status).toBe(400);
    const fields = (await body<{ error: { fields: { path: string }[] } }>(res)).error.fields
      .map((f) => f.path)
      .sort();
    expect(fields).toEqual(["certifications.0", "disadvantagedShare"]);
  });

  it("answers 404 for an unknown enterprise", async () => {
    expect((await t.request("GET", "/api/enterprises/nobody")).status).toBe(404);
    expect(
      (await t.request("PATCH", "/api/enterprises/nobody", { token: admin, body: { name: "x" } })).status,
    ).toBe(404);
  });
});

describe("buyers and CPV API", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("lists the Danish and Swedish municipalities as buyers", async () => {
    const dk = await body<{ items: { id: string; name: string }[]; total: number }>(
      await t.request("GET", "/api/buyers?country=DK&limit=100"),
    );
    expect(dk.total).toBe(98);
    const se = await body<{ total: number }>(await t.request("GET", "/api/buyers?country=SE&limit=1"));
    expect(se.total).toBe(290);
    const aarhus = await body<{ name: string; municipalityCode: string; nuts3: string; orgId: string }>(
      await t.request("GET", "/api/buyers/dk-0751"),
    );
    expect(aarhus).toMatchObject({
      name: "Aarhus Kommune",
      municipalityCode: "0751",
      nuts3: "DK042",
      orgId: "55133018",
    });
    expect((await t.request("GET", "/api/buyers/dk-0000")).status).toBe(404);
    const named = await body<{ items: { id: string }[] }>(await t.request("GET", "/api/buyers?q=linköping"));
    expect(named.items.map((b) => b.id)).toEqual(["se-0580"]);
  });

  it("looks CPV codes up by code, by English label and by Danish label typed without ø", async () => {
    const byCode = await body<{ items: { code: string; label: string }[] }>(
      await t.request("GET", "/api/cpv?q=90911200-8"),
    );
    expect(byCode.items[0]).toMatchObject({ code: "90911200", label: "Building-cleaning services" });
    const byLabel = await body<{ items: { code: string }[] }>(
      await t.request("GET", "/api/cpv?q=window%20cleaning"),
    );
    expect(byLabel.items.map((i) => i.code)).toContain("90911300");
    const danish = await body<{ items: { code: string; label: string; art77: boolean }[] }>(
      await t.request("GET", "/api/cpv?q=hushjaelp&lang=da"),
    );
    expect(danish.items[0]).toMatchObject({
      code: "79622000",
      label: "Anvisning af hushjælpspersonale",
      art77: true,
    });
    const detail = await body<{ ancestors: { code: string }[]; children: { code: string }[] }>(
      await t.request("GET", "/api/cpv/90911000"),
    );
    expect(detail.ancestors.map((a) => a.code)).toEqual(["90000000", "90900000", "90910000"]);
    expect(detail.children.map((c) => c.code)).toContain("90911200");
    expect((await t.request("GET", "/api/cpv/12345678")).status).toBe(404);
    expect((await t.request("GET", "/api/cpv")).status).toBe(400);
  });
});
