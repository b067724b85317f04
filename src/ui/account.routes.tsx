/**
 * Pages of signed-in users and the forms that POST: sign-in by e-mail link, sign-out,
 * "register my enterprise", "my opportunities". Every POST here passes `requireCsrf` first.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import { randomToken, sha256Hex } from "../domain/hash.js";
import { z } from "../domain/zod.js";
import type { AppEnv } from "../routes/app-env.js";
import { limitWritesPerAddress } from "../routes/middleware/auth.js";
import { enterpriseOpportunities } from "../services/matching.service.js";
import { messagesFor } from "./i18n/index.js";
import { pageContext } from "./page-context.js";
import { MyOpportunitiesPage } from "./pages/my-opportunities.page.js";
import { handleRegister } from "./pages/register.page.js";
import { BadLinkPage, ConfirmSignInPage, SignInPage } from "./pages/sign-in.page.js";
import { requireCsrf } from "./csrf.js";
import { render } from "./render.js";
import { csrfToken, endSession, inBackground, issueSignInToken, startSession } from "./session.js";

const Email = z.email().max(320);

/** Form POSTs: refused with a 403 page unless they carry this browser's CSRF token and our origin. */

const formString = async (c: Context<AppEnv>, name: string): Promise<string> => {
  const value = (await c.req.parseBody())[name];
  return typeof value === "string" ? value.trim() : "";
};

/** Sends a sign-in link for `email` in the background (the answer does not wait for the mail). */
function mailLink(c: Context<AppEnv>, email: string, token: string): void {
  const { deps } = c.var;
  const t = messagesFor(pageContext(c).lang);
  const link = `${deps.config.publicBaseUrl.replace(/\/$/, "")}/sign-in/callback?token=${encodeURIComponent(token)}`;
  const sendMail = deps.sendMail;
  if (!sendMail) {
    deps.logger.warn("sign-in link not sent: no mail transport on this runtime", {});
    return;
  }
  inBackground(c, sendMail({ to: email, subject: t.signIn.mailSubject, text: t.signIn.mailBody(link) }));
}

/** Where the signed-in account goes first: registration until it has an enterprise. */
function homeOf(c: Context<AppEnv>): string {
  const actor = c.get("actor");
  if (actor.kind !== "account") return "/";
  if (actor.account.role === "enterprise")
    return actor.account.enterpriseId ? "/me/opportunities" : "/register";
  return "/";
}

export const accountPages = new Hono<AppEnv>()
  .use("/sign-in", limitWritesPerAddress)
  .use("/sign-in/*", limitWritesPerAddress)
  .use("*", requireCsrf)
  .get("/sign-in", async (c) => {
    const ctx = pageContext(c);
    const notice = c.req.query("next") ? ctx.t.signIn.required : undefined;
    return render(c, <SignInPage ctx={ctx} csrf={await csrfToken(c)} {...(notice ? { notice } : {})} />);
  })
  .post("/sign-in", async (c) => {
    const ctx = pageContext(c);
    const raw = await formString(c, "email");
    const intent = (await formString(c, "intent")) === "sign-up" ? "sign-up" : "sign-in";
    const parsed = Email.safeParse(raw);
    if (!parsed.success) {
      return render(
        c,
        <SignInPage ctx={ctx} csrf={await csrfToken(c)} email={raw} error={ctx.t.signIn.invalidEmail} />,
        400,
      );
    }
    const email = parsed.data.toLowerCase();
    const account = await c.var.deps.store.accounts.byEmail(email);
    // Same answer whether the account exists or not; a sign-up link goes to a new address only.
    if (account) mailLink(c, email, await issueSignInToken(c, email, account.id));
    else if (intent === "sign-up") mailLink(c, email, await issueSignInToken(c, email, undefined));
    return render(c, <SignInPage ctx={ctx} csrf={await csrfToken(c)} sent={intent} />);
  })
  .get("/sign-in/callback", async (c) => {
    const ctx = pageContext(c);
    const token = c.req.query("token") ?? "";
    const usable =
      token !== "" && (await c.var.deps.store.sessions.signInTokenUsable(await sha256Hex(token)));
    if (!usable) return render(c, <BadLinkPage ctx={ctx} />, 400);
    c.header("Referrer-Policy", "no-referrer");
    return render(c, <ConfirmSignInPage ctx={ctx} csrf={await csrfToken(c)} token={token} />);
  })
  .post("/sign-in/callback", async (c) => {
    const ctx = pageContext(c);
    const token = await formString(c, "token");
    const { store } = c.var.deps;
    const used = token ? await store.sessions.useSignInToken(await sha256Hex(token)) : undefined;
    if (!used) return render(c, <BadLinkPage ctx={ctx} />, 400);
    let accountId = used.accountId;
    if (!accountId) {
      // A sign-up link: the enterprise account is made now (or found, if made meanwhile). Its API
      // token is a random one nobody holds; API tokens are made with the CLI.
      const existing = await store.accounts.byEmail(used.email);
      accountId =
        existing?.id ??
        (
          await store.accounts.create(
            { email: used.email, role: "enterprise" },
            await sha256Hex(randomToken()),
          )
        ).account.id;
    }
    await startSession(c, accountId);
    const account = await store.accounts.get(accountId);
    if (account) c.set("actor", { kind: "account", account, tokenId: "session" });
    return c.redirect(homeOf(c), 303);
  })
  .post("/sign-out", async (c) => {
    await endSession(c);
    return c.redirect("/", 303);
  })
  .get("/register", (c) => handleRegister(c, "show"))
  .post("/register", async (c) =>
    handleRegister(c, (await formString(c, "action")) === "register" ? "register" : "suggest"),
  )
  .get("/me/opportunities", async (c) => {
    const actor = c.get("actor");
    if (actor.kind !== "account") return c.redirect("/sign-in?next=/me/opportunities", 303);
    const ctx = pageContext(c);
    const enterpriseId = actor.account.enterpriseId;
    if (!enterpriseId) return render(c, <MyOpportunitiesPage ctx={ctx} />);
    const deps = c.var.deps;
    const enterprise = await deps.store.enterprises.get(enterpriseId);
    if (!enterprise) return render(c, <MyOpportunitiesPage ctx={ctx} />);
    const { opportunities } = await enterpriseOpportunities(deps, enterpriseId);
    const tenders = await deps.store.tenders.getMany(opportunities.map((o) => o.tender.id));
    const lotTitles = new Map(tenders.map((t) => [t.id, new Map(t.lots.map((l) => [l.id, l.title]))]));
    return render(
      c,
      <MyOpportunitiesPage
        ctx={ctx}
        data={{ enterprise: enterprise.enterprise, opportunities, lotTitles }}
      />,
    );
  });
