/**
 * The buyer pages in-process: a municipality signs in, uploads its plan (CSV, XLSX), sees the
 * preview with per-row problems before anything is saved, saves it as source `plan-<buyer>`,
 * sees the items on its plan page and in the search; the same file again changes nothing; a
 * file without a plan is refused; the insight page recommends something for every planned
 * purchase; the plan form publishes, edits and withdraws; others and forged forms are refused.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TransactionalMail } from "../../../src/routes/app-env.js";
import { type TestApp, createTestApp } from "../../support/app.js";
import { PAGE_ORIGIN, cookiesOf, csrfOf, pageClient } from "../../support/page-client.js";

const sent: TransactionalMail[] = [];
const BUYER = "dk-0751";
const SOURCE = `plan-${BUYER}`;

const PLAN_CSV = [
  "Udbudsplan 2026 for Aarhus Kommune;;;;;;",
  "Udbudsnr.;Udbudsnavn;Forvaltning;Forventet udbud;Anslået værdi (kr.);CPV-kode;Reserveret",
  "2026-101;Rengøring af daginstitutioner;Børn og Unge;Q3 2026;ca. 2,5 mio.;90919200;Nej",
  "2026-102;Kantinedrift på rådhuset;Borgmesterens Afdeling;2. halvår 2026;1.200.000;55510000;Ja, § 20",
  "2026-103;Vinduespolering på plejecentre;Sundhed og Omsorg;snart;800.000;;",
  "2026-104;Vedligehold af grønne områder;Teknik og Miljø;Q1 2027;900.000 kr.;77310000;",
  "",
].join("\r\n");

type Browser = ReturnType<typeof pageClient>;

describe("buyer pages", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ demo: true, sendMail: async (m) => void sent.push(m) });
    await t.account("buyer", { buyerId: BUYER }, "indkob@aarhus.example");
    await t.account("enterprise", {}, "kaffe@example.org");
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  async function signIn(email: string): Promise<Browser> {
    const b = pageClient(t);
    const before = sent.length;
    await b.post("/sign-in", { email, _csrf: csrfOf(await (await b.get("/sign-in")).text()) });
    await new Promise((r) => setTimeout(r, 10));
    const mail = sent.slice(before)[0];
    const token = decodeURIComponent(/token=([A-Za-z0-9_%-]+)/.exec(mail?.text ?? "")?.[1] ?? "");
    const page = await b.get(`/sign-in/callback?token=${encodeURIComponent(token)}`);
    const res = await b.post("/sign-in/callback", { token, _csrf: csrfOf(await page.text()) });
    expect(res.status).toBe(303);
    return b;
  }

  /** A multipart upload with the browser's cookies and the CSRF token of the upload page. */
  async function upload(
    b: Browser,
    name: string,
    bytes: Uint8Array<ArrayBuffer> | string,
    type: string,
    csrf?: string,
  ) {
    const token = csrf ?? csrfOf(await (await b.get("/buyer/plan/upload")).text());
    const form = new FormData();
    form.set("_csrf", token);
    form.set("file", new File([bytes], name, { type }));
    const cookie = Object.entries(b.jar)
      .filter(([, v]) => v !== "")
      .map(([k, v]) => `${k}=${v}`)
      .join("; ");
    const res = await t.app.request("/buyer/plan/upload", {
      method: "POST",
      headers: { cookie, origin: PAGE_ORIGIN, accept: "text/html" },
      body: form,
    });
    Object.assign(b.jar, cookiesOf(res).jar);
    return res;
  }

  const draftOf = (html: string) => /name="draft" value="([^"]+)"/.exec(html)?.[1] ?? "";
  const planned = async () => (await t.deps.store.tenders.byBuyer(BUYER, ["planned"])).map((s) => s.tender);
  const fromSource = async () => (await planned()).filter((p) => p.id.startsWith(`${SOURCE}:`));

  let buyer: Browser;

  it("previews a CSV plan with a problem per bad row and saves nothing yet", async () => {
    buyer = await signIn("indkob@aarhus.example");
    const home = await (await buyer.get("/buyer/plan")).text();
    expect(home).toContain('href="/buyer/plan"');
    expect(home).toContain(`/api/ocds/planning?buyer=${BUYER}`);

    const res = await upload(buyer, "udbudsplan.csv", PLAN_CSV, "text/csv");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Rengøring af daginstitutioner");
    expect(html).toContain("Kantinedrift på rådhuset");
    expect(html).toContain("Reserved: sheltered workshops (Art. 20)");
    expect(html).toMatch(/The expected publication “snart” was not understood/);
    expect(html).toContain("Save 3 rows");
    expect(html).toContain("Nothing is saved yet.");
    expect(await fromSource()).toHaveLength(0);
  });

  it("saves the previewed rows as source plan-<buyer>; they show on the plan page and in the search", async () => {
    const preview = await (await upload(buyer, "udbudsplan.csv", PLAN_CSV, "text/csv")).text();
    const res = await buyer.post("/buyer/plan/upload/save", {
      _csrf: csrfOf(preview),
      draft: draftOf(preview),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("3 new, 0 changed, 0 unchanged.");
    const items = await fromSource();
    expect(items.map((i) => i.title).sort()).toEqual([
      "Kantinedrift på rådhuset",
      "Rengøring af daginstitutioner",
      "Vedligehold af grønne områder",
    ]);
    expect(items.find((i) => i.title === "Kantinedrift på rådhuset")?.reserved).toBe("res-ws");

    const plan = await (await buyer.get("/buyer/plan")).text();
    expect(plan).toContain("Rengøring af daginstitutioner");
    expect(plan).toContain("Vedligehold af grønne områder");
    const search = await (await buyer.get("/tenders?q=Kantinedrift")).text();
    expect(search).toContain("Kantinedrift på rådhuset");
  });

  it("changes nothing when the same file is saved again", async () => {
    const before = await fromSource();
    const preview = await (await upload(buyer, "udbudsplan.csv", PLAN_CSV, "text/csv")).text();
    const res = await buyer.post("/buyer/plan/upload/save", {
      _csrf: csrfOf(preview),
      draft: draftOf(preview),
    });
    expect(await res.text()).toContain("0 new, 0 changed, 3 unchanged.");
    expect(await fromSource()).toEqual(before);
  });

  it("refuses a tampered draft", async () => {
    const preview = await (await upload(buyer, "udbudsplan.csv", PLAN_CSV, "text/csv")).text();
    const draft = draftOf(preview);
    const forged = `${draft.slice(0, -4)}0000`;
    const res = await buyer.post("/buyer/plan/upload/save", { _csrf: csrfOf(preview), draft: forged });
    expect(res.status).toBe(400);
  });

  it("previews an XLSX plan", async () => {
    const bytes = readFileSync(new URL("../../fixtures/plans/dk-udbudsplan.xlsx", import.meta.url));
    const res = await upload(
      buyer,
      "dk-udbudsplan.xlsx",
      new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Preview of the upload");
    expect(html).toMatch(/Save \d+ rows?/);
  });

  it("refuses a file without a plan, or not CSV/XLSX, or too large, with 400 and saves nothing", async () => {
    const before = (await planned()).length;
    const noPlan = await upload(buyer, "notes.csv", "Hej\nDette er bare en note\n", "text/csv");
    expect(noPlan.status).toBe(400);
    expect(await noPlan.text()).toContain("No plan table was found");
    const pdf = await upload(buyer, "plan.pdf", "%PDF-1.4 not a plan", "application/pdf");
    expect(pdf.status).toBe(400);
    expect(await pdf.text()).toContain("not a CSV or XLSX file");
    const big = await upload(buyer, "big.csv", `a;b\n${"x;y\n".repeat(600_000)}`, "text/csv");
    expect(big.status).toBe(400);
    expect(await big.text()).toContain("larger than 2 MB");
    expect((await planned()).length).toBe(before);
  });

  it("shows a recommendation for each planned purchase on the insight page", async () => {
    const res = await buyer.get("/buyer/insight");
    expect(res.status).toBe(200);
    const html = await res.text();
    const count = (await planned()).length;
    expect(count).toBeGreaterThanOrEqual(3);
    expect(html.match(/<strong>Recommendation: <\/strong>/g)?.length).toBe(count);
    expect(html).toContain("Kantinedrift på rådhuset");
    expect(html).toContain("Art. 77 possible");
    const da = await (await buyer.get("/buyer/insight?lang=da")).text();
    expect(da).toContain("Anbefaling");
  });

  it("publishes, edits and withdraws a planned purchase through the form", async () => {
    const form = await (await buyer.get("/buyer/plan/new?lang=en")).text();
    const bad = await buyer.post("/buyer/plan/new", {
      _csrf: csrfOf(form),
      title: "",
      expectedPublication: "snart",
      cpv: "123",
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("This field is required.");
    const created = await buyer.post("/buyer/plan/new", {
      _csrf: csrfOf(form),
      title: "Madservice til hjemmeboende",
      description: "Levering af mad til borgere i eget hjem.",
      expectedPublication: "Q4 2026",
      value: "3.000.000",
      reserved: "none",
      cpv: "",
      lotTitle0: "Varm mad",
      lotCpv0: "55521100",
      lotTitle1: "Kold mad",
      lotCpv1: "55521200",
    });
    expect(created.status).toBe(303);
    const tender = (await planned()).find((p) => p.title === "Madservice til hjemmeboende");
    expect(tender?.lots.map((l) => l.title)).toEqual(["Varm mad", "Kold mad"]);
    expect(tender?.estimatedValue?.amount).toBe(3_000_000);
    const id = tender?.id ?? "";

    const edit = await (await buyer.get(`/buyer/plan/${encodeURIComponent(id)}/edit`)).text();
    expect(edit).toContain('value="Varm mad"');
    const changed = await buyer.post(`/buyer/plan/${encodeURIComponent(id)}/edit`, {
      _csrf: csrfOf(edit),
      title: "Madservice til ældre",
      description: "",
      expectedPublication: "2027-02",
      value: "",
      reserved: "res-ws",
      cpv: "55521100",
    });
    expect(changed.status).toBe(303);
    const after = (await t.deps.store.tenders.get(id))?.tender;
    expect(after?.title).toBe("Madservice til ældre");
    expect(after?.reserved).toBe("res-ws");
    expect(after?.lots).toHaveLength(1);
    expect(after?.estimatedValue).toBeUndefined();

    const withdrawn = await buyer.post(`/buyer/plan/${encodeURIComponent(id)}/withdraw`, {
      _csrf: csrfOf(edit),
    });
    expect(withdrawn.status).toBe(303);
    expect((await t.deps.store.tenders.get(id))?.tender.stage).toBe("withdrawn");
  });

  it("refuses a form without a valid CSRF token", async () => {
    const res = await buyer.post("/buyer/plan/new", { title: "Uden token" });
    expect(res.status).toBe(403);
    const uploadRes = await upload(buyer, "udbudsplan.csv", PLAN_CSV, "text/csv", "forged");
    expect(uploadRes.status).toBe(403);
    expect((await planned()).some((p) => p.title === "Uden token")).toBe(false);
  });

  it("sends anonymous visitors to sign-in and refuses other accounts", async () => {
    const anonymous = await pageClient(t).get("/buyer/plan");
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toMatch(/^\/sign-in/);
    const enterprise = await signIn("kaffe@example.org");
    for (const path of ["/buyer/plan", "/buyer/plan/upload", "/buyer/insight"]) {
      const res = await enterprise.get(path);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain("For buyers only");
    }
    const before = (await planned()).length;
    const res = await upload(enterprise, "udbudsplan.csv", PLAN_CSV, "text/csv", "x");
    expect(res.status).toBe(403);
    expect((await planned()).length).toBe(before);
  });
});
