import { Layout } from "../layout.js";
import type { PageContext } from "../page-context.js";
import { CSRF_FIELD } from "../session.js";

/** The hidden field every POST form carries. */
export function CsrfField(props: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.token} />;
}

/** An e-mail field with its label and, when the value was refused, the error next to it. */
export function EmailField(props: { ctx: PageContext; value?: string; error?: string; label?: string }) {
  const { t } = props.ctx;
  return (
    <div class="field">
      <label for="email">{props.label ?? t.signIn.email}</label>
      <input
        type="email"
        id="email"
        name="email"
        autocomplete="email"
        required
        value={props.value ?? ""}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={props.error ? "email-error" : undefined}
      />
      {props.error ? (
        <p id="email-error" class="error">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

export function SignInPage(props: {
  ctx: PageContext;
  csrf: string;
  email?: string;
  error?: string;
  sent?: "sign-in" | "sign-up";
  notice?: string;
}) {
  const { ctx } = props;
  const { t } = ctx;
  if (props.sent) {
    return (
      <Layout ctx={ctx} title={t.signIn.sentTitle} section="account">
        <h1>{t.signIn.sentTitle}</h1>
        <p role="status">{props.sent === "sign-up" ? t.signIn.sentSignUp : t.signIn.sent}</p>
      </Layout>
    );
  }
  return (
    <Layout ctx={ctx} title={t.signIn.title} section="account">
      <h1>{t.signIn.title}</h1>
      {props.notice ? <p class="notice">{props.notice}</p> : null}
      <p class="lead">{t.signIn.intro}</p>
      <form method="post" action="/sign-in" class="form" novalidate>
        <CsrfField token={props.csrf} />
        <EmailField
          ctx={ctx}
          {...(props.email !== undefined ? { value: props.email } : {})}
          {...(props.error ? { error: props.error } : {})}
        />
        <button type="submit">{t.signIn.send}</button>
      </form>
      <p>
        <a href="/register">{t.signIn.noAccount}</a>
      </p>
    </Layout>
  );
}

/** Opening a link: a button to confirm (a GET uses nothing: mail scanners open links too). */
export function ConfirmSignInPage(props: { ctx: PageContext; csrf: string; token: string }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t.signIn.confirmTitle} section="account">
      <h1>{t.signIn.confirmTitle}</h1>
      <p>{t.signIn.confirmIntro}</p>
      <form method="post" action="/sign-in/callback">
        <CsrfField token={props.csrf} />
        <input type="hidden" name="token" value={props.token} />
        <button type="submit">{t.signIn.confirm}</button>
      </form>
    </Layout>
  );
}

export function BadLinkPage(props: { ctx: PageContext }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t.signIn.badLinkTitle} section="account">
      <h1>{t.signIn.badLinkTitle}</h1>
      <p>{t.signIn.badLink}</p>
      <p>
        <a class="button" href="/sign-in">
          {t.signIn.again}
        </a>
      </p>
    </Layout>
  );
}

export function CsrfRefusedPage(props: { ctx: PageContext }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t.csrf.title}>
      <h1>{t.csrf.title}</h1>
      <p>{t.csrf.body}</p>
    </Layout>
  );
}
