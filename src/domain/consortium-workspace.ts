import { z } from "./zod.js";
import { IsoDateTime, Slug } from "./common.js";
import { AppError } from "./errors.js";
import {
  type GroupCheckOptions,
  type GroupProblem,
  type MatchEnterprise,
  type MatchTender,
  checkGroup,
  isFeasibleConsortium,
} from "./matching/index.js";

/**
 * The consortium workspace: a group of enterprises preparing one joint bid for a tender, the
 * account coordinating it, and every step taken, in order.
 *
 * Status rules (the transition table, `TRANSITIONS`):
 * - `draft` and `invited` follow the invitations (`preFormedStatus`): a workspace is `invited`
 *   once at least one invitation was sent (a member is `pending` or `accepted`) and no member
 *   has declined; otherwise it is `draft`. So sending an invitation moves draft → invited, a
 *   decline sends an invited workspace back to draft, and re-inviting or removing the member who
 *   declined brings it to invited again. Neither status is asked for directly.
 * - invited → formed, asked for, only when every member has accepted (none pending, declined or
 *   not yet invited), a lead is set, every chosen lot is assigned to some member, and the
 *   accepted members are a feasible consortium by the matching rules (`isFeasibleConsortium`);
 *   otherwise the refusal names each rule that fails.
 * - formed → submitted → won | lost; any status that is not final (draft, invited, formed,
 *   submitted) → dissolved. won, lost and dissolved are final.
 * - Members, lots and the lead change in draft, invited and formed; a change to a formed
 *   workspace sends it back to its pre-formed status (it must be formed again). After
 *   submission they are frozen. The name changes in any status that is not final.
 * - Only a `pending` invitation is answered; an enterprise that accepted stays until removed.
 */

export const WORKSPACE_STATUSES = [
  "draft",
  "invited",
  "formed",
  "submitted",
  "won",
  "lost",
  "dissolved",
] as const;
export const WorkspaceStatus = z.enum(WORKSPACE_STATUSES);
export type WorkspaceStatus = z.infer<typeof WorkspaceStatus>;

export const FINAL_STATUSES: readonly WorkspaceStatus[] = ["won", "lost", "dissolved"];

export const MEMBER_ROLES = ["lead", "member", "subcontractor"] as const;
export const MemberRole = z.enum(MEMBER_ROLES);
export type MemberRole = z.infer<typeof MemberRole>;

/** `not-invited`: put in the group (by hand or from a suggestion) but not asked yet. */
export const INVITATION_STATUSES = ["not-invited", "pending", "accepted", "declined"] as const;
export const InvitationStatus = z.enum(INVITATION_STATUSES);
export type InvitationStatus = z.infer<typeof InvitationStatus>;

export const HISTORY_ACTIONS = [
  "created",
  "invited",
  "accepted",
  "declined",
  "removed",
  "assigned",
  "renamed",
  "status",
] as const;
export const HistoryAction = z.enum(HISTORY_ACTIONS);
export type HistoryAction = z.infer<typeof HistoryAction>;

/** A workspace holds at most this many members (matching suggests at most 6). */
export const MAX_MEMBERS = 12;

export const WorkspaceMember = z.object({
  enterpriseId: Slug,
  role: MemberRole,
  invitation: InvitationStatus,
  /** Lots of the workspace this member delivers. */
  lots: z.array(z.string().min(1).max(60)),
});
export type WorkspaceMember = z.infer<typeof WorkspaceMember>;

export const Workspace = z.object({
  id: z.string().min(1).max(100),
  tenderId: z.string().min(1).max(300),
  name: z.string().trim().min(1).max(200),
  /** The account that created it: its coordinator. */
  createdBy: z.string().min(1),
  status: WorkspaceStatus,
  /** The tender's lots this group bids for. */
  lots: z.array(z.string().min(1).max(60)).min(1),
  members: z.array(WorkspaceMember).max(MAX_MEMBERS),
  /** Index of the `tenderMatches` suggestion it was created from. */
  fromSuggestion: z.number().int().nonnegative().optional(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Workspace = z.infer<typeof Workspace>;

/** One step: who, when, what, and the status it left the workspace in. */
export const HistoryEntry = z.object({
  seq: z.number().int().positive(),
  at: IsoDateTime,
  actorId: z.string(),
  action: HistoryAction,
  message: z.string(),
  enterpriseIds: z.array(z.string()).optional(),
  from: WorkspaceStatus.optional(),
  status: WorkspaceStatus,
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

/** A step's result: the workspace after it and its history entry (the store numbers it). */
export type Step = { workspace: Workspace; entry: Omit<HistoryEntry, "seq"> };

/** Who takes a step, and when. */
export type StepBy = { actorId: string; now: string };

/** Which status may follow which, when asked for (draft and invited follow the invitations). */
export const TRANSITIONS: Readonly<Record<WorkspaceStatus, readonly WorkspaceStatus[]>> = {
  draft: ["dissolved"],
  invited: ["formed", "dissolved"],
  formed: ["submitted", "dissolved"],
  submitted: ["won", "lost", "dissolved"],
  won: [],
  lost: [],
  dissolved: [],
};

/** A rule a step breaks, named so a client can tell them apart. */
export type RuleProblem = { rule: string; message: string };

function refuse(problems: RuleProblem[], intro: string, context: Record<string, unknown> = {}): never {
  const text = problems.map((p) => `${p.rule}: ${p.message}`).join("; ");
  throw new AppError("CONFLICT", `${intro} (${text})`, {
    context: { ...context, rules: problems.map((p) => p.rule), problems },
  });
}

function isFinal(status: WorkspaceStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** draft or invited, from the invitations (see the module comment). */
export function preFormedStatus(members: readonly WorkspaceMember[]): "draft" | "invited" {
  if (members.some((m) => m.invitation === "declined")) return "draft";
  return members.some((m) => m.invitation === "pending" || m.invitation === "accepted") ? "invited" : "draft";
}

/** The member with the lead role, if any. */
export function leadOf(ws: Pick<Workspace, "members">): WorkspaceMember | undefined {
  return ws.members.find((m) => m.role === "lead");
}

function step(
  ws: Workspace,
  next: Omit<Workspace, "updatedAt">,
  by: StepBy,
  action: HistoryAction,
  message: string,
  enterpriseIds?: string[],
): Step {
  const workspace = Workspace.parse({ ...next, updatedAt: by.now });
  return {
    workspace,
    entry: {
      at: by.now,
      actorId: by.actorId,
      action,
      message,
      ...(enterpriseIds && enterpriseIds.length > 0 ? { enterpriseIds } : {}),
      ...(workspace.status !== ws.status ? { from: ws.status } : {}),
      status: workspace.status,
    },
  };
}

/** Members, lots and the lead change only before submission; see the module comment. */
function assertMembersOpen(ws: Workspace, what: string): void {
  if (ws.status === "draft" || ws.status === "invited" || ws.status === "formed") return;
  refuse(
    [{ rule: "members-frozen", message: `members, lots and the lead are frozen once ${ws.status}` }],
    `cannot ${what}`,
  );
}

/** After a change to members: draft/invited follow the invitations, formed falls back to them. */
function settled(ws: Workspace, members: WorkspaceMember[]): WorkspaceStatus {
  return ws.status === "draft" || ws.status === "invited" || ws.status === "formed"
    ? preFormedStatus(members)
    : ws.status;
}

export type NewWorkspace = {
  id: string;
  tenderId: string;
  name: string;
  lots: string[];
  members: { enterpriseId: string; lots: string[] }[];
  fromSuggestion?: number;
};

/** A new draft: members not invited yet, none of them lead. */
export function createWorkspace(input: NewWorkspace, by: StepBy): Step {
  const members = uniqueMembers(input.members).map((m): WorkspaceMember => ({
    enterpriseId: m.enterpriseId,
    role: "member",
    invitation: "not-invited",
    lots: m.lots.filter((l) => input.lots.includes(l)),
  }));
  const workspace = Workspace.parse({
    id: input.id,
    tenderId: input.tenderId,
    name: input.name,
    createdBy: by.actorId,
    status: "draft",
    lots: input.lots,
    members,
    ...(input.fromSuggestion !== undefined ? { fromSuggestion: input.fromSuggestion } : {}),
    createdAt: by.now,
    updatedAt: by.now,
  });
  const source = input.fromSuggestion !== undefined ? `from suggestion ${input.fromSuggestion}` : "by hand";
  return {
    workspace,
    entry: {
      at: by.now,
      actorId: by.actorId,
      action: "created",
      message: `created ${source} for tender ${input.tenderId}, lots ${input.lots.join(", ")}`,
      ...(members.length > 0 ? { enterpriseIds: members.map((m) => m.enterpriseId) } : {}),
      status: "draft",
    },
  };
}

function uniqueMembers<T extends { enterpriseId: string }>(members: readonly T[]): T[] {
  const seen = new Set<string>();
  return members.filter((m) => !seen.has(m.enterpriseId) && seen.add(m.enterpriseId));
}

/**
 * Invites enterprises: new ones join as members, those not invited yet or who declined are
 * asked (again); those pending or accepted are left as they are. VALIDATION_FAILED when none is
 * asked.
 */
export function inviteMembers(ws: Workspace, enterpriseIds: readonly string[], by: StepBy): Step {
  assertMembersOpen(ws, "invite");
  const members = ws.members.map((m) => ({ ...m }));
  const asked: string[] = [];
  for (const id of new Set(enterpriseIds)) {
    const found = members.find((m) => m.enterpriseId === id);
    if (found) {
      if (found.invitation === "pending" || found.invitation === "accepted") continue;
      found.invitation = "pending";
    } else {
      members.push({ enterpriseId: id, role: "member", invitation: "pending", lots: [] });
    }
    asked.push(id);
  }
  if (asked.length === 0) {
    throw new AppError("VALIDATION_FAILED", "everyone named is invited already", {
      fields: [{ path: "enterpriseIds", message: "every enterprise named is pending or accepted" }],
    });
  }
  if (members.length > MAX_MEMBERS) {
    throw new AppError("VALIDATION_FAILED", `a workspace holds at most ${MAX_MEMBERS} members`, {
      fields: [{ path: "enterpriseIds", message: `at most ${MAX_MEMBERS} members in all` }],
    });
  }
  return step(
    ws,
    { ...ws, members, status: settled(ws, members) },
    by,
    "invited",
    `invited ${asked.join(", ")}`,
    asked,
  );
}

/** The invited enterprise answers its pending invitation. */
export function respondToInvitation(ws: Workspace, enterpriseId: string, accept: boolean, by: StepBy): Step {
  const member = ws.members.find((m) => m.enterpriseId === enterpriseId);
  if (!member || member.invitation !== "pending") {
    refuse(
      [
        {
          rule: "no-pending-invitation",
          message: `${enterpriseId} has ${member ? `an invitation that is ${member.invitation}` : "no invitation"}`,
        },
      ],
      "cannot answer",
    );
  }
  if (isFinal(ws.status) || ws.status === "submitted") {
    refuse([{ rule: "members-frozen", message: `the workspace is ${ws.status}` }], "cannot answer");
  }
  const members = ws.members.map((m) =>
    m.enterpriseId === enterpriseId
      ? { ...m, invitation: accept ? ("accepted" as const) : ("declined" as const) }
      : m,
  );
  return step(
    ws,
    { ...ws, members, status: settled(ws, members) },
    by,
    accept ? "accepted" : "declined",
    `${enterpriseId} ${accept ? "accepted" : "declined"}`,
    [enterpriseId],
  );
}

/** A change asked for by the coordinator: `members` set the lots (and role) of present members. */
export const WorkspaceChange = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    lead: Slug.optional().openapi({
      description: "The member who leads (the previous lead becomes a member)",
    }),
    members: z
      .array(
        z.object({
          enterpriseId: Slug,
          lots: z.array(z.string().min(1).max(60)).max(500).optional(),
          role: z.enum(["member", "subcontractor"]).optional(),
        }),
      )
      .max(MAX_MEMBERS)
      .optional()
      .openapi({ description: "Lots each named member delivers (replacing its lots), and its role" }),
    remove: z.array(Slug).max(MAX_MEMBERS).optional().openapi({ description: "Members to remove" }),
  })
  .refine((c) => Object.values(c).some((v) => v !== undefined), "the change changes nothing")
  .openapi("ConsortiumChange");
export type WorkspaceChange = z.infer<typeof WorkspaceChange>;

/**
 * Applies a change: removals first, then lots and roles, then the lead, then the name. Each
 * named enterprise must be a member and each lot one of the workspace's (VALIDATION_FAILED
 * naming the field). The history entry says what changed.
 */
export function changeWorkspace(ws: Workspace, change: WorkspaceChange, by: StepBy): Step {
  const touchesMembers =
    change.members !== undefined || change.remove !== undefined || change.lead !== undefined;
  if (touchesMembers) assertMembersOpen(ws, "change members, lots or the lead");
  if (isFinal(ws.status)) {
    refuse([{ rule: "final", message: `the workspace is ${ws.status}` }], "cannot change it");
  }
  const issues: { path: string; message: string }[] = [];
  let members = ws.members.map((m) => ({ ...m, lots: [...m.lots] }));
  const said: string[] = [];
  const named: string[] = [];

  (change.remove ?? []).forEach((id, i) => {
    if (!members.some((m) => m.enterpriseId === id))
      issues.push({ path: `remove.${i}`, message: `${id} is not a member` });
  });
  if (change.remove && change.remove.length > 0) {
    const gone = new Set(change.remove);
    members = members.filter((m) => !gone.has(m.enterpriseId));
    said.push(`removed ${change.remove.join(", ")}`);
    named.push(...change.remove);
  }
  (change.members ?? []).forEach((line, i) => {
    const member = members.find((m) => m.enterpriseId === line.enterpriseId);
    if (!member) {
      issues.push({ path: `members.${i}.enterpriseId`, message: `${line.enterpriseId} is not a member` });
      return;
    }
    (line.lots ?? []).forEach((lot, j) => {
      if (!ws.lots.includes(lot))
        issues.push({
          path: `members.${i}.lots.${j}`,
          message: `${lot} is not one of the lots ${ws.lots.join(", ")}`,
        });
    });
    if (line.lots) {
      member.lots = [...new Set(line.lots)];
      said.push(
        `${member.enterpriseId} delivers ${member.lots.length > 0 ? member.lots.join(", ") : "no lot"}`,
      );
    }
    if (line.role && member.role !== "lead") {
      member.role = line.role;
      said.push(`${member.enterpriseId} is ${line.role}`);
    } else if (line.role && member.role === "lead") {
      issues.push({ path: `members.${i}.role`, message: "set another lead first: the lead's role is lead" });
    }
    named.push(member.enterpriseId);
  });
  if (change.lead !== undefined) {
    const lead = members.find((m) => m.enterpriseId === change.lead);
    if (!lead) issues.push({ path: "lead", message: `${change.lead} is not a member` });
    else {
      for (const m of members) if (m.role === "lead") m.role = "member";
      lead.role = "lead";
      said.push(`${lead.enterpriseId} leads`);
      named.push(lead.enterpriseId);
    }
  }
  if (issues.length > 0)
    throw new AppError("VALIDATION_FAILED", "the change is not valid", { fields: issues });
  if (change.name !== undefined && change.name !== ws.name) said.push(`renamed to “${change.name}”`);
  const onlyName = !touchesMembers;
  const action: HistoryAction = onlyName
    ? "renamed"
    : change.remove?.length && !change.members && !change.lead
      ? "removed"
      : "assigned";
  return step(
    ws,
    {
      ...ws,
      ...(change.name !== undefined ? { name: change.name } : {}),
      members,
      status: touchesMembers ? settled(ws, members) : ws.status,
    },
    by,
    action,
    said.length > 0 ? said.join("; ") : "nothing changed",
    [...new Set(named)],
  );
}

/** Why the members are not a feasible consortium, from the matching rules; empty when they are. */
export type Feasibility = { feasible: boolean; problems: GroupProblem[] };

/** Whether the accepted members are a feasible consortium for the workspace's lots. */
export function feasibilityOf(
  ws: Pick<Workspace, "lots">,
  tender: MatchTender,
  members: readonly MatchEnterprise[],
  options: Omit<GroupCheckOptions, "lots">,
): Feasibility {
  const opts = { ...options, lots: ws.lots };
  if (isFeasibleConsortium(tender, members, opts)) return { feasible: true, problems: [] };
  return { feasible: false, problems: checkGroup(tender, members, opts).problems };
}

function describeProblem(p: GroupProblem): string {
  switch (p.kind) {
    case "empty":
      return "no member";
    case "too-large":
      return `${p.size} members, at most ${p.maxSize}`;
    case "closed-to-consortia":
      return `${p.memberId} does not join consortia`;
    case "out-of-reach":
      return `${p.memberId} does not deliver to the tender's place`;
    case "not-eligible":
      return `${p.memberId} is not eligible for reservation ${p.reservation}`;
    case "combined-share-short":
      return `combined share ${p.share} below ${p.required}`;
    case "uncovered":
      return `nobody covers ${p.code} of ${p.lotId}`;
    case "turnover-short":
      return `turnover ${p.sum} below the required ${p.required}`;
    case "lots":
      return p.message;
  }
}

/** The rules a workspace breaks to be formed; empty when it may be. */
export function formingProblems(ws: Workspace, feasibility: Feasibility): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const notAccepted = ws.members.filter((m) => m.invitation !== "accepted");
  if (ws.members.length === 0) problems.push({ rule: "no-members", message: "the workspace has no member" });
  if (notAccepted.length > 0) {
    problems.push({
      rule: "all-accepted",
      message: `not every member accepted: ${notAccepted.map((m) => `${m.enterpriseId} ${m.invitation}`).join(", ")}`,
    });
  }
  const lead = leadOf(ws);
  if (!lead) problems.push({ rule: "lead-set", message: "no lead partner is set" });
  const assigned = new Set(ws.members.filter((m) => m.invitation === "accepted").flatMap((m) => m.lots));
  const unassigned = ws.lots.filter((l) => !assigned.has(l));
  if (unassigned.length > 0) {
    problems.push({
      rule: "lots-assigned",
      message: `lots not assigned to an accepted member: ${unassigned.join(", ")}`,
    });
  }
  if (!feasibility.feasible) {
    problems.push({
      rule: "feasible",
      message: `not a feasible consortium: ${feasibility.problems.map(describeProblem).join(", ") || "by the matching rules"}`,
    });
  }
  return problems;
}

/**
 * Moves the status as asked (see `TRANSITIONS`). `formed` needs the feasibility of the accepted
 * members, which the caller computes from the tender and the enterprises.
 */
export function moveStatus(ws: Workspace, to: WorkspaceStatus, by: StepBy, feasibility?: Feasibility): Step {
  const intro = `cannot move from ${ws.status} to ${to}`;
  if (to === ws.status) refuse([{ rule: "same-status", message: `the workspace is ${to} already` }], intro);
  if (to === "draft" || to === "invited") {
    refuse(
      [
        {
          rule: "invitations-drive-status",
          message: "draft and invited follow the invitations: invite, or remove who declined",
        },
      ],
      intro,
    );
  }
  if (!TRANSITIONS[ws.status].includes(to)) {
    const allowed = TRANSITIONS[ws.status];
    refuse(
      [
        {
          rule: isFinal(ws.status) ? "final" : "transition",
          message:
            allowed.length > 0
              ? `from ${ws.status} only to ${allowed.join(" or ")}`
              : `${ws.status} is final`,
        },
      ],
      intro,
    );
  }
  if (to === "formed") {
    const problems = formingProblems(ws, feasibility ?? { feasible: false, problems: [] });
    if (problems.length > 0) refuse(problems, intro);
  }
  return step(ws, { ...ws, status: to }, by, "status", `${ws.status} → ${to}`);
}
