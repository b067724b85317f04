import type { Settings } from "meilisearch";
import { enterprisesIndex } from "./enterprises.js";
import { tendersIndex } from "./tenders.js";

export { enterprisesIndex, enterprisesSettings } from "./enterprises.js";
export { DOCUMENT_KEY, MAX_TOTAL_HITS, RANKING_RULES, tendersIndex, tendersSettings } from "./tenders.js";
export { SYNONYMS, mergeSynonymGroups } from "./synonyms/index.js";

export type IndexName = "tenders" | "enterprises";

/** One Meilisearch index: its uid is `${prefix}${uidSuffix}` (MEILI_INDEX_PREFIX + suffix). */
export interface IndexConfig {
  readonly name: IndexName;
  readonly uidSuffix: string;
  readonly primaryKey: string;
  readonly settings: Settings;
}

export const INDEX_CONFIGS: readonly IndexConfig[] = [tendersIndex, enterprisesIndex];

export function indexUid(prefix: string, config: Pick<IndexConfig, "uidSuffix">): string {
  return `${prefix}${config.uidSuffix}`;
}
