import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { JOBS } from "../../../src/jobs/registry.js";

/**
 * The Workers Cron Triggers in wrangler.toml must be the crons of the job registry, which
 * node-cron also reads (server.ts): a job added to one and not the other would run on one
 * runtime only.
 */

/** The `crons` array of the `[triggers]` table: a minimal TOML read, enough for this file. */
function triggerCrons(toml: string): string[] {
  const lines = toml.split(/\r?\n/).map((line) => line.replace(/(^|\s)#.*$/, "").trim());
  const start = lines.indexOf("[triggers]");
  if (start < 0) throw new Error("wrangler.toml has no [triggers] table");
  const isTableHeader = (line: string) => /^\[\[?[A-Za-z0-9_.-]+\]\]?$/.test(line);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex(isTableHeader);
  const table = (end < 0 ? rest : rest.slice(0, end)).join("\n");
  const match = /^crons\s*=\s*\[([^\]]*)\]/m.exec(table);
  if (!match) throw new Error("[triggers] has no crons = [...] array");
  return [...(match[1] ?? "").matchAll(/"([^"]*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2] ?? "");
}

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

/** Problems with a 5-field cron expression (numbers, `*`, ranges, steps and lists), none when valid. */
function cronProblems(expression: string): string[] {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== FIELDS.length) return [`has ${parts.length} fields, not 5`];
  const problems: string[] = [];
  parts.forEach((part, i) => {
    const field = FIELDS[i];
    if (!field) return;
    const inRange = (n: number) => Number.isInteger(n) && n >= field.min && n <= field.max;
    for (const item of part.split(",")) {
      const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
      const ok =
        m !== null &&
        (m[2] === undefined || inRange(Number(m[2]))) &&
        (m[3] === undefined || (inRange(Number(m[3])) && Number(m[3]) >= Number(m[2]))) &&
        (m[4] === undefined || Number(m[4]) >= 1);
      if (!ok) problems.push(`${field.name} "${item}" is not valid (${field.min}-${field.max})`);
    }
  });
  return problems;
}

describe("cron triggers", () => {
  const toml = readFileSync(new URL("../../../wrangler.toml", import.meta.url), "utf8");

  it("wrangler.toml [triggers] crons equal the crons of the job registry", () => {
    const crons = triggerCrons(toml);
    expect(crons.length).toBe(new Set(crons).size);
    expect(new Set(crons)).toEqual(new Set(JOBS.map((job) => job.cron)));
  });

  it("every job has a valid 5-field cron expression and a unique name", () => {
    expect(JOBS.length).toBeGreaterThan(0);
    for (const job of JOBS) expect(cronProblems(job.cron), `${job.name}: ${job.cron}`).toEqual([]);
    expect(new Set(JOBS.map((job) => job.name)).size).toBe(JOBS.length);
  });

  it("the cron check itself rejects malformed expressions", () => {
    expect(cronProblems("17 3 * * *")).toEqual([]);
    expect(cronProblems("*/15 8-17 * 1,6 1-5")).toEqual([]);
    expect(cronProblems("17 3 * *")).not.toEqual([]);
    expect(cronProblems("60 3 * * *")).not.toEqual([]);
    expect(cronProblems("17 24 * * *")).not.toEqual([]);
    expect(cronProblems("17 3 0 * *")).not.toEqual([]);
    expect(cronProblems("17 3 * * mon")).not.toEqual([]);
    expect(cronProblems("5-1 3 * * *")).not.toEqual([]);
  });

  it("the TOML read finds the array wherever the table is, and only in [triggers]", () => {
    const other =
      '[vars]\ncrons = ["1 1 * * *"]\n\n[triggers] \ncrons = [\n  "17 3 * * *", # nightly\n  "0 */6 * * *"\n]\n[[rules]]\n';
    expect(triggerCrons(other)).toEqual(["17 3 * * *", "0 */6 * * *"]);
  });
});
