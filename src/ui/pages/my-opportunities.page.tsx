import type { Enterprise } from "../../domain/enterprise.js";
import type { Opportunity } from "../../services/matching.service.js";
import { Layout } from "../layout.js";
import type { PageContext } from "../page-context.js";
import { OpportunityItem } from "./enterprise.page.js";

/** "My opportunities": tenders the signed-in enterprise can bid for alone or in a suggested consortium. */
export function MyOpportunitiesPage(props: {
  ctx: PageContext;
  data?: {
    enterprise: Enterprise;
    opportunities: Opportunity[];
    lotTitles: Map<string, Map<string, string>>;
  };
}) {
  const { ctx, data } = props;
  const { t } = ctx;
  if (!data) {
    return (
      <Layout ctx={ctx} title={t.me.opportunitiesTitle} section="account">
        <h1>{t.me.opportunitiesTitle}</h1>
        <p>{t.me.noEnterprise}</p>
        <p>
          <a class="button" href="/register">
            {t.account.register}
          </a>
        </p>
      </Layout>
    );
  }
  const { contact: _contact, ...enterprise } = data.enterprise;
  const pageData = { ...data, enterprise };
  const alone = data.opportunities.filter((o) => o.alone || o.aloneLots.length > 0);
  const together = data.opportunities.filter((o) => !o.alone && o.aloneLots.length === 0);
  const list = (items: Opportunity[]) =>
    items.length === 0 ? (
      <p class="empty">{t.me.none}</p>
    ) : (
      <ol class="results">
        {items.map((o) => (
          <OpportunityItem ctx={ctx} data={pageData} o={o} />
        ))}
      </ol>
    );
  return (
    <Layout ctx={ctx} title={t.me.opportunitiesTitle} section="account">
      <h1>{t.me.opportunitiesTitle}</h1>
      <p class="lead">
        {enterprise.name}: {t.me.opportunitiesIntro}
      </p>
      <section aria-labelledby="alone-heading">
        <h2 id="alone-heading">{t.me.alone}</h2>
        {list(alone)}
      </section>
      <section aria-labelledby="together-heading">
        <h2 id="together-heading">{t.me.together}</h2>
        {list(together)}
      </section>
    </Layout>
  );
}
