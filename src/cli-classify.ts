import { once } from "node:events";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { CLASSIFY_LANGUAGES, type Classifier, type ClassifyLanguage } from "./classify/classifier.port.js";
import { CliError } from "./cli-ingest.js";
import { DEFAULT_SUGGESTIONS, suggestCpv } from "./services/classify.service.js";

/**
 * `classify [--lang da|sv|nb|en] [--json]`: one text per line on stdin, one answer per line on
 * stdout, in input order. With --json each answer is exactly the top 5 as
 * `[{"code","label","score"}]` (`[]` for an empty line). Lines are read and answered one at a
 * time, so any amount of input streams through in constant memory. Opens no database.
 */
export interface ClassifyCommandOptions {
  lang?: string;
  json: boolean;
  input: Readable;
  output: Writable;
  /** The bundled classifier when absent (tests inject their own). */
  classifier?: Classifier;
}

function languageOption(lang: string | undefined): ClassifyLanguage | undefined {
  if (lang === undefined) return undefined;
  const found = CLASSIFY_LANGUAGES.find((l) => l === lang);
  if (!found) throw new CliError(`--lang must be one of ${CLASSIFY_LANGUAGES.join(", ")} (got "${lang}")`, 2);
  return found;
}

/** Writes a line, waiting while the reader of stdout is behind (a pipe into `head`, a slow consumer). */
async function writeLine(output: Writable, line: string): Promise<void> {
  if (!output.write(`${line}\n`)) await once(output, "drain");
}

export async function classifyCommand(options: ClassifyCommandOptions): Promise<number> {
  const lang = languageOption(options.lang);
  const ctx = options.classifier ? { classifier: options.classifier } : {};
  const lines = createInterface({ input: options.input, crlfDelay: Infinity });
  for await (const line of lines) {
    const text = line.trim();
    const suggestions =
      text === ""
        ? []
        : suggestCpv(ctx, { text, limit: DEFAULT_SUGGESTIONS, ...(lang ? { lang } : {}) }).suggestions;
    await writeLine(
      options.output,
      options.json
        ? JSON.stringify(suggestions)
        : `${text || "(empty)"}\t${
            suggestions.map((s) => `${s.code} ${s.label} (${s.score.toFixed(2)})`).join("; ") || "no code"
          }`,
    );
  }
  return 0;
}
