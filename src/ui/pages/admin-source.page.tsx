import type { SourceRun } from "../../store/sources.js";
import { dateTime } from "../format.js";
import { Layout } from "../layout.js";
import type { PageContext } from "../page-context.js";
import { RunErrors, RunStatusBadge } from "./admin-sources.page.js";

/** The runs of one source, newest first, with their counts and errors. */
export function AdminSourcePage(props: {
  ctx: PageContext;
  source: { id: string; name: string };
  runs: readonly SourceRun[];
}) {
  const { ctx, source, runs } = props;
  const { t, lang } = ctx;
  const title = t.admin.runsTitle(source.name);
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href="/admin/sources">{t.admin.back}</a>
      </p>
      <h1>{title}</h1>
      <p class="lead">
        <span class="code">{source.id}</span> · {t.admin.runsIntro}
      </p>
      {runs.length === 0 ? (
        <p class="empty">{t.admin.noRuns}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption>{t.admin.runsCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.admin.started}</th>
                <th scope="col">{t.admin.finished}</th>
                <th scope="col">{t.admin.status}</th>
                <th scope="col">{t.admin.new}</th>
                <th scope="col">{t.admin.changed}</th>
                <th scope="col">{t.admin.unchanged}</th>
                <th scope="col">{t.admin.withdrawn}</th>
                <th scope="col">{t.admin.skipped}</th>
                <th scope="col">{t.admin.errors}</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr>
                  <th scope="row">{dateTime(run.startedAt, lang)}</th>
                  <td>{run.finishedAt ? dateTime(run.finishedAt, lang) : t.common.notStated}</td>
                  <td>
                    <RunStatusBadge ctx={ctx} status={run.status} />
                  </td>
                  <td>{run.counts.new}</td>
                  <td>{run.counts.changed}</td>
                  <td>{run.counts.unchanged}</td>
                  <td>{run.counts.withdrawn}</td>
                  <td>{run.counts.skipped}</td>
                  <td>
                    <RunErrors ctx={ctx} errors={run.errors} />
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
