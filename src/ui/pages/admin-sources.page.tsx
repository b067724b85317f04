import type { SourceRunError } from "../../store/schema.js";
import type { RunStatus, SourceRun } from "../../store/sources.js";
import { dateTime } from "../format.js";
import { Layout } from "../layout.js";
import type { PageContext } from "../page-context.js";

/** A row of the sources page: a declared source, or one that ran without being declared. */
export interface AdminSourceRow {
  id: string;
  name: string;
  declared: boolean;
  kind?: string;
  buyer?: string;
  schedule?: "hourly" | "daily" | "weekly";
  enabled: boolean;
  lastRun?: SourceRun;
}

export const adminSourceHref = (id: string) => `/admin/sources/${encodeURIComponent(id)}`;

export function RunStatusBadge(props: { ctx: PageContext; status: RunStatus }) {
  const { status } = props;
  const tone =
    status === "failed" || status === "partial" ? " reserved" : status === "running" ? "" : " open";
  return <span class={`badge${tone}`}>{props.ctx.t.admin.statuses[status]}</span>;
}

/** A run's errors with their kind, or "none". */
export function RunErrors(props: { ctx: PageContext; errors: readonly SourceRunError[] }) {
  const { t } = props.ctx;
  if (props.errors.length === 0) return <>{t.admin.noErrors}</>;
  return (
    <ul>
      {props.errors.map((e) => (
        <li>
          <span class="code">{e.kind}</span>: {e.message}
          {e.where ? <> ({e.where})</> : null}
          {e.url ? (
            <>
              {" "}
              <span class="code">{e.url}</span>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export function AdminForbiddenPage(props: { ctx: PageContext }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t.admin.forbiddenTitle}>
      <h1>{t.admin.forbiddenTitle}</h1>
      <p>{t.admin.forbiddenBody}</p>
    </Layout>
  );
}

export function AdminSourcesPage(props: { ctx: PageContext; sources: readonly AdminSourceRow[] }) {
  const { ctx, sources } = props;
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t.admin.sourcesTitle}>
      <h1>{t.admin.sourcesTitle}</h1>
      <p class="lead">{t.admin.sourcesIntro}</p>
      <div class="table-wrap">
        <table>
          <caption>{t.admin.sourcesCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.admin.name}</th>
              <th scope="col">{t.admin.kind}</th>
              <th scope="col">{t.admin.buyer}</th>
              <th scope="col">{t.admin.schedule}</th>
              <th scope="col">{t.admin.enabled}</th>
              <th scope="col">{t.admin.lastRun}</th>
            </tr>
          </thead>
          <tbody>
            {sources.map((s) => (
              <tr>
                <th scope="row">
                  <a href={adminSourceHref(s.id)}>{s.name}</a>
                  <br />
                  <span class="code">{s.id}</span>
                  {s.declared ? null : <span class="hint"> ({t.admin.notDeclared})</span>}
                </th>
                <td>{s.kind ? <span class="code">{s.kind}</span> : t.common.notStated}</td>
                <td>{s.buyer ? <span class="code">{s.buyer}</span> : t.common.notStated}</td>
                <td>{s.schedule ? t.admin.schedules[s.schedule] : t.common.notStated}</td>
                <td>{s.enabled ? t.common.yes : t.common.no}</td>
                <td>
                  {s.lastRun ? (
                    <>
                      {dateTime(s.lastRun.startedAt, lang)}{" "}
                      <RunStatusBadge ctx={ctx} status={s.lastRun.status} />
                      <br />
                      {t.admin.counts(s.lastRun.counts)}
                    </>
                  ) : (
                    t.admin.neverRun
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
