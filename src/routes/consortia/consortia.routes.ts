import { createRoute, z } from "@hono/zod-openapi";
import { Slug } from "../../domain/common.js";
import {
  HISTORY_ACTIONS,
  INVITATION_STATUSES,
  MAX_MEMBERS,
  MEMBER_ROLES,
  WORKSPACE_STATUSES,
  WorkspaceChange,
} from "../../domain/consortium-workspace.js";
import { requireSignedIn } from "../middleware/auth.js";
import { bearerAuth, errors, json, jsonBody } from "../openapi.js";

const tags = ["Consortia"];

const Member = z.object({
  enterpriseId: z.string(),
  role: z.enum(MEMBER_ROLES),
  invitation: z.enum(INVITATION_STATUSES),
  lots: z.array(z.string()).openapi({ description: "Lots this member delivers" }),
});

const ConsortiumView = z
  .object({
    id: z.string(),
    tenderId: z.string(),
    name: z.string(),
    createdBy: z.string().openapi({ description: "The coordinating account" }),
    status: z.enum(WORKSPACE_STATUSES),
    lots: z.array(z.string()).openapi({ description: "The tender's lots this group bids for" }),
    members: z.array(Member),
    fromSuggestion: z.number().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().openapi({ description: "1 when created, +1 per step" }),
    enterprises: z.record(z.string(), z.object({ id: z.string(), name: z.string() })),
  })
  .openapi("ConsortiumWorkspace");

const Step = z
  .object({
    seq: z.number(),
    at: z.string(),
    actorId: z.string(),
    action: z.enum(HISTORY_ACTIONS),
    message: z.string(),
    enterpriseIds: z.array(z.string()).optional(),
    from: z
      .enum(WORKSPACE_STATUSES)
      .optional()
      .openapi({ description: "The status before, when it changed" }),
    status: z.enum(WORKSPACE_STATUSES),
  })
  .openapi("ConsortiumStep");

const ConsortiumDetail = ConsortiumView.extend({ history: z.array(Step) }).openapi("ConsortiumDetail");

const Summary = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(WORKSPACE_STATUSES),
    tender: z.object({
      id: z.string(),
      title: z.string(),
      buyer: z.string(),
      deadline: z.string().optional(),
    }),
    lead: z.object({ id: z.string(), name: z.string() }).optional(),
    lots: z.array(
      z.object({
        lotId: z.string(),
        title: z.string(),
        deliveredBy: z.array(z.object({ id: z.string(), name: z.string(), covers: z.array(z.string()) })),
        uncovered: z.array(z.string()),
      }),
    ),
    members: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        role: z.string(),
        invitation: z.string(),
        lots: z.array(z.string()),
        contact: z
          .object({
            name: z.string().optional(),
            email: z.string().optional(),
            phone: z.string().optional(),
            website: z.string().optional(),
          })
          .optional()
          .openapi({ description: "Shown to accounts of accepted members only" }),
      }),
    ),
    contactsShown: z.boolean(),
    printedAt: z.string(),
  })
  .openapi("ConsortiumSummary");

const IdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" } }),
});

export const CreateConsortium = z
  .object({
    tenderId: z.string().min(3).max(300).openapi({ example: "demo:aarhus-gavekurve-2027" }),
    name: z.string().trim().min(1).max(200).optional(),
    fromSuggestion: z
      .number()
      .int()
      .min(0)
      .max(49)
      .optional()
      .openapi({ description: "Index of a suggested consortium of GET /api/tenders/{id}/matches" }),
    enterpriseIds: z
      .array(Slug)
      .min(1)
      .max(MAX_MEMBERS)
      .optional()
      .openapi({ description: "The members, by hand (they are invited afterwards)" }),
    lots: z
      .array(z.string().min(1).max(60))
      .min(1)
      .max(500)
      .optional()
      .openapi({ description: "Lots to bid for (default all, capped at maxLotsPerBidder)" }),
  })
  .refine((b) => (b.fromSuggestion === undefined) !== (b.enterpriseIds === undefined), {
    message: "give exactly one of fromSuggestion and enterpriseIds",
    path: ["enterpriseIds"],
  })
  .openapi("ConsortiumInput");

const WRITE_ERRORS = errors(400, 401, 403, 404, 409, 413, 415, 429);

export const create = createRoute({
  method: "post",
  path: "/api/consortia",
  tags,
  summary: "Start a consortium workspace for a tender, from a suggestion or by hand",
  description:
    "Coordinator, enterprise and admin accounts. The caller becomes its coordinator. From a suggestion, its members and their lots are filled in; nobody is invited yet.",
  security: bearerAuth,
  middleware: [requireSignedIn] as const,
  request: { body: jsonBody(CreateConsortium) },
  responses: {
    201: json(ConsortiumView, "Created as a draft"),
    ...errors(400, 401, 403, 409, 413, 415, 429, 503),
  },
});

export const list = createRoute({
  method: "get",
  path: "/api/consortia",
  tags,
  summary: "Workspaces the account coordinates or its enterprise was invited to (an admin's: all)",
  security: bearerAuth,
  middleware: [requireSignedIn] as const,
  responses: {
    200: json(z.object({ items: z.array(ConsortiumView) }), "Workspaces, newest first"),
    ...errors(401),
  },
});

export const get = createRoute({
  method: "get",
  path: "/api/consortia/{id}",
  tags,
  summary: "A workspace with every step taken (coordinator, invited members, admins; 404 for others)",
  security: bearerAuth,
  middleware: [requireSignedIn] as const,
  request: { params: IdParam },
  responses: { 200: json(ConsortiumDetail, "The workspace and its history"), ...errors(401, 404) },
});

export const invite = createRoute({
  method: "post",
  path: "/api/consortia/{id}/invitations",
  tags,
  summary: "Invite enterprises (the coordinator); a draft becomes invited",
  security: bearerAuth,
  middleware: [requireSignedIn] as const,
  request: {
    params: IdParam,
    body: jsonBody(
      z.object({ enterpriseIds: z.array(Slug).min(1).max(MAX_MEMBERS) }).openapi("ConsortiumInvitations"),
    ),
  },
  responses: { 200: json(ConsortiumDetail, "Invited"), ...WRITE_ERRORS },
});

export const respond = createRoute({
  method: "post",
  path: "/api/consortia/{id}/respond",
  tags,
  summary: "Accept or decline the invitation (the invited enterprise's account)",
  description: "A decline sends the workspace back to draft until the enterprise is re-invited or removed.",
  security: bearerAuth,
  middleware: [requireSignedIn] as const,
  request: { params: IdParam, body: jsonBody(z.object({ accept: z.boolean() }).openapi("ConsortiumAnswer")) },
  responses: { 200: json(ConsortiumDetail, "Answered"), ...WRITE_ERRORS },
});

export const patch = createRoute({
  method: "patch",
  path: "/api/consortia/{id}",
  tags,
  summary: "Assign lots per member, the lead partner and roles, remove members, rename (the coordinator)",
  description:
    "A change to members, lots or the lead of a formed workspace sends it back to invited; after submission they are frozen.",
  security: bearerAuth,
  middleware: [requireSignedIn] as const,
  request: { params: IdParam, body: jsonBody(WorkspaceChange) },
  responses: { 200: json(ConsortiumDetail, "Changed"), ...WRITE_ERRORS },
});

export const status = createRoute({
  method: "post",
  path: "/api/consortia/{id}/status",
  tags,
  summary:
    "Move the status (the coordinator): invited → formed → submitted → won | lost; non-final → dissolved",
  description:
    "`formed` needs every member accepted, a lead, every lot assigned to an accepted member, and a feasible group by the matching rules; a refusal (409) names each rule that fails. draft and invited follow the invitations and are not asked for.",
  security: bearerAuth,
  middleware: [requireSignedIn] as const,
  request: {
    params: IdParam,
    body: jsonBody(z.object({ status: z.enum(WORKSPACE_STATUSES) }).openapi("ConsortiumStatusMove")),
  },
  responses: { 200: json(ConsortiumDetail, "Moved"), ...WRITE_ERRORS },
});

export const summary = createRoute({
  method: "get",
  path: "/api/consortia/{id}/summary",
  tags,
  summary: "Printable summary: who delivers what (lot → member → CPV codes), the lead, members' contacts",
  security: bearerAuth,
  middleware: [requireSignedIn] as const,
  request: {
    params: IdParam,
    query: z.object({
      format: z
        .enum(["json", "text"])
        .default("json")
        .openapi({ description: "`text`: plain text for printing" }),
    }),
  },
  responses: {
    200: {
      description: "The summary",
      content: { "application/json": { schema: Summary }, "text/plain": { schema: z.string() } },
    },
    ...errors(400, 401, 404),
  },
});
