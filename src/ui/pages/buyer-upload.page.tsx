import type { PlanItem } from "../../../crawlers/plan/plan-item.js";
import type { SourceRunCounts } from "../../store/schema.js";
import { CpvCode } from "../components.js";
import { expectedPeriod, money } from "../format.js";
import { Layout } from "../layout.js";
import type { PageContext } from "../page-context.js";
import { BuyerNav } from "./buyer-plan.page.js";
import { CsrfField } from "./sign-in.page.js";

/** What is wrong with a row of an uploaded plan: a cell not understood, or the row unreadable. */
export type RowProblem = { kind: "row" | "publication" | "value" | "cpv"; detail: string };

/** A row of an uploaded plan: the item it becomes (when readable) and its problems. */
export type PreviewRow = { row: string; item?: PlanItem; problems: RowProblem[] };

export function BuyerUploadPage(props: { ctx: PageContext; csrf: string; error?: string }) {
  const { ctx, csrf } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t.buyer.uploadTitle} section="account">
      <h1>{t.buyer.uploadTitle}</h1>
      <BuyerNav ctx={ctx} current="upload" />
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
      <p class="lead">{t.buyer.uploadIntro}</p>
      <form method="post" action="/buyer/plan/upload" enctype="multipart/form-data" class="form">
        <CsrfField token={csrf} />
        <div class="field">
          <label for="file">
            {t.buyer.file}
            <span class="hint" id="file-hint">
              {t.buyer.fileHint}
            </span>
          </label>
          <input
            type="file"
            id="file"
            name="file"
            required
            accept=".csv,.tsv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-describedby="file-hint"
          />
        </div>
        <button type="submit">{t.buyer.preview}</button>
      </form>
    </Layout>
  );
}

export function BuyerUploadErrorPage(props: {
  ctx: PageContext;
  csrf: string;
  reason: "format" | "no-plan" | "size" | "draft";
}) {
  return (
    <BuyerUploadPage ctx={props.ctx} csrf={props.csrf} error={props.ctx.t.buyer.uploadErrors[props.reason]} />
  );
}

function ItemCells(props: { ctx: PageContext; item: PlanItem }) {
  const { ctx, item } = props;
  const { t, lang } = ctx;
  return (
    <>
      <td>
        {item.title}
        {item.reference ? <span class="muted"> ({item.reference})</span> : null}
      </td>
      <td>
        {item.expectedPublication ? expectedPeriod(item.expectedPublication, lang) : t.common.notStated}
      </td>
      <td>{item.estimatedValue ? money(item.estimatedValue, lang) : t.common.notStated}</td>
      <td>
        {item.cpv.length === 0
          ? t.common.notStated
          : item.cpv.map((code) => (
              <>
                <CpvCode code={code} lang={lang} />{" "}
              </>
            ))}
        {item.cpvClassified ? <span class="badge no">{t.buyer.classified}</span> : null}
      </td>
      <td>
        {item.reservedHint ? (
          <>
            {item.reservedHint.kind ? t.reservations[item.reservedHint.kind] : t.reservations.unknown}
            <span class="hint"> “{item.reservedHint.text}”</span>
          </>
        ) : (
          t.reservations.none
        )}
      </td>
    </>
  );
}

export function BuyerUploadPreviewPage(props: {
  ctx: PageContext;
  csrf: string;
  fileName: string;
  rows: PreviewRow[];
  draft?: string;
}) {
  const { ctx, csrf, rows } = props;
  const { t } = ctx;
  const good = rows.filter((r) => r.item && r.problems.length === 0).length;
  const bad = rows.length - good;
  return (
    <Layout ctx={ctx} title={t.buyer.previewTitle} section="account">
      <h1>{t.buyer.previewTitle}</h1>
      <BuyerNav ctx={ctx} current="upload" />
      <p class="lead">{t.buyer.previewIntro(props.fileName, rows.length, good, bad)}</p>
      <p class="notice">{t.buyer.notSavedYet}</p>
      <div class="table-wrap">
        <table>
          <caption>{t.buyer.previewCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.buyer.row}</th>
              <th scope="col">{t.buyer.title}</th>
              <th scope="col">{t.buyer.expected}</th>
              <th scope="col">{t.buyer.value}</th>
              <th scope="col">{t.buyer.cpv}</th>
              <th scope="col">{t.buyer.reservation}</th>
              <th scope="col">{t.buyer.problems}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr class={r.problems.length > 0 ? "row-error" : undefined}>
                <th scope="row">{r.row}</th>
                {r.item ? <ItemCells ctx={ctx} item={r.item} /> : <td colspan={5}>{t.buyer.unreadable}</td>}
                <td>
                  {r.problems.length === 0 ? (
                    t.buyer.rowOk
                  ) : (
                    <ul class="error">
                      {r.problems.map((p) => (
                        <li>{t.buyer.problem[p.kind](p.detail)}</li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {bad > 0 ? <p class="hint">{t.buyer.fixAndUpload}</p> : null}
      {props.draft ? (
        <form method="post" action="/buyer/plan/upload/save" class="form">
          <CsrfField token={csrf} />
          <input type="hidden" name="draft" value={props.draft} />
          <button type="submit">{t.buyer.saveRows(good)}</button>
        </form>
      ) : (
        <p class="error">{t.buyer.nothingToSave}</p>
      )}
      <p>
        <a href="/buyer/plan/upload">{t.buyer.uploadAnother}</a>
      </p>
    </Layout>
  );
}

export function BuyerUploadSavedPage(props: { ctx: PageContext; counts: SourceRunCounts }) {
  const { ctx, counts } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t.buyer.savedTitle} section="account">
      <h1>{t.buyer.savedTitle}</h1>
      <BuyerNav ctx={ctx} current="upload" />
      <p class="notice" role="status">
        {t.buyer.savedCounts(counts.new, counts.changed, counts.unchanged)}
      </p>
      <p>
        <a class="button" href="/buyer/plan">
          {t.buyer.planTitle}
        </a>
      </p>
    </Layout>
  );
}
