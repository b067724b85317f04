import type { Account, Actor } from "../domain/account.js";
import {
  type HistoryEntry,
  type Step,
  type Workspace,
  type WorkspaceChange,
  type WorkspaceStatus,
  changeWorkspace,
  createWorkspace,
  feasibilityOf,
  inviteMembers,
  leadOf,
  moveStatus,
  respondToInvitation,
} from "../domain/consortium-workspace.js";
import { uniqueCodes } from "../domain/cpv.js";
import type { Enterprise } from "../domain/enterprise.js";
import { AppError } from "../domain/errors.js";
import { enterpriseCovers } from "../domain/matching/index.js";
import { requireAccount } from "../domain/policy.js";
import type { Tender } from "../domain/tender.js";
import type { StoredWorkspace } from "../store/consortia.js";
import type { ServiceContext } from "./context.js";
import { pastArt77Awards, tenderMatches } from "./matching.service.js";

/**
 * Consortium workspaces (rules of the steps: domain/consortium-workspace.ts). Who may do what:
 * - coordinator and enterprise accounts (and admins) create a workspace; its creator is its
 *   coordinator;
 * - the coordinator and admins invite and remove members, assign lots and the lead, rename it
 *   and move its status;
 * - an enterprise account answers its own enterprise's invitation, and nothing else;
 * - the coordinator, admins and the enterprise accounts of invited members read it; to anyone
 *   else it does not exist (NOT_FOUND, so that ids cannot be probed).
 * Members' contacts in the summary are shown to accounts of accepted members only.
 */

/** Tender stages a joint bid can still be prepared for. */
const BIDDABLE_STAGES: readonly Tender["stage"][] = ["planned", "open"];

export type CreateWorkspaceInput = {
  tenderId: string;
  name?: string;
  fromSuggestion?: number;
  enterpriseIds?: string[];
  lots?: string[];
};

export type WorkspaceView = Workspace & {
  version: number;
  /** Names of the members' enterprises. */
  enterprises: Record<string, { id: string; name: string }>;
};

export type WorkspaceDetail = WorkspaceView & { history: HistoryEntry[] };

function invitedEnterprise(account: Account, ws: Workspace): boolean {
  return (
    account.role === "enterprise" &&
    account.enterpriseId !== undefined &&
    ws.members.some((m) => m.enterpriseId === account.enterpriseId && m.invitation !== "not-invited")
  );
}

function mayRead(account: Account, ws: Workspace): boolean {
  return account.role === "admin" || ws.createdBy === account.id || invitedEnterprise(account, ws);
}

function mayCoordinate(account: Account, ws: Workspace): boolean {
  return account.role === "admin" || ws.createdBy === account.id;
}

/** The workspace if the actor may read it; NOT_FOUND otherwise. */
async function readable(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
): Promise<StoredWorkspace & { account: Account }> {
  const account = requireAccount(actor);
  const found = await ctx.store.consortia.get(id);
  if (!found || !mayRead(account, found.workspace)) throw new AppError("NOT_FOUND", `no consortium ${id}`);
  return { ...found, account };
}

/** The workspace if the actor coordinates it; FORBIDDEN for members, NOT_FOUND for others. */
async function coordinated(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
): Promise<StoredWorkspace & { account: Account }> {
  const found = await readable(ctx, actor, id);
  if (!mayCoordinate(found.account, found.workspace)) {
    throw new AppError("FORBIDDEN", "only the coordinator of this consortium, or an admin, may change it");
  }
  return found;
}

async function viewOf(ctx: ServiceContext, stored: StoredWorkspace): Promise<WorkspaceView> {
  const enterprises = await ctx.store.enterprises.getMany(
    stored.workspace.members.map((m) => m.enterpriseId),
  );
  return {
    ...stored.workspace,
    version: stored.version,
    enterprises: Object.fromEntries(enterprises.map((e) => [e.id, { id: e.id, name: e.name }])),
  };
}

async function storedTender(ctx: ServiceContext, tenderId: string): Promise<Tender> {
  const found = await ctx.store.tenders.get(tenderId);
  if (!found) {
    throw new AppError("VALIDATION_FAILED", `no tender ${tenderId}`, {
      fields: [{ path: "tenderId", message: `no tender ${tenderId}` }],
    });
  }
  return found.tender;
}

/** Enterprises by id; VALIDATION_FAILED naming `path.i` for each unknown one. */
async function knownEnterprises(
  ctx: ServiceContext,
  ids: readonly string[],
  path: string,
): Promise<Enterprise[]> {
  const found = await ctx.store.enterprises.getMany(ids);
  const known = new Set(found.map((e) => e.id));
  const unknown = ids.flatMap((id, i) =>
    known.has(id) ? [] : [{ path: `${path}.${i}`, message: `no enterprise ${id}` }],
  );
  if (unknown.length > 0) {
    throw new AppError(
      "VALIDATION_FAILED",
      `unknown enterprises: ${unknown.map((u) => u.message.slice(14)).join(", ")}`,
      {
        fields: unknown,
      },
    );
  }
  return found;
}

/** The lots asked for (each one of the tender's), or all of them capped at maxLotsPerBidder. */
function chosenLots(tender: Tender, lots: readonly string[] | undefined): string[] {
  if (!lots || lots.length === 0) {
    const all = tender.lots.map((l) => l.id);
    const max = tender.requirements.maxLotsPerBidder;
    return max !== undefined ? all.slice(0, max) : all;
  }
  const known = new Set(tender.lots.map((l) => l.id));
  const issues = lots.flatMap((id, i) =>
    known.has(id) ? [] : [{ path: `lots.${i}`, message: `tender ${tender.id} has no lot ${id}` }],
  );
  if (issues.length > 0) throw new AppError("VALIDATION_FAILED", "unknown lots", { fields: issues });
  return uniqueCodes(lots);
}

/** `POST /api/consortia`: a draft, from a suggestion of `tenderMatches` or from named enterprises. */
export async function createConsortium(
  ctx: ServiceContext,
  actor: Actor,
  input: CreateWorkspaceInput,
): Promise<WorkspaceView> {
  const account = requireAccount(actor);
  if (account.role !== "coordinator" && account.role !== "enterprise" && account.role !== "admin") {
    throw new AppError("FORBIDDEN", "only coordinator, enterprise and admin accounts create consortia");
  }
  const tender = await storedTender(ctx, input.tenderId);
  if (!BIDDABLE_STAGES.includes(tender.stage)) {
    throw new AppError(
      "CONFLICT",
      `tender ${tender.id} is ${tender.stage}: a consortium is prepared for a planned or open tender`,
    );
  }
  let members: { enterpriseId: string; lots: string[] }[];
  let lots: string[];
  if (input.fromSuggestion !== undefined) {
    const matches = await tenderMatches(ctx, tender.id, {
      limit: Math.min(50, input.fromSuggestion + 1),
      ...(input.lots?.length ? { lots: input.lots } : {}),
    });
    const suggestion = matches.consortia[input.fromSuggestion];
    if (!suggestion) {
      throw new AppError(
        "VALIDATION_FAILED",
        `tender ${tender.id} has ${matches.consortia.length} suggested consortia`,
        {
          fields: [
            {
              path: "fromSuggestion",
              message: `no suggestion ${input.fromSuggestion} (there are ${matches.consortia.length})`,
            },
          ],
        },
      );
    }
    lots = suggestion.lots;
    members = suggestion.members.map((id) => ({
      enterpriseId: id,
      lots: uniqueCodes(suggestion.explanation.coverage.filter((c) => c.memberId === id).map((c) => c.lotId)),
    }));
  } else {
    const ids = input.enterpriseIds ?? [];
    await knownEnterprises(ctx, ids, "enterpriseIds");
    lots = chosenLots(tender, input.lots);
    members = uniqueCodes(ids).map((id) => ({ enterpriseId: id, lots: [] }));
  }
  const step = createWorkspace(
    {
      id: crypto.randomUUID(),
      tenderId: tender.id,
      name: input.name ?? `${tender.title} – consortium`.slice(0, 200),
      lots,
      members,
      ...(input.fromSuggestion !== undefined ? { fromSuggestion: input.fromSuggestion } : {}),
    },
    { actorId: account.id, now: ctx.clock().toISOString() },
  );
  return viewOf(ctx, await ctx.store.consortia.create(step));
}

/** `GET /api/consortia`: the workspaces the account coordinates or was invited to (an admin's: all). */
export async function listConsortia(ctx: ServiceContext, actor: Actor): Promise<WorkspaceView[]> {
  const account = requireAccount(actor);
  const list =
    account.role === "admin"
      ? await ctx.store.consortia.list()
      : await ctx.store.consortia.mine(
          account.id,
          account.role === "enterprise" ? account.enterpriseId : undefined,
        );
  return Promise.all(list.map((stored) => viewOf(ctx, stored)));
}

/** `GET /api/consortia/:id`: the workspace with its history. */
export async function getConsortium(ctx: ServiceContext, actor: Actor, id: string): Promise<WorkspaceDetail> {
  const found = await readable(ctx, actor, id);
  return { ...(await viewOf(ctx, found)), history: await ctx.store.consortia.history(id) };
}

async function take(ctx: ServiceContext, found: StoredWorkspace, step: Step): Promise<WorkspaceDetail> {
  const stored = await ctx.store.consortia.apply(step, found.version);
  return { ...(await viewOf(ctx, stored)), history: await ctx.store.consortia.history(stored.workspace.id) };
}

function by(ctx: ServiceContext, account: Account) {
  return { actorId: account.id, now: ctx.clock().toISOString() };
}

/** `POST /api/consortia/:id/invitations`. */
export async function inviteToConsortium(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  enterpriseIds: string[],
): Promise<WorkspaceDetail> {
  const found = await coordinated(ctx, actor, id);
  await knownEnterprises(ctx, enterpriseIds, "enterpriseIds");
  return take(ctx, found, inviteMembers(found.workspace, enterpriseIds, by(ctx, found.account)));
}

/** `POST /api/consortia/:id/respond`: the invited enterprise's account accepts or declines. */
export async function respondToConsortium(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  accept: boolean,
): Promise<WorkspaceDetail> {
  const found = await readable(ctx, actor, id);
  const { account } = found;
  if (account.role !== "enterprise" || !account.enterpriseId) {
    throw new AppError("FORBIDDEN", "only the invited enterprise's own account answers an invitation");
  }
  return take(
    ctx,
    found,
    respondToInvitation(found.workspace, account.enterpriseId, accept, by(ctx, account)),
  );
}

/** `PATCH /api/consortia/:id`: lots per member, roles, the lead, removals, the name. */
export async function changeConsortium(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  change: WorkspaceChange,
): Promise<WorkspaceDetail> {
  const found = await coordinated(ctx, actor, id);
  return take(ctx, found, changeWorkspace(found.workspace, change, by(ctx, found.account)));
}

/** `POST /api/consortia/:id/status`; `formed` is checked against the matching rules. */
export async function moveConsortium(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  to: WorkspaceStatus,
): Promise<WorkspaceDetail> {
  const found = await coordinated(ctx, actor, id);
  const ws = found.workspace;
  let feasibility;
  if (to === "formed" && ws.status === "invited") {
    const tender = await storedTender(ctx, ws.tenderId);
    const accepted = ws.members.filter((m) => m.invitation === "accepted").map((m) => m.enterpriseId);
    const enterprises = await ctx.store.enterprises.getMany(accepted);
    feasibility = feasibilityOf(ws, tender, enterprises, {
      now: ctx.clock().toISOString(),
      pastAwards: await pastArt77Awards(ctx, tender.buyer.id, enterprises),
    });
  }
  return take(ctx, found, moveStatus(ws, to, by(ctx, found.account), feasibility));
}

export type SummaryMember = {
  id: string;
  name: string;
  role: string;
  invitation: string;
  lots: string[];
  contact?: { name?: string; email?: string; phone?: string; website?: string };
};

export type ConsortiumSummary = {
  id: string;
  name: string;
  status: WorkspaceStatus;
  tender: { id: string; title: string; buyer: string; deadline?: string };
  lead?: { id: string; name: string };
  /** Who delivers what: each lot, the members assigned to it, the lot's codes each covers. */
  lots: {
    lotId: string;
    title: string;
    deliveredBy: { id: string; name: string; covers: string[] }[];
    /** Codes of the lot no assigned member covers. */
    uncovered: string[];
  }[];
  members: SummaryMember[];
  /** Whether contacts are shown: to accounts of accepted members only. */
  contactsShown: boolean;
  printedAt: string;
};

/** `GET /api/consortia/:id/summary`: who delivers what, for printing. */
export async function consortiumSummary(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
): Promise<ConsortiumSummary> {
  const { workspace: ws, account } = await readable(ctx, actor, id);
  const tender = (await ctx.store.tenders.get(ws.tenderId))?.tender;
  const enterprises = new Map(
    (await ctx.store.enterprises.getMany(ws.members.map((m) => m.enterpriseId))).map((e) => [e.id, e]),
  );
  const nameOf = (eid: string) => enterprises.get(eid)?.name ?? eid;
  const contactsShown =
    account.role === "enterprise" &&
    ws.members.some((m) => m.enterpriseId === account.enterpriseId && m.invitation === "accepted");
  const lead = leadOf(ws);
  const lots = ws.lots.map((lotId) => {
    const lot = tender?.lots.find((l) => l.id === lotId);
    const codes = uniqueCodes(lot?.cpv ?? []);
    const deliveredBy = ws.members
      .filter((m) => m.lots.includes(lotId))
      .map((m) => {
        const e = enterprises.get(m.enterpriseId);
        return {
          id: m.enterpriseId,
          name: nameOf(m.enterpriseId),
          covers: e ? codes.filter((c) => enterpriseCovers(e, c)) : [],
        };
      });
    return {
      lotId,
      title: lot?.title ?? lotId,
      deliveredBy,
      uncovered: codes.filter((c) => !deliveredBy.some((d) => d.covers.includes(c))),
    };
  });
  const members = ws.members.map((m): SummaryMember => {
    const e = enterprises.get(m.enterpriseId);
    const contact =
      contactsShown && e ? { ...(e.contact ?? {}), ...(e.website ? { website: e.website } : {}) } : undefined;
    return {
      id: m.enterpriseId,
      name: nameOf(m.enterpriseId),
      role: m.role,
      invitation: m.invitation,
      lots: m.lots,
      ...(contact && Object.keys(contact).length > 0 ? { contact } : {}),
    };
  });
  return {
    id: ws.id,
    name: ws.name,
    status: ws.status,
    tender: {
      id: ws.tenderId,
      title: tender?.title ?? ws.tenderId,
      buyer: tender?.buyer.name ?? "",
      ...(tender?.deadline ? { deadline: tender.deadline } : {}),
    },
    ...(lead ? { lead: { id: lead.enterpriseId, name: nameOf(lead.enterpriseId) } } : {}),
    lots,
    members,
    contactsShown,
    printedAt: ctx.clock().toISOString(),
  };
}

/** The summary as plain text, for printing. */
export function summaryText(s: ConsortiumSummary): string {
  const lines = [
    s.name,
    "=".repeat(Math.min(s.name.length, 72)),
    `Tender: ${s.tender.title} (${s.tender.id})${s.tender.buyer ? `, ${s.tender.buyer}` : ""}`,
    ...(s.tender.deadline ? [`Deadline: ${s.tender.deadline}`] : []),
    `Status: ${s.status}`,
    `Lead partner: ${s.lead ? `${s.lead.name} (${s.lead.id})` : "not set"}`,
    "",
    "Who delivers what",
  ];
  for (const lot of s.lots) {
    lines.push(`  ${lot.lotId} ${lot.title}`);
    if (lot.deliveredBy.length === 0) lines.push("    nobody assigned");
    for (const d of lot.deliveredBy) {
      lines.push(
        `    ${d.name} (${d.id}): ${d.covers.length > 0 ? `CPV ${d.covers.join(", ")}` : "no code of this lot"}`,
      );
    }
    if (lot.uncovered.length > 0) lines.push(`    not covered: CPV ${lot.uncovered.join(", ")}`);
  }
  lines.push("", "Members");
  for (const m of s.members) {
    lines.push(
      `  ${m.name} (${m.id}): ${m.role}, ${m.invitation}, lots ${m.lots.length > 0 ? m.lots.join(", ") : "none"}`,
    );
    if (m.contact) {
      const c = m.contact;
      const parts = [c.name, c.email, c.phone, c.website].filter((p): p is string => p !== undefined);
      if (parts.length > 0) lines.push(`    contact: ${parts.join(", ")}`);
    }
  }
  if (!s.contactsShown) lines.push("", "Contacts are shown to the consortium's members only.");
  lines.push("", `Printed ${s.printedAt}`);
  return `${lines.join("\n")}\n`;
}
