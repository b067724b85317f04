import { RESERVATIONS, type Reservation, type Tender } from "../../domain/tender.js";
import { CpvCode, ReservationBadge } from "../components.js";
import { expectedPeriod, money } from "../format.js";
import type { UiLanguage } from "../i18n/index.js";
import { Layout } from "../layout.js";
import { type PageContext, tenderHref } from "../page-context.js";
import { CsrfField } from "./sign-in.page.js";

/** The tender form as typed: every field as text, lots as a repeated group of rows. */
export interface TenderForm {
  title: string;
  description: string;
  expectedPublication: string;
  value: string;
  cpv: string;
  reserved: Reservation;
  lots: { id: string; title: string; cpv: string }[];
}

/** What was wrong with a field, by field name (`lotTitle0`, `lotCpv1` for the lot rows). */
export type TenderFormErrors = Partial<
  Record<string, "required" | "tooLong" | "period" | "value" | "cpv" | "perLot">
>;

export const emptyTenderForm = (): TenderForm => ({
  title: "",
  description: "",
  expectedPublication: "",
  value: "",
  cpv: "",
  reserved: "none",
  lots: [],
});

/** A stored tender as the form shows it: one lot as the tender's codes, several as lot rows. */
export function tenderFormOf(tender: Tender, _lang: UiLanguage): TenderForm {
  const ep = tender.expectedPublication;
  const value = tender.estimatedValue;
  const several = tender.lots.length > 1;
  return {
    title: tender.title,
    description: tender.description,
    expectedPublication: ep ? (ep.raw ?? ep.date) : "",
    value: value ? (value.raw ?? `${value.amount} ${value.currency}`) : "",
    cpv: several ? "" : tender.cpv.join(" "),
    reserved: tender.reserved,
    lots: several ? tender.lots.map((l) => ({ id: l.id, title: l.title, cpv: l.cpv.join(" ") })) : [],
  };
}

export const planEditHref = (id: string) => `/buyer/plan/${encodeURIComponent(id)}/edit`;

/** Links between the buyer pages, shown on each. */
export function BuyerNav(props: { ctx: PageContext; current: "plan" | "upload" | "insight" | "new" }) {
  const { t } = props.ctx;
  const item = (key: typeof props.current, href: string, text: string) => (
    <li>
      <a href={href} aria-current={props.current === key ? "page" : undefined}>
        {text}
      </a>
    </li>
  );
  return (
    <nav aria-label={t.buyer.nav} class="actions">
      <ul>
        {item("plan", "/buyer/plan", t.buyer.planTitle)}
        {item("new", "/buyer/plan/new", t.buyer.newTitle)}
        {item("upload", "/buyer/plan/upload", t.buyer.uploadTitle)}
        {item("insight", "/buyer/insight", t.buyer.insightTitle)}
      </ul>
    </nav>
  );
}

export function BuyerForbiddenPage(props: { ctx: PageContext }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t.buyer.forbiddenTitle} section="account">
      <h1>{t.buyer.forbiddenTitle}</h1>
      <p>{t.buyer.forbiddenBody}</p>
    </Layout>
  );
}

export function BuyerPlanPage(props: {
  ctx: PageContext;
  csrf: string;
  buyer: { id: string; name: string };
  tenders: Tender[];
  notice?: string;
}) {
  const { ctx, csrf, buyer, tenders } = props;
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t.buyer.planTitle} section="account">
      <h1>{t.buyer.planTitle}</h1>
      <p class="lead">{t.buyer.planIntro(buyer.name)}</p>
      <BuyerNav ctx={ctx} current="plan" />
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      {tenders.length === 0 ? (
        <p class="empty">{t.buyer.planEmpty}</p>
      ) : (
        <ol class="results">
          {tenders.map((tender) => (
            <li class="card">
              <h2>
                <a href={tenderHref(tender.id)}>{tender.title}</a>
              </h2>
              <dl class="meta">
                <dt>{t.buyer.expected}</dt>
                <dd>
                  {tender.expectedPublication
                    ? expectedPeriod(tender.expectedPublication, lang)
                    : t.common.notStated}
                </dd>
                <dt>{t.buyer.value}</dt>
                <dd>{tender.estimatedValue ? money(tender.estimatedValue, lang) : t.common.notStated}</dd>
                <dt>{t.buyer.cpv}</dt>
                <dd>
                  {tender.cpv.length === 0
                    ? t.common.notStated
                    : tender.cpv.map((code) => (
                        <>
                          <CpvCode code={code} lang={lang} />{" "}
                        </>
                      ))}
                  {tender.cpvClassified ? <span class="hint"> {t.buyer.classified}</span> : null}
                </dd>
                <dt>{t.buyer.lots}</dt>
                <dd>{tender.lots.length}</dd>
              </dl>
              <p>
                <ReservationBadge ctx={ctx} reserved={tender.reserved} />
              </p>
              <div class="actions">
                <a class="button" href={planEditHref(tender.id)}>
                  {t.buyer.edit}
                  <span class="vh">: {tender.title}</span>
                </a>
                <form
                  method="post"
                  action={`/buyer/plan/${encodeURIComponent(tender.id)}/withdraw`}
                  class="inline"
                >
                  <CsrfField token={csrf} />
                  <button type="submit" class="secondary">
                    {t.buyer.withdraw}
                    <span class="vh">: {tender.title}</span>
                  </button>
                </form>
              </div>
            </li>
          ))}
        </ol>
      )}
      <section aria-labelledby="export-heading">
        <h2 id="export-heading">{t.buyer.exportTitle}</h2>
        <p>{t.buyer.exportIntro}</p>
        <p>
          <a href={`/api/ocds/planning?buyer=${encodeURIComponent(buyer.id)}`}>{t.buyer.exportLink}</a>
        </p>
      </section>
    </Layout>
  );
}

export function BuyerTenderFormPage(props: {
  ctx: PageContext;
  csrf: string;
  form: TenderForm;
  errors: TenderFormErrors;
  tenderId?: string;
  conflict?: boolean;
}) {
  const { ctx, csrf, form, errors, tenderId } = props;
  const { t } = ctx;
  const title = tenderId ? t.buyer.editTitle : t.buyer.newTitle;
  const action = tenderId ? planEditHref(tenderId) : "/buyer/plan/new";
  const errorText = (name: string) => {
    const e = errors[name];
    return e ? t.buyer.errors[e] : undefined;
  };
  const field = (
    name: "title" | "expectedPublication" | "value" | "cpv",
    label: string,
    hint?: string,
    inputmode?: "decimal",
  ) => {
    const error = errorText(name);
    const describedBy = [hint ? `${name}-hint` : "", error ? `${name}-error` : ""].filter(Boolean).join(" ");
    return (
      <div class="field">
        <label for={name}>
          {label}
          {hint ? (
            <span class="hint" id={`${name}-hint`}>
              {hint}
            </span>
          ) : null}
        </label>
        <input
          type="text"
          id={name}
          name={name}
          value={form[name]}
          inputmode={inputmode}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={describedBy || undefined}
        />
        {error ? (
          <p class="error" id={`${name}-error`}>
            {error}
          </p>
        ) : null}
      </div>
    );
  };
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <Layout ctx={ctx} title={title} section="account">
      <h1>{title}</h1>
      <BuyerNav ctx={ctx} current={tenderId ? "plan" : "new"} />
      {hasErrors ? (
        <p class="error" role="alert">
          {t.register.errors}
        </p>
      ) : null}
      {props.conflict ? (
        <p class="error" role="alert">
          {t.buyer.conflict}
        </p>
      ) : null}
      <form method="post" action={action} class="form" novalidate>
        <CsrfField token={csrf} />
        {field("title", t.buyer.title)}
        <div class="field">
          <label for="description">{t.buyer.description}</label>
          <textarea id="description" name="description" rows={5}>
            {form.description}
          </textarea>
        </div>
        {field("expectedPublication", t.buyer.expected, t.buyer.expectedHint)}
        {field("value", t.buyer.value, t.buyer.valueHint, "decimal")}
        {field("cpv", t.buyer.cpv, t.buyer.cpvHint)}
        <div class="field">
          <label for="reserved">{t.buyer.reservation}</label>
          <select id="reserved" name="reserved">
            {RESERVATIONS.map((r) => (
              <option value={r} selected={form.reserved === r}>
                {t.reservations[r]}
              </option>
            ))}
          </select>
        </div>
        <fieldset>
          <legend>{t.buyer.lots}</legend>
          <p class="hint">{t.buyer.lotsHint}</p>
          {form.lots.map((lot, i) => {
            const titleError = errorText(`lotTitle${i}`);
            const cpvError = errorText(`lotCpv${i}`);
            return (
              <div class="row">
                <input type="hidden" name={`lotId${i}`} value={lot.id} />
                <div class="field">
                  <label for={`lotTitle${i}`}>{t.buyer.lotTitle(i + 1)}</label>
                  <input
                    type="text"
                    id={`lotTitle${i}`}
                    name={`lotTitle${i}`}
                    value={lot.title}
                    aria-invalid={titleError ? "true" : undefined}
                    aria-describedby={titleError ? `lotTitle${i}-error` : undefined}
                  />
                  {titleError ? (
                    <p class="error" id={`lotTitle${i}-error`}>
                      {titleError}
                    </p>
                  ) : null}
                </div>
                <div class="field">
                  <label for={`lotCpv${i}`}>{t.buyer.lotCpv(i + 1)}</label>
                  <input
                    type="text"
                    id={`lotCpv${i}`}
                    name={`lotCpv${i}`}
                    value={lot.cpv}
                    aria-invalid={cpvError ? "true" : undefined}
                    aria-describedby={cpvError ? `lotCpv${i}-error` : undefined}
                  />
                  {cpvError ? (
                    <p class="error" id={`lotCpv${i}-error`}>
                      {cpvError}
                    </p>
                  ) : null}
                </div>
              </div>
            );
          })}
        </fieldset>
        <button type="submit">{t.buyer.save}</button>
      </form>
    </Layout>
  );
}
