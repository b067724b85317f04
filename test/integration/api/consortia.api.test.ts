/**
 * The consortium workspace over HTTP, on demo data: a coordinator starts one from the suggestion
 * for Aarhus' gift baskets, invites, the members accept, lots and the lead are assigned, it is
 * formed and its summary says who delivers what; a decline blocks forming, an infeasible group is
 * refused with the reason, outsiders can neither read nor change it, and every step is recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeWorkspace } from "../../../src/domain/consortium-workspace.js";
import { body, createTestApp, type TestApp } from "../../support/app.js";

const TENDER = "demo:aarhus-gavekurve-2027";
const FOODIES = "social-foodies";
const FAIR = "fair-trade-gruppen";
const BLIND = "blindes-arbejde-aarhus";

interface Member {
  enterpriseId: string;
  role: string;
  invitation: string;
  lots: string[];
}
interface Workspace {
  id: string;
  tenderId: string;
  status: string;
  createdBy: string;
  lots: string[];
  members: Member[];
  version: number;
  enterprises: Record<string, { name: string }>;
  history: { seq: number; action: string; actorId: string; status: string; from?: string; message: string }[];
}
interface ErrorBody {
  error: { code: string; message: string; requestId: string; fields?: { path: string; message: string }[] };
}
interface Summary {
  status: string;
  lead?: { id: string; name: string };
  lots: { lotId: string; deliveredBy: { id: string; covers: string[] }[]; uncovered: string[] }[];
  members: { id: string; contact?: { email?: string } }[];
  contactsShown: boolean;
}

describe("consortia API", () => {
  let t: TestApp;
  let coordinator: { id: string; token: string };
  let foodies: { id: string; token: string };
  let fair: { id: string; token: string };
  let blind: { id: string; token: string };
  let outsider: { id: string; token: string };
  let outsiderEnterprise: { id: string; token: string };
  let admin: { id: string; token: string };
  let ws: Workspace;

  const post = (path: string, token: string, payload: unknown) =>
    t.request("POST", path, { token, body: payload });
  const patch = (id: string, token: string, payload: unknown) =>
    t.request("PATCH", `/api/consortia/${id}`, { token, body: payload });
  const move = (id: string, token: string, status: string) =>
    post(`/api/consortia/${id}/status`, token, { status });
  const respond = (id: string, token: string, accept: boolean) =>
    post(`/api/consortia/${id}/respond`, token, { accept });

  async function ok(res: Response, status = 200): Promise<Workspace> {
    const text = await res.clone().text();
    expect(res.status, text).toBe(status);
    return body<Workspace>(res);
  }

  beforeAll(async () => {
    t = await createTestApp({ demo: true });
    coordinator = await t.account("coordinator");
    foodies = await t.account("enterprise", { enterpriseId: FOODIES });
    fair = await t.account("enterprise", { enterpriseId: FAIR });
    blind = await t.account("enterprise", { enterpriseId: BLIND });
    outsider = await t.account("coordinator");
    outsiderEnterprise = await t.account("enterprise", { enterpriseId: "flexvirk" });
    admin = await t.account("admin");
    const contact = await t.request("PATCH", `/api/enterprises/${FOODIES}`, {
      token: foodies.token,
      body: { contact: { name: "Anna", email: "anna@foodies.example" } },
    });
    expect(contact.status).toBe(200);
  });
  afterAll(() => t.close());

  it("creates a draft from the suggestion, with its three members and their lots filled in", async () => {
    const matches = await body<{ consortia: { members: string[] }[] }>(
      await t.request("GET", `/api/tenders/${encodeURIComponent(TENDER)}/matches`),
    );
    expect(matches.consortia[0]?.members.sort()).toEqual([BLIND, FAIR, FOODIES]);
    const res = await post("/api/consortia", coordinator.token, { tenderId: TENDER, fromSuggestion: 0 });
    ws = await ok(res, 201);
    expect(res.headers.get("location")).toBe(`/api/consortia/${ws.id}`);
    expect(ws.status).toBe("draft");
    expect(ws.createdBy).toBe(coordinator.id);
    expect(ws.lots).toEqual(["LOT-0001", "LOT-0002", "LOT-0003"]);
    const lots = Object.fromEntries(ws.members.map((m) => [m.enterpriseId, m.lots]));
    expect(lots).toEqual({ [FOODIES]: ["LOT-0001"], [BLIND]: ["LOT-0002"], [FAIR]: ["LOT-0003"] });
    expect(ws.members.every((m) => m.invitation === "not-invited" && m.role === "member")).toBe(true);
    expect(ws.enterprises[FOODIES]?.name).toBe("Social Foodies");
  });

  it("refuses bad input with 400 naming the field", async () => {
    const both = await post("/api/consortia", coordinator.token, { tenderId: TENDER });
    expect(both.status).toBe(400);
    expect((await body<ErrorBody>(both)).error.fields?.[0]?.path).toBe("enterpriseIds");
    const far = await post("/api/consortia", coordinator.token, { tenderId: TENDER, fromSuggestion: 40 });
    expect((await body<ErrorBody>(far)).error.fields?.[0]?.path).toBe("fromSuggestion");
    const unknown = await post("/api/consortia", coordinator.token, {
      tenderId: TENDER,
      enterpriseIds: ["nope-x"],
    });
    expect((await body<ErrorBody>(unknown)).error.fields?.[0]).toMatchObject({ path: "enterpriseIds.0" });
    const noTender = await post("/api/consortia", coordinator.token, {
      tenderId: "demo:nothing",
      enterpriseIds: [FAIR],
    });
    expect((await body<ErrorBody>(noTender)).error.fields?.[0]?.path).toBe("tenderId");
    const status = await move(ws.id, coordinator.token, "almost");
    expect(status.status).toBe(400);
    expect((await body<ErrorBody>(status)).error.fields?.[0]?.path).toBe("status");
    const lot = await patch(ws.id, coordinator.token, { members: [{ enterpriseId: FAIR, lots: ["LOT-9"] }] });
    expect(lot.status).toBe(400);
    expect((await body<ErrorBody>(lot)).error.fields?.[0]?.path).toBe("members.0.lots.0");
    const buyer = await t.account("buyer", { buyerId: "dk-0751" });
    expect((await post("/api/consortia", buyer.token, { tenderId: TENDER, fromSuggestion: 0 })).status).toBe(
      403,
    );
    expect(
      (await t.request("POST", "/api/consortia", { body: { tenderId: TENDER, fromSuggestion: 0 } })).status,
    ).toBe(401);
  });

  it("keeps a draft from members until invited, and invitations move it to invited", async () => {
    expect((await t.request("GET", `/api/consortia/${ws.id}`, { token: foodies.token })).status).toBe(404);
    ws = await ok(
      await post(`/api/consortia/${ws.id}/invitations`, coordinator.token, {
        enterpriseIds: [FOODIES, FAIR, BLIND],
      }),
    );
    expect(ws.status).toBe("invited");
    expect(ws.members.every((m) => m.invitation === "pending")).toBe(true);
    const mine = await body<{ items: { id: string }[] }>(
      await t.request("GET", "/api/consortia", { token: foodies.token }),
    );
    expect(mine.items.map((w) => w.id)).toEqual([ws.id]);
  });

  it("refuses forming before everyone accepted, naming the rules", async () => {
    const res = await move(ws.id, coordinator.token, "formed");
    expect(res.status).toBe(409);
    const error = (await body<ErrorBody>(res)).error;
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toMatch(/all-accepted/);
    expect(error.message).toMatch(/lead-set/);
  });

  it("lets only the invited enterprise answer, and a decline blocks forming", async () => {
    expect((await respond(ws.id, coordinator.token, true)).status).toBe(403);
    expect((await respond(ws.id, outsiderEnterprise.token, true)).status).toBe(404);
    ws = await ok(await respond(ws.id, foodies.token, true));
    ws = await ok(await respond(ws.id, fair.token, true));
    ws = await ok(await respond(ws.id, blind.token, false));
    expect(ws.status).toBe("draft");
    ws = await ok(await patch(ws.id, coordinator.token, { lead: FOODIES }));
    const blocked = await move(ws.id, coordinator.token, "formed");
    expect(blocked.status).toBe(409);
    expect((await body<ErrorBody>(blocked)).error.message).toMatch(
      /transition: from draft only to dissolved/,
    );
    const again = await respond(ws.id, blind.token, true);
    expect(again.status).toBe(409);
    expect((await body<ErrorBody>(again)).error.message).toMatch(/no-pending-invitation/);
  });

  it("forms once the decliner is re-invited and accepts, with a lead and every lot assigned", async () => {
    ws = await ok(
      await post(`/api/consortia/${ws.id}/invitations`, coordinator.token, { enterpriseIds: [BLIND] }),
    );
    expect(ws.status).toBe("invited");
    ws = await ok(await respond(ws.id, blind.token, true));
    ws = await ok(
      await patch(ws.id, coordinator.token, {
        name: "Gavekurve Aarhus",
        members: [{ enterpriseId: FAIR, lots: ["LOT-0003"] }],
      }),
    );
    ws = await ok(await move(ws.id, coordinator.token, "formed"));
    expect(ws.status).toBe("formed");
    expect(ws.members.find((m) => m.role === "lead")?.enterpriseId).toBe(FOODIES);
  });

  it("prints who delivers what, with contacts for members only", async () => {
    const forMember = await body<Summary>(
      await t.request("GET", `/api/consortia/${ws.id}/summary`, { token: fair.token }),
    );
    expect(forMember.status).toBe("formed");
    expect(forMember.lead).toEqual({ id: FOODIES, name: "Social Foodies" });
    const byLot = Object.fromEntries(forMember.lots.map((l) => [l.lotId, l.deliveredBy]));
    expect(byLot["LOT-0001"]).toEqual([
      { id: FOODIES, name: "Social Foodies", covers: ["15842000", "15332300"] },
    ]);
    expect(byLot["LOT-0002"]?.[0]).toMatchObject({ id: BLIND, covers: ["39224000", "03432000"] });
    expect(byLot["LOT-0003"]?.[0]).toMatchObject({ id: FAIR, covers: ["15860000", "39298900"] });
    expect(forMember.lots.every((l) => l.uncovered.length === 0)).toBe(true);
    expect(forMember.contactsShown).toBe(true);
    expect(forMember.members.find((m) => m.id === FOODIES)?.contact?.email).toBe("anna@foodies.example");

    const forCoordinator = await body<Summary>(
      await t.request("GET", `/api/consortia/${ws.id}/summary`, { token: coordinator.token }),
    );
    expect(forCoordinator.contactsShown).toBe(false);
    expect(forCoordinator.members.some((m) => m.contact)).toBe(false);

    const text = await t.request("GET", `/api/consortia/${ws.id}/summary?format=text`, { token: fair.token });
    expect(text.headers.get("content-type")).toMatch(/^text\/plain/);
    const printed = await text.text();
    expect(printed).toContain("Lead partner: Social Foodies (social-foodies)");
    expect(printed).toContain("Blindes Arbejde");
    expect(printed).toMatch(/LOT-0002 .*\n {4}.*\(blindes-arbejde-aarhus\): CPV 39224000, 03432000/);
    expect(printed).toContain("anna@foodies.example");
  });

  it("lets nobody else read or change it", async () => {
    for (const token of [outsider.token, outsiderEnterprise.token]) {
      expect((await t.request("GET", `/api/consortia/${ws.id}`, { token })).status).toBe(404);
      expect((await t.request("GET", `/api/consortia/${ws.id}/summary`, { token })).status).toBe(404);
      expect((await patch(ws.id, token, { name: "Mine now" })).status).toBe(404);
      expect((await move(ws.id, token, "dissolved")).status).toBe(404);
      expect(
        (await post(`/api/consortia/${ws.id}/invitations`, token, { enterpriseIds: ["flexvirk"] })).status,
      ).toBe(404);
      const mine = await body<{ items: unknown[] }>(await t.request("GET", "/api/consortia", { token }));
      expect(mine.items).toEqual([]);
    }
    // A member reads it but does not coordinate it.
    expect((await patch(ws.id, foodies.token, { name: "Ours" })).status).toBe(403);
    expect((await move(ws.id, fair.token, "submitted")).status).toBe(403);
    expect((await t.request("GET", `/api/consortia/${ws.id}`, { token: admin.token })).status).toBe(200);
    expect((await t.request("GET", `/api/consortia/${ws.id}`)).status).toBe(401);
  });

  it("refuses invalid transitions and follows formed → submitted → won", async () => {
    const won = await move(ws.id, coordinator.token, "won");
    expect(won.status).toBe(409);
    expect((await body<ErrorBody>(won)).error.message).toMatch(/cannot move from formed to won \(transition/);
    const invited = await move(ws.id, coordinator.token, "invited");
    expect((await body<ErrorBody>(invited)).error.message).toMatch(/invitations-drive-status/);
    ws = await ok(await move(ws.id, coordinator.token, "submitted"));
    const frozen = await patch(ws.id, coordinator.token, { lead: FAIR });
    expect(frozen.status).toBe(409);
    expect((await body<ErrorBody>(frozen)).error.message).toMatch(/members-frozen/);
    ws = await ok(await move(ws.id, admin.token, "won"));
    const after = await move(ws.id, coordinator.token, "dissolved");
    expect(after.status).toBe(409);
    expect((await body<ErrorBody>(after)).error.message).toMatch(/final: won is final/);
  });

  it("records every step in order, with who took it", async () => {
    const detail = await ok(await t.request("GET", `/api/consortia/${ws.id}`, { token: blind.token }));
    expect(detail.history.map((h) => h.seq)).toEqual(detail.history.map((_, i) => i + 1));
    expect(detail.version).toBe(detail.history.length);
    expect(detail.history.map((h) => [h.action, h.status])).toEqual([
      ["created", "draft"],
      ["invited", "invited"],
      ["accepted", "invited"],
      ["accepted", "invited"],
      ["declined", "draft"],
      ["assigned", "draft"],
      ["invited", "invited"],
      ["accepted", "invited"],
      ["assigned", "invited"],
      ["status", "formed"],
      ["status", "submitted"],
      ["status", "won"],
    ]);
    const actors = detail.history.map((h) => h.actorId);
    expect(actors[0]).toBe(coordinator.id);
    expect(actors[4]).toBe(blind.id);
    expect(actors[11]).toBe(admin.id);
    expect(detail.history[4]).toMatchObject({ from: "invited", message: `${BLIND} declined` });
  });

  it("refuses to form an infeasible group, giving the reason", async () => {
    let hand = await ok(
      await post("/api/consortia", coordinator.token, { tenderId: TENDER, enterpriseIds: [FOODIES, FAIR] }),
      201,
    );
    expect(hand.lots).toEqual(["LOT-0001", "LOT-0002", "LOT-0003"]);
    hand = await ok(
      await post(`/api/consortia/${hand.id}/invitations`, coordinator.token, {
        enterpriseIds: [FOODIES, FAIR],
      }),
    );
    await ok(await respond(hand.id, foodies.token, true));
    await ok(await respond(hand.id, fair.token, true));
    hand = await ok(
      await patch(hand.id, coordinator.token, {
        lead: FAIR,
        members: [
          { enterpriseId: FOODIES, lots: ["LOT-0001", "LOT-0002"] },
          { enterpriseId: FAIR, lots: ["LOT-0003"] },
        ],
      }),
    );
    const res = await move(hand.id, coordinator.token, "formed");
    expect(res.status).toBe(409);
    const message = (await body<ErrorBody>(res)).error.message;
    expect(message).toMatch(/feasible: not a feasible consortium: nobody covers 39224000 of LOT-0002/);
    expect(message).not.toMatch(/all-accepted|lead-set|lots-assigned/);
    const dissolved = await ok(await move(hand.id, coordinator.token, "dissolved"));
    expect(dissolved.status).toBe("dissolved");
  });

  it("lets an enterprise account start one by hand for chosen lots", async () => {
    const own = await ok(
      await post("/api/consortia", foodies.token, {
        tenderId: TENDER,
        name: "Chocolate only",
        enterpriseIds: [FOODIES],
        lots: ["LOT-0001"],
      }),
      201,
    );
    expect(own).toMatchObject({ createdBy: foodies.id, lots: ["LOT-0001"], name: "Chocolate only" });
    const mine = await body<{ items: { id: string }[] }>(
      await t.request("GET", "/api/consortia", { token: foodies.token }),
    );
    expect(mine.items.map((w) => w.id)).toContain(own.id);
    expect(mine.items.map((w) => w.id)).toContain(ws.id);
  });

  it("writes two steps taken from the same version once: the second is a conflict and leaves nothing", async () => {
    const created = await ok(
      await post("/api/consortia", coordinator.token, { tenderId: TENDER, enterpriseIds: [FAIR] }),
      201,
    );
    const store = t.deps.store.consortia;
    const stored = await store.get(created.id);
    if (!stored) throw new Error("not stored");
    const by = { actorId: coordinator.id, now: new Date().toISOString() };
    const first = changeWorkspace(stored.workspace, { name: "First" }, by);
    const second = changeWorkspace(stored.workspace, { name: "Second" }, by);
    const results = await Promise.allSettled([
      store.apply(first, stored.version),
      store.apply(second, stored.version),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = results.find((r) => r.status === "rejected");
    expect(String(rejected?.status === "rejected" ? rejected.reason : "")).toMatch(/changed by someone else/);
    const after = await store.get(created.id);
    expect(after?.version).toBe(2);
    expect(await store.history(created.id)).toHaveLength(2);
  });
});
