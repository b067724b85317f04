import type { Account, Actor } from "./account.js";
import { AppError } from "./errors.js";

/**
 * Who may change what. Anonymous visitors read public data only; buyers change their own
 * tenders (the planned items of their tender plan); enterprises register and change the one
 * enterprise they act for; admins change anything. Coordinators read, and act on consortia.
 */
export function requireAccount(actor: Actor): Account {
  if (actor.kind === "anonymous") {
    throw new AppError("UNAUTHORIZED", "sign in: send 'Authorization: Bearer <token>'");
  }
  return actor.account;
}

/** The buyer a tender is created for: an admin names it, a buyer account always uses its own. */
export function buyerForNewTender(actor: Actor, requestedBuyerId: string | undefined): string {
  const account = requireAccount(actor);
  if (account.role === "admin") {
    if (!requestedBuyerId) {
      throw new AppError("VALIDATION_FAILED", "an admin must name the buyer of the tender", {
        fields: [{ path: "buyerId", message: "required for admins" }],
      });
    }
    return requestedBuyerId;
  }
  if (account.role === "buyer" && account.buyerId) {
    if (requestedBuyerId && requestedBuyerId !== account.buyerId) {
      throw new AppError(
        "FORBIDDEN",
        `this account acts for buyer ${account.buyerId}, not ${requestedBuyerId}`,
      );
    }
    return account.buyerId;
  }
  throw new AppError("FORBIDDEN", "only buyer and admin accounts publish tenders");
}

export function assertMayChangeTender(actor: Actor, tenderBuyerId: string): void {
  const account = requireAccount(actor);
  if (account.role === "admin") return;
  if (account.role === "buyer" && account.buyerId === tenderBuyerId) return;
  throw new AppError("FORBIDDEN", "only the buyer that owns this tender, or an admin, may change it");
}

/** The id of an enterprise being registered, or a reason it may not be. */
export function enterpriseIdForNewEnterprise(
  actor: Actor,
  requestedId: string | undefined,
  fromName: string,
): string {
  const account = requireAccount(actor);
  if (account.role === "admin") return requestedId ?? fromName;
  if (account.role !== "enterprise") {
    throw new AppError("FORBIDDEN", "only enterprise and admin accounts register enterprises");
  }
  if (account.enterpriseId) {
    if (requestedId && requestedId !== account.enterpriseId) {
      throw new AppError(
        "FORBIDDEN",
        `this account acts for enterprise ${account.enterpriseId}, not ${requestedId}`,
      );
    }
    return account.enterpriseId;
  }
  return requestedId ?? fromName;
}

export function assertMayChangeEnterprise(actor: Actor, enterpriseId: string): void {
  const account = requireAccount(actor);
  if (account.role === "admin") return;
  if (account.role === "enterprise" && account.enterpriseId === enterpriseId) return;
  throw new AppError("FORBIDDEN", "only the enterprise itself, or an admin, may change this profile");
}

/** Admin-only reading: source runs with their errors, all accounts. */
export function requireAdmin(actor: Actor): Account {
  const account = requireAccount(actor);
  if (account.role !== "admin") throw new AppError("FORBIDDEN", "only admins see this");
  return account;
}
