import type { Actor } from "../domain/account.js";
import {
  Enterprise,
  type EnterpriseInput,
  type EnterprisePatch,
  applyEnterprisePatch,
  slugify,
} from "../domain/enterprise.js";
import { AppError } from "../domain/errors.js";
import { stableStringify } from "../domain/json.js";
import { assertMayChangeEnterprise, enterpriseIdForNewEnterprise, requireAccount } from "../domain/policy.js";
import type { EnterpriseQuery, SearchHits } from "../search/search.port.js";
import type { ServiceContext } from "./context.js";

/**
 * An enterprise account registers the enterprise it acts for (an account not yet linked is
 * linked to it in the same transaction); an admin registers any.
 */
export async function registerEnterprise(
  ctx: ServiceContext,
  actor: Actor,
  input: EnterpriseInput,
): Promise<Enterprise> {
  const account = requireAccount(actor);
  const id = enterpriseIdForNewEnterprise(actor, input.id, slugify(input.name));
  const now = ctx.clock().toISOString();
  const enterprise = Enterprise.parse({ ...input, id, createdAt: now, updatedAt: now });
  const link = account.role === "enterprise" && !account.enterpriseId ? account.id : undefined;
  await ctx.store.enterprises.create(enterprise, link);
  await ctx.indexer.enterprises([enterprise]);
  return enterprise;
}

export async function getEnterprise(ctx: ServiceContext, id: string): Promise<Enterprise> {
  const found = await ctx.store.enterprises.get(id);
  if (!found) throw new AppError("NOT_FOUND", `no enterprise ${id}`);
  return found.enterprise;
}

export async function patchEnterprise(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  patch: EnterprisePatch,
): Promise<Enterprise> {
  const found = await ctx.store.enterprises.get(id);
  if (!found) throw new AppError("NOT_FOUND", `no enterprise ${id}`);
  assertMayChangeEnterprise(actor, id);
  const next = applyEnterprisePatch(found.enterprise, patch, ctx.clock().toISOString());
  const saved = await ctx.store.enterprises.update(next, found.version);
  await ctx.indexer.enterprises([saved]);
  return saved;
}

/** Saves an enterprise from a trusted source (demo data): created, or replaced when it differs. */
export async function saveEnterprise(
  ctx: ServiceContext,
  enterprise: Enterprise,
): Promise<"created" | "changed" | "unchanged"> {
  const found = await ctx.store.enterprises.get(enterprise.id);
  if (!found) {
    await ctx.store.enterprises.create(enterprise);
    await ctx.indexer.enterprises([enterprise]);
    return "created";
  }
  const { createdAt: _c1, updatedAt: _u1, ...a } = found.enterprise;
  const { createdAt: _c2, updatedAt: _u2, ...b } = enterprise;
  if (stableStringify(a) === stableStringify(b)) return "unchanged";
  const saved = await ctx.store.enterprises.update(
    { ...enterprise, createdAt: found.enterprise.createdAt },
    found.version,
  );
  await ctx.indexer.enterprises([saved]);
  return "changed";
}

export async function searchEnterprises(
  ctx: ServiceContext,
  query: EnterpriseQuery,
): Promise<{ items: Enterprise[]; hits: SearchHits }> {
  const hits = await ctx.search.searchEnterprises(query);
  const items = await ctx.store.enterprises.getMany(hits.ids);
  return { items, hits };
}
