/**
 * Multinomial naive Bayes at three levels of the CPV tree (division, group, exact code), learned
 * from the training part of the labelled notices. Stored sparse in src/data/cpv-model.json,
 * expanded to dense log-probability tables at start.
 */
import { z } from "zod";

export const NbLevelData = z.object({
  classes: z.array(z.string()),
  /** Weighted number of training texts per class. */
  docs: z.array(z.number()),
  /** Flat triples: term index, class index, weighted count. */
  counts: z.array(z.number()),
});
export type NbLevelData = z.infer<typeof NbLevelData>;

export const NbData = z.object({
  alpha: z.number(),
  vocab: z.array(z.string()),
  /** Training texts, and per vocabulary term the number of them that have it. */
  texts: z.number(),
  df: z.array(z.number()),
  division: NbLevelData,
  group: NbLevelData,
  code: NbLevelData,
});
export type NbData = z.infer<typeof NbData>;

export const NB_LEVELS = ["division", "group", "code"] as const;
export type NbLevel = (typeof NB_LEVELS)[number];

/** The class of a code at a level: "90", "909", or the code itself. */
export function classAt(code: string, level: NbLevel): string {
  return level === "division" ? code.slice(0, 2) : level === "group" ? code.slice(0, 3) : code;
}

export interface TrainingText {
  /** Feature key → weighted count. */
  features: ReadonlyMap<string, number>;
  codes: readonly string[];
  /**
   * Levels the text is counted at (default all), and whether it counts as a document for the
   * class priors (default yes). CPV labels used as training text count at the division and
   * group level, for the words only.
   */
  levels?: readonly NbLevel[];
  prior?: boolean;
}

/** Counts; deterministic (classes and terms in sorted order). */
export function trainNaiveBayes(texts: readonly TrainingText[], alpha: number): NbData {
  const vocab = [...new Set(texts.flatMap((t) => [...t.features.keys()]))].sort();
  const termIndex = new Map(vocab.map((v, i) => [v, i]));
  const level = (which: NbLevel): NbLevelData => {
    const counted = texts.filter((t) => !t.levels || t.levels.includes(which));
    const classes = [...new Set(counted.flatMap((t) => t.codes.map((c) => classAt(c, which))))].sort();
    const classIndex = new Map(classes.map((c, i) => [c, i]));
    const docs = classes.map(() => 0);
    const cells = new Map<number, number>();
    for (const t of counted) {
      const own = [...new Set(t.codes.map((c) => classAt(c, which)))];
      // A text with k classes at this level gives each 1/k (a 30-code framework must not swamp).
      const share = 1 / own.length;
      for (const cls of own) {
        const ci = classIndex.get(cls) ?? 0;
        if (t.prior !== false) docs[ci] = (docs[ci] ?? 0) + share;
        for (const [key, count] of t.features) {
          const ti = termIndex.get(key) ?? 0;
          const cell = ti * classes.length + ci;
          cells.set(cell, (cells.get(cell) ?? 0) + count * share);
        }
      }
    }
    const counts: number[] = [];
    for (const cell of [...cells.keys()].sort((a, b) => a - b)) {
      const value = cells.get(cell) ?? 0;
      counts.push(Math.floor(cell / classes.length), cell % classes.length, round(value));
    }
    return { classes, docs: docs.map(round), counts };
  };
  const df = vocab.map(() => 0);
  for (const t of texts)
    if (t.prior !== false)
      for (const key of t.features.keys()) {
        const i = termIndex.get(key) ?? 0;
        df[i] = (df[i] ?? 0) + 1;
      }
  return {
    alpha,
    vocab,
    texts: texts.filter((t) => t.prior !== false).length,
    df,
    division: level("division"),
    group: level("group"),
    code: level("code"),
  };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

export interface NbTable {
  classes: readonly string[];
  classIndex: ReadonlyMap<string, number>;
  logPrior: Float64Array;
  /** Per class, log P(term | class) of a term never seen with it (smoothing only). */
  logFloor: Float64Array;
  /** Per term, the classes it was seen with and log P(term | class) − floor: sparse rows. */
  rowStart: Int32Array;
  rowClass: Int32Array;
  rowDelta: Float64Array;
}

export interface NbModel {
  termIndex: ReadonlyMap<string, number>;
  tables: Readonly<Record<NbLevel, NbTable>>;
  /**
   * Per term, how much it may count in label matching: 1 for words in at most 5 % of the
   * training notices, less for words most notices have ("contract", "provision", "support"):
   * ln((N + 1) / (df + 0.5)) / ln 20, at most 1. Absent: 1.
   */
  noticeWeight: ReadonlyMap<string, number>;
}

export const NOTICE_COMMON_SHARE = 0.05;

export function expandNaiveBayes(data: NbData): NbModel {
  const termIndex = new Map(data.vocab.map((v, i) => [v, i]));
  const v = data.vocab.length;
  const table = (d: NbLevelData): NbTable => {
    const c = d.classes.length;
    const totals = new Float64Array(c);
    for (let i = 0; i + 2 < d.counts.length; i += 3) {
      const ci = d.counts[i + 1] ?? 0;
      totals[ci] = (totals[ci] ?? 0) + (d.counts[i + 2] ?? 0);
    }
    const logFloor = new Float64Array(c);
    for (let ci = 0; ci < c; ci++) logFloor[ci] = Math.log(data.alpha / ((totals[ci] ?? 0) + data.alpha * v));
    // The counts are sorted by term, then class (trainNaiveBayes writes them so).
    const entries = Math.floor(d.counts.length / 3);
    const rowStart = new Int32Array(v + 1);
    const rowClass = new Int32Array(entries);
    const rowDelta = new Float64Array(entries);
    for (let e = 0; e < entries; e++) {
      const ti = d.counts[3 * e] ?? 0;
      const ci = d.counts[3 * e + 1] ?? 0;
      rowStart[ti + 1] = e + 1;
      rowClass[e] = ci;
      const logP = Math.log(((d.counts[3 * e + 2] ?? 0) + data.alpha) / ((totals[ci] ?? 0) + data.alpha * v));
      rowDelta[e] = logP - (logFloor[ci] ?? 0);
    }
    for (let ti = 1; ti <= v; ti++) rowStart[ti] = Math.max(rowStart[ti] ?? 0, rowStart[ti - 1] ?? 0);
    const docTotal = d.docs.reduce((a, b) => a + b, 0);
    const logPrior = Float64Array.from(d.docs.map((n) => Math.log((n + 1) / (docTotal + c))));
    return {
      classes: d.classes,
      classIndex: new Map(d.classes.map((x, i) => [x, i])),
      logPrior,
      logFloor,
      rowStart,
      rowClass,
      rowDelta,
    };
  };
  const noticeWeight = new Map<string, number>();
  const norm = Math.log(1 / NOTICE_COMMON_SHARE);
  data.vocab.forEach((term, i) => {
    const w = Math.log((data.texts + 1) / ((data.df[i] ?? 0) + 0.5)) / norm;
    if (w < 1) noticeWeight.set(term, Math.max(0, w));
  });
  return {
    termIndex,
    tables: { division: table(data.division), group: table(data.group), code: table(data.code) },
    noticeWeight,
  };
}

/**
 * Posterior over the classes of a level, softened by `temperature` (naive Bayes is
 * over-confident: it counts correlated words as independent evidence). Words the model never
 * saw are left out.
 */
export function posterior(
  table: NbTable,
  termIndex: ReadonlyMap<string, number>,
  features: ReadonlyMap<string, number>,
  temperature: number,
): Float64Array {
  const c = table.classes.length;
  let known = 0;
  const out = new Float64Array(c);
  for (const [key, count] of features) {
    const ti = termIndex.get(key);
    if (ti === undefined) continue;
    known += count;
    const end = table.rowStart[ti + 1] ?? 0;
    for (let e = table.rowStart[ti] ?? 0; e < end; e++) {
      const ci = table.rowClass[e] ?? 0;
      out[ci] = (out[ci] ?? 0) + count * (table.rowDelta[e] ?? 0);
    }
  }
  let max = -Infinity;
  for (let ci = 0; ci < c; ci++) {
    const value = (out[ci] ?? 0) + (table.logPrior[ci] ?? 0) + known * (table.logFloor[ci] ?? 0);
    out[ci] = value;
    if (value > max) max = value;
  }
  let sum = 0;
  for (let ci = 0; ci < c; ci++) {
    const e = Math.exp(((out[ci] ?? 0) - max) / temperature);
    out[ci] = e;
    sum += e;
  }
  for (let ci = 0; ci < c; ci++) out[ci] = (out[ci] ?? 0) / sum;
  return out;
}
