/**
 * Parsers for the raw text of each plan field (see `PLAN_FIELDS`): pure functions from what a
 * cell says to the domain's types, each returning undefined rather than guessing. One module per
 * field under `fields/`; `toPlanItem` puts them together.
 */
export { cleanLines, cleanText, isPlaceholder } from "./fields/text.js";
export { parseExpectedPublication } from "./fields/publication.js";
export { parseEstimatedValue } from "./fields/money.js";
export { parseContractPeriod } from "./fields/period.js";
export type { ContractPeriod } from "./fields/period.js";
export { findReservedHint } from "./fields/reserved.js";
export { findCpvCodes } from "./fields/cpv.js";
