import type { Actor } from "../domain/account.js";
import type { Buyer } from "../domain/buyer.js";
import { AppError } from "../domain/errors.js";
import { randomToken } from "../domain/hash.js";
import { assertMayChangeTender, buyerForNewTender, requireAccount } from "../domain/policy.js";
import {
  type Tender,
  type TenderInput,
  type TenderPatch,
  applyTenderPatch,
  tenderFromInput,
} from "../domain/tender.js";
import type { SearchHits, TenderQuery } from "../search/search.port.js";
import type { StoredTender, TenderHistoryEntry, UpsertOutcome } from "../store/store.js";
import type { ServiceContext } from "./context.js";

/** A buyer (or an admin for a buyer) publishes a tender: usually a planned item of its plan. */
export async function createTender(ctx: ServiceContext, actor: Actor, input: TenderInput): Promise<Tender> {
  const account = requireAccount(actor);
  const buyerId = buyerForNewTender(actor, input.buyerId);
  const buyer = await ctx.store.buyers.get(buyerId);
  if (!buyer) {
    throw new AppError("VALIDATION_FAILED", `unknown buyer ${buyerId}`, {
      fields: [{ path: "buyerId", message: "no buyer with this id (see GET /api/buyers)" }],
    });
  }
  const externalId = input.externalId ?? randomToken(9);
  const tender = tenderFromInput(input, {
    id: `api:${buyer.id}.${externalId}`,
    buyer,
    now: ctx.clock().toISOString(),
  });
  await ctx.store.tenders.create(tender, `api:${account.id}`);
  await ctx.indexer.tenders([tender]);
  return tender;
}

export async function getTender(ctx: ServiceContext, id: string): Promise<StoredTender> {
  const found = await ctx.store.tenders.get(id);
  if (!found) throw new AppError("NOT_FOUND", `no tender ${id}`);
  return found;
}

export interface LinkView {
  tenderId: string;
  title?: string;
  stage?: string;
  score: number;
  reason: string;
  linkedAt: string;
}

/** The plan-to-notice timeline of a tender: the notices that published it, the plans it published. */
export async function tenderLinks(
  ctx: ServiceContext,
  id: string,
): Promise<{ publishedAs: LinkView[]; plannedAs: LinkView[] }> {
  const links = await ctx.store.links.of(id);
  const others = await ctx.store.tenders.getMany(
    links.map((l) => (l.plannedId === id ? l.noticeId : l.plannedId)),
  );
  const byId = new Map(others.map((t) => [t.id, t]));
  const view = (otherId: string, l: (typeof links)[number]): LinkView => {
    const other = byId.get(otherId);
    return {
      tenderId: otherId,
      ...(other ? { title: other.title, stage: other.stage } : {}),
      score: l.score,
      reason: l.reason,
      linkedAt: l.linkedAt,
    };
  };
  return {
    publishedAs: links.filter((l) => l.plannedId === id).map((l) => view(l.noticeId, l)),
    plannedAs: links.filter((l) => l.noticeId === id).map((l) => view(l.plannedId, l)),
  };
}

export async function tenderHistory(ctx: ServiceContext, id: string): Promise<TenderHistoryEntry[]> {
  return ctx.store.tenders.history(id);
}

export async function patchTender(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  patch: TenderPatch,
): Promise<Tender> {
  const account = requireAccount(actor);
  const current = await getTender(ctx, id);
  assertMayChangeTender(actor, current.tender.buyer.id);
  const next = applyTenderPatch(current.tender, patch, ctx.clock().toISOString());
  const result = await ctx.store.tenders.replace(current, next, `api:${account.id}`);
  if (!result)
    throw new AppError("CONFLICT", `tender ${id} was changed by someone else; reload and try again`);
  if (result.outcome === "changed") await ctx.indexer.tenders([result.tender]);
  return result.tender;
}

/** Deleting is soft: the tender becomes `withdrawn` and keeps its history. */
export async function withdrawTender(ctx: ServiceContext, actor: Actor, id: string): Promise<Tender> {
  const current = await getTender(ctx, id);
  assertMayChangeTender(actor, current.tender.buyer.id);
  if (current.tender.stage === "withdrawn") return current.tender;
  return patchTender(ctx, actor, id, { stage: "withdrawn" });
}

/**
 * Saves a tender from a source (demo data, a crawler): inserted, changed with history, or left
 * alone when its content is unchanged; indexed when it changed.
 */
export async function saveTender(
  ctx: ServiceContext,
  tender: Tender,
  source: string,
  buyer?: Buyer,
): Promise<UpsertOutcome> {
  const result = await ctx.store.tenders.upsert(tender, source, buyer);
  if (result.outcome !== "unchanged") await ctx.indexer.tenders([result.tender]);
  return result.outcome;
}

export async function searchTenders(
  ctx: ServiceContext,
  query: TenderQuery,
): Promise<{ items: Tender[]; hits: SearchHits }> {
  const hits = await ctx.search.searchTenders(query);
  const items = await ctx.store.tenders.getMany(hits.ids);
  return { items, hits };
}
