import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../routes/app-env.js";
import { pageContext } from "./page-context.js";
import { CsrfRefusedPage } from "./pages/sign-in.page.js";
import { render } from "./render.js";
import { csrfValid } from "./session.js";

/**
 * Every form POST of the pages must carry a valid CSRF token and come from our origin
 * (`csrfValid`); otherwise a 403 page. The API (`/api/…`, bearer tokens, JSON errors) is not
 * the pages' business and passes through untouched.
 */
export const requireCsrf = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method !== "POST" || c.req.path.startsWith("/api/")) return next();
  if (!(await csrfValid(c))) return render(c, <CsrfRefusedPage ctx={pageContext(c)} />, 403);
  return next();
});
