import type { Consortium, InfeasibleReason } from "../../domain/matching/index.js";
import type { Tender, TenderStage } from "../../domain/tender.js";
import type { EnterpriseRef, TenderMatches } from "../../services/matching.service.js";
import type { LinkView } from "../../services/tenders.service.js";
import { CpvCode, Km, ReservationBadge, StageBadge } from "../components.js";
import { cpvText, dateTime, day, expectedPeriod, money } from "../format.js";
import { Layout } from "../layout.js";
import { type PageContext, enterpriseHref, tenderHref } from "../page-context.js";

export interface TenderPageData {
  tender: Tender;
  links: { publishedAs: LinkView[]; plannedAs: LinkView[] };
  matches: TenderMatches;
}

function EnterpriseName(props: { refs: Record<string, EnterpriseRef>; id: string }) {
  return <a href={enterpriseHref(props.id)}>{props.refs[props.id]?.name ?? props.id}</a>;
}

function lotTitle(tender: Tender, lotId: string): string {
  return tender.lots.find((l) => l.id === lotId)?.title ?? lotId;
}

/** The tender's language where it differs from the page's (for `lang` on its own texts). */
function ownLang(tender: Tender, ctx: PageContext): string | undefined {
  return tender.language === ctx.lang ? undefined : tender.language;
}

function codeText(code: string, ctx: PageContext): string {
  const text = cpvText(code, ctx.lang);
  return text ? `${code} ${text.label}` : code;
}

function Facts(props: { ctx: PageContext; tender: Tender }) {
  const { ctx, tender } = props;
  const { t, lang } = ctx;
  const period = tender.contractPeriod;
  return (
    <dl class="facts">
      <dt>{t.tender.buyer}</dt>
      <dd>{tender.department ? `${tender.buyer.name}, ${tender.department}` : tender.buyer.name}</dd>
      <dt>{t.tender.stage}</dt>
      <dd>
        <StageBadge ctx={ctx} stage={tender.stage} />
      </dd>
      <dt>{t.tender.reservation}</dt>
      <dd>
        <ReservationBadge ctx={ctx} reserved={tender.reserved} />
        <p>{t.reservationExplained[tender.reserved]}</p>
        {tender.reservedHint && (tender.reserved === "none" || tender.reserved === "unknown") ? (
          <p>
            {t.tender.hintNote} <q lang={tender.language}>{tender.reservedHint.text}</q>
          </p>
        ) : null}
      </dd>
      {tender.expectedPublication ? (
        <>
          <dt>{t.tender.expected}</dt>
          <dd>{expectedPeriod(tender.expectedPublication, lang)}</dd>
        </>
      ) : null}
      {tender.deadline ? (
        <>
          <dt>{t.tender.deadline}</dt>
          <dd>{dateTime(tender.deadline, lang)}</dd>
        </>
      ) : null}
      <dt>{t.tender.value}</dt>
      <dd>{tender.estimatedValue ? money(tender.estimatedValue, lang) : t.common.notStated}</dd>
      {period?.months ? (
        <>
          <dt>{t.tender.period}</dt>
          <dd>{t.tender.periodMonths(period.months, period.optionMonths)}</dd>
        </>
      ) : null}
      {tender.notice ? (
        <>
          <dt>{t.tender.notice}</dt>
          <dd>
            <span class="code">{tender.notice.id}</span>
            {tender.notice.publishedAt ? `, ${day(tender.notice.publishedAt, lang)}` : ""}
          </dd>
        </>
      ) : null}
      {tender.sourceUrl ? (
        <>
          <dt>{t.tender.source}</dt>
          <dd>
            <a href={tender.sourceUrl} rel="noopener noreferrer external">
              {t.tender.sourceLink}
            </a>
          </dd>
        </>
      ) : null}
    </dl>
  );
}

function Lots(props: { ctx: PageContext; tender: Tender }) {
  const { ctx, tender } = props;
  const { t, lang } = ctx;
  return (
    <section aria-labelledby="lots-heading">
      <h2 id="lots-heading">
        {t.tender.lots} ({tender.lots.length})
      </h2>
      {tender.cpvClassified ? (
        <p class="note">{t.tender.classified(Math.round(tender.cpvClassified.confidence * 100))}</p>
      ) : null}
      {tender.lots.map((lot) => (
        <div class="card">
          <h3 lang={ownLang(tender, ctx)}>{lot.title}</h3>
          <ul class="meta muted">
            <li class="code">{lot.id}</li>
            {lot.estimatedValue ? (
              <li>
                {t.tender.value}: {money(lot.estimatedValue, lang)}
              </li>
            ) : null}
            {lot.deadline ? (
              <li>
                {t.tender.deadline}: {dateTime(lot.deadline, lang)}
              </li>
            ) : null}
            {lot.reserved && lot.reserved !== tender.reserved ? (
              <li>
                <ReservationBadge ctx={ctx} reserved={lot.reserved} />
              </li>
            ) : null}
          </ul>
          {lot.cpv.length > 0 ? (
            <>
              <p class="vh">{t.tender.lotCodes}</p>
              <ul class="codes">
                {lot.cpv.map((code) => (
                  <li>
                    <CpvCode code={code} lang={lang} />
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p class="muted">{t.tender.noCodes}</p>
          )}
        </div>
      ))}
    </section>
  );
}

function LinkItem(props: { ctx: PageContext; label: string; link: LinkView }) {
  const { ctx, link } = props;
  return (
    <li>
      <strong>{props.label}:</strong> <a href={tenderHref(link.tenderId)}>{link.title ?? link.tenderId}</a>
      {link.stage ? ` (${ctx.t.stages[link.stage as TenderStage] ?? link.stage})` : ""}
      <span class="muted">, {ctx.t.tender.linked(day(link.linkedAt, ctx.lang))}</span>
    </li>
  );
}

function Timeline(props: { ctx: PageContext; data: TenderPageData }) {
  const { ctx, data } = props;
  const { tender, links } = data;
  const { t, lang } = ctx;
  return (
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">{t.tender.timeline}</h2>
      <ol class="timeline">
        <li>
          <strong>{t.tender.firstSeen}:</strong> {day(tender.firstSeen, lang)}
        </li>
        {links.plannedAs.map((link) => (
          <LinkItem ctx={ctx} label={t.tender.plannedAs} link={link} />
        ))}
        {tender.stage === "planned" && tender.expectedPublication ? (
          <li>{t.tender.expectedAt(expectedPeriod(tender.expectedPublication, lang))}</li>
        ) : null}
        {tender.notice?.publishedAt ? (
          <li>
            <strong>{t.tender.notice}:</strong> {day(tender.notice.publishedAt, lang)}
          </li>
        ) : null}
        {links.publishedAs.map((link) => (
          <LinkItem ctx={ctx} label={t.tender.publishedAs} link={link} />
        ))}
        {tender.deadline ? (
          <li>
            <strong>{t.tender.deadline}:</strong> {dateTime(tender.deadline, lang)}
          </li>
        ) : null}
      </ol>
      {tender.stage === "planned" && links.publishedAs.length === 0 ? (
        <p class="muted">{t.tender.noLinks}</p>
      ) : null}
    </section>
  );
}

/** The lots × members table of a consortium: which member covers which code of which lot. */
function CoverageMatrix(props: {
  ctx: PageContext;
  tender: Tender;
  consortium: Consortium;
  refs: Record<string, EnterpriseRef>;
  index: number;
}) {
  const { ctx, tender, consortium, refs } = props;
  const { t, lang } = ctx;
  const names = consortium.members.map((id) => refs[id]?.name ?? id);
  return (
    <div class="table-wrap" role="region" aria-labelledby={`coverage-${props.index}`} tabindex={0}>
      <table>
        <caption id={`coverage-${props.index}`}>{t.match.coverageCaption(names.join(", "))}</caption>
        <thead>
          <tr>
            <th scope="col">{t.match.lot}</th>
            {consortium.members.map((id) => (
              <th scope="col">{refs[id]?.name ?? id}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {consortium.lots.map((lotId) => (
            <tr>
              <th scope="row" lang={ownLang(tender, ctx)}>
                {lotTitle(tender, lotId)}
              </th>
              {consortium.members.map((memberId) => {
                const lines = consortium.explanation.coverage.filter(
                  (c) => c.lotId === lotId && c.memberId === memberId,
                );
                return lines.length > 0 ? (
                  <td class="covers">
                    {lines.map((line) => (
                      <div>
                        <CpvCode code={line.code} lang={lang} />
                      </div>
                    ))}
                  </td>
                ) : (
                  <td>
                    <span aria-hidden="true">—</span>
                    <span class="vh">{t.match.notCovered}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ConsortiumCard(props: {
  ctx: PageContext;
  tender: Tender;
  consortium: Consortium;
  refs: Record<string, EnterpriseRef>;
  index: number;
}) {
  const { ctx, tender, consortium, refs, index } = props;
  const { t, lang } = ctx;
  const turnover = consortium.explanation.turnover;
  const currency = turnover.currency ?? "EUR";
  return (
    <div class="card">
      <h3>{t.match.consortiumTitle(index, consortium.members.length)}</h3>
      <p class="muted">{t.match.score(Math.round(consortium.score * 100))}</p>
      <h4>{t.match.members}</h4>
      <ul>
        {consortium.explanation.members.map((m) => (
          <li>
            <EnterpriseName refs={refs} id={m.id} />
            {": "}
            {tender.reserved === "none" ? null : (
              <>{m.eligible ? t.match.eligible : <strong>{t.match.notEligible}</strong>}, </>
            )}
            {t.match.distance.toLowerCase()} <Km ctx={ctx} km={m.distanceKm} />
          </li>
        ))}
      </ul>
      {turnover.required !== undefined ? (
        <p>
          {t.match.turnover}:{" "}
          {t.match.turnoverOf(
            money({ amount: turnover.sum, currency }, lang),
            money({ amount: turnover.required, currency }, lang),
          )}
        </p>
      ) : null}
      <h4>{t.match.coverage}</h4>
      <CoverageMatrix ctx={ctx} tender={tender} consortium={consortium} refs={refs} index={index} />
      <p class={consortium.competitionFlag ? "flag" : "muted"}>
        {consortium.competitionFlag ? t.match.competitionFlag : t.match.noCompetitionFlag}
      </p>
      {ctx.user && ctx.csrf && (ctx.user.role === "coordinator" || ctx.user.role === "enterprise") ? (
        <form method="post" action="/consortia">
          <input type="hidden" name="_csrf" value={ctx.csrf} />
          <input type="hidden" name="tenderId" value={tender.id} />
          <input type="hidden" name="fromSuggestion" value={String(index - 1)} />
          <button type="submit">{t.workspace.start}</button>
        </form>
      ) : null}
    </div>
  );
}

function reasonText(reason: InfeasibleReason, ctx: PageContext, tender: Tender): string {
  const r = ctx.t.match.reasons;
  const currency = tender.requirements.currency ?? "EUR";
  switch (reason.kind) {
    case "unknown-lot":
      return r["unknown-lot"](reason.lotId);
    case "too-many-lots":
      return r["too-many-lots"](reason.requested, reason.maxLotsPerBidder);
    case "uncovered":
      return r.uncovered(lotTitle(tender, reason.lotId), codeText(reason.code, ctx));
    case "turnover-short":
      return r["turnover-short"](
        money({ amount: reason.required, currency }, ctx.lang),
        money({ amount: reason.best, currency }, ctx.lang),
      );
    case "no-consortium":
      return r["no-consortium"](reason.maxSize);
  }
}

function Subcontracting(props: { ctx: PageContext; tender: Tender; matches: TenderMatches }) {
  const { ctx, tender, matches } = props;
  const { t } = ctx;
  const sub = matches.subcontracting;
  if (!sub.applicable) return null;
  const intro = t.match.subcontractingIntro[sub.reason as keyof typeof t.match.subcontractingIntro];
  const winners = sub.partners.flatMap((p) => (p.kind === "winner" ? [p.name] : []));
  return (
    <section aria-labelledby="subcontracting-heading">
      <h3 id="subcontracting-heading">{t.match.subcontracting}</h3>
      {intro ? <p>{intro}</p> : null}
      {winners.length > 0 ? <p>{t.match.winner(winners.join(", "))}</p> : null}
      {sub.leads.length === 0 ? (
        <p class="muted">{t.match.noLeads}</p>
      ) : (
        <ul>
          {sub.leads.map((lead) => (
            <li>
              {lead.members.map((id, i) => (
                <>
                  {i > 0 ? " + " : ""}
                  <EnterpriseName refs={matches.enterprises} id={id} />
                </>
              ))}
              {": "}
              {lead.lots.map((l) => lotTitle(tender, l)).join("; ")}
              <span class="muted"> ({t.match.share(Math.round(lead.share * 100))})</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function WhoCanBid(props: { ctx: PageContext; data: TenderPageData }) {
  const { ctx, data } = props;
  const { tender, matches } = data;
  const { t } = ctx;
  const refs = matches.enterprises;
  const multiLot = tender.lots.length > 1;
  return (
    <section aria-labelledby="match-heading">
      <h2 id="match-heading">{t.match.title}</h2>
      <p>{t.match.intro}</p>
      <p class="muted">
        {t.match.candidates(matches.candidates.total)}
        {matches.candidates.truncated ? ` ${t.match.truncated}` : ""}
      </p>
      {matches.reservationUnknown ? <p class="note">{t.match.reservationUnknown}</p> : null}
      {matches.lotsCapped && tender.requirements.maxLotsPerBidder ? (
        <p class="note">{t.match.lotsCapped(tender.requirements.maxLotsPerBidder)}</p>
      ) : null}

      <h3>{t.match.alone}</h3>
      {matches.singles.length > 0 ? (
        <ul>
          {matches.singles.map((s) => {
            const line = s.explanation.members[0];
            return (
              <li>
                <EnterpriseName refs={refs} id={s.id} />
                {": "}
                {tender.reserved === "none" || !line ? null : (
                  <>{line.eligible ? t.match.eligible : t.match.notEligible}, </>
                )}
                {t.match.distance.toLowerCase()} <Km ctx={ctx} km={line?.distanceKm} />
              </li>
            );
          })}
        </ul>
      ) : (
        <p>{t.match.noneAlone}</p>
      )}

      {multiLot && matches.lotSingles.some((l) => l.members.length > 0) ? (
        <>
          <h3>{t.match.perLot}</h3>
          <dl class="facts">
            {matches.lotSingles.map((l) => (
              <>
                <dt lang={ownLang(tender, ctx)}>{lotTitle(tender, l.lotId)}</dt>
                <dd>
                  {l.members.length === 0
                    ? "—"
                    : l.members.map((id, i) => (
                        <>
                          {i > 0 ? ", " : ""}
                          <EnterpriseName refs={refs} id={id} />
                        </>
                      ))}
                </dd>
              </>
            ))}
          </dl>
        </>
      ) : null}

      {matches.consortia.length > 0 ? (
        <>
          <h3>{t.match.consortia}</h3>
          {matches.consortia.map((c, i) => (
            <ConsortiumCard ctx={ctx} tender={tender} consortium={c} refs={refs} index={i + 1} />
          ))}
        </>
      ) : null}

      {ctx.user && ctx.csrf && (ctx.user.role === "coordinator" || ctx.user.role === "enterprise") ? (
        <form method="post" action="/consortia" class="by-hand">
          <h3>{t.workspace.byHandTitle}</h3>
          <input type="hidden" name="_csrf" value={ctx.csrf} />
          <input type="hidden" name="tenderId" value={tender.id} />
          <label for="by-hand-ids">{t.workspace.byHandLabel}</label>
          <p class="hint" id="by-hand-hint">
            {t.workspace.byHandHint}
          </p>
          <input id="by-hand-ids" name="enterpriseIds" aria-describedby="by-hand-hint" required />
          <button type="submit">{t.workspace.byHandStart}</button>
        </form>
      ) : null}

      {matches.infeasible ? (
        <div class="empty">
          <p>
            <strong>{t.match.nothing}</strong>
          </p>
          <h3>{t.match.why}</h3>
          <ul>
            {matches.infeasible.reasons.map((r) => (
              <li>{reasonText(r, ctx, tender)}</li>
            ))}
          </ul>
          {matches.infeasible.closest.length > 0 ? (
            <>
              <h3>{t.match.closest}</h3>
              <ul>
                {matches.infeasible.closest.map((c) => (
                  <li>
                    <EnterpriseName refs={refs} id={c.id} />
                    {": "}
                    {t.match.closestLine(c.covered, c.total)},{" "}
                    {c.serves ? t.match.servesPlace : t.match.outOfReach}
                    {tender.reserved === "none"
                      ? ""
                      : `, ${c.eligible ? t.match.eligible : t.match.notEligible}`}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}

      <Subcontracting ctx={ctx} tender={tender} matches={matches} />
    </section>
  );
}

export function TenderPage(props: { ctx: PageContext; data: TenderPageData }) {
  const { ctx, data } = props;
  const { tender } = data;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={tender.title} section="tenders">
      <p>
        <a href="/tenders">{t.nav.tenders}</a>
      </p>
      <h1 lang={ownLang(tender, ctx)}>{tender.title}</h1>
      <section aria-labelledby="facts-heading">
        <h2 id="facts-heading" class="vh">
          {t.tender.facts}
        </h2>
        <Facts ctx={ctx} tender={tender} />
      </section>
      {tender.description ? (
        <section aria-labelledby="description-heading">
          <h2 id="description-heading">{t.tender.description}</h2>
          <p lang={ownLang(tender, ctx)}>{tender.description}</p>
        </section>
      ) : null}
      <Lots ctx={ctx} tender={tender} />
      <Timeline ctx={ctx} data={data} />
      <WhoCanBid ctx={ctx} data={data} />
    </Layout>
  );
}
