import type { Context } from "hono";
import type { SubscriptionView } from "../../services/alerts.service.js";
import {
  ALERT_LANGUAGES,
  type AlertLanguage,
  SubscriptionInput,
  type SubscriptionKind,
} from "../../domain/subscription.js";
import { TENDER_STAGES, type TenderStage } from "../../domain/tender.js";
import type { AppEnv } from "../../routes/app-env.js";
import { Layout } from "../layout.js";
import type { PageContext } from "../page-context.js";
import { CsrfField } from "./sign-in.page.js";
import { subscriptionHref } from "./subscriptions.page.js";

/** The form's text inputs and selects, by their `name`. */
const TEXT_FIELDS = [
  "name",
  "kind",
  "q",
  "cpv",
  "municipalities",
  "minValue",
  "maxValue",
  "currency",
  "channel",
  "email",
  "webhookUrl",
  "webhookSecret",
  "frequency",
  "digestHour",
  "language",
] as const;
type TextField = (typeof TEXT_FIELDS)[number];

export const SUBSCRIPTION_COUNTRIES = ["DK", "SE", "NO"] as const;
const CURRENCIES = ["EUR", "DKK", "SEK", "NOK"] as const;

export interface SubscriptionForm {
  values: Record<TextField, string>;
  countries: string[];
  stages: string[];
  reservedOnly: boolean;
}

/** Fields an error can stand next to (the keys of `t.subscriptions.fieldErrors`). */
export type ErrorField = keyof PageContext["t"]["subscriptions"]["fieldErrors"];
export type FormErrors = Partial<Record<ErrorField, string>> & { form?: string };

/** Where an issue's path (as zod and the service's `fields` give it) is shown on the form. */
const PATH_FIELDS: Readonly<Record<string, ErrorField>> = {
  name: "name",
  kind: "kind",
  enterpriseId: "kind",
  "filters.q": "q",
  "filters.cpv": "cpv",
  "filters.countries": "countries",
  "filters.municipalities": "municipalities",
  "filters.stages": "stages",
  "filters.minValue": "minValue",
  "filters.maxValue": "maxValue",
  "filters.currency": "currency",
  channel: "channel",
  "channel.type": "channel",
  "channel.address": "email",
  "channel.url": "webhookUrl",
  "channel.secret": "webhookSecret",
  frequency: "frequency",
  digestHour: "digestHour",
  language: "language",
};

/** The form field of an issue path ("filters.cpv.2" → cpv), the longest known prefix winning. */
export function fieldOfPath(path: string): ErrorField | undefined {
  const segments = path.split(".");
  for (let n = segments.length; n > 0; n--) {
    const field = PATH_FIELDS[segments.slice(0, n).join(".")];
    if (field) return field;
  }
  return undefined;
}

/** The localized errors of issue paths, one per field; unknown paths become a form-level error. */
export function errorsOfPaths(paths: readonly string[], t: PageContext["t"]): FormErrors {
  const errors: FormErrors = {};
  for (const path of paths) {
    const field = fieldOfPath(path);
    if (field) errors[field] ??= t.subscriptions.fieldErrors[field];
    else errors.form ??= t.subscriptions.errors;
  }
  return errors;
}

export function emptySubscriptionForm(ctx: PageContext): SubscriptionForm {
  const values = Object.fromEntries(TEXT_FIELDS.map((k) => [k, ""])) as Record<TextField, string>;
  return {
    values: {
      ...values,
      kind: "filters",
      currency: "EUR",
      channel: "email",
      email: ctx.user?.email ?? "",
      frequency: "instant",
      digestHour: "7",
      language: ctx.lang,
    },
    countries: [],
    stages: [],
    reservedOnly: false,
  };
}

/** A subscription's current values, to edit them (the webhook secret is never shown back). */
export function subscriptionForm(ctx: PageContext, s: SubscriptionView): SubscriptionForm {
  const f = s.filters;
  const empty = emptySubscriptionForm(ctx);
  return {
    values: {
      ...empty.values,
      name: s.name,
      kind: s.kind,
      q: f.q ?? "",
      cpv: (f.cpv ?? []).join(", "),
      municipalities: (f.municipalities ?? []).join(", "),
      minValue: f.minValue === undefined ? "" : String(f.minValue),
      maxValue: f.maxValue === undefined ? "" : String(f.maxValue),
      currency: f.currency ?? "EUR",
      channel: s.channel.type,
      email: s.channel.type === "email" ? s.channel.address : empty.values.email,
      webhookUrl: s.channel.type === "webhook" ? s.channel.url : "",
      frequency: s.frequency,
      digestHour: String(s.digestHour),
      language: s.language,
    },
    countries: [...(f.countries ?? [])],
    stages: [...(f.stages ?? [])],
    reservedOnly: f.reservedOnly,
  };
}

export async function readSubscriptionForm(c: Context<AppEnv>): Promise<SubscriptionForm> {
  const body = await c.req.parseBody({ all: true });
  const one = (k: string) => {
    const v = body[k];
    return typeof v === "string" ? v.trim() : "";
  };
  const many = (k: string) => {
    const v = body[k];
    return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter(
      (x): x is string => typeof x === "string",
    );
  };
  return {
    values: Object.fromEntries(TEXT_FIELDS.map((k) => [k, one(k)])) as Record<TextField, string>,
    countries: many("countries"),
    stages: many("stages"),
    reservedOnly: one("reservedOnly") === "on",
  };
}

const list = (text: string) => text.split(/[\s,;]+/).filter((s) => s !== "");
const amount = (text: string) =>
  text === "" ? undefined : Number(text.replace(/\s/g, "").replace(",", "."));

/** The form as the API's subscription input, not yet checked. */
function inputOf(form: SubscriptionForm) {
  const v = form.values;
  const cpv = list(v.cpv);
  const municipalities = list(v.municipalities);
  const minValue = amount(v.minValue);
  const maxValue = amount(v.maxValue);
  const candidate = {
    name: v.name,
    kind: v.kind || "filters",
    filters: {
      ...(v.q ? { q: v.q } : {}),
      ...(cpv.length ? { cpv } : {}),
      ...(form.countries.length ? { countries: form.countries } : {}),
      ...(municipalities.length ? { municipalities } : {}),
      ...(form.stages.length ? { stages: form.stages } : {}),
      reservedOnly: form.reservedOnly,
      ...(minValue !== undefined ? { minValue } : {}),
      ...(maxValue !== undefined ? { maxValue } : {}),
      ...(minValue !== undefined || maxValue !== undefined ? { currency: v.currency || "EUR" } : {}),
    },
    channel:
      v.channel === "webhook"
        ? { type: "webhook", url: v.webhookUrl, secret: v.webhookSecret }
        : v.channel === "email"
          ? { type: "email", address: v.email }
          : { type: v.channel },
    frequency: v.frequency || "instant",
    digestHour: v.digestHour === "" ? 7 : Number(v.digestHour),
    language: v.language || "en",
  };
  return candidate;
}

/** The form as the API's subscription input, checked by the same schema. */
export function parseSubscriptionForm(form: SubscriptionForm) {
  return SubscriptionInput.safeParse(inputOf(form));
}

/** An edit may leave the channel out: it then stays as it is. */
const SubscriptionEdit = SubscriptionInput.partial({ channel: true });

/**
 * The edit form as a subscription input, checked by the same schema as a new one. The webhook
 * secret is never shown back, so a webhook whose URL stays and whose secret is left empty keeps
 * its channel (secret included); a new URL needs its secret.
 */
export function parseSubscriptionEdit(form: SubscriptionForm, current: SubscriptionView) {
  const { channel, ...rest } = inputOf(form);
  const v = form.values;
  const keepsChannel =
    current.channel.type === "webhook" &&
    v.channel === "webhook" &&
    v.webhookUrl === current.channel.url &&
    v.webhookSecret === "";
  return SubscriptionEdit.safeParse(keepsChannel ? rest : { ...rest, channel });
}

/**
 * The kinds an account may choose: enterprise accounts also follow their enterprise's matches.
 * An edited subscription's own kind is always offered (an admin editing a profile subscription).
 */
export function kindsFor(ctx: PageContext, current?: SubscriptionKind): SubscriptionKind[] {
  const kinds: SubscriptionKind[] =
    ctx.user?.role === "enterprise" ? ["filters", "profile", "group-opportunities"] : ["filters"];
  return current && !kinds.includes(current) ? [...kinds, current] : kinds;
}

function ErrorText(props: { id: string; error: string | undefined }) {
  return props.error ? (
    <p class="error" id={`${props.id}-error`}>
      {props.error}
    </p>
  ) : null;
}

const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(" ") || undefined;

export function SubscriptionFormPage(props: {
  ctx: PageContext;
  csrf: string;
  form: SubscriptionForm;
  errors?: FormErrors;
  /**
   * The subscription being edited; a new one when absent. Its `updatedAt` goes with the form, so
   * that a save over a change made since the page was opened is refused, not silently lost.
   */
  editing?: Pick<SubscriptionView, "id" | "kind" | "channel" | "updatedAt">;
}) {
  const { ctx, csrf, form } = props;
  const t = ctx.t.subscriptions;
  const errors = props.errors ?? {};
  const v = form.values;
  const text = (
    name: Exclude<TextField, "kind" | "channel" | "frequency" | "currency" | "digestHour" | "language">,
    label: string,
    extra: { type?: string; hint?: string; inputmode?: "decimal" | "numeric"; autocomplete?: string } = {},
  ) => {
    const error = errors[name];
    return (
      <div class="field">
        <label for={`s-${name}`}>
          {label}
          {extra.hint ? (
            <span class="hint" id={`s-${name}-hint`}>
              {extra.hint}
            </span>
          ) : null}
        </label>
        <input
          type={extra.type ?? "text"}
          id={`s-${name}`}
          name={name}
          value={v[name]}
          inputmode={extra.inputmode}
          autocomplete={extra.autocomplete}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={describedBy(extra.hint && `s-${name}-hint`, error && `s-${name}-error`)}
        />
        <ErrorText id={`s-${name}`} error={error} />
      </div>
    );
  };
  const radios = <T extends string>(
    name: "kind" | "channel" | "frequency",
    legend: string,
    options: readonly T[],
    label: (o: T) => string,
    hint?: string,
  ) => (
    <fieldset aria-describedby={describedBy(hint && `s-${name}-hint`, errors[name] && `s-${name}-error`)}>
      <legend>{legend}</legend>
      {hint ? (
        <p class="hint" id={`s-${name}-hint`}>
          {hint}
        </p>
      ) : null}
      {options.map((o) => (
        <label class="check" for={`s-${name}-${o}`}>
          <input type="radio" id={`s-${name}-${o}`} name={name} value={o} checked={v[name] === o} />
          <span>{label(o)}</span>
        </label>
      ))}
      <ErrorText id={`s-${name}`} error={errors[name]} />
    </fieldset>
  );
  const checks = (
    name: "countries" | "stages",
    legend: string,
    options: readonly string[],
    label: (o: string) => string,
  ) => (
    <fieldset aria-describedby={errors[name] ? `s-${name}-error` : undefined}>
      <legend>{legend}</legend>
      {options.map((o) => (
        <label class="check" for={`s-${name}-${o}`}>
          <input
            type="checkbox"
            id={`s-${name}-${o}`}
            name={name}
            value={o}
            checked={form[name].includes(o)}
          />
          <span>{label(o)}</span>
        </label>
      ))}
      <ErrorText id={`s-${name}`} error={errors[name]} />
    </fieldset>
  );
  const select = (
    name: "currency" | "digestHour" | "language",
    label: string,
    options: readonly { value: string; text: string }[],
  ) => (
    <div class="field">
      <label for={`s-${name}`}>{label}</label>
      <select
        id={`s-${name}`}
        name={name}
        aria-invalid={errors[name] ? "true" : undefined}
        aria-describedby={errors[name] ? `s-${name}-error` : undefined}
      >
        {options.map((o) => (
          <option value={o.value} selected={v[name] === o.value}>
            {o.text}
          </option>
        ))}
      </select>
      <ErrorText id={`s-${name}`} error={errors[name]} />
    </div>
  );
  const { editing } = props;
  const kinds = kindsFor(ctx, editing?.kind);
  const title = editing ? t.editTitle : t.newTitle;
  const secretHint =
    editing?.channel.type === "webhook"
      ? `${t.webhookSecretHint} ${t.webhookSecretKeep}`
      : t.webhookSecretHint;
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        {editing ? (
          <a href={subscriptionHref(editing.id)}>{t.editBack}</a>
        ) : (
          <a href="/me/subscriptions">{t.back}</a>
        )}
      </p>
      <h1>{title}</h1>
      <p class="lead">{editing ? t.editIntro : t.newIntro}</p>
      {Object.keys(errors).length > 0 ? (
        <p class="error" role="alert">
          {errors.form && errors.form !== t.errors ? errors.form : t.errors}
        </p>
      ) : null}
      <form
        method="post"
        action={editing ? `${subscriptionHref(editing.id)}/edit` : "/me/subscriptions/new"}
        class="form"
        novalidate
      >
        <CsrfField token={csrf} />
        {editing ? <input type="hidden" name="seen" value={editing.updatedAt} /> : null}
        {text("name", t.name)}
        {kinds.length > 1 ? (
          radios("kind", t.kind, kinds, (k) => t.kinds[k], t.kindsHint)
        ) : (
          <input type="hidden" name="kind" value="filters" />
        )}
        <fieldset>
          <legend>{t.filters}</legend>
          <p class="hint">{t.filtersHint}</p>
          {text("q", t.q, { type: "search" })}
          {text("cpv", t.cpv, { hint: t.cpvHint })}
          {checks("countries", t.countries, SUBSCRIPTION_COUNTRIES, (c) => ctx.t.countries[c] ?? c)}
          {text("municipalities", t.municipalities, { hint: t.municipalitiesHint })}
          {checks("stages", t.stages, TENDER_STAGES, (s) => ctx.t.stages[s as TenderStage])}
          <label class="check" for="s-reservedOnly">
            <input type="checkbox" id="s-reservedOnly" name="reservedOnly" checked={form.reservedOnly} />
            <span>{t.reservedOnly}</span>
          </label>
          <div class="row">
            {text("minValue", t.minValue, { inputmode: "decimal" })}
            {text("maxValue", t.maxValue, { inputmode: "decimal" })}
            {select(
              "currency",
              t.currency,
              CURRENCIES.map((c) => ({ value: c, text: c })),
            )}
          </div>
        </fieldset>
        {radios("channel", t.channel, ["email", "webhook"] as const, (c) => t.channels[c])}
        {text("email", t.email, { type: "email", autocomplete: "email" })}
        <div class="row">
          {text("webhookUrl", t.webhookUrl, { type: "url" })}
          {text("webhookSecret", t.webhookSecret, { hint: secretHint, autocomplete: "off" })}
        </div>
        {radios("frequency", t.frequency, ["instant", "daily"] as const, (f) => t.frequencies[f])}
        <div class="row">
          {select(
            "digestHour",
            t.digestHour,
            Array.from({ length: 24 }, (_, h) => ({
              value: String(h),
              text: `${String(h).padStart(2, "0")}:00`,
            })),
          )}
          {select(
            "language",
            t.language,
            ALERT_LANGUAGES.map((l: AlertLanguage) => ({ value: l, text: t.languages[l] })),
          )}
        </div>
        <button type="submit">{editing ? t.save : t.submit}</button>
      </form>
    </Layout>
  );
}
