import { Layout, type Section } from "../layout.js";
import type { PageContext } from "../page-context.js";

export function NotFoundPage(props: { ctx: PageContext; detail?: string; section?: Section }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t.notFound.title} {...(props.section ? { section: props.section } : {})}>
      <h1>{t.notFound.title}</h1>
      {props.detail ? <p>{props.detail}</p> : null}
      <p>{t.notFound.body}</p>
      <p>
        <a class="button" href="/tenders">
          {t.notFound.back}
        </a>
      </p>
    </Layout>
  );
}
