import { significant, uniqueCodes } from "../domain/cpv.js";
import type { Enterprise } from "../domain/enterprise.js";
import { AppError } from "../domain/errors.js";
import {
  type GroupCheck,
  type GroupRule,
  type MatchResult,
  type PastAward,
  type SubcontractingResult,
  type TenderInsight,
  type TrackRecord,
  checkGroup,
  coveringCodes,
  enterpriseCovers,
  formConsortia,
  subcontractingLeads,
  tenderInsight,
} from "../domain/matching/index.js";
import type { MatchTenderOf } from "../domain/match-input.js";
import type { Tender, TenderStage } from "../domain/tender.js";
import type { StoredTender } from "../store/store.js";
import type { ServiceContext } from "./context.js";

/**
 * Matching over the store and the search index: candidates are the enterprises the index finds
 * holding a code that covers one of the tender's codes (`coveringCodes`); whether each serves the
 * place (its own radius), is eligible and has the capacity is judged by the domain.
 */

/** At most this many candidates per tender are read from the index (nearest first is not known to the index; see README). */
export const MAX_CANDIDATES = 5_000;
const CANDIDATE_PAGE = 1_000;
/** At most this many tenders are matched for one enterprise's opportunities. */
export const MAX_OPPORTUNITY_TENDERS = 200;

export type MatchQuestion = {
  lots?: string[];
  maxSize?: number;
  limit?: number;
  groupRule?: GroupRule;
};

export type CandidateSet = { enterprises: Enterprise[]; total: number; truncated: boolean };

/** The enterprises the search index finds holding a code that covers one of `codes`. */
export async function candidatesCovering(
  ctx: ServiceContext,
  codes: readonly string[],
): Promise<CandidateSet> {
  const cpvCodes = uniqueCodes(codes.flatMap(coveringCodes));
  if (cpvCodes.length === 0) return { enterprises: [], total: 0, truncated: false };
  const ids: string[] = [];
  let total = 0;
  for (let offset = 0; offset < MAX_CANDIDATES; offset += CANDIDATE_PAGE) {
    const hits = await ctx.search.searchEnterprises({
      cpvCodes,
      sort: "relevance",
      offset,
      limit: Math.min(CANDIDATE_PAGE, MAX_CANDIDATES - offset),
      facets: [],
    });
    total = hits.total;
    ids.push(...hits.ids);
    if (hits.ids.length === 0 || ids.length >= total) break;
  }
  const enterprises = await ctx.store.enterprises.getMany(ids);
  return { enterprises, total, truncated: total > ids.length };
}

/** "DK-12345678", "dk12345678" and "12345678" are one organisation number. */
function orgKey(orgId: string): string {
  return orgId
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "")
    .replace(/^[A-Z]{2}(?=\d)/, "");
}

/**
 * The awarded tenders in the store, read once per store revision and kept by winner
 * organisation number: contracts won, groups that won together, and Art. 77 awards with their
 * buyer and date (for the three-year rule).
 */
type Art77Award = { winner: string; buyerId: string; awardedAt: string };
type AwardIndex = {
  revision: number;
  awards: Map<string, number>;
  jointWins: string[][];
  art77: Art77Award[];
};
const awardIndexes = new WeakMap<object, AwardIndex>();
const AWARD_PAGE = 500;

async function awardIndex(ctx: ServiceContext): Promise<AwardIndex> {
  const revision = await ctx.store.revision();
  const cached = awardIndexes.get(ctx.store);
  if (cached && cached.revision === revision) return cached;
  const awards = new Map<string, number>();
  const jointWins: string[][] = [];
  const art77: Art77Award[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await ctx.store.tenders.page(after, AWARD_PAGE);
    for (const t of page) {
      if (t.stage !== "awarded") continue;
      const winners = uniqueCodes((t.awardedTo ?? []).flatMap((w) => (w.orgId ? [orgKey(w.orgId)] : [])));
      for (const w of winners) awards.set(w, (awards.get(w) ?? 0) + 1);
      if (winners.length > 1) jointWins.push(winners);
      if (t.reserved === "res-pub-ser") {
        const awardedAt = t.notice?.publishedAt ?? t.lastChanged;
        for (const winner of winners) art77.push({ winner, buyerId: t.buyer.id, awardedAt });
      }
    }
    if (page.length < AWARD_PAGE) break;
    after = page[page.length - 1]?.id;
  }
  const index = { revision, awards, jointWins, art77 };
  awardIndexes.set(ctx.store, index);
  return index;
}

/**
 * Art. 77 contracts this buyer awarded to any of `enterprises`, matched by organisation number:
 * the three-year rule of Art. 77(3).
 */
export async function pastArt77Awards(
  ctx: ServiceContext,
  buyerId: string,
  enterprises: readonly Pick<Enterprise, "id" | "orgId">[],
): Promise<PastAward[]> {
  const byOrg = new Map<string, string>();
  for (const e of enterprises) if (e.orgId) byOrg.set(orgKey(e.orgId), e.id);
  if (byOrg.size === 0) return [];
  const index = await awardIndex(ctx);
  return index.art77.flatMap((a) => {
    const enterpriseId = a.buyerId === buyerId ? byOrg.get(a.winner) : undefined;
    return enterpriseId
      ? [{ enterpriseId, buyerId, reserved: "res-pub-ser" as const, awardedAt: a.awardedAt }]
      : [];
  });
}

/**
 * The candidates' track record from the awarded tenders in the store (any buyer), matched by
 * organisation number: contracts won, and groups of candidates that won one together.
 */
export async function trackRecord(
  ctx: ServiceContext,
  enterprises: readonly Pick<Enterprise, "id" | "orgId">[],
): Promise<TrackRecord> {
  const index = await awardIndex(ctx);
  const idsByOrg = new Map<string, string[]>();
  for (const e of enterprises) {
    if (!e.orgId) continue;
    const key = orgKey(e.orgId);
    idsByOrg.set(key, [...(idsByOrg.get(key) ?? []), e.id]);
  }
  const awards: Record<string, number> = {};
  for (const [key, ids] of idsByOrg) {
    const n = index.awards.get(key);
    if (n) for (const id of ids) awards[id] = n;
  }
  const jointWins = index.jointWins
    .map((group) => group.flatMap((key) => idsByOrg.get(key) ?? []))
    .filter((ids) => ids.length > 1);
  return { awards, jointWins };
}

/** Names (and where they are) of the enterprises a result mentions, so a reader needs no second call. */
export type EnterpriseRef = { id: string; name: string; municipality?: string; country: string };

function refs(enterprises: readonly Enterprise[], ids: Iterable<string>): Record<string, EnterpriseRef> {
  const wanted = new Set(ids);
  const out: Record<string, EnterpriseRef> = {};
  for (const e of enterprises) {
    if (!wanted.has(e.id)) continue;
    out[e.id] = {
      id: e.id,
      name: e.name,
      country: e.country,
      ...(e.municipality ? { municipality: e.municipality } : {}),
    };
  }
  return out;
}

function mentioned(result: MatchResult, subcontracting?: SubcontractingResult, group?: GroupCheck): string[] {
  return [
    ...result.consortia.flatMap((c) => c.members),
    ...result.singles.map((s) => s.id),
    ...result.lotSingles.flatMap((l) => l.members),
    ...(result.infeasible?.closest.map((c) => c.id) ?? []),
    ...(subcontracting?.leads.flatMap((l) => l.members) ?? []),
    ...(group?.members ?? []),
  ];
}

export type TenderMatches = MatchResult & {
  tenderId: string;
  subcontracting: SubcontractingResult;
  candidates: { count: number; total: number; truncated: boolean };
  enterprises: Record<string, EnterpriseRef>;
  group?: GroupCheck;
};

/** Matching for one tender over given candidates (the index's, or the what-if's). */
async function matchOver(
  ctx: ServiceContext,
  tender: MatchTenderOf,
  found: CandidateSet,
  question: MatchQuestion,
  groupIds?: readonly string[],
): Promise<TenderMatches> {
  const now = ctx.clock().toISOString();
  const pastAwards = await pastArt77Awards(ctx, tender.buyer.id, found.enterprises);
  const options = {
    now,
    pastAwards,
    record: await trackRecord(ctx, found.enterprises),
    ...(question.lots ? { lots: question.lots } : {}),
    ...(question.maxSize !== undefined ? { maxSize: question.maxSize } : {}),
    ...(question.limit !== undefined ? { limit: question.limit } : {}),
    ...(question.groupRule ? { groupRule: question.groupRule } : {}),
  };
  const result = formConsortia(tender, found.enterprises, options);
  const winners = new Set((tender.awardedTo ?? []).flatMap((w) => (w.orgId ? [orgKey(w.orgId)] : [])));
  const subcontracting = subcontractingLeads(tender, found.enterprises, {
    now,
    excludeIds: found.enterprises.filter((e) => e.orgId && winners.has(orgKey(e.orgId))).map((e) => e.id),
  });
  const group = groupIds
    ? checkGroup(
        tender,
        groupIds.flatMap((id) => found.enterprises.filter((e) => e.id === id)),
        options,
      )
    : undefined;
  return {
    tenderId: tender.id,
    ...result,
    subcontracting,
    candidates: { count: found.enterprises.length, total: found.total, truncated: found.truncated },
    enterprises: refs(found.enterprises, mentioned(result, subcontracting, group)),
    ...(group ? { group } : {}),
  };
}

function matchable(tender: Tender): MatchTenderOf {
  return {
    id: tender.id,
    title: tender.title,
    stage: tender.stage,
    buyer: { id: tender.buyer.id },
    reserved: tender.reserved,
    ...(tender.place ? { place: tender.place } : {}),
    lots: tender.lots,
    requirements: tender.requirements,
    ...(tender.awardedTo ? { awardedTo: tender.awardedTo } : {}),
  };
}

async function storedTender(ctx: ServiceContext, id: string): Promise<Tender> {
  const found = await ctx.store.tenders.get(id);
  if (!found) throw new AppError("NOT_FOUND", `no tender ${id}`);
  return found.tender;
}

/** `GET /api/tenders/:id/matches`: singles, consortia, subcontracting leads for a stored tender. */
export async function tenderMatches(
  ctx: ServiceContext,
  id: string,
  question: MatchQuestion,
): Promise<TenderMatches> {
  const tender = await storedTender(ctx, id);
  return matchOver(ctx, matchable(tender), await candidatesCovering(ctx, tender.cpv), question);
}

export type WhatIf = MatchQuestion & {
  tenderId?: string;
  tender?: MatchTenderOf;
  /** Only these enterprises are considered; the group of exactly them is checked too. */
  enterpriseIds?: string[];
};

/** `POST /api/match`: a stored or a posted tender, over the index's candidates or the named enterprises. */
export async function whatIf(ctx: ServiceContext, question: WhatIf): Promise<TenderMatches> {
  const tender =
    question.tender ??
    (question.tenderId ? matchable(await storedTender(ctx, question.tenderId)) : undefined);
  if (!tender) {
    throw new AppError("VALIDATION_FAILED", "give a tender or a tenderId", {
      fields: [{ path: "tender", message: "required when tenderId is absent" }],
    });
  }
  if (!question.enterpriseIds) {
    const codes = tender.lots.flatMap((l) => l.cpv);
    return matchOver(ctx, tender, await candidatesCovering(ctx, codes), question);
  }
  const ids = uniqueCodes(question.enterpriseIds);
  const enterprises = await ctx.store.enterprises.getMany(ids);
  const known = new Set(enterprises.map((e) => e.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new AppError("VALIDATION_FAILED", `unknown enterprises: ${unknown.join(", ")}`, {
      fields: unknown.map((id) => ({
        path: `enterpriseIds.${question.enterpriseIds?.indexOf(id) ?? 0}`,
        message: `no enterprise ${id}`,
      })),
    });
  }
  return matchOver(ctx, tender, { enterprises, total: enterprises.length, truncated: false }, question, ids);
}

/**
 * Matching for a stored tender over the index's candidates, with `include` (enterprises as the
 * store has them now) added or put in place of the index's copy: the index is brought up to
 * date after the store write, so it may not have caught up with the write an enterprise event
 * records. Whether each serves the place, is eligible and has the capacity is still the domain's.
 */
export async function tenderMatchesWith(
  ctx: ServiceContext,
  tender: Tender,
  include: readonly Enterprise[],
  question: MatchQuestion = {},
): Promise<TenderMatches> {
  const codes = uniqueCodes([...tender.cpv, ...tender.lots.flatMap((l) => l.cpv)]);
  const found = await candidatesCovering(ctx, codes);
  const fresh = include.filter((e) => codes.some((code) => enterpriseCovers(e, code)));
  const replaced = new Set(fresh.map((e) => e.id));
  const enterprises = [...found.enterprises.filter((e) => !replaced.has(e.id)), ...fresh];
  return matchOver(ctx, matchable(tender), { ...found, enterprises }, question);
}

/**
 * The tenders (planned and open by default) with a code the enterprise covers, from the search
 * index, with their stored versions: at most `limit`, soonest deadline first; `truncated` when
 * the index has more.
 */
export async function tendersWithWorkFor(
  ctx: ServiceContext,
  enterprise: Enterprise,
  options: { stages?: readonly TenderStage[]; limit?: number } = {},
): Promise<{ tenders: StoredTender[]; total: number; truncated: boolean }> {
  const prefixes = uniqueCodes(enterprise.cpv.map(significant));
  if (prefixes.length === 0) return { tenders: [], total: 0, truncated: false };
  const stages: readonly TenderStage[] = options.stages ?? DEFAULT_OPPORTUNITY_STAGES;
  const hits = await ctx.search.searchTenders({
    cpv: prefixes,
    stage: [...stages],
    sort: "deadline",
    offset: 0,
    limit: options.limit ?? MAX_OPPORTUNITY_TENDERS,
    facets: [],
  });
  // The store decides: the index may lag a write.
  const tenders = (await ctx.store.tenders.getManyStored(hits.ids)).filter(
    ({ tender }) =>
      stages.includes(tender.stage) && tender.cpv.some((code) => enterpriseCovers(enterprise, code)),
  );
  return { tenders, total: hits.total, truncated: hits.total > hits.ids.length };
}

export type TenderSummary = Pick<
  Tender,
  "id" | "title" | "stage" | "reserved" | "expectedPublication" | "deadline" | "estimatedValue"
> & { buyer: Tender["buyer"] };

function summary(t: Tender): TenderSummary {
  return {
    id: t.id,
    title: t.title,
    stage: t.stage,
    reserved: t.reserved,
    buyer: t.buyer,
    ...(t.expectedPublication ? { expectedPublication: t.expectedPublication } : {}),
    ...(t.deadline ? { deadline: t.deadline } : {}),
    ...(t.estimatedValue ? { estimatedValue: t.estimatedValue } : {}),
  };
}

export type Opportunity = {
  tender: TenderSummary;
  /** Can bid alone for all the lots matched (all, or the first `maxLotsPerBidder`). */
  alone: boolean;
  /** Lots it can bid for alone. */
  aloneLots: string[];
  /** Suggested consortia it is a member of. */
  consortia: MatchResult["consortia"];
  enterprises: Record<string, EnterpriseRef>;
};

export const DEFAULT_OPPORTUNITY_STAGES: readonly TenderStage[] = ["planned", "open"];

/**
 * `GET /api/enterprises/:id/opportunities`: the tenders (planned and open by default) with a code
 * the enterprise covers, where it can bid alone (for all lots or some) or is in a suggested
 * consortium. Alone for all lots first, then alone for some, then in a consortium; by deadline
 * or expected publication within each.
 */
export async function enterpriseOpportunities(
  ctx: ServiceContext,
  id: string,
  options: { stages?: readonly TenderStage[]; maxSize?: number; groupRule?: GroupRule } = {},
): Promise<{
  enterpriseId: string;
  opportunities: Opportunity[];
  tendersConsidered: number;
  truncated: boolean;
}> {
  const found = await ctx.store.enterprises.get(id);
  if (!found) throw new AppError("NOT_FOUND", `no enterprise ${id}`);
  const enterprise = found.enterprise;
  const prefixes = uniqueCodes(enterprise.cpv.map(significant));
  if (prefixes.length === 0)
    return { enterpriseId: id, opportunities: [], tendersConsidered: 0, truncated: false };
  const hits = await ctx.search.searchTenders({
    cpv: prefixes,
    stage: [...(options.stages ?? DEFAULT_OPPORTUNITY_STAGES)],
    sort: "deadline",
    offset: 0,
    limit: MAX_OPPORTUNITY_TENDERS,
    facets: [],
  });
  const tenders = (await ctx.store.tenders.getMany(hits.ids)).filter((t) =>
    t.cpv.some((code) => enterpriseCovers(enterprise, code)),
  );
  const opportunities: Opportunity[] = [];
  for (const tender of tenders) {
    const m = await matchOver(ctx, matchable(tender), await candidatesCovering(ctx, tender.cpv), {
      ...(options.maxSize !== undefined ? { maxSize: options.maxSize } : {}),
      ...(options.groupRule ? { groupRule: options.groupRule } : {}),
    });
    const alone = m.singles.some((s) => s.id === id);
    const aloneLots = m.lotSingles.filter((l) => l.members.includes(id)).map((l) => l.lotId);
    const consortia = m.consortia.filter((c) => c.members.includes(id));
    if (!alone && aloneLots.length === 0 && consortia.length === 0) continue;
    const members = consortia.flatMap((c) => c.members);
    opportunities.push({
      tender: summary(tender),
      alone,
      aloneLots,
      consortia,
      enterprises: Object.fromEntries(Object.entries(m.enterprises).filter(([k]) => members.includes(k))),
    });
  }
  const rank = (o: Opportunity) => (o.alone ? 0 : o.aloneLots.length > 0 ? 1 : 2);
  const when = (o: Opportunity) => o.tender.deadline ?? o.tender.expectedPublication?.date ?? "9999";
  opportunities.sort((a, b) => rank(a) - rank(b) || when(a).localeCompare(when(b)));
  return {
    enterpriseId: id,
    opportunities,
    tendersConsidered: tenders.length,
    truncated: hits.total > hits.ids.length,
  };
}

/** `GET /api/buyers/:id/insight`: for each planned tender of the buyer, who could bid and what to reserve. */
export async function buyerInsight(
  ctx: ServiceContext,
  buyerId: string,
  options: { maxSize?: number; groupRule?: GroupRule } = {},
): Promise<{ buyerId: string; name: string; tenders: TenderInsight[] }> {
  const buyer = await ctx.store.buyers.get(buyerId);
  if (!buyer) throw new AppError("NOT_FOUND", `no buyer ${buyerId}`);
  const planned = await ctx.store.tenders.byBuyer(buyerId, ["planned"]);
  const now = ctx.clock().toISOString();
  const tenders: TenderInsight[] = [];
  for (const { tender } of planned) {
    const found = await candidatesCovering(ctx, tender.cpv);
    tenders.push(
      tenderInsight(matchable(tender), found.enterprises, {
        now,
        pastAwards: await pastArt77Awards(ctx, buyerId, found.enterprises),
        ...(options.maxSize !== undefined ? { maxSize: options.maxSize } : {}),
        ...(options.groupRule ? { groupRule: options.groupRule } : {}),
      }),
    );
  }
  return { buyerId, name: buyer.name, tenders };
}
