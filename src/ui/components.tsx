import type { Reservation, TenderStage } from "../domain/tender.js";
import { cpvText, formatNumber } from "./format.js";
import type { UiLanguage } from "./i18n/index.js";
import { type PageContext, hrefWith } from "./page-context.js";

export function StageBadge(props: { ctx: PageContext; stage: TenderStage }) {
  return <span class={`badge ${props.stage}`}>{props.ctx.t.stages[props.stage]}</span>;
}

export function ReservationBadge(props: { ctx: PageContext; reserved: Reservation }) {
  const { reserved } = props;
  if (reserved === "none") return <span class="badge no">{props.ctx.t.reservations.none}</span>;
  return (
    <span class={reserved === "unknown" ? "badge no" : "badge reserved"}>
      {props.ctx.t.reservations[reserved]}
    </span>
  );
}

/** A CPV code and its label; the label is marked English where the page language has none. */
export function CpvCode(props: { code: string; lang: UiLanguage }) {
  const text = cpvText(props.code, props.lang);
  return (
    <span>
      <span class="code">{props.code}</span>
      {text ? (
        <>
          {" "}
          <span lang={text.lang === props.lang ? undefined : text.lang}>{text.label}</span>
        </>
      ) : null}
    </span>
  );
}

export interface FacetOption {
  value: string;
  label: string;
  count: number;
  selected: boolean;
}

/** Values shown per facet (the selected ones always are). */
const FACET_VALUES = 12;

/** A facet's values with counts, most frequent first, at most `FACET_VALUES`; chosen ones always shown. */
export function facetOptions(
  counts: Record<string, number> | undefined,
  selected: readonly string[],
  label: (value: string) => string,
): FacetOption[] {
  const entries = Object.entries(counts ?? {});
  entries.sort((a, b) => b[1] - a[1] || label(a[0]).localeCompare(label(b[0])));
  const shown = entries.slice(0, FACET_VALUES);
  for (const value of selected) {
    if (!shown.some(([v]) => v === value)) shown.push([value, counts?.[value] ?? 0]);
  }
  return shown.map(([value, count]) => ({
    value,
    label: label(value),
    count,
    selected: selected.includes(value),
  }));
}

/** One facet as a group of checkboxes (or radio buttons) with counts, inside the GET form. */
export function FacetGroup(props: {
  name: string;
  legend: string;
  options: FacetOption[];
  type?: "checkbox" | "radio";
  anyLabel?: string;
}) {
  if (props.options.length === 0) return null;
  const type = props.type ?? "checkbox";
  const idOf = (value: string) => `f-${props.name}-${value.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      {type === "radio" && props.anyLabel ? (
        <label class="check" for={`f-${props.name}-any`}>
          <input
            type="radio"
            id={`f-${props.name}-any`}
            name={props.name}
            value=""
            checked={!props.options.some((o) => o.selected)}
          />
          <span>{props.anyLabel}</span>
        </label>
      ) : null}
      {props.options.map((o) => (
        <label class="check" for={idOf(o.value)}>
          <input type={type} id={idOf(o.value)} name={props.name} value={o.value} checked={o.selected} />
          <span>
            {o.label} <span class="count">({o.count})</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

/** Previous / next links and where we are; nothing when everything fits on one page. */
export function Pager(props: { ctx: PageContext; page: number; total: number; limit: number }) {
  const { ctx, page, total, limit } = props;
  const pages = Math.max(1, Math.ceil(total / limit));
  if (pages <= 1) return null;
  const { t } = ctx;
  return (
    <nav class="pager" aria-label={t.pager.label}>
      <ul>
        <li>
          {page > 1 ? (
            <a href={hrefWith(ctx, { page: page === 2 ? undefined : String(page - 1) })} rel="prev">
              {t.pager.previous}
            </a>
          ) : null}
        </li>
        <li aria-current="page">{t.pager.page(page, pages)}</li>
        <li>
          {page < pages ? (
            <a href={hrefWith(ctx, { page: String(page + 1) })} rel="next">
              {t.pager.next}
            </a>
          ) : null}
        </li>
      </ul>
    </nav>
  );
}

export function Km(props: { ctx: PageContext; km: number | undefined }) {
  const { t, lang } = props.ctx;
  return <>{props.km === undefined ? t.match.distanceUnknown : t.common.km(formatNumber(props.km, lang))}</>;
}
