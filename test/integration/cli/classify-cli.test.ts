/**
 * `classify`: one text per line in, one answer per line out, in input order. First the command
 * in-process with a classifier the test controls, then the real CLI with the bundled one.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Classification, Classifier, ClassifyOptions } from "../../../src/classify/classifier.port.js";
import { classifyCommand } from "../../../src/cli-classify.js";
import { CliError } from "../../../src/cli-ingest.js";
import { runCli } from "../../support/process.js";

interface Suggestion {
  code: string;
  label: string;
  score: number;
}

/** Answers "text N" with codes that encode N, so that each output line shows which input it answers. */
function numberingClassifier(): Classifier & { langs: (string | undefined)[] } {
  const langs: (string | undefined)[] = [];
  return {
    version: "fake-numbering",
    langs,
    classify(title: string, options?: ClassifyOptions): Classification {
      langs.push(options?.lang);
      const n = Number(/\d+/.exec(title)?.[0] ?? "0");
      return {
        language: options?.lang ?? "da",
        suggestions: Array.from({ length: 8 }, (_, rank) => ({
          code: String(10_000_000 + n * 10 + rank),
          label: `${title} #${rank}`,
          score: 0.9 - rank * 0.1,
        })).slice(0, options?.limit ?? 5),
      };
    },
  };
}

async function runInProcess(
  input: string,
  options: { json: boolean; lang?: string; classifier?: Classifier },
): Promise<{ code: number; lines: string[] }> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let out = "";
  stdout.on("data", (d: Buffer) => (out += d.toString()));
  stdin.end(input);
  const code = await classifyCommand({
    json: options.json,
    input: stdin,
    output: stdout,
    classifier: options.classifier ?? numberingClassifier(),
    ...(options.lang ? { lang: options.lang } : {}),
  });
  return { code, lines: out.split("\n").slice(0, -1) };
}

describe("classifyCommand (in-process, injected classifier)", () => {
  it("writes exactly the top 5 [{code,label,score}] per input line, [] for an empty line, in input order", async () => {
    const { code, lines } = await runInProcess("text 1\n\ntext 3\n   \ntext 5\n", { json: true });
    expect(code).toBe(0);
    expect(lines).toHaveLength(5);
    const parsed = lines.map((l) => JSON.parse(l) as Suggestion[]);
    expect(parsed[1]).toEqual([]);
    expect(parsed[3]).toEqual([]);
    for (const [i, n] of [
      [0, 1],
      [2, 3],
      [4, 5],
    ] as const) {
      const answer = parsed[i] ?? [];
      expect(answer).toHaveLength(5);
      expect(answer[0]).toEqual({ code: String(10_000_000 + n * 10), label: `text ${n} #0`, score: 0.9 });
      for (const s of answer) expect(Object.keys(s).sort()).toEqual(["code", "label", "score"]);
    }
  });

  it("answers the last line without a final newline, and CRLF input like LF", async () => {
    const { lines } = await runInProcess("text 1\r\ntext 2", { json: true });
    expect(lines.map((l) => (JSON.parse(l) as Suggestion[])[0]?.code)).toEqual(["10000010", "10000020"]);
  });

  it("passes --lang to the classifier for every line", async () => {
    const classifier = numberingClassifier();
    await runInProcess("text 1\ntext 2\n", { json: true, lang: "sv", classifier });
    expect(classifier.langs).toEqual(["sv", "sv"]);
  });

  it("refuses an unknown --lang with exit code 2 and a message naming the languages", async () => {
    const error = await runInProcess("text 1\n", { json: true, lang: "de" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ exitCode: 2 });
    expect(String((error as Error).message)).toMatch(/da, sv, nb, en/);
  });

  it("without --json writes one readable line per input with the text and its codes", async () => {
    const { lines } = await runInProcess("text 7\n\n", { json: false });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("text 7");
    expect(lines[0]).toContain("10000070");
    expect(lines[0]).toContain("0.90");
    expect(lines[1]).not.toContain("1000");
  });

  it("keeps 10 000 lines in order", async () => {
    const input = Array.from({ length: 10_000 }, (_, i) => `text ${i}`).join("\n");
    const { lines } = await runInProcess(input, { json: true });
    expect(lines).toHaveLength(10_000);
    lines.forEach((line, i) => {
      const first = (JSON.parse(line) as Suggestion[])[0];
      if (first?.code !== String(10_000_000 + i * 10)) throw new Error(`line ${i} answers another input`);
    });
  });

  it("streams: answers a line before the input has ended", async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const done = classifyCommand({
      json: true,
      input: stdin,
      output: stdout,
      classifier: numberingClassifier(),
    });
    const first = new Promise<string>((resolve) => stdout.once("data", (d: Buffer) => resolve(d.toString())));
    stdin.write("text 42\n");
    const answer = await first;
    expect((JSON.parse(answer) as Suggestion[])[0]?.code).toBe("10000420");
    stdin.end();
    expect(await done).toBe(0);
  });
});

describe("npm run cli -- classify (the bundled classifier)", () => {
  let dir: string;
  let env: Record<string, string>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "jointbid-classify-cli-"));
    env = { DATABASE_URL: `file:${join(dir, "db", "cli.db")}` };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("answers each line with its top 5 in input order, [] for an empty line, and opens no database", async () => {
    const res = await runCli(
      ["classify", "--lang", "da", "--json"],
      env,
      "Rengøring af daginstitutioner\n\nVinduespolering af kommunale bygninger\n",
    );
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    const [cleaning, empty, windows] = lines.map((l) => JSON.parse(l) as Suggestion[]);
    expect(empty).toEqual([]);
    for (const answer of [cleaning, windows]) {
      expect(answer).toHaveLength(5);
      for (const s of answer ?? []) {
        expect(Object.keys(s).sort()).toEqual(["code", "label", "score"]);
        expect(s.code).toMatch(/^\d{8}$/);
      }
    }
    expect(cleaning?.[0]?.code.slice(0, 4)).toBe("9091");
    expect(windows?.[0]?.code.slice(0, 4)).toBe("9091");
    expect(existsSync(join(dir, "db"))).toBe(false);
  });

  it("handles 10 000 lines: one answer per line, in order, the same answer for the same text", async () => {
    const texts = ["Rengøring af skoler", "Städning av förskolor", "Catering til møder", "Snerydning"];
    const input = Array.from({ length: 10_000 }, (_, i) => (i % 7 === 3 ? "" : (texts[i % 4] ?? ""))).join(
      "\n",
    );
    const res = await runCli(["classify", "--json"], env, `${input}\n`);
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.split("\n").slice(0, -1);
    expect(lines).toHaveLength(10_000);
    const firstAnswer = new Map<string, string>();
    lines.forEach((line, i) => {
      const text = i % 7 === 3 ? "" : (texts[i % 4] ?? "");
      if (text === "") {
        if (line !== "[]") throw new Error(`line ${i} should be []`);
        return;
      }
      const seen = firstAnswer.get(text);
      if (seen === undefined) firstAnswer.set(text, line);
      else if (seen !== line) throw new Error(`line ${i} differs from the earlier answer for "${text}"`);
    });
    expect(new Set(firstAnswer.values()).size).toBe(texts.length);
  }, 120_000);

  it("prints a readable line per input without --json", async () => {
    const res = await runCli(["classify", "--lang", "sv"], env, "Städning av förskolor\n");
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("Städning av förskolor");
    expect(lines[0]).toMatch(/9091\d{4}/);
  });

  it("refuses an unknown --lang with exit code 2", async () => {
    const res = await runCli(["classify", "--lang", "de", "--json"], env, "Rengøring\n");
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("--lang");
    expect(res.stdout).toBe("");
  });
});
