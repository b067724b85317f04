import type { Child } from "hono/jsx";
import { stylesheetPath } from "./assets/stylesheet.js";
import { UI_LANGUAGES, messagesFor } from "./i18n/index.js";
import { type PageContext, hrefWith } from "./page-context.js";

export type Section = "tenders" | "enterprises" | "account";

/**
 * The frame of every page: skip link, header with the product name, main navigation and the
 * language switcher (plain links), the main landmark, the footer.
 */
export function Layout(props: {
  ctx: PageContext;
  title: string;
  section?: Section;
  description?: string;
  children?: Child;
}) {
  const { ctx, title, section } = props;
  const { t } = ctx;
  const navItem = (href: string, key: Section, text: string) => (
    <li>
      <a href={href} aria-current={section === key ? "page" : undefined}>
        {text}
      </a>
    </li>
  );
  return (
    <html lang={ctx.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* Forms POST with an Origin the CSRF check can read (no-referrer would send "null"). */}
        <meta name="referrer" content="same-origin" />
        <title>{`${title} · ${t.product}`}</title>
        <meta name="description" content={props.description ?? t.tagline} />
        <link rel="stylesheet" href={stylesheetPath()} />
      </head>
      <body>
        <a class="skip" href="#main">
          {t.layout.skip}
        </a>
        <header class="site">
          <div class="wrap">
            <a class="brand" href="/tenders">
              {t.product}
              <small>{t.tagline}</small>
            </a>
            <nav aria-label={t.layout.mainNav}>
              <ul>
                {navItem("/tenders", "tenders", t.nav.tenders)}
                {navItem("/enterprises", "enterprises", t.nav.enterprises)}
              </ul>
            </nav>
            <nav class="account" aria-label={t.account.nav}>
              {ctx.user ? (
                <ul>
                  {ctx.user.role === "buyer" ? (
                    <li>
                      <a href="/buyer/plan" aria-current={section === "account" ? "page" : undefined}>
                        {t.buyer.nav}
                      </a>
                    </li>
                  ) : (
                    <li>
                      <a href="/me/opportunities" aria-current={section === "account" ? "page" : undefined}>
                        {t.account.opportunities}
                      </a>
                    </li>
                  )}
                  {ctx.user.role === "admin" ? (
                    <li>
                      <a
                        href="/admin/sources"
                        aria-current={ctx.path.startsWith("/admin") ? "page" : undefined}
                      >
                        {t.admin.nav}
                      </a>
                    </li>
                  ) : null}
                  <li>
                    <a
                      href="/consortia"
                      aria-current={ctx.path.startsWith("/consortia") ? "page" : undefined}
                    >
                      {t.workspace.nav}
                    </a>
                  </li>
                  <li>
                    <a
                      href="/me/subscriptions"
                      aria-current={ctx.path.startsWith("/me/subscriptions") ? "page" : undefined}
                    >
                      {t.subscriptions.nav}
                    </a>
                  </li>
                  <li>
                    <form method="post" action="/sign-out" class="inline">
                      <input type="hidden" name="_csrf" value={ctx.csrf ?? ""} />
                      <button type="submit" class="link" title={t.account.signedInAs(ctx.user.email)}>
                        {t.account.signOut}
                      </button>
                    </form>
                  </li>
                </ul>
              ) : (
                <ul>
                  <li>
                    <a href="/sign-in">{t.account.signIn}</a>
                  </li>
                </ul>
              )}
            </nav>
            <nav class="langs" aria-label={t.layout.languages}>
              <ul>
                {UI_LANGUAGES.map((lang) => (
                  <li>
                    <a
                      href={hrefWith(ctx, { lang, page: ctx.query.get("page") ?? undefined })}
                      lang={lang}
                      hreflang={lang}
                      aria-current={lang === ctx.lang ? "true" : undefined}
                    >
                      {messagesFor(lang).languageName}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" class="wrap" tabindex={-1}>
          {props.children}
        </main>
        <footer class="site">
          <div class="wrap">
            <p>{t.layout.footer}</p>
            <p>
              <a href="/docs">{t.layout.api}</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}
