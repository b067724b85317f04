import { CERTIFICATIONS, type Enterprise } from "../../domain/enterprise.js";
import {
  ELIGIBILITIES,
  ENTERPRISE_FACETS,
  type EnterpriseFacet,
  type EnterpriseQuery,
  type FacetCounts,
} from "../../search/search.port.js";
import type { ServiceContext } from "../../services/context.js";
import { searchEnterprises } from "../../services/enterprises.service.js";
import { FacetGroup, Pager, facetOptions } from "../components.js";
import { cpvDivisionName, municipalityName } from "../labels.js";
import { Layout } from "../layout.js";
import { type PageContext, enterpriseHref } from "../page-context.js";

export const ENTERPRISE_PAGE_SIZE = 20;

const FACETS = {
  country: { facet: "country", valid: (v: string) => /^[A-Z]{2}$/.test(v) },
  municipality: { facet: "municipality", valid: (v: string) => /^\d{4}$/.test(v) },
  status: {
    facet: "certifications",
    valid: (v: string) => (CERTIFICATIONS as readonly string[]).includes(v),
  },
  eligible: { facet: "eligibleFor", valid: (v: string) => (ELIGIBILITIES as readonly string[]).includes(v) },
  cpv: { facet: "cpvDivisions", valid: (v: string) => /^\d{2}$/.test(v) },
} as const satisfies Record<string, { facet: EnterpriseFacet; valid: (v: string) => boolean }>;
type FacetParam = keyof typeof FACETS;
const FACET_PARAMS = Object.keys(FACETS) as FacetParam[];

export interface EnterpriseSearchParams {
  q?: string;
  selected: Record<FacetParam, string[]>;
  page: number;
}

export function enterpriseSearchParams(query: URLSearchParams): EnterpriseSearchParams {
  const q = query.get("q")?.trim().slice(0, 200);
  const selected = Object.fromEntries(
    FACET_PARAMS.map((param) => [
      param,
      [...new Set(query.getAll(param).flatMap((v) => v.split(",")))]
        .map((v) => v.trim())
        .filter((v) => v !== "" && FACETS[param].valid(v)),
    ]),
  ) as Record<FacetParam, string[]>;
  const page = Math.min(1000, Math.max(1, Math.trunc(Number(query.get("page") ?? "1")) || 1));
  return { ...(q ? { q } : {}), selected, page };
}

function toQuery(
  p: EnterpriseSearchParams,
  without?: FacetParam,
): Omit<EnterpriseQuery, "offset" | "limit" | "facets"> {
  const s = (param: FacetParam) => (param === without ? [] : p.selected[param]);
  return {
    ...(p.q ? { q: p.q } : {}),
    ...(s("country").length ? { country: s("country") } : {}),
    ...(s("municipality").length ? { municipality: s("municipality") } : {}),
    ...(s("status").length ? { certification: s("status") } : {}),
    ...(s("eligible").length ? { eligibleFor: s("eligible") as EnterpriseQuery["eligibleFor"] } : {}),
    ...(s("cpv").length ? { cpv: s("cpv") } : {}),
    sort: "relevance",
  };
}

export interface EnterpriseSearchResult {
  params: EnterpriseSearchParams;
  items: Enterprise[];
  total: number;
  facets: FacetCounts;
}

/** As for tenders: a chosen facet's counts come from the search without its own filter. */
export async function loadEnterpriseSearch(
  deps: ServiceContext,
  params: EnterpriseSearchParams,
): Promise<EnterpriseSearchResult> {
  const active = FACET_PARAMS.filter((p) => params.selected[p].length > 0);
  const [{ items, hits }, ...rest] = await Promise.all([
    searchEnterprises(deps, {
      ...toQuery(params),
      offset: (params.page - 1) * ENTERPRISE_PAGE_SIZE,
      limit: ENTERPRISE_PAGE_SIZE,
      facets: ENTERPRISE_FACETS,
    }),
    ...active.map((param) =>
      deps.search.searchEnterprises({
        ...toQuery(params, param),
        offset: 0,
        limit: 0,
        facets: [FACETS[param].facet],
      }),
    ),
  ]);
  const facets: FacetCounts = { ...hits.facets };
  active.forEach((param, i) => {
    const counts = rest[i]?.facets[FACETS[param].facet];
    if (counts) facets[FACETS[param].facet] = counts;
  });
  return { params, items, total: hits.total, facets };
}

export function EnterpriseSearchPage(props: { ctx: PageContext; result: EnterpriseSearchResult }) {
  const { ctx, result } = props;
  const { t, lang } = ctx;
  const { params, facets } = result;
  const countries = Object.keys(facets.country ?? {});
  const labels: Record<FacetParam, (v: string) => string> = {
    country: (v) => t.countries[v] ?? v,
    municipality: (v) => municipalityName(v, countries),
    status: (v) => t.certifications[v as keyof typeof t.certifications] ?? v,
    eligible: (v) => t.eligibility[v as keyof typeof t.eligibility] ?? v,
    cpv: (v) => cpvDivisionName(v, lang),
  };
  const options = (param: FacetParam) =>
    facetOptions(facets[FACETS[param].facet], params.selected[param], labels[param]);
  const filtered = FACET_PARAMS.some((p) => params.selected[p].length > 0);
  return (
    <Layout ctx={ctx} title={t.enterprises.title} section="enterprises">
      <h1>{t.enterprises.title}</h1>
      <p class="lead">{t.enterprises.intro}</p>
      <form method="get" action="/enterprises">
        <div class="search" role="search">
          <div class="field">
            <label for="q">
              {t.enterprises.query}
              <span class="hint" id="q-hint">
                {t.enterprises.queryHint}
              </span>
            </label>
            <input type="search" id="q" name="q" value={params.q ?? ""} aria-describedby="q-hint" />
          </div>
          <button type="submit">{t.common.search}</button>
        </div>
        <div class="layout">
          <div class="filters">
            <h2>{t.common.filters}</h2>
            <FacetGroup name="country" legend={t.enterprises.facets.country} options={options("country")} />
            <FacetGroup
              name="municipality"
              legend={t.enterprises.facets.municipality}
              options={options("municipality")}
            />
            <FacetGroup
              name="eligible"
              legend={t.enterprises.facets.eligibleFor}
              options={options("eligible")}
            />
            <FacetGroup
              name="status"
              legend={t.enterprises.facets.certifications}
              options={options("status")}
            />
            <FacetGroup name="cpv" legend={t.enterprises.facets.cpvDivisions} options={options("cpv")} />
            <p class="actions">
              <button type="submit">{t.common.apply}</button>
              {filtered ? (
                <a href={params.q ? `/enterprises?q=${encodeURIComponent(params.q)}` : "/enterprises"}>
                  {t.common.clear}
                </a>
              ) : null}
            </p>
          </div>
          <section aria-labelledby="results-heading">
            <h2 id="results-heading">{t.enterprises.results(result.total)}</h2>
            {result.items.length === 0 ? (
              <div class="empty">
                <p>
                  <strong>{t.enterprises.empty}</strong>
                </p>
                <p>{t.enterprises.emptyHint}</p>
              </div>
            ) : (
              <ol class="results">
                {result.items.map((e) => (
                  <li>
                    <h3>
                      <a href={enterpriseHref(e.id)}>{e.name}</a>
                    </h3>
                    <ul class="meta">
                      <li>
                        {e.municipality ? `${municipalityName(e.municipality, [e.country])}, ` : ""}
                        {t.countries[e.country] ?? e.country}
                      </li>
                      {e.certifications.map((c) => (
                        <li>
                          <span class="badge">{t.certifications[c]}</span>
                        </li>
                      ))}
                    </ul>
                    {e.description ? (
                      <p>{e.description.length > 220 ? `${e.description.slice(0, 219)}…` : e.description}</p>
                    ) : null}
                  </li>
                ))}
              </ol>
            )}
            <Pager ctx={ctx} page={params.page} total={result.total} limit={ENTERPRISE_PAGE_SIZE} />
          </section>
        </div>
      </form>
    </Layout>
  );
}
