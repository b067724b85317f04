import {
  RESERVATIONS,
  type Reservation,
  TENDER_STAGES,
  type Tender,
  type TenderStage,
} from "../../domain/tender.js";
import {
  TENDER_FACETS,
  TENDER_SORTS,
  type FacetCounts,
  type TenderFacet,
  type TenderQuery,
  type TenderSort,
} from "../../search/search.port.js";
import type { ServiceContext } from "../../services/context.js";
import { searchTenders } from "../../services/tenders.service.js";
import { FacetGroup, Pager, facetOptions, ReservationBadge, StageBadge } from "../components.js";
import { dateTime, expectedPeriod, money } from "../format.js";
import {
  VALUE_BAND_RANGES,
  buyerNames,
  cpvDivisionName,
  isValueBand,
  municipalityName,
  regionName,
  valueBandName,
} from "../labels.js";
import { Layout } from "../layout.js";
import { type PageContext, tenderHref } from "../page-context.js";

export const PAGE_SIZE = 20;

/** The facets of the search page: URL parameter, search facet, which values are valid. */
const FACETS = {
  stage: { facet: "stage", valid: (v: string) => (TENDER_STAGES as readonly string[]).includes(v) },
  reserved: { facet: "reserved", valid: (v: string) => (RESERVATIONS as readonly string[]).includes(v) },
  buyer: { facet: "buyerId", valid: (v: string) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$/.test(v) },
  region: { facet: "nuts3", valid: (v: string) => /^[A-Z]{2}[0-9A-Z]{1,3}$/.test(v) },
  municipality: { facet: "municipality", valid: (v: string) => /^\d{4}$/.test(v) },
  cpv: { facet: "cpvDivisions", valid: (v: string) => /^\d{2}$/.test(v) },
  value: { facet: "valueBand", valid: isValueBand },
} as const satisfies Record<string, { facet: TenderFacet; valid: (v: string) => boolean }>;
type FacetParam = keyof typeof FACETS;
const FACET_PARAMS = Object.keys(FACETS) as FacetParam[];

export interface TenderSearchParams {
  q?: string;
  selected: Record<FacetParam, string[]>;
  sort: TenderSort;
  page: number;
}

/** The page's query string, leniently: values that are not valid are left out, never an error. */
export function tenderSearchParams(query: URLSearchParams): TenderSearchParams {
  const q = query.get("q")?.trim().slice(0, 200);
  const selected = Object.fromEntries(
    FACET_PARAMS.map((param) => {
      const values = [...new Set(query.getAll(param).flatMap((v) => v.split(",")))]
        .map((v) => v.trim())
        .filter((v) => v !== "" && FACETS[param].valid(v));
      // One value band at a time: the bands are a range, not a set.
      return [param, param === "value" ? values.slice(0, 1) : values];
    }),
  ) as Record<FacetParam, string[]>;
  const sortParam = query.get("sort") ?? "";
  const sort = (TENDER_SORTS as readonly string[]).includes(sortParam)
    ? (sortParam as TenderSort)
    : "relevance";
  const page = Math.min(1000, Math.max(1, Math.trunc(Number(query.get("page") ?? "1")) || 1));
  return { ...(q ? { q } : {}), selected, sort, page };
}

function toQuery(
  p: TenderSearchParams,
  without?: FacetParam,
): Omit<TenderQuery, "offset" | "limit" | "facets"> {
  const s = (param: FacetParam) => (param === without ? [] : p.selected[param]);
  const band = s("value")[0];
  const range = band && isValueBand(band) ? VALUE_BAND_RANGES[band] : {};
  return {
    ...(p.q ? { q: p.q } : {}),
    ...(s("stage").length ? { stage: s("stage") as TenderStage[] } : {}),
    ...(s("reserved").length ? { reserved: s("reserved") as Reservation[] } : {}),
    ...(s("buyer").length ? { buyerId: s("buyer") } : {}),
    ...(s("region").length ? { nuts: s("region") } : {}),
    ...(s("municipality").length ? { municipality: s("municipality") } : {}),
    ...(s("cpv").length ? { cpv: s("cpv") } : {}),
    ...(range.min !== undefined ? { minValueEur: range.min } : {}),
    ...(range.max !== undefined ? { maxValueEur: range.max } : {}),
    sort: p.sort,
  };
}

export interface TenderSearchResult {
  params: TenderSearchParams;
  items: Tender[];
  total: number;
  facets: FacetCounts;
  buyers: Map<string, string>;
}

/**
 * Runs the search. Counts of a facet with a value chosen come from the same search without that
 * facet's own filter, so the other values stay visible with what choosing them would add.
 */
export async function loadTenderSearch(
  deps: ServiceContext,
  params: TenderSearchParams,
): Promise<TenderSearchResult> {
  const main = searchTenders(deps, {
    ...toQuery(params),
    offset: (params.page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
    facets: TENDER_FACETS,
  });
  const active = FACET_PARAMS.filter((p) => params.selected[p].length > 0);
  const others = active.map((param) =>
    deps.search.searchTenders({
      ...toQuery(params, param),
      offset: 0,
      limit: 0,
      facets: [FACETS[param].facet],
    }),
  );
  const [{ items, hits }, ...rest] = await Promise.all([main, ...others]);
  const facets: FacetCounts = { ...hits.facets };
  active.forEach((param, i) => {
    const facet = FACETS[param].facet;
    const counts = rest[i]?.facets[facet];
    if (counts) facets[facet] = counts;
  });
  const buyers = await buyerNames(deps, [
    ...new Set([...Object.keys(facets.buyerId ?? {}), ...params.selected.buyer]),
  ]);
  return { params, items, total: hits.total, facets, buyers };
}

function TenderItem(props: { ctx: PageContext; tender: Tender }) {
  const { ctx, tender } = props;
  const { t, lang } = ctx;
  return (
    <li>
      <h3 lang={tender.language === lang ? undefined : tender.language}>
        <a href={tenderHref(tender.id)}>{tender.title}</a>
      </h3>
      <p class="muted">
        {tender.department ? `${tender.buyer.name}, ${tender.department}` : tender.buyer.name}
      </p>
      <ul class="meta">
        <li>
          <StageBadge ctx={ctx} stage={tender.stage} />
        </li>
        {tender.reserved !== "none" ? (
          <li>
            <ReservationBadge ctx={ctx} reserved={tender.reserved} />
          </li>
        ) : null}
        {tender.stage === "planned" && tender.expectedPublication ? (
          <li>
            {t.search.expected}: <strong>{expectedPeriod(tender.expectedPublication, lang)}</strong>
          </li>
        ) : null}
        {tender.deadline ? (
          <li>
            {t.search.deadline}: <strong>{dateTime(tender.deadline, lang)}</strong>
          </li>
        ) : null}
        {tender.estimatedValue ? (
          <li>
            {t.search.value}: {money(tender.estimatedValue, lang)}
          </li>
        ) : null}
        {tender.lots.length > 1 ? <li>{t.common.lotCount(tender.lots.length)}</li> : null}
      </ul>
    </li>
  );
}

export function TenderSearchPage(props: { ctx: PageContext; result: TenderSearchResult }) {
  const { ctx, result } = props;
  const { t, lang } = ctx;
  const { params, facets } = result;
  const countries = Object.keys(facets.country ?? {});
  const labels: Record<FacetParam, (v: string) => string> = {
    stage: (v) => t.stages[v as TenderStage] ?? v,
    reserved: (v) => t.reservations[v as Reservation] ?? v,
    buyer: (v) => result.buyers.get(v) ?? v,
    region: regionName,
    municipality: (v) => municipalityName(v, countries, Object.keys(facets.nuts3 ?? {})),
    cpv: (v) => cpvDivisionName(v, lang),
    value: (v) => valueBandName(v, ctx),
  };
  const options = (param: FacetParam) =>
    facetOptions(facets[FACETS[param].facet], params.selected[param], labels[param]);
  const heading = params.q ? t.search.resultsFor(result.total, params.q) : t.search.results(result.total);
  const filtered = FACET_PARAMS.some((p) => params.selected[p].length > 0);
  return (
    <Layout ctx={ctx} title={params.q ? `${params.q} · ${t.search.title}` : t.search.title} section="tenders">
      <h1>{t.search.title}</h1>
      <p class="lead">{t.search.intro}</p>
      <form method="get" action="/tenders">
        <div class="search" role="search">
          <div class="field">
            <label for="q">
              {t.search.query}
              <span class="hint" id="q-hint">
                {t.search.queryHint}
              </span>
            </label>
            <input type="search" id="q" name="q" value={params.q ?? ""} aria-describedby="q-hint" />
          </div>
          <button type="submit">{t.common.search}</button>
        </div>
        <div class="layout">
          <div class="filters">
            <h2 id="filters-heading">{t.common.filters}</h2>
            <FacetGroup name="stage" legend={t.search.facets.stage} options={options("stage")} />
            <FacetGroup name="reserved" legend={t.search.facets.reserved} options={options("reserved")} />
            <FacetGroup name="region" legend={t.search.facets.nuts3} options={options("region")} />
            <FacetGroup
              name="municipality"
              legend={t.search.facets.municipality}
              options={options("municipality")}
            />
            <FacetGroup name="buyer" legend={t.search.facets.buyerId} options={options("buyer")} />
            <FacetGroup name="cpv" legend={t.search.facets.cpvDivisions} options={options("cpv")} />
            <FacetGroup
              name="value"
              legend={t.search.facets.valueBand}
              options={options("value")}
              type="radio"
              anyLabel={t.common.any}
            />
            <label for="sort">{t.common.sortBy}</label>
            <select id="sort" name="sort">
              {TENDER_SORTS.map((s) => (
                <option value={s} selected={s === params.sort}>
                  {t.search.sorts[s]}
                </option>
              ))}
            </select>
            <p class="actions">
              <button type="submit">{t.common.apply}</button>
              {filtered ? (
                <a href={params.q ? `/tenders?q=${encodeURIComponent(params.q)}` : "/tenders"}>
                  {t.common.clear}
                </a>
              ) : null}
            </p>
          </div>
          <section aria-labelledby="results-heading">
            <h2 id="results-heading">{heading}</h2>
            {result.items.length === 0 ? (
              <div class="empty">
                <p>
                  <strong>{t.search.empty}</strong>
                </p>
                <p>{t.search.emptyHint}</p>
              </div>
            ) : (
              <ol class="results">
                {result.items.map((tender) => (
                  <TenderItem ctx={ctx} tender={tender} />
                ))}
              </ol>
            )}
            <Pager ctx={ctx} page={params.page} total={result.total} limit={PAGE_SIZE} />
          </section>
        </div>
      </form>
    </Layout>
  );
}
