import type { ConsortiumSummary } from "../../services/consortia.service.js";
import { CpvCode } from "../components.js";
import { dateTime } from "../format.js";
import { Layout } from "../layout.js";
import { type PageContext, tenderHref } from "../page-context.js";
import { StatusBadge, consortiumHref } from "./consortium.page.js";

/**
 * Printing: only the summary itself, black on white, links as text, rows kept whole. In the page
 * rather than the shared stylesheet, as only this page is meant for paper.
 */
const PRINT_CSS = `@media print {
  header.site, footer.site, .skip, .no-print { display: none !important; }
  body { font-size: 11pt; color: #000; background: #fff; }
  main { padding: 0; max-width: none; }
  a { color: #000; text-decoration: none; }
  .badge { border: 1px solid #000; background: none; color: #000; }
  td.covers { background: none; color: #000; }
  .table-wrap { overflow: visible; }
  tr, .card { break-inside: avoid; }
  h2 { break-after: avoid; }
}`;

export function ConsortiumSummaryPage(props: { ctx: PageContext; summary: ConsortiumSummary }) {
  const { ctx, summary: s } = props;
  const { t, lang } = ctx;
  const w = t.workspace;
  return (
    <Layout ctx={ctx} title={w.summaryTitle(s.name)}>
      <style dangerouslySetInnerHTML={{ __html: PRINT_CSS }} />
      <p class="no-print">
        <a href={consortiumHref(s.id)}>{w.back}</a>
      </p>
      <h1>{w.summaryTitle(s.name)}</h1>
      <p class="muted no-print">{w.printHint}</p>
      <dl class="facts">
        <dt>{w.tender}</dt>
        <dd>
          <a href={tenderHref(s.tender.id)}>{s.tender.title}</a>
        </dd>
        {s.tender.buyer ? (
          <>
            <dt>{w.buyer}</dt>
            <dd>{s.tender.buyer}</dd>
          </>
        ) : null}
        {s.tender.deadline ? (
          <>
            <dt>{w.deadline}</dt>
            <dd>{dateTime(s.tender.deadline, lang)}</dd>
          </>
        ) : null}
        <dt>{w.status}</dt>
        <dd>
          <StatusBadge ctx={ctx} status={s.status} />
        </dd>
        <dt>{w.lead}</dt>
        <dd id="summary-lead">{s.lead ? s.lead.name : w.noLead}</dd>
      </dl>

      <section>
        <h2 id="delivers-heading">{w.whoDelivers}</h2>
        <div class="table-wrap" role="region" aria-labelledby="delivers-caption" tabindex={0}>
          <table>
            <caption id="delivers-caption" class="vh">
              {w.whoDelivers}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t.match.lot}</th>
                <th scope="col">{w.deliveredBy}</th>
                <th scope="col">{w.covers}</th>
              </tr>
            </thead>
            <tbody>
              {s.lots.map((lot) => (
                <tr>
                  <th scope="row">
                    {lot.title} <span class="code muted">{lot.lotId}</span>
                  </th>
                  <td>
                    {lot.deliveredBy.length > 0 ? lot.deliveredBy.map((d) => d.name).join(", ") : w.nobody}
                  </td>
                  <td>
                    {lot.deliveredBy.map((d) => (
                      <div>
                        {lot.deliveredBy.length > 1 ? `${d.name}: ` : ""}
                        {d.covers.length > 0
                          ? d.covers.map((code) => (
                              <div>
                                <CpvCode code={code} lang={lang} />
                              </div>
                            ))
                          : w.noCode}
                      </div>
                    ))}
                    {lot.uncovered.length > 0 ? (
                      <p class="error">{w.uncovered(lot.uncovered.join(", "))}</p>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section>
        <h2 id="summary-members-heading">{w.members}</h2>
        <div class="table-wrap" role="region" aria-labelledby="summary-members-caption" tabindex={0}>
          <table>
            <caption id="summary-members-caption" class="vh">
              {w.members}
            </caption>
            <thead>
              <tr>
                <th scope="col">{w.enterprise}</th>
                <th scope="col">{w.role}</th>
                <th scope="col">{w.invitation}</th>
                <th scope="col">{w.lots}</th>
                {s.contactsShown ? <th scope="col">{w.contact}</th> : null}
              </tr>
            </thead>
            <tbody>
              {s.members.map((m) => (
                <tr>
                  <th scope="row">{m.name}</th>
                  <td>{w.roles[m.role as keyof typeof w.roles] ?? m.role}</td>
                  <td>{w.invitations[m.invitation as keyof typeof w.invitations] ?? m.invitation}</td>
                  <td>{m.lots.length > 0 ? m.lots.join(", ") : "—"}</td>
                  {s.contactsShown ? (
                    <td>
                      {[m.contact?.name, m.contact?.email, m.contact?.phone, m.contact?.website]
                        .filter((p): p is string => p !== undefined)
                        .join(", ") || "—"}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {s.contactsShown ? null : <p class="muted">{w.contactsHidden}</p>}
      </section>
      <p class="muted">{w.printed(dateTime(s.printedAt, lang))}</p>
    </Layout>
  );
}
