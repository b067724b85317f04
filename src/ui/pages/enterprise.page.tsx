import { languageOfCountry } from "../../domain/common.js";
import type { Enterprise } from "../../domain/enterprise.js";
import { RES_WS_MIN_SHARE } from "../../search/documents.js";
import type { Opportunity } from "../../services/matching.service.js";
import { CpvCode, ReservationBadge, StageBadge } from "../components.js";
import { dateTime, expectedPeriod, formatNumber, money } from "../format.js";
import { municipalityName } from "../labels.js";
import { Layout } from "../layout.js";
import { type PageContext, enterpriseHref, tenderHref } from "../page-context.js";

/** The profile as anonymous visitors see it: without contact data (as in the API). */
export type PublicEnterprise = Omit<Enterprise, "contact">;

export interface EnterprisePageData {
  enterprise: PublicEnterprise;
  opportunities: Opportunity[];
  /** Lot titles of the opportunities' tenders, by tender id and lot id. */
  lotTitles: Map<string, Map<string, string>>;
}

function eligibilities(e: PublicEnterprise): ("res-ws" | "res-pub-ser")[] {
  return [
    ...((e.disadvantagedShare ?? 0) >= RES_WS_MIN_SHARE ? (["res-ws"] as const) : []),
    ...(e.publicServiceMission ? (["res-pub-ser"] as const) : []),
  ];
}

export function OpportunityItem(props: { ctx: PageContext; data: EnterprisePageData; o: Opportunity }) {
  const { ctx, data, o } = props;
  const { t, lang } = ctx;
  const self = data.enterprise.id;
  const lots = data.lotTitles.get(o.tender.id);
  const partners = [...new Set(o.consortia.flatMap((c) => c.members))].filter((id) => id !== self);
  return (
    <li>
      <h3>
        <a href={tenderHref(o.tender.id)}>{o.tender.title}</a>
      </h3>
      <p class="muted">{o.tender.buyer.name}</p>
      <ul class="meta">
        <li>
          <StageBadge ctx={ctx} stage={o.tender.stage} />
        </li>
        {o.tender.reserved !== "none" ? (
          <li>
            <ReservationBadge ctx={ctx} reserved={o.tender.reserved} />
          </li>
        ) : null}
        {o.tender.stage === "planned" && o.tender.expectedPublication ? (
          <li>
            {t.search.expected}: <strong>{expectedPeriod(o.tender.expectedPublication, lang)}</strong>
          </li>
        ) : null}
        {o.tender.deadline ? (
          <li>
            {t.search.deadline}: <strong>{dateTime(o.tender.deadline, lang)}</strong>
          </li>
        ) : null}
        {o.tender.estimatedValue ? (
          <li>
            {t.search.value}: {money(o.tender.estimatedValue, lang)}
          </li>
        ) : null}
      </ul>
      {o.alone ? <p>{t.enterprise.aloneAll}</p> : null}
      {!o.alone && o.aloneLots.length > 0 ? (
        <p>{t.enterprise.aloneLots(o.aloneLots.map((id) => lots?.get(id) ?? id).join("; "))}</p>
      ) : null}
      {partners.length > 0 ? (
        <p>
          {t.enterprise.withPartners}{" "}
          {partners.map((id, i) => (
            <>
              {i > 0 ? ", " : ""}
              <a href={enterpriseHref(id)}>{o.enterprises[id]?.name ?? id}</a>
            </>
          ))}
        </p>
      ) : null}
    </li>
  );
}

export function EnterprisePage(props: { ctx: PageContext; data: EnterprisePageData }) {
  const { ctx, data } = props;
  const { t, lang } = ctx;
  const e = data.enterprise;
  const textLang = e.languages[0] ?? languageOfCountry(e.country);
  const eligible = eligibilities(e);
  return (
    <Layout ctx={ctx} title={e.name} section="enterprises">
      <p>
        <a href="/enterprises">{t.nav.enterprises}</a>
      </p>
      <h1>{e.name}</h1>
      {e.description ? <p lang={textLang === lang ? undefined : textLang}>{e.description}</p> : null}
      <section aria-labelledby="about-heading">
        <h2 id="about-heading">{t.enterprise.about}</h2>
        <dl class="facts">
          <dt>{t.enterprise.place}</dt>
          <dd>
            {e.municipality ? `${municipalityName(e.municipality, [e.country])}, ` : ""}
            {t.countries[e.country] ?? e.country}
          </dd>
          <dt>{t.enterprise.radius}</dt>
          <dd>{t.common.km(formatNumber(e.serviceRadiusKm, lang))}</dd>
          {e.employees !== undefined ? (
            <>
              <dt>{t.enterprise.employees}</dt>
              <dd>{formatNumber(e.employees, lang)}</dd>
            </>
          ) : null}
          {e.disadvantagedShare !== undefined ? (
            <>
              <dt>{t.enterprise.disadvantaged}</dt>
              <dd>{formatNumber(Math.round(e.disadvantagedShare * 100), lang)} %</dd>
            </>
          ) : null}
          {e.annualTurnover !== undefined ? (
            <>
              <dt>{t.enterprise.turnover}</dt>
              <dd>{money({ amount: e.annualTurnover, currency: e.currency ?? "EUR" }, lang)}</dd>
            </>
          ) : null}
          {e.certifications.length > 0 ? (
            <>
              <dt>{t.enterprise.status}</dt>
              <dd>{e.certifications.map((c) => t.certifications[c]).join(", ")}</dd>
            </>
          ) : null}
          <dt>{t.enterprise.eligibleFor}</dt>
          <dd>
            {eligible.length > 0
              ? eligible.map((k) => t.eligibility[k]).join(", ")
              : t.enterprise.notEligible}
          </dd>
          <dt>{t.enterprise.openToConsortia}</dt>
          <dd>{e.openToConsortia ? t.common.yes : t.common.no}</dd>
          <dt>{t.enterprise.openToSubcontracting}</dt>
          <dd>{e.openToSubcontracting ? t.common.yes : t.common.no}</dd>
          {e.website ? (
            <>
              <dt>{t.enterprise.website}</dt>
              <dd>
                <a href={e.website} rel="noopener noreferrer external">
                  {e.website.replace(/^https?:\/\//, "").replace(/\/$/, "")}
                </a>
              </dd>
            </>
          ) : null}
        </dl>
        {e.illustrative.length > 0 ? (
          <p class="note">
            {t.enterprise.illustrative}{" "}
            {e.illustrative
              .map((f) =>
                f === "annualTurnover"
                  ? t.enterprise.turnover
                  : f === "employees"
                    ? t.enterprise.employees
                    : f === "disadvantagedShare"
                      ? t.enterprise.disadvantaged
                      : f === "serviceRadiusKm"
                        ? t.enterprise.radius
                        : f === "location"
                          ? t.enterprise.place
                          : t.enterprise.services,
              )
              .join(", ")}
          </p>
        ) : null}
        <p class="muted">{t.enterprise.contactNote}</p>
      </section>
      <section aria-labelledby="services-heading">
        <h2 id="services-heading">{t.enterprise.services}</h2>
        <ul class="codes">
          {e.cpv.map((code) => (
            <li>
              <CpvCode code={code} lang={lang} />
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="opportunities-heading">
        <h2 id="opportunities-heading">{t.enterprise.opportunities}</h2>
        <p>{t.enterprise.opportunitiesIntro}</p>
        {data.opportunities.length === 0 ? (
          <p class="empty">{t.enterprise.noOpportunities}</p>
        ) : (
          <ol class="results">
            {data.opportunities.map((o) => (
              <OpportunityItem ctx={ctx} data={data} o={o} />
            ))}
          </ol>
        )}
      </section>
    </Layout>
  );
}
