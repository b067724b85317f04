/**
 * The consortium workspace pages, in-process (`app.request`) on demo data: a coordinator signed
 * in by the e-mailed link starts a consortium from the suggestion for Aarhus' gift baskets,
 * invites the three members; a decline blocks forming with the rule shown in words; the members
 * accept, the coordinator sets lots and the lead and forms it; the printable summary says who
 * delivers what. Outsiders get the 404 page; a form without the CSRF token is refused. On a
 * second consortium the coordinator removes a member and sets roles from the members table; a
 * removal after submission is refused with the rule in words, and only the coordinator may do
 * either.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TransactionalMail } from "../../../src/routes/app-env.js";
import { type TestApp, createTestApp } from "../../support/app.js";
import { type PageClient, csrfOf, pageClient } from "../../support/page-client.js";

const TENDER = "demo:aarhus-gavekurve-2027";
const FOODIES = "social-foodies";
const FAIR = "fair-trade-gruppen";
const BLIND = "blindes-arbejde-aarhus";
const sent: TransactionalMail[] = [];

/** Text of some HTML, without tags. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ")
    .replace(/ ([:.,])/g, "$1");

/** The text of the page's main landmark, without tags. */
const mainText = (html: string) => textOf(/<main[\s\S]*<\/main>/.exec(html)?.[0] ?? "");

describe("consortium workspace pages", () => {
  let t: TestApp;
  let id = "";
  let coordinatorToken = "";
  const browsers: Record<string, PageClient> = {};

  async function signIn(email: string): Promise<PageClient> {
    const b = pageClient(t);
    const before = sent.length;
    await b.post("/sign-in", { email, _csrf: csrfOf(await (await b.get("/sign-in")).text()) });
    await new Promise((r) => setTimeout(r, 10));
    const mail = sent.slice(before).find((m) => m.to === email);
    const token = decodeURIComponent(/token=([A-Za-z0-9_%-]+)/.exec(mail?.text ?? "")?.[1] ?? "");
    const page = await b.get(`/sign-in/callback?token=${encodeURIComponent(token)}`);
    const res = await b.post("/sign-in/callback", { token, _csrf: csrfOf(await page.text()) });
    expect(res.status).toBe(303);
    return b;
  }

  /** Posts a form of the workspace page with the page's CSRF token. */
  async function submit(b: PageClient, path: string, form: [string, string][]) {
    const csrf = csrfOf(await (await b.get(`/consortia/${id}`)).text());
    return b.post(path, [...form, ["_csrf", csrf]]);
  }

  beforeAll(async () => {
    t = await createTestApp({ demo: true, sendMail: async (m) => void sent.push(m) });
    coordinatorToken = (await t.account("coordinator", {}, "coordinator@example.org")).token;
    await t.account("coordinator", {}, "outsider@example.org");
    const foodies = await t.account("enterprise", { enterpriseId: FOODIES }, "foodies@example.org");
    await t.account("enterprise", { enterpriseId: FAIR }, "fair@example.org");
    await t.account("enterprise", { enterpriseId: BLIND }, "blind@example.org");
    const contact = await t.request("PATCH", `/api/enterprises/${FOODIES}`, {
      token: foodies.token,
      body: { contact: { name: "Anna", email: "anna@foodies.example" } },
    });
    expect(contact.status).toBe(200);
    for (const who of ["coordinator", "outsider", "foodies", "fair", "blind"]) {
      browsers[who] = await signIn(`${who}@example.org`);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const as = (who: string): PageClient => {
    const b = browsers[who];
    if (!b) throw new Error(`no browser for ${who}`);
    return b;
  };

  it("offers a signed-in coordinator to start a consortium from the suggestion, and creates a draft", async () => {
    const anonymous = await (await pageClient(t).get(`/tenders/${encodeURIComponent(TENDER)}`)).text();
    expect(anonymous).not.toContain("Start a consortium from this suggestion");
    const page = await (await as("coordinator").get(`/tenders/${encodeURIComponent(TENDER)}`)).text();
    expect(page).toContain("Start a consortium from this suggestion");
    expect(page).toContain('name="fromSuggestion" value="0"');
    expect(page).toContain("My consortia");

    const res = await as("coordinator").post("/consortia", {
      tenderId: TENDER,
      fromSuggestion: "0",
      _csrf: csrfOf(page),
    });
    expect(res.status).toBe(303);
    const location = res.headers.get("location") ?? "";
    expect(location).toMatch(/^\/consortia\/[0-9a-f-]{36}$/);
    id = location.slice("/consortia/".length);

    const html = await (await as("coordinator").get(location)).text();
    const text = mainText(html);
    expect(text).toContain("Draft");
    expect(text).toContain("Social Foodies");
    expect(text).toContain("Not invited yet");
    expect(text).toMatch(/Created: created from suggestion 0/);
    // The lots × members table with the suggestion's lots ticked, one per member.
    expect(
      html.match(/type="checkbox" id="lot-\d-\d" name="lots:[^"]+" value="[^"]+" checked/g),
    ).toHaveLength(3);
    expect(html).toContain('value="dissolved"');
    expect(html).not.toContain('value="formed"');

    const list = mainText(await (await as("coordinator").get("/consortia")).text());
    expect(list).toContain("Gavekurve til medarbejdere");
  });

  it("is the 404 page to outsiders and to members not yet invited", async () => {
    for (const who of ["outsider", "foodies"]) {
      const res = await as(who).get(`/consortia/${id}`);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain("Page not found");
      expect((await as(who).get(`/consortia/${id}/summary`)).status).toBe(404);
    }
    const post = await as("outsider").post(`/consortia/${id}/status`, {
      status: "dissolved",
      _csrf: csrfOf(await (await as("outsider").get("/consortia")).text()),
    });
    expect(post.status).toBe(404);
    const anonymous = await pageClient(t).get(`/consortia/${id}`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toMatch(/^\/sign-in\?next=/);
  });

  it("refuses a form without the CSRF token or from another origin", async () => {
    const missing = await as("coordinator").post(`/consortia/${id}/invite`, [["pick", FOODIES]]);
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain("The form could not be sent");
    const csrf = csrfOf(await (await as("coordinator").get(`/consortia/${id}`)).text());
    const foreign = await as("coordinator").post(
      `/consortia/${id}/invite`,
      [
        ["pick", FOODIES],
        ["_csrf", csrf],
      ],
      { origin: "https://evil.example" },
    );
    expect(foreign.status).toBe(403);
    const create = await as("coordinator").post("/consortia", { tenderId: TENDER, fromSuggestion: "0" });
    expect(create.status).toBe(403);
  });

  it("starts a consortium by hand from typed enterprise ids, and refuses an unknown one", async () => {
    const page = await (await as("coordinator").get(`/tenders/${encodeURIComponent(TENDER)}`)).text();
    expect(page).toContain("Start a consortium of your own choice");
    const res = await as("coordinator").post("/consortia", {
      tenderId: TENDER,
      enterpriseIds: `${FOODIES}, ${BLIND}`,
      _csrf: csrfOf(page),
    });
    expect(res.status).toBe(303);
    const text = mainText(await (await as("coordinator").get(res.headers.get("location") ?? "")).text());
    expect(text).toContain("Social Foodies");
    expect(text).toContain("Blindes Arbejde Aarhus");
    expect(text).not.toContain("Fair Trade Gruppen");
    const unknown = await as("coordinator").post("/consortia", {
      tenderId: TENDER,
      enterpriseIds: "no-such-enterprise",
      _csrf: csrfOf(page),
    });
    expect(unknown.status).toBe(400);
  });

  it("invites the members (picked and typed), moving the draft to invited", async () => {
    const res = await submit(as("coordinator"), `/consortia/${id}/invite`, [
      ["pick", FOODIES],
      ["pick", FAIR],
      ["ids", ` ${BLIND} `],
    ]);
    expect(res.status).toBe(303);
    const text = mainText(await (await as("coordinator").get(`/consortia/${id}`)).text());
    expect(text).toContain("Invited");
    expect(text.match(/Invitation pending/g)).toHaveLength(3);
    expect(text).toContain(`Invited: invited ${FOODIES}, ${FAIR}, ${BLIND}`);

    const again = await submit(as("coordinator"), `/consortia/${id}/invite`, [["ids", FOODIES]]);
    expect(again.status).toBe(400);
    expect(mainText(await again.text())).toContain("The change is not valid.");
  });

  it("finds enterprises in the directory for the invitation form", async () => {
    const html = await (await as("coordinator").get(`/consortia/${id}?find=rengøring`)).text();
    expect(html).toContain("Enterprises found");
    expect(html).toMatch(/id="found-[a-z0-9-]+" name="pick"/);
  });

  it("lets the invited member see it and accept; a decline blocks forming with the rule in words", async () => {
    const page = await (await as("foodies").get(`/consortia/${id}`)).text();
    expect(page).toContain("Accept the invitation");
    expect(page).not.toContain('value="formed"');
    expect((await submit(as("foodies"), `/consortia/${id}/respond`, [["answer", "accept"]])).status).toBe(
      303,
    );
    expect(mainText(await (await as("foodies").get(`/consortia/${id}`)).text())).toContain(
      "Your enterprise's answer: Accepted.",
    );
    // A member may not coordinate.
    const lead = await submit(as("foodies"), `/consortia/${id}/lead`, [["lead", FOODIES]]);
    expect(lead.status).toBe(403);
    expect(mainText(await lead.text())).toContain("Only the consortium's coordinator may do this.");

    expect((await submit(as("fair"), `/consortia/${id}/respond`, [["answer", "decline"]])).status).toBe(303);
    const back = mainText(await (await as("coordinator").get(`/consortia/${id}`)).text());
    expect(back).toContain("Declined");
    expect(back).toContain("Draft");

    const refused = await submit(as("coordinator"), `/consortia/${id}/status`, [["status", "formed"]]);
    expect(refused.status).toBe(409);
    const text = mainText(await refused.text());
    expect(text).toContain("This step was not taken");
    expect(text).toContain("This status cannot follow the current one.");

    // Invited again, the workspace is invited, but forming still needs every answer and a lead.
    expect((await submit(as("coordinator"), `/consortia/${id}/invite`, [["pick", FAIR]])).status).toBe(303);
    const notYet = await submit(as("coordinator"), `/consortia/${id}/status`, [["status", "formed"]]);
    expect(notYet.status).toBe(409);
    const words = mainText(await notYet.text());
    expect(words).toContain("Every member must have accepted the invitation.");
    expect(words).toContain("A lead partner must be set.");
    expect(words).toContain(`${FAIR} pending`);
  });

  it("forms the consortium once all accepted, the lead and lots are set; every step is in the history", async () => {
    expect((await submit(as("fair"), `/consortia/${id}/respond`, [["answer", "accept"]])).status).toBe(303);
    expect((await submit(as("blind"), `/consortia/${id}/respond`, [["answer", "accept"]])).status).toBe(303);
    const lots = await submit(as("coordinator"), `/consortia/${id}/lots`, [
      ["member", FOODIES],
      ["member", FAIR],
      ["member", BLIND],
      [`lots:${FOODIES}`, "LOT-0001"],
      [`lots:${BLIND}`, "LOT-0002"],
      [`lots:${FAIR}`, "LOT-0003"],
    ]);
    expect(lots.status).toBe(303);
    expect((await submit(as("coordinator"), `/consortia/${id}/lead`, [["lead", FOODIES]])).status).toBe(303);
    const formed = await submit(as("coordinator"), `/consortia/${id}/status`, [["status", "formed"]]);
    expect(formed.status).toBe(303);
    const html = await (await as("coordinator").get(`/consortia/${id}`)).text();
    const text = mainText(html);
    expect(text).toMatch(/Status Formed/);
    expect(text).toContain("Lead partner Social Foodies");
    expect(html).toContain('value="submitted"');
    for (const action of ["Created", "Invited", "Accepted", "Declined", "Assigned", "Status changed"]) {
      expect(text).toContain(`${action}:`);
    }
    expect(text).toContain("invited → formed");
    expect(text).toContain("coordinator@example.org");
    expect(text).toContain("Fair Trade");
  });

  it("prints a summary of who delivers what, with contacts for members only", async () => {
    const res = await as("fair").get(`/consortia/${id}/summary`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("@media print");
    const text = mainText(html);
    expect(text).toContain("Who delivers what");
    expect(text).toContain("Social Foodies");
    expect(text).toContain("anna@foodies.example");
    expect(text).toMatch(/Lead partner Social Foodies/);

    const coordinator = mainText(await (await as("coordinator").get(`/consortia/${id}/summary`)).text());
    expect(coordinator).toContain("Who delivers what");
    expect(coordinator).not.toContain("anna@foodies.example");
    expect(coordinator).toContain("Contacts are shown to the consortium's members only.");
  });

  it("shows the pages in Danish", async () => {
    const text = mainText(await (await as("coordinator").get(`/consortia/${id}?lang=da`)).text());
    expect(text).toContain("Dannet");
    expect(text).toContain("Hvem leverer hvilken delaftale");
    await as("coordinator").get("/consortia?lang=en");
  });

  describe("removing members and setting roles", () => {
    let other = "";

    /** Posts a form with the browser's CSRF token (read from "my consortia"). */
    async function send(b: PageClient, path: string, form: [string, string][]) {
      const csrf = csrfOf(await (await b.get("/consortia")).text());
      return b.post(path, [...form, ["_csrf", csrf]]);
    }

    /** The workspace as the API gives it to its coordinator. */
    async function fromApi(wsId: string) {
      const res = await t.request("GET", `/api/consortia/${wsId}`, { token: coordinatorToken });
      expect(res.status).toBe(200);
      return (await res.json()) as {
        version: number;
        status: string;
        members: { enterpriseId: string; role: string }[];
      };
    }

    /** The row of a member in the members table, as text. */
    const memberRow = (html: string, enterpriseId: string) =>
      textOf(new RegExp(`<tr data-member="${enterpriseId}">[\\s\\S]*?</tr>`).exec(html)?.[0] ?? "");

    /** The role a member's row shows (the column, not the selector). */
    const roleShown = (html: string, enterpriseId: string) =>
      new RegExp(`<tr data-member="${enterpriseId}">[\\s\\S]*?<td class="role">([^<]*)</td>`).exec(html)?.[1];

    beforeAll(async () => {
      const page = await (await as("coordinator").get(`/tenders/${encodeURIComponent(TENDER)}`)).text();
      const created = await as("coordinator").post("/consortia", {
        tenderId: TENDER,
        enterpriseIds: `${FOODIES} ${FAIR} ${BLIND}`,
        _csrf: csrfOf(page),
      });
      expect(created.status).toBe(303);
      other = (created.headers.get("location") ?? "").slice("/consortia/".length);
      const invited = await send(as("coordinator"), `/consortia/${other}/invite`, [
        ["pick", FOODIES],
        ["pick", FAIR],
        ["pick", BLIND],
      ]);
      expect(invited.status).toBe(303);
    });

    it("lets the coordinator remove an invited member: gone from the page and the API, the step in the history", async () => {
      const before = await (await as("coordinator").get(`/consortia/${other}`)).text();
      expect(before).toContain(`action="/consortia/${other}/remove"`);
      expect(memberRow(before, BLIND)).toContain("Remove: Blindes Arbejde Aarhus");
      expect((await as("blind").get(`/consortia/${other}`)).status).toBe(200);

      const res = await send(as("coordinator"), `/consortia/${other}/remove`, [["member", BLIND]]);
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(`/consortia/${other}`);

      const html = await (await as("coordinator").get(`/consortia/${other}`)).text();
      expect(html).not.toContain(`data-member="${BLIND}"`);
      const text = mainText(html);
      expect(text).not.toContain("Blindes Arbejde Aarhus");
      expect(text).toContain(`Removed: removed ${BLIND}`);
      expect(memberRow(html, FAIR)).toContain("Fair Trade");

      const api = await fromApi(other);
      expect(api.members.map((m) => m.enterpriseId)).toEqual([FOODIES, FAIR]);
      // The removed enterprise no longer sees the consortium.
      expect((await as("blind").get(`/consortia/${other}`)).status).toBe(404);
    });

    it("sets a member's role to subcontractor and the lead from the members table, and shows them", async () => {
      const res = await send(as("coordinator"), `/consortia/${other}/role`, [
        ["member", FAIR],
        ["role", "subcontractor"],
      ]);
      expect(res.status).toBe(303);
      const html = await (await as("coordinator").get(`/consortia/${other}`)).text();
      expect(roleShown(html, FAIR)).toBe("Subcontractor");
      expect(roleShown(html, FOODIES)).toBe("Member");
      expect(html).toMatch(
        new RegExp(`id="role-${FAIR}" name="role">[\\s\\S]*?<option value="subcontractor" selected`),
      );
      expect(mainText(html)).toContain(`Assigned: ${FAIR} is subcontractor`);
      expect((await fromApi(other)).members.find((m) => m.enterpriseId === FAIR)?.role).toBe("subcontractor");

      const lead = await send(as("coordinator"), `/consortia/${other}/role`, [
        ["member", FOODIES],
        ["role", "lead"],
      ]);
      expect(lead.status).toBe(303);
      const led = mainText(await (await as("coordinator").get(`/consortia/${other}`)).text());
      expect(led).toContain("Lead partner Social Foodies");
      expect(led).toContain(`Assigned: ${FOODIES} leads`);
    });

    it("refuses what the rules forbid, says why in words, and changes nothing", async () => {
      // The lead's own role changes only by setting another lead.
      const version = (await fromApi(other)).version;
      const demote = await send(as("coordinator"), `/consortia/${other}/role`, [
        ["member", FOODIES],
        ["role", "member"],
      ]);
      expect(demote.status).toBe(400);
      const why = mainText(await demote.text());
      expect(why).toContain("The change is not valid.");
      expect(why).toContain("set another lead first");
      expect((await fromApi(other)).version).toBe(version);

      // Once the bid is submitted, members are frozen: no Remove button, and a stale form is refused.
      expect(
        (await send(as("coordinator"), `/consortia/${id}/status`, [["status", "submitted"]])).status,
      ).toBe(303);
      const submitted = await (await as("coordinator").get(`/consortia/${id}`)).text();
      expect(submitted).not.toContain(`action="/consortia/${id}/remove"`);
      expect(submitted).not.toContain(`action="/consortia/${id}/role"`);
      const before = await fromApi(id);
      expect(before.status).toBe("submitted");

      const refused = await send(as("coordinator"), `/consortia/${id}/remove`, [["member", FAIR]]);
      expect(refused.status).toBe(409);
      const text = mainText(await refused.text());
      expect(text).toContain("This step was not taken");
      expect(text).toContain("Members, lots and the lead partner can no longer change.");
      expect(text).toContain("frozen once submitted");
      expect(text).toContain("Fair Trade Gruppen");
      const after = await fromApi(id);
      expect(after.version).toBe(before.version);
      expect(after.members.map((m) => m.enterpriseId)).toContain(FAIR);
    });

    it("does not let anyone but the coordinator remove a member or change a role", async () => {
      const memberPage = await (await as("foodies").get(`/consortia/${other}`)).text();
      expect(memberPage).not.toContain(`action="/consortia/${other}/remove"`);
      expect(memberPage).not.toContain(`action="/consortia/${other}/role"`);
      const version = (await fromApi(other)).version;

      const removal = await send(as("foodies"), `/consortia/${other}/remove`, [["member", FAIR]]);
      expect(removal.status).toBe(403);
      expect(mainText(await removal.text())).toContain("Only the consortium's coordinator may do this.");
      const role = await send(as("foodies"), `/consortia/${other}/role`, [
        ["member", FOODIES],
        ["role", "lead"],
      ]);
      expect(role.status).toBe(403);
      const outsider = await send(as("outsider"), `/consortia/${other}/remove`, [["member", FAIR]]);
      expect(outsider.status).toBe(404);

      const after = await fromApi(other);
      expect(after.version).toBe(version);
      expect(after.members.map((m) => m.enterpriseId)).toEqual([FOODIES, FAIR]);
    });
  });
});
