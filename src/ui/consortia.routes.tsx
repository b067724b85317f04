/**
 * The consortium workspace pages: "my consortia", one workspace with its forms (invite, lots per
 * member, lead, a member's role and removal, status, the invited enterprise's answer) and its
 * printable summary. The pages use the same service as the API (services/consortia.service.ts),
 * so who may see and do what is decided there: a workspace the account may not read is the 404
 * page. Every form POSTs with the CSRF token and answers with a redirect to the workspace (303),
 * or with the workspace and the rule that refused the step.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import type { Actor } from "../domain/account.js";
import { MemberRole, WorkspaceChange, WorkspaceStatus } from "../domain/consortium-workspace.js";
import { AppError, fieldIssues } from "../domain/errors.js";
import type { AppEnv } from "../routes/app-env.js";
import {
  changeConsortium,
  consortiumSummary,
  createConsortium,
  getConsortium,
  inviteToConsortium,
  listConsortia,
  moveConsortium,
  respondToConsortium,
} from "../services/consortia.service.js";
import { searchEnterprises } from "../services/enterprises.service.js";
import { type PageContext, pageContext } from "./page-context.js";
import { ConsortiumSummaryPage } from "./pages/consortium-summary.page.js";
import {
  ConsortiumListPage,
  ConsortiumPage,
  ConsortiumRefusedPage,
  type Refusal,
  consortiumHref,
} from "./pages/consortium.page.js";
import { NotFoundPage } from "./pages/not-found.page.js";
import { requireCsrf } from "./csrf.js";
import { render } from "./render.js";
import { csrfToken } from "./session.js";

/** Directory hits offered in the invitation form. */
const FIND_LIMIT = 10;

/** Signed-in pages: anonymous visitors go to the sign-in page and come back. */
function signedIn(c: Context<AppEnv>): Actor | undefined {
  const actor = c.get("actor");
  return actor.kind === "account" ? actor : undefined;
}

const toSignIn = (c: Context<AppEnv>) =>
  c.redirect(`/sign-in?next=${encodeURIComponent(new URL(c.req.url).pathname)}`, 303);

const notFound = (c: Context<AppEnv>, ctx: PageContext) =>
  render(c, <NotFoundPage ctx={ctx} detail={ctx.t.workspace.notFound} />, 404);

const formStrings = async (c: Context<AppEnv>, name: string): Promise<string[]> =>
  (await c.req.formData())
    .getAll(name)
    .flatMap((v) => (typeof v === "string" && v.trim() !== "" ? [v.trim()] : []));

const formString = async (c: Context<AppEnv>, name: string): Promise<string> =>
  (await formStrings(c, name))[0] ?? "";

/** A change from a form, checked by the schema that checks the API's request body. */
function formChange(input: WorkspaceChange): WorkspaceChange {
  const parsed = WorkspaceChange.safeParse(input);
  if (!parsed.success) {
    throw new AppError("VALIDATION_FAILED", "the change is not valid", {
      fields: fieldIssues(parsed.error.issues),
    });
  }
  return parsed.data;
}

/** Why a step was refused, from the service's error; undefined for errors that are not refusals. */
function refusalOf(
  ctx: PageContext,
  error: unknown,
): { refusal: Refusal; status: 400 | 403 | 409 } | undefined {
  if (!(error instanceof AppError)) return undefined;
  const w = ctx.t.workspace;
  if (error.code === "CONFLICT") {
    const problems = error.context?.problems;
    const rules = Array.isArray(problems)
      ? problems.flatMap((p: unknown) =>
          p && typeof p === "object" && "rule" in p && "message" in p
            ? [{ rule: String(p.rule), detail: String(p.message) }]
            : [],
        )
      : [];
    return {
      refusal: { title: w.refused, rules: rules.length > 0 ? rules : [{ detail: error.message }] },
      status: 409,
    };
  }
  if (error.code === "VALIDATION_FAILED") {
    const fields = error.fields ?? [];
    return {
      refusal: {
        title: w.invalid,
        rules: fields.length > 0 ? fields.map((f) => ({ detail: f.message })) : [{ detail: error.message }],
      },
      status: 400,
    };
  }
  if (error.code === "FORBIDDEN") return { refusal: { title: w.forbidden, rules: [] }, status: 403 };
  return undefined;
}

/** Names of who took the steps: an enterprise account by its enterprise, others by e-mail. */
async function actorNames(c: Context<AppEnv>, ids: readonly string[]): Promise<Record<string, string>> {
  const { store } = c.var.deps;
  const names: Record<string, string> = {};
  for (const id of new Set(ids)) {
    const account = await store.accounts.get(id);
    if (!account) continue;
    const enterprise = account.enterpriseId ? await store.enterprises.get(account.enterpriseId) : undefined;
    names[id] = enterprise ? enterprise.enterprise.name : account.email;
  }
  return names;
}

/** The workspace page, with a refusal when a step was refused. */
async function showWorkspace(
  c: Context<AppEnv>,
  id: string,
  refused?: { refusal: Refusal; status: 400 | 403 | 409 },
): Promise<Response> {
  const ctx = pageContext(c);
  const actor = c.get("actor");
  const deps = c.var.deps;
  let ws;
  try {
    ws = await getConsortium(deps, actor, id);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") return notFound(c, ctx);
    throw error;
  }
  const account = actor.kind === "account" ? actor.account : undefined;
  const coordinates = account?.role === "admin" || ws.createdBy === account?.id;
  const query = c.req.method === "GET" ? (c.req.query("find") ?? "").trim().slice(0, 200) : "";
  let found: { query: string; items: { id: string; name: string }[] } | undefined;
  if (coordinates && query !== "") {
    const { items } = await searchEnterprises(deps, {
      q: query,
      sort: "relevance",
      offset: 0,
      limit: FIND_LIMIT,
      facets: [],
    });
    found = { query, items: items.map((e) => ({ id: e.id, name: e.name })) };
  }
  const tender = (await deps.store.tenders.get(ws.tenderId))?.tender;
  return render(
    c,
    <ConsortiumPage
      ctx={ctx}
      data={{
        ws,
        ...(tender ? { tender } : {}),
        coordinates,
        ...(account?.role === "enterprise" && account.enterpriseId
          ? { enterpriseId: account.enterpriseId }
          : {}),
        actors: await actorNames(
          c,
          ws.history.map((h) => h.actorId),
        ),
        ...(found ? { found } : {}),
        ...(refused ? { refusal: refused.refusal } : {}),
        csrf: await csrfToken(c),
      }}
    />,
    refused?.status ?? 200,
  );
}

/** A step from a form: done, it redirects to the workspace; refused, the workspace says why. */
async function step(
  c: Context<AppEnv>,
  take: (actor: Actor, id: string) => Promise<unknown>,
): Promise<Response> {
  const actor = signedIn(c);
  if (!actor) return toSignIn(c);
  const id = c.req.param("id") ?? "";
  try {
    await take(actor, id);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") return notFound(c, pageContext(c));
    const refused = refusalOf(pageContext(c), error);
    if (!refused) throw error;
    return showWorkspace(c, id, refused);
  }
  return c.redirect(consortiumHref(id), 303);
}

export const consortiaPages = new Hono<AppEnv>()
  .use("/consortia", requireCsrf)
  .use("/consortia/*", requireCsrf)
  .get("/consortia", async (c) => {
    const actor = signedIn(c);
    if (!actor) return toSignIn(c);
    const ctx = pageContext(c);
    const items = await listConsortia(c.var.deps, actor);
    const tenders = await c.var.deps.store.tenders.getMany([...new Set(items.map((ws) => ws.tenderId))]);
    return render(
      c,
      <ConsortiumListPage ctx={ctx} items={items} tenders={new Map(tenders.map((t) => [t.id, t.title]))} />,
    );
  })
  .post("/consortia", async (c) => {
    const actor = signedIn(c);
    if (!actor) return toSignIn(c);
    const ctx = pageContext(c);
    const tenderId = await formString(c, "tenderId");
    const suggestion = await formString(c, "fromSuggestion");
    const index = suggestion === "" ? Number.NaN : Number(suggestion);
    // By hand: enterprise ids typed, separated by commas or spaces.
    const enterpriseIds = (await formString(c, "enterpriseIds")).split(/[\s,]+/).filter(Boolean);
    try {
      const created = await createConsortium(c.var.deps, actor, {
        tenderId,
        ...(Number.isInteger(index) && index >= 0 ? { fromSuggestion: index } : { enterpriseIds }),
      });
      return c.redirect(consortiumHref(created.id), 303);
    } catch (error) {
      const refused = refusalOf(ctx, error);
      if (!refused) throw error;
      return render(c, <ConsortiumRefusedPage ctx={ctx} refusal={refused.refusal} />, refused.status);
    }
  })
  .get("/consortia/:id", async (c) => {
    if (!signedIn(c)) return toSignIn(c);
    return showWorkspace(c, c.req.param("id"));
  })
  .get("/consortia/:id/summary", async (c) => {
    const actor = signedIn(c);
    if (!actor) return toSignIn(c);
    const ctx = pageContext(c);
    try {
      const summary = await consortiumSummary(c.var.deps, actor, c.req.param("id"));
      c.header("Cache-Control", "private, no-store");
      return render(c, <ConsortiumSummaryPage ctx={ctx} summary={summary} />);
    } catch (error) {
      if (error instanceof AppError && error.code === "NOT_FOUND") return notFound(c, ctx);
      throw error;
    }
  })
  .post("/consortia/:id/invite", (c) =>
    step(c, async (actor, id) => {
      const typed = (await formString(c, "ids")).split(/[\s,;]+/).filter((s) => s !== "");
      const ids = [...new Set([...(await formStrings(c, "pick")), ...typed])];
      if (ids.length === 0) {
        throw new AppError("VALIDATION_FAILED", "no enterprise named", {
          fields: [{ path: "enterpriseIds", message: "name or pick at least one enterprise" }],
        });
      }
      return inviteToConsortium(c.var.deps, actor, id, ids);
    }),
  )
  .post("/consortia/:id/lots", (c) =>
    step(c, async (actor, id) => {
      const members: NonNullable<WorkspaceChange["members"]> = [];
      for (const enterpriseId of await formStrings(c, "member")) {
        members.push({ enterpriseId, lots: await formStrings(c, `lots:${enterpriseId}`) });
      }
      return changeConsortium(c.var.deps, actor, id, { members });
    }),
  )
  .post("/consortia/:id/lead", (c) =>
    step(c, async (actor, id) =>
      changeConsortium(c.var.deps, actor, id, { lead: await formString(c, "lead") }),
    ),
  )
  .post("/consortia/:id/remove", (c) =>
    step(c, async (actor, id) =>
      changeConsortium(c.var.deps, actor, id, formChange({ remove: [await formString(c, "member")] })),
    ),
  )
  .post("/consortia/:id/role", (c) =>
    step(c, async (actor, id) => {
      const enterpriseId = await formString(c, "member");
      const role = MemberRole.safeParse(await formString(c, "role"));
      if (!role.success) {
        throw new AppError("VALIDATION_FAILED", "unknown role", {
          fields: [{ path: "role", message: "not a role of a member" }],
        });
      }
      // The lead is set as the API sets it (the previous lead becomes a member); the other roles
      // per member, where the domain refuses to change the lead's own role.
      const change =
        role.data === "lead" ? { lead: enterpriseId } : { members: [{ enterpriseId, role: role.data }] };
      return changeConsortium(c.var.deps, actor, id, formChange(change));
    }),
  )
  .post("/consortia/:id/status", (c) =>
    step(c, async (actor, id) => {
      const parsed = WorkspaceStatus.safeParse(await formString(c, "status"));
      if (!parsed.success) {
        throw new AppError("VALIDATION_FAILED", "unknown status", {
          fields: [{ path: "status", message: "not a status of a consortium" }],
        });
      }
      return moveConsortium(c.var.deps, actor, id, parsed.data);
    }),
  )
  .post("/consortia/:id/respond", (c) =>
    step(c, async (actor, id) =>
      respondToConsortium(c.var.deps, actor, id, (await formString(c, "answer")) === "accept"),
    ),
  );
