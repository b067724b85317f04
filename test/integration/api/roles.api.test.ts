/**
 * Every mutating route, with every role and with no token: who may and who may not.
 * Each cell is asserted on a fresh target, so one allowed write does not change the next cell.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/domain/account.js";
import { body, createTestApp, type TestApp } from "../../support/app.js";

type Who = Role | "anonymous" | "other-buyer" | "other-enterprise" | "unlinked-enterprise";
const EVERYONE: Who[] = [
  "anonymous",
  "enterprise",
  "unlinked-enterprise",
  "other-enterprise",
  "buyer",
  "other-buyer",
  "coordinator",
  "admin",
];

interface Cell {
  route: string;
  allowed: Who[];
  /** Status for those allowed. */
  ok: number;
  /** Refusals that are not 401 (anonymous) or 403 (signed in), with the reason in the name. */
  other?: Partial<Record<Who, number>>;
  run: (token: string | undefined, n: number) => Promise<Response>;
}

describe("who may change what", () => {
  let t: TestApp;
  const tokens = new Map<Who, string>();
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp();
    tokens.set("admin", (await t.account("admin")).token);
    tokens.set("coordinator", (await t.account("coordinator")).token);
    tokens.set("buyer", (await t.account("buyer", { buyerId: "dk-0751" })).token);
    tokens.set("other-buyer", (await t.account("buyer", { buyerId: "dk-0730" })).token);
    tokens.set("enterprise", (await t.account("enterprise", { enterpriseId: "own-enterprise" })).token);
    tokens.set("other-enterprise", (await t.account("enterprise", { enterpriseId: "someone-else" })).token);
    tokens.set("unlinked-enterprise", (await t.account("enterprise")).token);
    const admin = tokens.get("admin");
    for (const id of ["own-enterprise", "someone-else"]) {
      const res = await t.request("POST", "/api/enterprises", {
        token: admin,
        body: { id, name: id, country: "DK" },
      });
      expect(res.status).toBe(201);
    }
  });
  afterAll(() => t.close());

  async function newTender(): Promise<string> {
    const res = await t.request("POST", "/api/tenders", {
      token: tokens.get("buyer"),
      body: { externalId: `role-${++n}`, title: `Plan item ${n}`, cpv: ["90910000"] },
    });
    expect(res.status).toBe(201);
    return encodeURIComponent((await body<{ id: string }>(res)).id);
  }

  const cells: Cell[] = [
    {
      route: "POST /api/tenders (for its own buyer)",
      allowed: ["buyer", "other-buyer"],
      ok: 201,
      other: { admin: 400 /* an admin must name the buyer */ },
      run: (token, i) =>
        t.request("POST", "/api/tenders", { token, body: { externalId: `c-${i}`, title: "Rengøring" } }),
    },
    {
      route: "POST /api/tenders naming buyer dk-0751",
      allowed: ["buyer", "admin"],
      ok: 201,
      run: (token, i) =>
        t.request("POST", "/api/tenders", {
          token,
          body: { externalId: `d-${i}`, title: "Rengøring", buyerId: "dk-0751" },
        }),
    },
    {
      route: "PATCH /api/tenders/:id of buyer dk-0751",
      allowed: ["buyer", "admin"],
      ok: 200,
      run: async (token) =>
        t.request("PATCH", `/api/tenders/${await newTender()}`, { token, body: { title: "Ny titel" } }),
    },
    {
      route: "DELETE /api/tenders/:id of buyer dk-0751",
      allowed: ["buyer", "admin"],
      ok: 200,
      run: async (token) => t.request("DELETE", `/api/tenders/${await newTender()}`, { token }),
    },
    {
      route: "POST /api/enterprises (its own, or any for an admin)",
      allowed: ["unlinked-enterprise", "admin"],
      ok: 201,
      other: { enterprise: 409, "other-enterprise": 409 /* their one enterprise exists already */ },
      run: (token, i) =>
        t.request("POST", "/api/enterprises", { token, body: { name: `Ny virksomhed ${i}`, country: "DK" } }),
    },
    {
      route: "PATCH /api/enterprises/own-enterprise",
      allowed: ["enterprise", "admin"],
      ok: 200,
      run: (token, i) =>
        t.request("PATCH", "/api/enterprises/own-enterprise", { token, body: { description: `v${i}` } }),
    },
  ];

  for (const cell of cells) {
    describe(cell.route, () => {
      for (const who of EVERYONE) {
        const allowed = cell.allowed.includes(who);
        const refusal = cell.other?.[who] ?? (who === "anonymous" ? 401 : 403);
        it(`${who}: ${allowed ? `allowed (${cell.ok})` : `refused (${refusal})`}`, async () => {
          const res = await cell.run(tokens.get(who), ++n);
          expect(res.status).toBe(allowed ? cell.ok : refusal);
          if (!allowed) {
            const err = await body<{ error: { code: string; requestId: string } }>(res);
            const code = { 400: "VALIDATION_FAILED", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 409: "CONFLICT" }[
              refusal
            ];
            expect(err.error.code).toBe(code);
            expect(err.error.requestId).toBeTruthy();
          }
        });
      }
    });
  }

  it("an enterprise account already linked cannot register a second enterprise (409 for its own id)", async () => {
    const res = await t.request("POST", "/api/enterprises", {
      token: tokens.get("enterprise"),
      body: { name: "Own enterprise again", country: "DK" },
    });
    expect(res.status).toBe(409);
  });

  it("a token that is not valid is refused with 401 on reads and writes", async () => {
    for (const [method, path] of [
      ["GET", "/api/tenders"],
      ["GET", "/api/enterprises"],
      ["POST", "/api/tenders"],
    ] as const) {
      const res = await t.request(method, path, {
        token: "not-a-real-token-but-long-enough",
        body: method === "POST" ? {} : undefined,
      });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain("Bearer");
    }
    const malformed = await t.request("GET", "/api/tenders", { headers: { authorization: "Basic abc" } });
    expect(malformed.status).toBe(401);
  });

  it("a revoked token stops working", async () => {
    const { id, token } = await t.account("coordinator");
    expect((await t.request("GET", "/api/me", { token })).status).toBe(200);
    await t.deps.store.accounts.revokeTokens(id);
    expect((await t.request("GET", "/api/me", { token })).status).toBe(401);
  });
});
