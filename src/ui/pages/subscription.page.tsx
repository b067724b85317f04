import type { SubscriptionView } from "../../services/alerts.service.js";
import type { DeliveryView } from "../../store/alerts.js";
import { dateTime } from "../format.js";
import { Layout } from "../layout.js";
import { type PageContext, tenderHref } from "../page-context.js";
import { CsrfField } from "./sign-in.page.js";
import {
  Notice,
  type SubscriptionNotice,
  SubscriptionActions,
  channelText,
  frequencyText,
  subscriptionHref,
} from "./subscriptions.page.js";

export interface SubscriptionPageData {
  subscription: SubscriptionView;
  deliveries: { items: DeliveryView[]; total: number };
  /** Feed URLs with a token made by this request (after creation or rotation): shown this once. */
  feeds?: { atom: string; ical: string };
}

function FilterFacts(props: { ctx: PageContext; s: SubscriptionView }) {
  const { ctx } = props;
  const t = ctx.t.subscriptions;
  const f = props.s.filters;
  const rows: [string, string][] = [];
  if (f.q) rows.push([t.q, f.q]);
  if (f.cpv?.length) rows.push([t.cpv, f.cpv.join(", ")]);
  if (f.countries?.length)
    rows.push([t.countries, f.countries.map((c) => ctx.t.countries[c] ?? c).join(", ")]);
  if (f.municipalities?.length) rows.push([t.municipalities, f.municipalities.join(", ")]);
  if (f.stages?.length) rows.push([t.stages, f.stages.map((s) => ctx.t.stages[s]).join(", ")]);
  if (f.reservedOnly) rows.push([t.reservedOnly, ctx.t.common.yes]);
  if (f.minValue !== undefined) rows.push([t.minValue, `${f.minValue} ${f.currency ?? "EUR"}`]);
  if (f.maxValue !== undefined) rows.push([t.maxValue, `${f.maxValue} ${f.currency ?? "EUR"}`]);
  return (
    <>
      {rows.map(([dt, dd]) => (
        <>
          <dt>{dt}</dt>
          <dd>{dd}</dd>
        </>
      ))}
    </>
  );
}

/**
 * One subscription: its settings (with a link to edit them), feeds (rotate, revoke) and
 * deliveries, dead letters included.
 */
export function SubscriptionPage(props: {
  ctx: PageContext;
  data: SubscriptionPageData;
  notice?: SubscriptionNotice;
}) {
  const { ctx, data } = props;
  const { lang } = ctx;
  const t = ctx.t.subscriptions;
  const s = data.subscription;
  const base = subscriptionHref(s.id);
  const csrf = ctx.csrf ?? "";
  const { items, total } = data.deliveries;
  return (
    <Layout ctx={ctx} title={s.name}>
      <p>
        <a href="/me/subscriptions">{t.back}</a>
      </p>
      <h1>{s.name}</h1>
      <Notice ctx={ctx} notice={props.notice} />
      <section aria-labelledby="details-heading">
        <h2 id="details-heading">{t.details}</h2>
        <dl class="facts">
          <dt>{t.kind}</dt>
          <dd>{t.kinds[s.kind]}</dd>
          <dt>{t.status}</dt>
          <dd>
            <span class={s.active ? "badge open" : "badge no"}>{s.active ? t.active : t.paused}</span>
          </dd>
          <dt>{t.channel}</dt>
          <dd>
            {t.channels[s.channel.type]}: <span class="code">{channelText(s)}</span>
          </dd>
          <dt>{t.frequency}</dt>
          <dd>{frequencyText(ctx, s)}</dd>
          <dt>{t.language}</dt>
          <dd>{t.languages[s.language]}</dd>
          <FilterFacts ctx={ctx} s={s} />
          <dt>{t.created}</dt>
          <dd>{dateTime(s.createdAt, lang)}</dd>
        </dl>
        <p>
          <a class="button secondary edit" href={`${base}/edit`}>
            {t.edit}
            <span class="vh">: {s.name}</span>
          </a>
        </p>
        <SubscriptionActions ctx={ctx} s={s} back="detail" />
      </section>
      <section aria-labelledby="feeds" id="feeds-section">
        <h2 id="feeds" tabindex={-1}>
          {t.feedTitle}
        </h2>
        <p>{t.feedIntro}</p>
        {data.feeds ? (
          <div class="notice">
            <p>
              <strong>{t.feedOnce}</strong>
            </p>
            <dl class="facts">
              <dt>{t.atom}</dt>
              <dd>
                <a class="code feed-atom" href={data.feeds.atom}>
                  {data.feeds.atom}
                </a>
              </dd>
              <dt>{t.ical}</dt>
              <dd>
                <a class="code feed-ical" href={data.feeds.ical}>
                  {data.feeds.ical}
                </a>
              </dd>
            </dl>
          </div>
        ) : (
          <p class="muted">{s.feed ? t.feedHidden : t.feedNone}</p>
        )}
        <div class="actions">
          <form method="post" action={`${base}/feed/rotate`} class="inline">
            <CsrfField token={csrf} />
            <button type="submit" class="secondary">
              {t.rotate}
            </button>
          </form>
          {s.feed ? (
            <form method="post" action={`${base}/feed/revoke`} class="inline">
              <CsrfField token={csrf} />
              <button type="submit" class="secondary">
                {t.revoke}
              </button>
            </form>
          ) : null}
        </div>
      </section>
      <section aria-labelledby="deliveries-heading">
        <h2 id="deliveries-heading">{t.deliveries}</h2>
        {items.length === 0 ? (
          <p class="empty">{t.noDeliveries}</p>
        ) : (
          <>
            <p class="muted">{t.deliveriesTotal(items.length, total)}</p>
            <div class="table-wrap">
              <table class="deliveries">
                <caption class="vh">{t.deliveries}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.time}</th>
                    <th scope="col">{t.event}</th>
                    <th scope="col">{t.tender}</th>
                    <th scope="col">{t.status}</th>
                    <th scope="col">{t.attempts}</th>
                    <th scope="col">{t.lastError}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((d) => (
                    <tr class={`delivery ${d.status}`}>
                      <td>{dateTime(d.sentAt ?? d.createdAt, lang)}</td>
                      <td>{t.events[d.event]}</td>
                      <td>
                        <a href={tenderHref(d.tender.id)}>{d.tender.title}</a>
                      </td>
                      <td>
                        <span
                          class={
                            d.status === "sent"
                              ? "badge open"
                              : d.status === "dead"
                                ? "badge reserved"
                                : "badge"
                          }
                        >
                          {t.deliveryStatuses[d.status]}
                        </span>
                      </td>
                      <td>{d.attempts}</td>
                      <td>{d.lastError ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </Layout>
  );
}
