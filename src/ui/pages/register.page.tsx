import type { Context } from "hono";
import { AppError } from "../../domain/errors.js";
import { EnterpriseInput } from "../../domain/enterprise.js";
import type { AppEnv } from "../../routes/app-env.js";
import { suggestCpv } from "../../services/classify.service.js";
import { registerEnterprise } from "../../services/enterprises.service.js";
import { CpvCode } from "../components.js";
import { Layout } from "../layout.js";
import { type PageContext, pageContext } from "../page-context.js";
import { render } from "../render.js";
import { csrfToken } from "../session.js";
import { CsrfField, EmailField } from "./sign-in.page.js";

const TEXT_FIELDS = [
  "name",
  "country",
  "municipality",
  "lat",
  "lon",
  "radius",
  "description",
  "turnover",
  "employees",
  "disadvantaged",
  "contactEmail",
] as const;
type TextField = (typeof TEXT_FIELDS)[number];

export interface RegisterForm {
  values: Record<TextField, string>;
  mission: boolean;
  consortia: boolean;
  subcontracting: boolean;
  /** Codes ticked, and codes offered (suggested or ticked before). */
  cpv: string[];
  offered: string[];
}

type Errors = Partial<Record<TextField | "cpv", string>>;

const COUNTRIES = ["DK", "SE", "NO"] as const;

async function readForm(c: Context<AppEnv>): Promise<RegisterForm> {
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
  const values = Object.fromEntries(TEXT_FIELDS.map((k) => [k, one(k)])) as Record<TextField, string>;
  const cpv = many("cpv").filter((code) => /^\d{8}$/.test(code));
  const offered = [...new Set([...many("offered").filter((code) => /^\d{8}$/.test(code)), ...cpv])];
  return {
    values,
    mission: one("mission") === "on",
    consortia: one("consortia") === "on",
    subcontracting: one("subcontracting") === "on",
    cpv,
    offered,
  };
}

const EMPTY: RegisterForm = {
  values: Object.fromEntries(
    TEXT_FIELDS.map((k) => [k, k === "radius" ? "50" : k === "country" ? "DK" : ""]),
  ) as Record<TextField, string>,
  mission: false,
  consortia: true,
  subcontracting: true,
  cpv: [],
  offered: [],
};

/** The form as an EnterpriseInput, or the errors per field. */
function toInput(form: RegisterForm, t: PageContext["t"]): { input?: EnterpriseInput; errors: Errors } {
  const v = form.values;
  const errors: Errors = {};
  const num = (field: TextField, optional: boolean): number | undefined => {
    if (v[field] === "") {
      if (!optional) errors[field] = t.register.required;
      return undefined;
    }
    const n = Number(v[field].replace(",", "."));
    if (!Number.isFinite(n) || n < 0) errors[field] = t.register.number;
    return n;
  };
  if (v.name === "") errors.name = t.register.required;
  if (v.description === "") errors.description = t.register.required;
  const radius = num("radius", false);
  const turnover = num("turnover", true);
  const employees = num("employees", true);
  const disadvantaged = num("disadvantaged", true);
  const lat = num("lat", true);
  const lon = num("lon", true);
  if (form.cpv.length === 0) errors.cpv = t.register.pickCode;
  const candidate = {
    name: v.name,
    country: v.country,
    ...(v.municipality ? { municipality: v.municipality } : {}),
    ...(lat !== undefined && lon !== undefined ? { location: { lat, lon } } : {}),
    ...(radius !== undefined ? { serviceRadiusKm: radius } : {}),
    cpv: form.cpv,
    description: v.description,
    ...(turnover !== undefined ? { annualTurnover: turnover, currency: "EUR" } : {}),
    ...(employees !== undefined ? { employees: Math.trunc(employees) } : {}),
    ...(disadvantaged !== undefined ? { disadvantagedShare: disadvantaged / 100 } : {}),
    publicServiceMission: form.mission,
    openToConsortia: form.consortia,
    openToSubcontracting: form.subcontracting,
    ...(v.contactEmail ? { contact: { email: v.contactEmail } } : {}),
  };
  const parsed = EnterpriseInput.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "");
      const field: TextField | "cpv" | undefined =
        key === "serviceRadiusKm"
          ? "radius"
          : key === "annualTurnover"
            ? "turnover"
            : key === "disadvantagedShare"
              ? "disadvantaged"
              : key === "contact"
                ? "contactEmail"
                : key === "location"
                  ? "lat"
                  : (TEXT_FIELDS as readonly string[]).includes(key) || key === "cpv"
                    ? (key as TextField | "cpv")
                    : "name";
      errors[field] ??= issue.message;
    }
  }
  return Object.keys(errors).length > 0 || !parsed.success ? { errors } : { input: parsed.data, errors };
}

/** GET shows the form; POST "suggest" adds suggested codes from the description; "register" saves. */
export async function handleRegister(
  c: Context<AppEnv>,
  action: "show" | "suggest" | "register",
): Promise<Response> {
  const ctx = pageContext(c);
  const csrf = await csrfToken(c);
  const actor = c.get("actor");
  if (actor.kind !== "account") return render(c, <RegisterPage ctx={ctx} csrf={csrf} mode="sign-up" />);
  if (actor.account.enterpriseId) {
    return c.redirect("/me/opportunities", 303);
  }
  if (action === "show") return render(c, <RegisterPage ctx={ctx} csrf={csrf} mode="form" form={EMPTY} />);
  const form = await readForm(c);
  if (action === "suggest") {
    const { suggestions } = suggestCpv(c.var.deps, {
      text: form.values.description,
      lang: ctx.lang,
      limit: 8,
    });
    const offered = [...new Set([...form.offered, ...suggestions.map((s) => s.code)])];
    return render(c, <RegisterPage ctx={ctx} csrf={csrf} mode="form" form={{ ...form, offered }} />);
  }
  const { input, errors } = toInput(form, ctx.t);
  if (!input)
    return render(c, <RegisterPage ctx={ctx} csrf={csrf} mode="form" form={form} errors={errors} />, 400);
  try {
    await registerEnterprise(c.var.deps, actor, input);
  } catch (error) {
    if (error instanceof AppError && (error.code === "CONFLICT" || error.code === "VALIDATION_FAILED")) {
      return render(
        c,
        <RegisterPage ctx={ctx} csrf={csrf} mode="form" form={form} errors={{ name: error.message }} />,
        400,
      );
    }
    throw error;
  }
  return c.redirect("/me/opportunities", 303);
}

function Field(props: {
  ctx: PageContext;
  name: TextField;
  label: string;
  form: RegisterForm;
  errors: Errors;
  type?: string;
  hint?: string;
  inputmode?: "decimal" | "numeric";
}) {
  const error = props.errors[props.name];
  const describedBy = [props.hint ? `${props.name}-hint` : "", error ? `${props.name}-error` : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <div class="field">
      <label for={props.name}>
        {props.label}
        {props.hint ? (
          <span class="hint" id={`${props.name}-hint`}>
            {props.hint}
          </span>
        ) : null}
      </label>
      <input
        type={props.type ?? "text"}
        id={props.name}
        name={props.name}
        value={props.form.values[props.name]}
        inputmode={props.inputmode}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy || undefined}
      />
      {error ? (
        <p class="error" id={`${props.name}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function RegisterPage(props: {
  ctx: PageContext;
  csrf: string;
  mode: "sign-up" | "form";
  form?: RegisterForm;
  errors?: Errors;
}) {
  const { ctx, csrf } = props;
  const { t, lang } = ctx;
  if (props.mode === "sign-up" || !props.form) {
    return (
      <Layout ctx={ctx} title={t.register.title} section="account">
        <h1>{t.register.title}</h1>
        <p class="lead">{t.register.intro}</p>
        <p>{t.register.signUpIntro}</p>
        <form method="post" action="/sign-in" class="form" novalidate>
          <CsrfField token={csrf} />
          <input type="hidden" name="intent" value="sign-up" />
          <EmailField ctx={ctx} />
          <button type="submit">{t.register.signUp}</button>
        </form>
      </Layout>
    );
  }
  const form = props.form;
  const errors = props.errors ?? {};
  const f = (
    name: TextField,
    label: string,
    extra: { type?: string; hint?: string; inputmode?: "decimal" | "numeric" } = {},
  ) => <Field ctx={ctx} name={name} label={label} form={form} errors={errors} {...extra} />;
  const check = (name: "mission" | "consortia" | "subcontracting", label: string) => (
    <label class="check" for={name}>
      <input type="checkbox" id={name} name={name} checked={form[name]} />
      <span>{label}</span>
    </label>
  );
  return (
    <Layout ctx={ctx} title={t.register.title} section="account">
      <h1>{t.register.title}</h1>
      <p class="lead">{t.register.intro}</p>
      {Object.keys(errors).length > 0 ? (
        <p class="error" role="alert">
          {t.register.errors}
        </p>
      ) : null}
      <form method="post" action="/register" class="form" novalidate>
        <CsrfField token={csrf} />
        {f("name", t.register.name)}
        <div class="row">
          <div class="field">
            <label for="country">{t.register.country}</label>
            <select id="country" name="country">
              {COUNTRIES.map((code) => (
                <option value={code} selected={form.values.country === code}>
                  {t.countries[code] ?? code}
                </option>
              ))}
            </select>
          </div>
          {f("municipality", t.register.municipality, { hint: t.register.municipalityHint })}
        </div>
        <fieldset>
          <legend>{t.register.location}</legend>
          <div class="row">
            {f("lat", t.register.lat, { inputmode: "decimal" })}
            {f("lon", t.register.lon, { inputmode: "decimal" })}
          </div>
        </fieldset>
        {f("radius", t.register.radius, { inputmode: "numeric" })}
        <div class="field">
          <label for="description">
            {t.register.description}
            <span class="hint" id="description-hint">
              {t.register.descriptionHint}
            </span>
          </label>
          <textarea
            id="description"
            name="description"
            rows={5}
            aria-invalid={errors.description ? "true" : undefined}
            aria-describedby={errors.description ? "description-hint description-error" : "description-hint"}
          >
            {form.values.description}
          </textarea>
          {errors.description ? (
            <p class="error" id="description-error">
              {errors.description}
            </p>
          ) : null}
          <button type="submit" name="action" value="suggest" class="secondary">
            {t.register.suggest}
          </button>
        </div>
        <fieldset aria-describedby={errors.cpv ? "cpv-error" : undefined}>
          <legend>{t.register.codes}</legend>
          {form.offered.length === 0 ? (
            <p class="muted">{t.register.noCodes}</p>
          ) : (
            <>
              <p class="hint">{t.register.codesHint}</p>
              {form.offered.map((code) => (
                <label class="check" for={`cpv-${code}`}>
                  <input type="hidden" name="offered" value={code} />
                  <input
                    type="checkbox"
                    id={`cpv-${code}`}
                    name="cpv"
                    value={code}
                    checked={form.cpv.includes(code)}
                  />
                  <CpvCode code={code} lang={lang} />
                </label>
              ))}
            </>
          )}
          {errors.cpv ? (
            <p class="error" id="cpv-error">
              {errors.cpv}
            </p>
          ) : null}
        </fieldset>
        <div class="row">
          {f("turnover", t.register.turnover, { inputmode: "numeric" })}
          {f("employees", t.register.employees, { inputmode: "numeric" })}
          {f("disadvantaged", t.register.disadvantaged, { inputmode: "numeric" })}
        </div>
        <fieldset>
          {check("mission", t.register.mission)}
          {check("consortia", t.register.consortia)}
          {check("subcontracting", t.register.subcontracting)}
        </fieldset>
        {f("contactEmail", t.register.contactEmail, { type: "email" })}
        <button type="submit" name="action" value="register">
          {t.register.submit}
        </button>
      </form>
    </Layout>
  );
}
