import type { Tender } from "../domain/tender.js";
import type { ServiceContext } from "../services/context.js";

/** The planned tenders of a buyer, from the store (the truth), ordered by expected publication. */
export async function plannedTendersOfBuyer(ctx: ServiceContext, buyerId: string): Promise<Tender[]> {
  const stored = await ctx.store.tenders.byBuyer(buyerId, ["planned"]);
  return stored
    .map((s) => s.tender)
    .sort(
      (a, b) =>
        (a.expectedPublication?.date ?? "9999").localeCompare(b.expectedPublication?.date ?? "9999") ||
        a.id.localeCompare(b.id),
    );
}
