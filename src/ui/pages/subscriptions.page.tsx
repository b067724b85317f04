import type { SubscriptionView } from "../../services/alerts.service.js";
import { Layout } from "../layout.js";
import type { PageContext } from "../page-context.js";
import { CsrfField } from "./sign-in.page.js";

export type SubscriptionNotice = keyof PageContext["t"]["subscriptions"]["notices"];

export const subscriptionHref = (id: string) => `/me/subscriptions/${encodeURIComponent(id)}`;

/** "At once" or "Daily at 07:00 (Europe/Copenhagen)". */
export function frequencyText(ctx: PageContext, s: SubscriptionView): string {
  const t = ctx.t.subscriptions;
  if (s.frequency === "instant") return t.instantly;
  return `${t.dailyAt(`${String(s.digestHour).padStart(2, "0")}:00`)} (${s.timeZone})`;
}

export const channelText = (s: SubscriptionView) =>
  s.channel.type === "email" ? s.channel.address : s.channel.url;

/** Pause or resume, and delete: small POST forms; `back` says where to return. */
export function SubscriptionActions(props: {
  ctx: PageContext;
  s: SubscriptionView;
  back: "list" | "detail";
}) {
  const { ctx, s } = props;
  const t = ctx.t.subscriptions;
  const base = subscriptionHref(s.id);
  const csrf = ctx.csrf ?? "";
  return (
    <div class="actions">
      <form method="post" action={`${base}/${s.active ? "pause" : "resume"}`} class="inline">
        <CsrfField token={csrf} />
        <input type="hidden" name="back" value={props.back} />
        <button type="submit" class="secondary">
          {s.active ? t.pause : t.resume}
          <span class="vh">: {s.name}</span>
        </button>
      </form>
      <form method="post" action={`${base}/delete`} class="inline">
        <CsrfField token={csrf} />
        <button type="submit" class="secondary">
          {t.delete}
          <span class="vh">: {s.name}</span>
        </button>
      </form>
    </div>
  );
}

export function Notice(props: { ctx: PageContext; notice: SubscriptionNotice | undefined }) {
  return props.notice ? (
    <p class="notice" role="status">
      {props.ctx.t.subscriptions.notices[props.notice]}
    </p>
  ) : null;
}

/** The account's subscriptions, with their actions. */
export function SubscriptionsPage(props: {
  ctx: PageContext;
  subscriptions: SubscriptionView[];
  notice?: SubscriptionNotice;
}) {
  const { ctx, subscriptions } = props;
  const t = ctx.t.subscriptions;
  return (
    <Layout ctx={ctx} title={t.title}>
      <h1>{t.title}</h1>
      <p class="lead">{t.intro}</p>
      <Notice ctx={ctx} notice={props.notice} />
      <p>
        <a class="button" href="/me/subscriptions/new">
          {t.new}
        </a>
      </p>
      {subscriptions.length === 0 ? (
        <p class="empty">{t.none}</p>
      ) : (
        <div class="table-wrap">
          <table class="subscriptions">
            <caption class="vh">{t.title}</caption>
            <thead>
              <tr>
                <th scope="col">{t.name}</th>
                <th scope="col">{t.kind}</th>
                <th scope="col">{t.channel}</th>
                <th scope="col">{t.frequency}</th>
                <th scope="col">{t.status}</th>
                <th scope="col">{t.feeds}</th>
                <th scope="col">{t.actions}</th>
              </tr>
            </thead>
            <tbody>
              {subscriptions.map((s) => (
                <tr>
                  <th scope="row">
                    <a href={subscriptionHref(s.id)}>{s.name}</a>
                  </th>
                  <td>{t.kinds[s.kind]}</td>
                  <td>
                    {t.channels[s.channel.type]}: <span class="code">{channelText(s)}</span>
                  </td>
                  <td>{frequencyText(ctx, s)}</td>
                  <td>
                    <span class={s.active ? "badge open" : "badge no"}>{s.active ? t.active : t.paused}</span>
                  </td>
                  <td>
                    <a href={`${subscriptionHref(s.id)}#feeds`}>
                      {s.feed ? t.feedOn : t.feedOff}
                      <span class="vh">: {s.name}</span>
                    </a>
                  </td>
                  <td>
                    <SubscriptionActions ctx={ctx} s={s} back="list" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
