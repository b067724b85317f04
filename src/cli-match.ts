import { basename } from "node:path";
import { CliError, readInput } from "./cli-ingest.js";
import {
  MatchEnterprisesInput,
  MatchTenderInput,
  matchEnterprisesOf,
  matchTenderOf,
} from "./domain/match-input.js";
import { GROUP_RULES, type GroupRule, formConsortia } from "./domain/matching/index.js";

/**
 * `match --tender <tender.json> --enterprises <enterprises.json> [--max-size 4] [--limit 10]
 * [--lots a,b] [--group-rule per-member|combined] [--json]`: consortia and singles for a tender
 * over the given enterprises, in the API's JSON shapes (unknown fields ignored). Opens no
 * database and no index: the enterprises given are all the candidates.
 */
export interface MatchCommandOptions {
  tender: string;
  enterprises: string;
  maxSize?: string;
  limit?: string;
  lots?: string;
  groupRule?: string;
  json: boolean;
  /** ISO date-time (Art. 77's three-year rule); now when absent. */
  now?: string;
}

function integerOption(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new CliError(`--${name} must be a whole number from ${min} to ${max} (got "${value}")`, 2);
  return n;
}

function groupRuleOption(value: string | undefined): GroupRule | undefined {
  if (value === undefined) return undefined;
  const rule = GROUP_RULES.find((r) => r === value);
  if (!rule) throw new CliError(`--group-rule must be one of ${GROUP_RULES.join(", ")} (got "${value}")`, 2);
  return rule;
}

async function readJson(file: string): Promise<unknown> {
  const text = new TextDecoder().decode(await readInput(file));
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(
      `${basename(file)}: not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function invalid(
  file: string,
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): CliError {
  const lines = issues.slice(0, 20).map((i) => `  ${i.path.map(String).join(".") || "(root)"}: ${i.message}`);
  const more = issues.length > 20 ? `\n  … and ${issues.length - 20} more` : "";
  return new CliError(`${basename(file)}: invalid\n${lines.join("\n")}${more}`);
}

export async function matchCommand(options: MatchCommandOptions): Promise<number> {
  const maxSize = integerOption("max-size", options.maxSize, 1, 8);
  const limit = integerOption("limit", options.limit, 1, 1000);
  const groupRule = groupRuleOption(options.groupRule);
  const tenderInput = MatchTenderInput.safeParse(await readJson(options.tender));
  if (!tenderInput.success) throw invalid(options.tender, tenderInput.error.issues);
  const enterprisesInput = MatchEnterprisesInput.safeParse(await readJson(options.enterprises));
  if (!enterprisesInput.success) throw invalid(options.enterprises, enterprisesInput.error.issues);
  const tender = matchTenderOf(tenderInput.data);
  const lots = options.lots
    ?.split(",")
    .map((l) => l.trim())
    .filter(Boolean);
  const result = formConsortia(tender, matchEnterprisesOf(enterprisesInput.data), {
    now: options.now ?? new Date().toISOString(),
    ...(maxSize !== undefined ? { maxSize } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(groupRule ? { groupRule } : {}),
    ...(lots && lots.length > 0 ? { lots } : {}),
  });
  const answer = {
    consortia: result.consortia.map((c) => ({
      members: c.members,
      lots: c.lots,
      score: c.score,
      explanation: c.explanation,
      competitionFlag: c.competitionFlag,
    })),
    singles: result.singles,
    infeasible: result.infeasible ?? null,
  };
  if (options.json) {
    process.stdout.write(`${JSON.stringify(answer)}\n`);
    return 0;
  }
  const lines = [
    `${tender.title}: ${result.lots.length} lot(s) ${result.lots.join(", ")}${result.lotsCapped ? " (capped at the lots per bidder)" : ""}`,
    ...answer.consortia.map(
      (c, i) =>
        `${i + 1}. ${c.members.join(" + ")}  score ${c.score.toFixed(3)}${c.competitionFlag ? "  [competition flag]" : ""}`,
    ),
    `alone: ${answer.singles.map((s) => s.id).join(", ") || "nobody"}`,
    ...(answer.infeasible
      ? [`no feasible consortium: ${answer.infeasible.reasons.map((r) => JSON.stringify(r)).join("; ")}`]
      : []),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}
