import { INSIGHT_RESERVATIONS, MIN_BIDS, type TenderInsight } from "../../domain/matching/index.js";
import { formatNumber } from "../format.js";
import { Layout } from "../layout.js";
import { type PageContext, tenderHref } from "../page-context.js";
import { BuyerNav } from "./buyer-plan.page.js";

/** The recommendation's reason in the page language, from the insight's figures. */
export function insightReason(ctx: PageContext, i: TenderInsight): string {
  const r = ctx.t.buyer.reasons;
  const rec = i.recommendation;
  const prefix = i.reserved === "unknown" ? `${r.unknownReservation} ` : "";
  switch (rec.kind) {
    case "reserve-art20":
    case "reserve-art77": {
      const key = rec.kind === "reserve-art77" ? "res-pub-ser" : "res-ws";
      const figures = { eligible: i.eligible[key], bids: i.independentBids[key] };
      if (rec.alreadyReserved) {
        return r.kept(
          rec.kind === "reserve-art77" ? "77" : "20",
          figures.eligible,
          figures.bids,
          rec.adequateCompetition,
        );
      }
      return (
        prefix +
        (rec.kind === "reserve-art77"
          ? r.art77(figures.eligible, figures.bids)
          : r.art20(figures.eligible, figures.bids))
      );
    }
    case "reserve-lot":
      return prefix + r.lots(rec.lotIds ?? [], i.independentBids["res-ws"]);
    case "social-clause":
      return prefix + r.socialClause(i.socialEnterprises, i.independentBids["res-ws"]);
    case "none":
      return prefix + r.none(i.withinReach, i.independentBids.none);
  }
}

function InsightCard(props: { ctx: PageContext; insight: TenderInsight }) {
  const { ctx, insight: i } = props;
  const { t, lang } = ctx;
  const n = (x: number) => formatNumber(x, lang);
  const headingId = `insight-${i.tenderId.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  return (
    <li class="card">
      <article aria-labelledby={headingId}>
        <h2 id={headingId}>
          <a href={tenderHref(i.tenderId)}>{i.title}</a>
        </h2>
        <p class="recommendation">
          <strong>{t.buyer.recommendation}: </strong>
          <span class={i.recommendation.kind === "none" ? "badge no" : "badge reserved"}>
            {t.buyer.recommendations[i.recommendation.kind]}
          </span>
        </p>
        <p>{insightReason(ctx, i)}</p>
        <dl class="meta">
          <dt>{t.buyer.withinReach}</dt>
          <dd>{n(i.withinReach)}</dd>
          <dt>{t.buyer.eligibleArt20}</dt>
          <dd>{n(i.eligible["res-ws"])}</dd>
          <dt>{t.buyer.eligibleArt77}</dt>
          <dd>
            {n(i.eligible["res-pub-ser"])}
            {i.art77Blocked > 0 ? <span class="hint"> {t.buyer.art77Blocked(i.art77Blocked)}</span> : null}
          </dd>
          <dt>{t.buyer.art77Possible}</dt>
          <dd>{i.art77Possible ? t.common.yes : t.common.no}</dd>
          <dt>{t.buyer.competition}</dt>
          <dd>
            {i.recommendation.adequateCompetition ? t.buyer.adequate(MIN_BIDS) : t.buyer.thin(MIN_BIDS)}
          </dd>
        </dl>
        <div class="table-wrap">
          <table>
            <caption>{t.buyer.bidsCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.buyer.ifReserved}</th>
                <th scope="col">{t.buyer.singles}</th>
                <th scope="col">{t.buyer.consortia}</th>
                <th scope="col">{t.buyer.independentBids}</th>
              </tr>
            </thead>
            <tbody>
              {INSIGHT_RESERVATIONS.map((r) => {
                const c = i.consortia[r];
                return (
                  <tr>
                    <th scope="row">{t.reservations[r]}</th>
                    <td>{n(i.singles[r])}</td>
                    <td>
                      {n(c.count)}
                      {c.capped ? "+" : ""}
                      {c.minSize !== undefined ? (
                        <span class="hint"> {t.buyer.smallest(c.minSize)}</span>
                      ) : null}
                    </td>
                    <td>{n(i.independentBids[r])}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </article>
    </li>
  );
}

export function BuyerInsightPage(props: {
  ctx: PageContext;
  insight: { buyerId: string; name: string; tenders: TenderInsight[] };
}) {
  const { ctx, insight } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t.buyer.insightTitle} section="account">
      <h1>{t.buyer.insightTitle}</h1>
      <p class="lead">{t.buyer.insightIntro(insight.name)}</p>
      <BuyerNav ctx={ctx} current="insight" />
      {insight.tenders.length === 0 ? (
        <p class="empty">{t.buyer.planEmpty}</p>
      ) : (
        <ol class="results">
          {insight.tenders.map((i) => (
            <InsightCard ctx={ctx} insight={i} />
          ))}
        </ol>
      )}
      <p>
        <a href={`/api/ocds/planning?buyer=${encodeURIComponent(insight.buyerId)}`}>{t.buyer.exportLink}</a>
      </p>
    </Layout>
  );
}
