import { z } from "../domain/zod.js";
import { Slug } from "../domain/common.js";
import { Enterprise, EnterpriseInput } from "../domain/enterprise.js";
import { municipalities, municipalityAsBuyer } from "../domain/municipalities.js";
import { TenderInput, tenderFromInput } from "../domain/tender.js";
import type { ServiceContext } from "../services/context.js";
import { type DemoNoticeSet, type DemoNoticeSummary, loadDemoNotices } from "./notices.js";
import { saveEnterprise } from "../services/enterprises.service.js";
import { saveTender } from "../services/tenders.service.js";
import enterprisesJson from "./enterprises.json" with { type: "json" };
import tendersJson from "./tenders.json" with { type: "json" };

/** Demo data files: see PROVENANCE.md beside them. */
export const DemoEnterprise = EnterpriseInput.extend({ id: Slug });
export const DemoTender = TenderInput.extend({ externalId: Slug, buyerId: Slug });

export interface DemoSummary {
  buyers: number;
  enterprises: number;
  tenders: number;
  /** The real notices, per source, when they were loaded. */
  notices?: DemoNoticeSummary[];
}

/** The 98 Danish and 290 Swedish municipalities as buyers, when the store has no buyers yet. */
export async function loadReferenceBuyers(ctx: ServiceContext): Promise<number> {
  if ((await ctx.store.buyers.count()) > 0) return 0;
  const buyers = municipalities().map(municipalityAsBuyer);
  await ctx.store.buyers.upsertMany(buyers);
  return buyers.length;
}

/**
 * Loads the demo enterprises and planned tenders through the same services as any other source
 * (validated, stored with history, indexed), then the real notices when given (on Node).
 * Idempotent: a second run changes nothing.
 */
export async function loadDemoData(
  ctx: ServiceContext,
  notices: readonly DemoNoticeSet[] = [],
): Promise<DemoSummary> {
  const buyers = await loadReferenceBuyers(ctx);
  const now = ctx.clock().toISOString();
  const enterprises = z.array(DemoEnterprise).parse(enterprisesJson);
  const tenders = z.array(DemoTender).parse(tendersJson);
  const summary: DemoSummary = { buyers, enterprises: 0, tenders: 0 };
  for (const input of enterprises) {
    const enterprise = Enterprise.parse({ ...input, createdAt: now, updatedAt: now });
    if ((await saveEnterprise(ctx, enterprise)) !== "unchanged") summary.enterprises++;
  }
  for (const input of tenders) {
    const buyer = await ctx.store.buyers.get(input.buyerId);
    if (!buyer) throw new Error(`demo tender ${input.externalId}: unknown buyer ${input.buyerId}`);
    const tender = tenderFromInput(input, { id: `demo:${input.externalId}`, buyer, now });
    if ((await saveTender(ctx, tender, "demo")) !== "unchanged") summary.tenders++;
  }
  if (notices.length > 0) summary.notices = await loadDemoNotices(ctx, notices);
  return summary;
}
