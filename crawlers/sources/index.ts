import { z } from "../../src/domain/zod.js";
import { SourceConfig } from "../source.js";
import dk from "./dk.json" with { type: "json" };
import eu from "./eu.json" with { type: "json" };
import se from "./se.json" with { type: "json" };

/**
 * The known sources, declared as data: one JSON file per country or network. Adding a
 * municipality whose plan page the general extractor reads is a few lines in one of them.
 */
export const SOURCE_FILES: Readonly<Record<string, unknown>> = {
  "crawlers/sources/dk.json": dk,
  "crawlers/sources/se.json": se,
  "crawlers/sources/eu.json": eu,
};

export class SourceConfigError extends Error {
  override readonly name = "SourceConfigError";
}

/** Validates source declarations: every field, and ids unique across files. */
export function validateSources(files: Readonly<Record<string, unknown>>): SourceConfig[] {
  const problems: string[] = [];
  const configs: SourceConfig[] = [];
  for (const [file, content] of Object.entries(files)) {
    const parsed = z.array(z.unknown()).safeParse(content);
    if (!parsed.success) {
      problems.push(`${file}: expected an array of sources`);
      continue;
    }
    parsed.data.forEach((raw, i) => {
      const result = SourceConfig.safeParse(raw);
      if (result.success) configs.push(result.data);
      else {
        for (const issue of result.error.issues) {
          problems.push(`${file} [${i}] ${issue.path.join(".") || "(source)"}: ${issue.message}`);
        }
      }
    });
  }
  const seen = new Set<string>();
  for (const c of configs) {
    if (seen.has(c.id)) problems.push(`source id ${c.id} is declared twice`);
    seen.add(c.id);
  }
  if (problems.length > 0)
    throw new SourceConfigError(`invalid source declarations:\n  ${problems.join("\n  ")}`);
  return configs;
}

let known: SourceConfig[] | undefined;

/** Every declared source, validated once. */
export function knownSources(): SourceConfig[] {
  known ??= validateSources(SOURCE_FILES);
  return known;
}
