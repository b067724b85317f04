import { describe, expect, it } from "vitest";
import {
  type Feasibility,
  type Step,
  type Workspace,
  TRANSITIONS,
  WORKSPACE_STATUSES,
  changeWorkspace,
  createWorkspace,
  feasibilityOf,
  formingProblems,
  inviteMembers,
  moveStatus,
  preFormedStatus,
  respondToInvitation,
} from "../../../src/domain/consortium-workspace.js";
import { AppError } from "../../../src/domain/errors.js";
import { NOW, ent, lot, tender } from "./matching/fixtures.js";

const by = { actorId: "coordinator-1", now: NOW };
const FEASIBLE: Feasibility = { feasible: true, problems: [] };

function draft(): Workspace {
  return createWorkspace(
    {
      id: "ws-1",
      tenderId: "demo:t",
      name: "Gift baskets",
      lots: ["L1", "L2"],
      members: [
        { enterpriseId: "a", lots: ["L1"] },
        { enterpriseId: "b", lots: ["L2", "L9"] },
      ],
    },
    by,
  ).workspace;
}

/** Invited, both accepted, lots assigned, a lead: ready to be formed. */
function ready(): Workspace {
  let ws = inviteMembers(draft(), ["a", "b"], by).workspace;
  ws = respondToInvitation(ws, "a", true, { actorId: "acc-a", now: NOW }).workspace;
  ws = respondToInvitation(ws, "b", true, { actorId: "acc-b", now: NOW }).workspace;
  return changeWorkspace(ws, { lead: "a" }, by).workspace;
}

function conflict(run: () => Step): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("CONFLICT");
    return error as AppError;
  }
  throw new Error("expected a refusal");
}

describe("consortium workspace transitions", () => {
  it("starts as a draft with members not invited yet, lots kept to the chosen ones, no lead", () => {
    const ws = draft();
    expect(ws.status).toBe("draft");
    expect(ws.members.map((m) => [m.enterpriseId, m.invitation, m.role, m.lots])).toEqual([
      ["a", "not-invited", "member", ["L1"]],
      ["b", "not-invited", "member", ["L2"]],
    ]);
  });

  it("moves draft → invited when an invitation is sent, and records who was asked", () => {
    const s = inviteMembers(draft(), ["a", "c"], by);
    expect(s.workspace.status).toBe("invited");
    expect(s.entry).toMatchObject({
      action: "invited",
      from: "draft",
      status: "invited",
      enterpriseIds: ["a", "c"],
    });
    expect(s.workspace.members.find((m) => m.enterpriseId === "c")?.invitation).toBe("pending");
    expect(s.workspace.members.find((m) => m.enterpriseId === "b")?.invitation).toBe("not-invited");
  });

  it("refuses an invitation that asks nobody new", () => {
    const ws = inviteMembers(draft(), ["a"], by).workspace;
    expect(() => inviteMembers(ws, ["a"], by)).toThrow(/invited already/);
  });

  it("sends the workspace back to draft on a decline, and to invited again once the decliner is re-invited or removed", () => {
    let ws = inviteMembers(draft(), ["a", "b"], by).workspace;
    ws = respondToInvitation(ws, "b", false, { actorId: "acc-b", now: NOW }).workspace;
    expect(ws.status).toBe("draft");
    expect(preFormedStatus(ws.members)).toBe("draft");
    expect(inviteMembers(ws, ["b"], by).workspace.status).toBe("invited");
    expect(changeWorkspace(ws, { remove: ["b"] }, by).workspace.status).toBe("invited");
  });

  it("answers only a pending invitation", () => {
    const error = conflict(() => respondToInvitation(draft(), "a", true, by));
    expect(error.message).toMatch(/no-pending-invitation/);
  });

  it("forms only when every member accepted, a lead is set, every lot is assigned and the group is feasible", () => {
    const ws = ready();
    expect(formingProblems(ws, FEASIBLE)).toEqual([]);
    const formed = moveStatus(ws, "formed", by, FEASIBLE);
    expect(formed.workspace.status).toBe("formed");
    expect(formed.entry).toMatchObject({ action: "status", from: "invited", status: "formed" });

    const pending = inviteMembers(ws, ["c"], by).workspace;
    expect(conflict(() => moveStatus(pending, "formed", by, FEASIBLE)).message).toMatch(
      /all-accepted: .*c pending/,
    );
    const noLead = changeWorkspace(ws, { lead: "b" }, by).workspace;
    expect(noLead.members.filter((m) => m.role === "lead").map((m) => m.enterpriseId)).toEqual(["b"]);
    const unassigned = changeWorkspace(ws, { members: [{ enterpriseId: "b", lots: [] }] }, by).workspace;
    expect(conflict(() => moveStatus(unassigned, "formed", by, FEASIBLE)).message).toMatch(
      /lots-assigned: .*L2/,
    );
    const infeasible: Feasibility = {
      feasible: false,
      problems: [{ kind: "uncovered", lotId: "L2", code: "39224000" }],
    };
    expect(conflict(() => moveStatus(ws, "formed", by, infeasible)).message).toMatch(
      /feasible: .*39224000 of L2/,
    );
  });

  it("names every rule a workspace without lead and acceptances breaks", () => {
    const ws = inviteMembers(draft(), ["a", "b"], by).workspace;
    const rules = formingProblems(ws, FEASIBLE).map((p) => p.rule);
    expect(rules).toEqual(["all-accepted", "lead-set", "lots-assigned"]);
  });

  it("follows the transition table and refuses the rest, naming the rule", () => {
    let ws = moveStatus(ready(), "formed", by, FEASIBLE).workspace;
    expect(conflict(() => moveStatus(ws, "won", by)).message).toMatch(
      /transition: from formed only to submitted or dissolved/,
    );
    ws = moveStatus(ws, "submitted", by).workspace;
    expect(conflict(() => changeWorkspace(ws, { lead: "b" }, by)).message).toMatch(/members-frozen/);
    ws = moveStatus(ws, "won", by).workspace;
    expect(conflict(() => moveStatus(ws, "dissolved", by)).message).toMatch(/final: won is final/);
    expect(conflict(() => moveStatus(draft(), "invited", by)).message).toMatch(/invitations-drive-status/);
    expect(conflict(() => moveStatus(draft(), "draft", by)).message).toMatch(/same-status/);
    for (const status of WORKSPACE_STATUSES) {
      const final = ["won", "lost", "dissolved"].includes(status);
      expect(TRANSITIONS[status].includes("dissolved"), status).toBe(!final);
    }
  });

  it("sends a formed workspace back to invited when its members or lots change", () => {
    const ws = moveStatus(ready(), "formed", by, FEASIBLE).workspace;
    const changed = changeWorkspace(ws, { members: [{ enterpriseId: "a", lots: ["L1", "L2"] }] }, by);
    expect(changed.workspace.status).toBe("invited");
    expect(changed.entry).toMatchObject({ action: "assigned", from: "formed" });
    expect(changeWorkspace(ws, { name: "New name" }, by).workspace.status).toBe("formed");
  });

  it("refuses a change naming a non-member or a lot the workspace does not bid for, with the field", () => {
    try {
      changeWorkspace(draft(), { lead: "zz", members: [{ enterpriseId: "a", lots: ["L7"] }] }, by);
      throw new Error("expected a refusal");
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("VALIDATION_FAILED");
      expect((error as AppError).fields?.map((f) => f.path)).toEqual(["members.0.lots.0", "lead"]);
    }
  });

  it("judges feasibility with the matching rules over the workspace's lots", () => {
    const t = tender([lot("L1", ["15842000"]), lot("L2", ["39224000"])]);
    const a = ent("a", { cpv: ["15842000"] });
    const b = ent("b", { cpv: ["39224000"] });
    expect(feasibilityOf({ lots: ["L1", "L2"] }, t, [a, b], { now: NOW })).toEqual(FEASIBLE);
    const alone = feasibilityOf({ lots: ["L1", "L2"] }, t, [a], { now: NOW });
    expect(alone.feasible).toBe(false);
    expect(alone.problems).toContainEqual({ kind: "uncovered", lotId: "L2", code: "39224000" });
    expect(feasibilityOf({ lots: ["L1"] }, t, [a], { now: NOW }).feasible).toBe(true);
  });
});
