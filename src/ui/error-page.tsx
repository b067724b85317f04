/**
 * Errors of page requests as pages: a browser that asks for a page and meets a missing route or a
 * failure gets the site's layout in its language, not the API's JSON envelope. API paths, the
 * OpenAPI document, the docs and the health checks keep the envelope whatever the Accept header.
 */
import type { Context } from "hono";
import type { AppError } from "../domain/errors.js";
import type { AppEnv } from "../routes/app-env.js";
import { ERROR_STATUS } from "../routes/errors.js";
import { Layout } from "./layout.js";
import { type PageContext, pageContext } from "./page-context.js";
import { NotFoundPage } from "./pages/not-found.page.js";
import { render, wantsHtml } from "./render.js";

const ENVELOPE_PATHS = ["/api/", "/openapi.json", "/docs", "/health"];

/** Whether the failure of this request should be answered with a page. */
export function wantsErrorPage(c: Context<AppEnv>): boolean {
  const path = c.req.path;
  return wantsHtml(c) && !ENVELOPE_PATHS.some((p) => path === p.replace(/\/$/, "") || path.startsWith(p));
}

function ErrorPage(props: { ctx: PageContext; error: AppError; requestId: string }) {
  const { t } = props.ctx;
  const status = ERROR_STATUS[props.error.code];
  const unavailable = status === 503;
  const ours = status >= 500;
  const title = unavailable
    ? t.errorPage.unavailableTitle
    : ours
      ? t.errorPage.title
      : t.errorPage.badRequest;
  return (
    <Layout ctx={props.ctx} title={title}>
      <h1>{title}</h1>
      <p>{unavailable ? t.errorPage.unavailable : ours ? t.errorPage.body : props.error.message}</p>
      {ours ? (
        <p>
          {t.errorPage.reference} <code>{props.requestId}</code>
        </p>
      ) : null}
      <p>
        <a class="button" href="/tenders">
          {t.notFound.back}
        </a>
      </p>
    </Layout>
  );
}

/** The page for an error (already logged by the caller when unexpected). */
export function errorPage(c: Context<AppEnv>, error: AppError): Promise<Response> {
  const ctx = pageContext(c);
  const status = ERROR_STATUS[error.code];
  if (status === 404) return render(c, <NotFoundPage ctx={ctx} />, 404);
  if (error.retryAfterSeconds !== undefined) c.header("Retry-After", String(error.retryAfterSeconds));
  return render(c, <ErrorPage ctx={ctx} error={error} requestId={c.get("requestId") ?? "unknown"} />, status);
}
