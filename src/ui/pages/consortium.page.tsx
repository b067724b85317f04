import {
  FINAL_STATUSES,
  MEMBER_ROLES,
  TRANSITIONS,
  type WorkspaceMember,
  type WorkspaceStatus,
  leadOf,
} from "../../domain/consortium-workspace.js";
import type { Tender } from "../../domain/tender.js";
import type { WorkspaceDetail, WorkspaceView } from "../../services/consortia.service.js";
import { dateTime } from "../format.js";
import { Layout } from "../layout.js";
import { type PageContext, enterpriseHref, tenderHref } from "../page-context.js";
import { CsrfField } from "./sign-in.page.js";

/** Where a workspace's pages are. */
export const consortiumHref = (id: string) => `/consortia/${encodeURIComponent(id)}`;

/** Steps that may be asked for, with a button each (draft and invited follow the invitations). */
export type MoveTarget = "formed" | "submitted" | "won" | "lost" | "dissolved";
const isMoveTarget = (s: WorkspaceStatus): s is MoveTarget => s !== "draft" && s !== "invited";

/** Why a step was refused: the rules that failed (named by the domain) or the fields at fault. */
export interface Refusal {
  /** The kind of refusal, as words of the page. */
  title: string;
  rules: { rule?: string; detail: string }[];
}

export function StatusBadge(props: { ctx: PageContext; status: WorkspaceStatus }) {
  const ok = props.status === "formed" || props.status === "submitted" || props.status === "won";
  return (
    <span class={`badge ${ok ? "open" : FINAL_STATUSES.includes(props.status) ? "no" : "planned"}`}>
      {props.ctx.t.workspace.statuses[props.status]}
    </span>
  );
}

/** Text the domain wrote (in English), marked as such on pages in other languages. */
function DomainText(props: { ctx: PageContext; text: string }) {
  return <span lang={props.ctx.lang === "en" ? undefined : "en"}>{props.text}</span>;
}

export function ConsortiumListPage(props: {
  ctx: PageContext;
  items: WorkspaceView[];
  tenders: Map<string, string>;
}) {
  const { ctx, items } = props;
  const w = ctx.t.workspace;
  return (
    <Layout ctx={ctx} title={w.listTitle}>
      <h1>{w.listTitle}</h1>
      <p class="lead">{w.listIntro}</p>
      {items.length === 0 ? (
        <p class="empty">{w.none}</p>
      ) : (
        <div class="table-wrap" role="region" aria-labelledby="consortia-caption" tabindex={0}>
          <table>
            <caption id="consortia-caption">{w.listTitle}</caption>
            <thead>
              <tr>
                <th scope="col">{w.name}</th>
                <th scope="col">{w.tender}</th>
                <th scope="col">{w.status}</th>
                <th scope="col">{w.members}</th>
                <th scope="col">{w.updated}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((ws) => (
                <tr>
                  <th scope="row">
                    <a href={consortiumHref(ws.id)}>{ws.name}</a>
                  </th>
                  <td>
                    <a href={tenderHref(ws.tenderId)}>{props.tenders.get(ws.tenderId) ?? ws.tenderId}</a>
                  </td>
                  <td>
                    <StatusBadge ctx={ctx} status={ws.status} />
                  </td>
                  <td>
                    {ws.members.map((m) => ws.enterprises[m.enterpriseId]?.name ?? m.enterpriseId).join(", ")}
                  </td>
                  <td>{dateTime(ws.updatedAt, ctx.lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

export interface ConsortiumPageData {
  ws: WorkspaceDetail;
  tender?: Tender;
  /** Whether the viewer coordinates it (its creator or an admin). */
  coordinates: boolean;
  /** The viewer's enterprise, when an enterprise account. */
  enterpriseId?: string;
  /** Who took each step, by account id. */
  actors: Record<string, string>;
  /** Directory hits for the invitation form (`?find=`). */
  found?: { query: string; items: { id: string; name: string }[] };
  refusal?: Refusal;
  csrf: string;
}

function lotTitle(tender: Tender | undefined, lotId: string): string {
  return tender?.lots.find((l) => l.id === lotId)?.title ?? lotId;
}

function RefusalBox(props: { ctx: PageContext; refusal: Refusal }) {
  const { ctx, refusal } = props;
  const rules = ctx.t.workspace.rules;
  return (
    <div class="flag" role="alert" aria-labelledby="refused-heading">
      <h2 id="refused-heading">{refusal.title}</h2>
      <ul>
        {refusal.rules.map((r) => (
          <li>
            {r.rule && rules[r.rule] ? (
              <>
                <strong>{rules[r.rule]}</strong> <DomainText ctx={ctx} text={`(${r.detail})`} />
              </>
            ) : (
              <DomainText ctx={ctx} text={r.detail} />
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Members, lots and the lead change in these statuses (the domain's `assertMembersOpen`). */
const editable = (status: WorkspaceStatus) =>
  status === "draft" || status === "invited" || status === "formed";

/** The coordinator's forms of one member: its role, and its removal. */
function MemberChanges(props: {
  ctx: PageContext;
  data: ConsortiumPageData;
  member: WorkspaceMember;
  name: string;
}) {
  const { ctx, data, member, name } = props;
  const w = ctx.t.workspace;
  const base = consortiumHref(data.ws.id);
  const selectId = `role-${member.enterpriseId}`;
  return (
    <div class="actions">
      <form method="post" action={`${base}/role`} class="inline">
        <CsrfField token={data.csrf} />
        <input type="hidden" name="member" value={member.enterpriseId} />
        <label for={selectId} class="vh">
          {w.roleOf(name)}
        </label>
        <select id={selectId} name="role">
          {MEMBER_ROLES.map((role) => (
            <option value={role} selected={member.role === role}>
              {w.roles[role]}
            </option>
          ))}
        </select>{" "}
        <button type="submit" class="secondary">
          {w.saveRole}
          <span class="vh">: {name}</span>
        </button>
      </form>
      <form method="post" action={`${base}/remove`} class="inline">
        <CsrfField token={data.csrf} />
        <input type="hidden" name="member" value={member.enterpriseId} />
        <button type="submit" class="secondary">
          {w.remove}
          <span class="vh">: {name}</span>
        </button>
      </form>
    </div>
  );
}

function Members(props: { ctx: PageContext; data: ConsortiumPageData }) {
  const { ctx, data } = props;
  const { ws } = data;
  const w = ctx.t.workspace;
  const canChange = data.coordinates && editable(ws.status);
  const nameOf = (id: string) => ws.enterprises[id]?.name ?? id;
  return (
    <section>
      <h2 id="members-heading">{w.members}</h2>
      <div class="table-wrap" role="region" aria-labelledby="members-caption" tabindex={0}>
        <table>
          <caption id="members-caption" class="vh">
            {w.members}
          </caption>
          <thead>
            <tr>
              <th scope="col">{w.enterprise}</th>
              <th scope="col">{w.role}</th>
              <th scope="col">{w.invitation}</th>
              <th scope="col">{w.lots}</th>
              {canChange ? <th scope="col">{w.memberChanges}</th> : null}
            </tr>
          </thead>
          <tbody>
            {ws.members.map((m) => (
              <tr data-member={m.enterpriseId}>
                <th scope="row">
                  <a href={enterpriseHref(m.enterpriseId)}>{nameOf(m.enterpriseId)}</a>
                </th>
                <td class="role">{w.roles[m.role]}</td>
                <td class="invitation">{w.invitations[m.invitation]}</td>
                <td>{m.lots.length > 0 ? m.lots.map((l) => lotTitle(data.tender, l)).join("; ") : "—"}</td>
                {canChange ? (
                  <td>
                    <MemberChanges ctx={ctx} data={data} member={m} name={nameOf(m.enterpriseId)} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Assignment(props: { ctx: PageContext; data: ConsortiumPageData }) {
  const { ctx, data } = props;
  const { ws } = data;
  const w = ctx.t.workspace;
  const canEdit = data.coordinates && editable(ws.status) && ws.members.length > 0;
  const nameOf = (id: string) => ws.enterprises[id]?.name ?? id;
  const table = (
    <div class="table-wrap" role="region" aria-labelledby="assignment-caption" tabindex={0}>
      <table>
        <caption id="assignment-caption">{w.assignmentCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{ctx.t.match.lot}</th>
            {ws.members.map((m) => (
              <th scope="col">{nameOf(m.enterpriseId)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ws.lots.map((lotId, i) => (
            <tr>
              <th scope="row">{lotTitle(data.tender, lotId)}</th>
              {ws.members.map((m, j) => {
                const delivers = m.lots.includes(lotId);
                const label = w.delivers(nameOf(m.enterpriseId), lotTitle(data.tender, lotId));
                if (canEdit) {
                  const id = `lot-${i}-${j}`;
                  return (
                    <td class={delivers ? "covers" : undefined}>
                      <input
                        type="checkbox"
                        id={id}
                        name={`lots:${m.enterpriseId}`}
                        value={lotId}
                        checked={delivers}
                      />
                      <label for={id} class="vh">
                        {label}
                      </label>
                    </td>
                  );
                }
                return delivers ? (
                  <td class="covers">
                    <span aria-hidden="true">✓</span>
                    <span class="vh">{label}</span>
                  </td>
                ) : (
                  <td>
                    <span aria-hidden="true">—</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <section aria-labelledby="assignment-heading">
      <h2 id="assignment-heading">{w.assignment}</h2>
      {canEdit ? (
        <form method="post" action={`${consortiumHref(ws.id)}/lots`}>
          <CsrfField token={data.csrf} />
          {ws.members.map((m) => (
            <input type="hidden" name="member" value={m.enterpriseId} />
          ))}
          {table}
          <button type="submit">{w.saveLots}</button>
        </form>
      ) : (
        table
      )}
    </section>
  );
}

function Lead(props: { ctx: PageContext; data: ConsortiumPageData }) {
  const { ctx, data } = props;
  const { ws } = data;
  const w = ctx.t.workspace;
  const lead = leadOf(ws);
  return (
    <section aria-labelledby="lead-heading">
      <h2 id="lead-heading">{w.lead}</h2>
      <p id="lead-now">{lead ? (ws.enterprises[lead.enterpriseId]?.name ?? lead.enterpriseId) : w.noLead}</p>
      {data.coordinates && editable(ws.status) && ws.members.length > 0 ? (
        <form method="post" action={`${consortiumHref(ws.id)}/lead`} class="form">
          <CsrfField token={data.csrf} />
          <div class="field">
            <label for="lead">{w.lead}</label>
            <select id="lead" name="lead">
              {ws.members.map((m) => (
                <option value={m.enterpriseId} selected={m.role === "lead"}>
                  {ws.enterprises[m.enterpriseId]?.name ?? m.enterpriseId}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">{w.setLead}</button>
        </form>
      ) : null}
    </section>
  );
}

function Invite(props: { ctx: PageContext; data: ConsortiumPageData }) {
  const { ctx, data } = props;
  const { ws } = data;
  const w = ctx.t.workspace;
  if (!data.coordinates || !editable(ws.status)) return null;
  const toAsk = ws.members.filter((m) => m.invitation === "not-invited" || m.invitation === "declined");
  const memberIds = new Set(ws.members.map((m) => m.enterpriseId));
  const found = (data.found?.items ?? []).filter((e) => !memberIds.has(e.id));
  return (
    <section aria-labelledby="invite-heading" id="invite">
      <h2 id="invite-heading">{w.invite}</h2>
      <p>{w.inviteIntro}</p>
      <form method="get" action={consortiumHref(ws.id)} class="search" role="search">
        <div class="field">
          <label for="find">{w.find}</label>
          <input type="search" id="find" name="find" value={data.found?.query ?? ""} />
        </div>
        <button type="submit" class="secondary">
          {w.findButton}
        </button>
      </form>
      <form method="post" action={`${consortiumHref(ws.id)}/invite`} class="form">
        <CsrfField token={data.csrf} />
        {toAsk.length > 0 ? (
          <fieldset>
            <legend>{w.pickMembers}</legend>
            {toAsk.map((m) => (
              <label class="check" for={`pick-${m.enterpriseId}`}>
                <input
                  type="checkbox"
                  id={`pick-${m.enterpriseId}`}
                  name="pick"
                  value={m.enterpriseId}
                  checked
                />
                <span>
                  {ws.enterprises[m.enterpriseId]?.name ?? m.enterpriseId}{" "}
                  <span class="muted">({w.invitations[m.invitation]})</span>
                </span>
              </label>
            ))}
          </fieldset>
        ) : null}
        {data.found ? (
          <fieldset>
            <legend>{w.pickFound}</legend>
            {found.length === 0 ? <p class="muted">{w.noneFound}</p> : null}
            {found.map((e) => (
              <label class="check" for={`found-${e.id}`}>
                <input type="checkbox" id={`found-${e.id}`} name="pick" value={e.id} />
                <span>
                  {e.name} <span class="code muted">{e.id}</span>
                </span>
              </label>
            ))}
          </fieldset>
        ) : null}
        <div class="field">
          <label for="ids">
            {w.inviteIds}
            <span class="hint" id="ids-hint">
              {w.inviteIdsHint}
            </span>
          </label>
          <input type="text" id="ids" name="ids" aria-describedby="ids-hint" />
        </div>
        <button type="submit">{w.sendInvitations}</button>
      </form>
    </section>
  );
}

function Respond(props: { ctx: PageContext; data: ConsortiumPageData }) {
  const { ctx, data } = props;
  const { ws } = data;
  const w = ctx.t.workspace;
  const member = data.enterpriseId ? ws.members.find((m) => m.enterpriseId === data.enterpriseId) : undefined;
  if (!member) return null;
  const name = ws.enterprises[member.enterpriseId]?.name ?? member.enterpriseId;
  return (
    <section aria-labelledby="respond-heading" class="notice">
      <h2 id="respond-heading">{w.yourInvitation}</h2>
      {member.invitation === "pending" ? (
        <>
          <p>{w.invitedText(name)}</p>
          <form method="post" action={`${consortiumHref(ws.id)}/respond`} class="actions">
            <CsrfField token={data.csrf} />
            <button type="submit" name="answer" value="accept">
              {w.accept}
            </button>
            <button type="submit" name="answer" value="decline" class="secondary">
              {w.decline}
            </button>
          </form>
        </>
      ) : (
        <p>{w.answered(w.invitations[member.invitation])}</p>
      )}
    </section>
  );
}

function Status(props: { ctx: PageContext; data: ConsortiumPageData }) {
  const { ctx, data } = props;
  const { ws } = data;
  const w = ctx.t.workspace;
  const next = TRANSITIONS[ws.status].filter(isMoveTarget);
  return (
    <section aria-labelledby="status-heading">
      <h2 id="status-heading">{w.status}</h2>
      <p>
        <StatusBadge ctx={ctx} status={ws.status} />
      </p>
      {data.coordinates ? (
        next.length === 0 ? (
          <p class="muted">{w.noNextSteps}</p>
        ) : (
          <>
            <h3 id="next-heading">{w.nextSteps}</h3>
            <form
              method="post"
              action={`${consortiumHref(ws.id)}/status`}
              class="actions"
              aria-labelledby="next-heading"
            >
              <CsrfField token={data.csrf} />
              {next.map((to) => (
                <button
                  type="submit"
                  name="status"
                  value={to}
                  class={to === "dissolved" ? "secondary" : undefined}
                >
                  {w.moves[to]}
                </button>
              ))}
            </form>
            {ws.status === "draft" || ws.status === "invited" ? <p class="muted">{w.movesNote}</p> : null}
          </>
        )
      ) : null}
    </section>
  );
}

function History(props: { ctx: PageContext; data: ConsortiumPageData }) {
  const { ctx, data } = props;
  const w = ctx.t.workspace;
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">{w.history}</h2>
      <div class="table-wrap" role="region" aria-labelledby="history-caption" tabindex={0}>
        <table>
          <caption id="history-caption">{w.historyCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{w.when}</th>
              <th scope="col">{w.who}</th>
              <th scope="col">{w.what}</th>
              <th scope="col">{w.status}</th>
            </tr>
          </thead>
          <tbody>
            {data.ws.history.map((h) => (
              <tr>
                <td>{dateTime(h.at, ctx.lang)}</td>
                <td>{data.actors[h.actorId] ?? h.actorId}</td>
                <td>
                  <strong>{w.actions[h.action]}</strong>: <DomainText ctx={ctx} text={h.message} />
                </td>
                <td>{w.statuses[h.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function ConsortiumPage(props: { ctx: PageContext; data: ConsortiumPageData }) {
  const { ctx, data } = props;
  const { ws, tender } = data;
  const w = ctx.t.workspace;
  return (
    <Layout ctx={ctx} title={ws.name}>
      <p>
        <a href="/consortia">{w.listTitle}</a>
      </p>
      <h1>{ws.name}</h1>
      {data.refusal ? <RefusalBox ctx={ctx} refusal={data.refusal} /> : null}
      <dl class="facts">
        <dt>{w.tender}</dt>
        <dd>
          <a href={tenderHref(ws.tenderId)}>{tender?.title ?? ws.tenderId}</a>
        </dd>
        {tender ? (
          <>
            <dt>{w.buyer}</dt>
            <dd>{tender.buyer.name}</dd>
          </>
        ) : null}
        {tender?.deadline ? (
          <>
            <dt>{w.deadline}</dt>
            <dd>{dateTime(tender.deadline, ctx.lang)}</dd>
          </>
        ) : null}
        <dt>{w.status}</dt>
        <dd id="status-now">
          <StatusBadge ctx={ctx} status={ws.status} />
        </dd>
      </dl>
      <p>
        <a href={`${consortiumHref(ws.id)}/summary`}>{w.summary}</a>
      </p>
      <Respond ctx={ctx} data={data} />
      <Members ctx={ctx} data={data} />
      <Assignment ctx={ctx} data={data} />
      <Lead ctx={ctx} data={data} />
      <Invite ctx={ctx} data={data} />
      <Status ctx={ctx} data={data} />
      <History ctx={ctx} data={data} />
    </Layout>
  );
}

/** A consortium that could not be created (the tender is closed, the account may not, …). */
export function ConsortiumRefusedPage(props: { ctx: PageContext; refusal: Refusal }) {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title={ctx.t.workspace.refused}>
      <h1>{ctx.t.workspace.refused}</h1>
      <RefusalBox ctx={ctx} refusal={props.refusal} />
      <p>
        <a href="/consortia">{ctx.t.workspace.listTitle}</a>
      </p>
    </Layout>
  );
}
