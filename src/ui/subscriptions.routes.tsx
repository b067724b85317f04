/**
 * "My subscriptions": list, create and edit (the API's schema checks the form; errors stand next
 * to their fields), details with deliveries and feeds, pause or resume, delete, new or no feed token.
 * Through the same service as the API, so its rules hold: another account's subscription does not
 * exist (the 404 page), the feed token is shown only right after it is made. Every POST passes
 * the CSRF check first.
 */
import { feedUrls } from "../alerts/items.js";
import type { Context } from "hono";
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { AppError } from "../domain/errors.js";
import type { AppEnv } from "../routes/app-env.js";
import {
  type SubscriptionView,
  createSubscription,
  deleteSubscription,
  getSubscription,
  listDeliveries,
  listSubscriptions,
  patchSubscription,
  revokeFeedToken,
  rotateFeedToken,
} from "../services/alerts.service.js";
import { type PageContext, pageContext } from "./page-context.js";
import { NotFoundPage } from "./pages/not-found.page.js";
import {
  type FormErrors,
  SubscriptionFormPage,
  emptySubscriptionForm,
  errorsOfPaths,
  parseSubscriptionEdit,
  parseSubscriptionForm,
  readSubscriptionForm,
  subscriptionForm,
} from "./pages/subscription-form.page.js";
import { SubscriptionPage } from "./pages/subscription.page.js";
import { type SubscriptionNotice, SubscriptionsPage, subscriptionHref } from "./pages/subscriptions.page.js";
import { requireCsrf } from "./csrf.js";
import { render } from "./render.js";
import { csrfToken } from "./session.js";

/** Deliveries shown on a subscription's page (the newest). */
const DELIVERIES_SHOWN = 50;

/** Signed-in accounts only (others go to sign-in); every POST carries a valid CSRF token. */
const signedInWithCsrf = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("actor").kind !== "account") {
    return c.redirect(`/sign-in?next=${encodeURIComponent(new URL(c.req.url).pathname)}`, 303);
  }
  await csrfToken(c);
  return next();
});

function noticeOf(ctx: PageContext): SubscriptionNotice | undefined {
  const done = ctx.query.get("done") ?? "";
  return Object.hasOwn(ctx.t.subscriptions.notices, done) ? (done as SubscriptionNotice) : undefined;
}

const isNotFound = (error: unknown) => error instanceof AppError && error.code === "NOT_FOUND";

/** Runs a page action on one subscription; NOT_FOUND (unknown, or another account's) is the 404 page. */
async function onSubscription(
  c: Context<AppEnv>,
  action: (id: string) => Promise<Response>,
): Promise<Response> {
  try {
    return await action(c.req.param("id") ?? "");
  } catch (error) {
    if (!isNotFound(error)) throw error;
    const ctx = pageContext(c);
    return render(c, <NotFoundPage ctx={ctx} detail={ctx.t.subscriptions.notFound} />, 404);
  }
}

async function detailPage(
  c: Context<AppEnv>,
  id: string,
  extra: { feeds?: { atom: string; ical: string }; notice?: SubscriptionNotice } = {},
  status: 200 | 201 = 200,
): Promise<Response> {
  const { deps } = c.var;
  const actor = c.get("actor");
  const subscription = await getSubscription(deps, actor, id);
  const deliveries = await listDeliveries(deps, actor, id, { limit: DELIVERIES_SHOWN });
  const ctx = pageContext(c);
  const notice = extra.notice ?? noticeOf(ctx);
  return render(
    c,
    <SubscriptionPage
      ctx={ctx}
      data={{ subscription, deliveries, ...(extra.feeds ? { feeds: extra.feeds } : {}) }}
      {...(notice ? { notice } : {})}
    />,
    status,
  );
}

/** The issue paths of a refused form or of the service's VALIDATION_FAILED, as the form's errors. */
const pathsOf = (issues: readonly { path: readonly PropertyKey[] }[]) =>
  issues.map((i) => i.path.map(String).join("."));

/**
 * Filters the form does not show (`buyers`, `nuts`, set through the API): an edit keeps them,
 * since the service replaces `filters` as a whole.
 */
const unshownFilters = ({ buyers, nuts }: SubscriptionView["filters"]) => ({
  ...(buyers ? { buyers } : {}),
  ...(nuts ? { nuts } : {}),
});

/** After an action: back to the list or to the subscription's page, with a notice. */
async function backTo(c: Context<AppEnv>, id: string, done: SubscriptionNotice): Promise<Response> {
  const body = await c.req.parseBody();
  const target = body.back === "detail" ? subscriptionHref(id) : "/me/subscriptions";
  return c.redirect(`${target}?done=${done}`, 303);
}

export const subscriptionPages = new Hono<AppEnv>()
  .use("/me/subscriptions", requireCsrf, signedInWithCsrf)
  .use("/me/subscriptions/*", requireCsrf, signedInWithCsrf)
  .get("/me/subscriptions", async (c) => {
    const ctx = pageContext(c);
    const subscriptions = await listSubscriptions(c.var.deps, c.get("actor"));
    const notice = noticeOf(ctx);
    return render(
      c,
      <SubscriptionsPage ctx={ctx} subscriptions={subscriptions} {...(notice ? { notice } : {})} />,
    );
  })
  .get("/me/subscriptions/new", async (c) => {
    const ctx = pageContext(c);
    return render(
      c,
      <SubscriptionFormPage ctx={ctx} csrf={await csrfToken(c)} form={emptySubscriptionForm(ctx)} />,
    );
  })
  .post("/me/subscriptions/new", async (c) => {
    const ctx = pageContext(c);
    const csrf = await csrfToken(c);
    const form = await readSubscriptionForm(c);
    const refused = (errors: FormErrors) =>
      render(c, <SubscriptionFormPage ctx={ctx} csrf={csrf} form={form} errors={errors} />, 400);
    const parsed = parseSubscriptionForm(form);
    if (!parsed.success) {
      return refused(errorsOfPaths(pathsOf(parsed.error.issues), ctx.t));
    }
    try {
      const { subscription, feedToken } = await createSubscription(c.var.deps, c.get("actor"), parsed.data);
      return await detailPage(
        c,
        subscription.id,
        { feeds: feedUrls(c.var.deps.config.publicBaseUrl, feedToken), notice: "created" },
        201,
      );
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const t = ctx.t.subscriptions;
      if (error.code === "VALIDATION_FAILED") {
        return refused(
          errorsOfPaths(
            (error.fields ?? []).map((f) => f.path),
            ctx.t,
          ),
        );
      }
      if (error.code === "FORBIDDEN") return refused({ kind: t.kindForbidden });
      if (error.code === "CONFLICT") return refused({ form: t.tooMany });
      throw error;
    }
  })
  .get("/me/subscriptions/:id", (c) => onSubscription(c, (id) => detailPage(c, id)))
  .get("/me/subscriptions/:id/edit", (c) =>
    onSubscription(c, async (id) => {
      const subscription = await getSubscription(c.var.deps, c.get("actor"), id);
      const ctx = pageContext(c);
      return render(
        c,
        <SubscriptionFormPage
          ctx={ctx}
          csrf={await csrfToken(c)}
          form={subscriptionForm(ctx, subscription)}
          editing={subscription}
        />,
      );
    }),
  )
  .post("/me/subscriptions/:id/edit", (c) =>
    onSubscription(c, async (id) => {
      const { deps } = c.var;
      const actor = c.get("actor");
      const current = await getSubscription(deps, actor, id);
      const ctx = pageContext(c);
      const csrf = await csrfToken(c);
      const form = await readSubscriptionForm(c);
      const refused = (errors: FormErrors, status: 400 | 409 = 400) =>
        render(
          c,
          <SubscriptionFormPage ctx={ctx} csrf={csrf} form={form} errors={errors} editing={current} />,
          status,
        );
      const seen = (await c.req.parseBody({ all: true }))["seen"];
      if (typeof seen === "string" && seen !== current.updatedAt) {
        // Changed since this form was opened (another tab, another member of staff, the API):
        // saving would silently undo that change. The form comes back with what was typed and the
        // current version, so a second save is a deliberate choice.
        return refused({ form: ctx.t.subscriptions.editConflict }, 409);
      }
      const parsed = parseSubscriptionEdit(form, current);
      if (!parsed.success) return refused(errorsOfPaths(pathsOf(parsed.error.issues), ctx.t));
      const { filters, ...rest } = parsed.data;
      try {
        // Through the same service as `PATCH /api/subscriptions/:id`, with every field the form
        // shows. The time zone, the enterprise and the filters the form does not show stay as
        // they are.
        await patchSubscription(deps, actor, id, {
          ...rest,
          filters: { ...unshownFilters(current.filters), ...filters },
        });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const t = ctx.t.subscriptions;
        if (error.code === "VALIDATION_FAILED") {
          return refused(
            errorsOfPaths(
              (error.fields ?? []).map((f) => f.path),
              ctx.t,
            ),
          );
        }
        if (error.code === "FORBIDDEN") return refused({ kind: t.kindForbidden });
        if (error.code === "CONFLICT") return refused({ form: t.editConflict });
        throw error;
      }
      return c.redirect(`${subscriptionHref(id)}?done=updated`, 303);
    }),
  )
  .post("/me/subscriptions/:id/pause", (c) =>
    onSubscription(c, async (id) => {
      await patchSubscription(c.var.deps, c.get("actor"), id, { active: false });
      return backTo(c, id, "paused");
    }),
  )
  .post("/me/subscriptions/:id/resume", (c) =>
    onSubscription(c, async (id) => {
      await patchSubscription(c.var.deps, c.get("actor"), id, { active: true });
      return backTo(c, id, "resumed");
    }),
  )
  .post("/me/subscriptions/:id/delete", (c) =>
    onSubscription(c, async (id) => {
      await deleteSubscription(c.var.deps, c.get("actor"), id);
      return c.redirect("/me/subscriptions?done=deleted", 303);
    }),
  )
  .post("/me/subscriptions/:id/feed/rotate", (c) =>
    onSubscription(c, async (id) => {
      const { feedToken } = await rotateFeedToken(c.var.deps, c.get("actor"), id);
      return detailPage(c, id, {
        feeds: feedUrls(c.var.deps.config.publicBaseUrl, feedToken),
        notice: "rotated",
      });
    }),
  )
  .post("/me/subscriptions/:id/feed/revoke", (c) =>
    onSubscription(c, async (id) => {
      await revokeFeedToken(c.var.deps, c.get("actor"), id);
      return c.redirect(`${subscriptionHref(id)}?done=revoked`, 303);
    }),
  );
