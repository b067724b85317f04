/**
 * The scoring of the classifier (see the method note in classifier.ts): label and synonym
 * evidence with hierarchy smoothing, naive Bayes posteriors, their weighted sum, and the
 * calibrated score. Split in two steps so that the build script can tune the weights without
 * matching the labels again for every setting: `evidence` (what the text says) and `rank`.
 */
import { z } from "zod";
import { wordKeys, words } from "./analysis.js";
import type { ClassifyLanguage } from "./classifier.port.js";
import { DESCRIPTION_MIN_IDF, type LabelIndex, type QueryTerm, queryTerms } from "./label-index.js";
import { NB_LEVELS, type NbLevel, type NbModel, posterior } from "./naive-bayes.js";
import { type TermLexicon, matchTerms } from "./division-terms.js";

export const Params = z.object({
  /** Exponent of label coverage (share of the label's weighted words the text has). */
  gamma: z.number(),
  /** Share of a code's evidence its parent gets (ρ), grandparent ρ², … */
  rho: z.number(),
  /** Weight of description words next to title words (1). */
  descriptionWeight: z.number(),
  wLabel: z.number(),
  /** Weight of the best label evidence anywhere in the code's division (a division prior). */
  wDivisionLabel: z.number(),
  wDivision: z.number(),
  wGroup: z.number(),
  wCode: z.number(),
  /** Weights of the curated division and group terms (division-terms.ts): log(1 + hits). */
  wTermDivision: z.number(),
  wTermGroup: z.number(),
  temperature: z.number(),
  /**
   * Division back-off: the first suggestion is the best code of the division with the highest
   * division score, its best combined evidence plus these weights times the best label evidence
   * in the division (log(1 + x)), the naive Bayes division posterior (times the share of known
   * words) and the curated term hits for the division and its groups (log(1 + x)). The rest stay
   * in the order of their combined evidence. All 0: plain order.
   */
  backoffLabel: z.number(),
  backoffNb: z.number(),
  backoffTerm: z.number(),
  /** score = sigmoid(a · combined + b): P(suggestion's group is right), fitted on the training part. */
  calibration: z.object({ a: z.number(), b: z.number() }),
});
export type Params = z.infer<typeof Params>;

/** Before tuning, and without a learned model. */
export const DEFAULT_PARAMS: Params = {
  gamma: 1,
  rho: 0.7,
  descriptionWeight: 0.4,
  wLabel: 1,
  wDivisionLabel: 0,
  wDivision: 2,
  wGroup: 2,
  wCode: 2,
  wTermDivision: 1,
  wTermGroup: 0.5,
  temperature: 3,
  backoffLabel: 0,
  backoffNb: 0,
  backoffTerm: 0,
  calibration: { a: 1, b: -2 },
};

/** Descriptions are read up to this many characters (the first paragraphs say what is bought). */
export const DESCRIPTION_MAX = 1500;
/** Title words count this many times in the naive Bayes features, description words once. */
export const NB_TITLE_COUNT = 2;
/** Codes with label evidence that are ranked: the strongest this many, within this share of the best. */
const LABEL_CANDIDATES = 150;
const LABEL_SHARE = 0.05;
/** Candidates from the learned model per level (when it knows the language). */
const NB_CANDIDATES: Readonly<Record<NbLevel, number>> = { division: 3, group: 5, code: 10 };

/** Naive Bayes features: own-language stems, title words counted twice. */
export function nbFeatures(title: string, description: string, lang: ClassifyLanguage): Map<string, number> {
  return nbFeaturesOf(words(title, lang), words(description.slice(0, DESCRIPTION_MAX), lang), lang);
}

function nbFeaturesOf(
  titleWords: readonly string[],
  descriptionWords: readonly string[],
  lang: ClassifyLanguage,
): Map<string, number> {
  const out = new Map<string, number>();
  const add = (list: readonly string[], count: number) => {
    for (const w of list) {
      const key = wordKeys(w, lang)[0] ?? w;
      out.set(key, (out.get(key) ?? 0) + count);
    }
  };
  add(titleWords, NB_TITLE_COUNT);
  add(descriptionWords, 1);
  return out;
}

export interface Evidence {
  lang: ClassifyLanguage;
  /** Code indexes with label evidence (own or from descendants), and that evidence. */
  codes: number[];
  label: number[];
  nbFeatures: Map<string, number>;
  /** Curated term hits per division or group prefix ("45", "797"). */
  terms: Map<string, number>;
}

export interface EngineContext {
  index: LabelIndex;
  terms?: TermLexicon;
  /** Scratch, one slot per code. */
  own: Float64Array;
  smooth: Float64Array;
}

export function createContext(index: LabelIndex, terms?: TermLexicon): EngineContext {
  return {
    index,
    ...(terms ? { terms } : {}),
    own: new Float64Array(index.codes.length),
    smooth: new Float64Array(index.codes.length),
  };
}

export function evidence(
  ctx: EngineContext,
  title: string,
  description: string,
  lang: ClassifyLanguage,
  params: Pick<Params, "gamma" | "rho" | "descriptionWeight">,
  learned?: Learned,
): Evidence {
  const { index, own, smooth } = ctx;
  const terms = new Map<string, QueryTerm>();
  const titleWords = words(title, lang);
  const descriptionWords = words(description.slice(0, DESCRIPTION_MAX), lang);
  queryTerms(index, titleWords, lang, 1, 0, terms);
  queryTerms(index, descriptionWords, lang, params.descriptionWeight, DESCRIPTION_MIN_IDF, terms);
  if (learned && learned.languages.includes(lang)) {
    // Words most notices use say little about what is bought (learned from the notices).
    const weights = learned.nb.noticeWeight;
    for (const term of terms.values()) {
      // Lookup keys carry a two-letter key-space prefix ("e:", "n:"); the model has none.
      const w = weights.get((term.keys[0] ?? "").slice(2));
      if (w !== undefined) term.weight *= w;
    }
  }
  const touched = index.match([...terms.values()], lang, params.gamma, own);
  const all: number[] = [];
  for (const c of touched) {
    const s = own[c] ?? 0;
    if ((smooth[c] ?? 0) === 0) all.push(c);
    smooth[c] = Math.max(smooth[c] ?? 0, s);
    let factor = params.rho;
    for (let a = index.parent[c] ?? -1; a >= 0; a = index.parent[a] ?? -1) {
      const v = s * factor;
      if ((smooth[a] ?? 0) === 0) all.push(a);
      if (v > (smooth[a] ?? 0)) smooth[a] = v;
      factor *= params.rho;
    }
  }
  const label = all.map((c) => smooth[c] ?? 0);
  for (const c of touched) own[c] = 0;
  for (const c of all) smooth[c] = 0;
  const termHits = new Map<string, number>();
  if (ctx.terms) {
    const seen = new Set<unknown>();
    matchTerms(ctx.terms, title, lang, 1, termHits, seen);
    const text = description.slice(0, DESCRIPTION_MAX);
    matchTerms(ctx.terms, text, lang, params.descriptionWeight, termHits, seen);
  }
  return {
    lang,
    codes: all,
    label,
    nbFeatures: nbFeaturesOf(titleWords, descriptionWords, lang),
    terms: termHits,
  };
}

export interface Ranked {
  code: number;
  combined: number;
}

export interface Learned {
  nb: NbModel;
  /** Languages the naive Bayes part learned from; for others it is left out. */
  languages: readonly string[];
  /** Per code index, its class index at each level (-1: not seen in training). */
  classOf: Readonly<Record<NbLevel, Int32Array>>;
}

export function classIndexes(index: LabelIndex, nb: NbModel): Learned["classOf"] {
  const make = (level: NbLevel, cut: (code: string) => string) =>
    Int32Array.from(index.codes.map((code) => nb.tables[level].classIndex.get(cut(code)) ?? -1));
  return {
    division: make("division", (c) => c.slice(0, 2)),
    group: make("group", (c) => c.slice(0, 3)),
    code: make("code", (c) => c),
  };
}

export interface NbPosteriors {
  /** Share of the text's feature weight the model has seen (0: it knows none of the words). */
  share: number;
  post: Record<NbLevel, Float64Array>;
}

/** The learned model's view of a text, or undefined when it has none (language or words unknown). */
export function nbPosteriors(
  learned: Learned | undefined,
  ev: Evidence,
  temperature: number,
): NbPosteriors | undefined {
  if (!learned || !learned.languages.includes(ev.lang)) return undefined;
  let known = 0;
  let total = 0;
  for (const [key, count] of ev.nbFeatures) {
    total += count;
    if (learned.nb.termIndex.has(key)) known += count;
  }
  if (known === 0) return undefined;
  const { tables, termIndex } = learned.nb;
  return {
    share: known / total,
    post: {
      division: posterior(tables.division, termIndex, ev.nbFeatures, temperature),
      group: posterior(tables.group, termIndex, ev.nbFeatures, temperature),
      code: posterior(tables.code, termIndex, ev.nbFeatures, temperature),
    },
  };
}

/** Indexes of the k largest values, largest first (ties: lower index first). */
function topIndexes(values: Float64Array, k: number): number[] {
  const top: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? 0;
    if (top.length === k && v <= (values[top[k - 1] ?? 0] ?? 0)) continue;
    let at = top.length;
    while (at > 0 && (values[top[at - 1] ?? 0] ?? 0) < v) at--;
    top.splice(at, 0, i);
    if (top.length > k) top.pop();
  }
  return top;
}

/** Codes by combined evidence, best first (ties by code), at most `limit`. */
export function rank(
  ctx: EngineContext,
  ev: Evidence,
  learned: Learned | undefined,
  nb: NbPosteriors | undefined,
  params: Params,
  limit: number,
): Ranked[] {
  const { index } = ctx;
  // Label candidates: within LABEL_SHARE of the best label evidence, at most LABEL_CANDIDATES.
  let max = 0;
  for (const v of ev.label) if (v > max) max = v;
  const cut = max * LABEL_SHARE;
  let codes: number[] = [];
  let values: number[] = [];
  ev.codes.forEach((c, i) => {
    const v = ev.label[i] ?? 0;
    if (v > 0 && v >= cut) {
      codes.push(c);
      values.push(v);
    }
  });
  if (codes.length > LABEL_CANDIDATES) {
    const order = codes
      .map((_, i) => i)
      .sort((x, y) => (values[y] ?? 0) - (values[x] ?? 0) || (codes[x] ?? 0) - (codes[y] ?? 0))
      .slice(0, LABEL_CANDIDATES);
    codes = order.map((i) => codes[i] ?? 0);
    values = order.map((i) => values[i] ?? 0);
  }
  const combined = values.map((v) => params.wLabel * Math.log1p(v));
  const useTerms = ev.terms.size > 0 && (params.wTermDivision !== 0 || params.wTermGroup !== 0);
  if (useTerms) {
    // Candidates the terms propose: the division or group code itself.
    for (const prefix of ev.terms.keys()) {
      const code = index.codeIndex.get(prefix.padEnd(8, "0"));
      if (code === undefined || codes.includes(code)) continue;
      const at = ev.codes.indexOf(code);
      codes.push(code);
      combined.push(at < 0 ? 0 : params.wLabel * Math.log1p(ev.label[at] ?? 0));
    }
  }
  // Best label evidence per division (index of the division code), over every code with evidence.
  const divisionBest = new Map<number, number>();
  const backoff = params.backoffLabel !== 0 || params.backoffNb !== 0 || params.backoffTerm !== 0;
  if (params.wDivisionLabel !== 0 || backoff) {
    ev.codes.forEach((c, i) => {
      const d = index.division[c] ?? c;
      const v = ev.label[i] ?? 0;
      if (v > (divisionBest.get(d) ?? 0)) divisionBest.set(d, v);
    });
  }
  if (learned && nb) {
    // Candidates the learned model proposes (the division or group code itself, or a code).
    for (const level of NB_LEVELS) {
      const table = learned.nb.tables[level];
      for (const ci of topIndexes(nb.post[level], NB_CANDIDATES[level])) {
        const code = index.codeIndex.get((table.classes[ci] ?? "").padEnd(8, "0"));
        if (code === undefined || codes.includes(code)) continue;
        const at = ev.codes.indexOf(code);
        codes.push(code);
        combined.push(at < 0 ? 0 : params.wLabel * Math.log1p(ev.label[at] ?? 0));
      }
    }
    const { division, group, code: codeLevel } = learned.classOf;
    const pd = nb.post.division;
    const pg = nb.post.group;
    const pc = nb.post.code;
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i] ?? 0;
      const d = division[c] ?? -1;
      const g = group[c] ?? -1;
      const k = codeLevel[c] ?? -1;
      const add =
        (d >= 0 ? params.wDivision * (pd[d] ?? 0) : 0) +
        (g >= 0 ? params.wGroup * (pg[g] ?? 0) : 0) +
        (k >= 0 ? params.wCode * (pc[k] ?? 0) : 0);
      combined[i] = (combined[i] ?? 0) + nb.share * add;
    }
  }
  if (useTerms) {
    for (let i = 0; i < codes.length; i++) {
      const code = index.codes[codes[i] ?? 0] ?? "";
      combined[i] =
        (combined[i] ?? 0) +
        params.wTermDivision * Math.log1p(ev.terms.get(code.slice(0, 2)) ?? 0) +
        params.wTermGroup * Math.log1p(ev.terms.get(code.slice(0, 3)) ?? 0);
    }
  }
  if (params.wDivisionLabel !== 0) {
    for (let i = 0; i < codes.length; i++) {
      const best = divisionBest.get(index.division[codes[i] ?? 0] ?? -1) ?? 0;
      combined[i] = (combined[i] ?? 0) + params.wDivisionLabel * Math.log1p(best);
    }
  }
  const first = backoff ? backoffFirst(ctx, ev, learned, nb, params, codes, combined, divisionBest) : -1;
  // The best `limit`, by insertion (limit is small).
  const top: Ranked[] = [];
  for (let i = 0; i < codes.length; i++) {
    const value = combined[i] ?? 0;
    const code = codes[i] ?? 0;
    if (value <= 0) continue;
    const worst = top[top.length - 1];
    if (
      top.length === limit &&
      worst &&
      (value < worst.combined || (value === worst.combined && code > worst.code))
    )
      continue;
    let at = top.length;
    while (at > 0) {
      const prev = top[at - 1];
      if (!prev || prev.combined > value || (prev.combined === value && prev.code < code)) break;
      at--;
    }
    top.splice(at, 0, { code, combined: value });
    if (top.length > limit) top.pop();
  }
  if (first >= 0 && top.length > 0 && top[0]?.code !== codes[first]) {
    // The division back-off's choice leads, with the leader's evidence (scores stay sorted).
    const rest = top.filter((r) => r.code !== codes[first]);
    const lead = { code: codes[first] ?? 0, combined: Math.max(top[0]?.combined ?? 0, combined[first] ?? 0) };
    return [lead, ...rest].slice(0, limit);
  }
  return top;
}

/**
 * Index (into `codes`) of the best candidate of the division with the highest division score
 * (see Params.backoffLabel), or -1 when no candidate has positive evidence.
 */
function backoffFirst(
  ctx: EngineContext,
  ev: Evidence,
  learned: Learned | undefined,
  nb: NbPosteriors | undefined,
  params: Params,
  codes: readonly number[],
  combined: readonly number[],
  divisionBest: ReadonlyMap<number, number>,
): number {
  const { index } = ctx;
  const bestOf = new Map<number, number>();
  for (let i = 0; i < codes.length; i++) {
    if ((combined[i] ?? 0) <= 0) continue;
    const d = index.division[codes[i] ?? 0] ?? -1;
    const at = bestOf.get(d);
    if (at === undefined || (combined[i] ?? 0) > (combined[at] ?? 0)) bestOf.set(d, i);
  }
  let best = -1;
  let bestScore = -Infinity;
  for (const [d, i] of bestOf) {
    const prefix = (index.codes[d] ?? "").slice(0, 2);
    let termHits = 0;
    for (const [p, v] of ev.terms) if (p.startsWith(prefix)) termHits += v;
    let nbDivision = 0;
    if (learned && nb) {
      const ci = learned.nb.tables.division.classIndex.get(prefix);
      if (ci !== undefined) nbDivision = nb.share * (nb.post.division[ci] ?? 0);
    }
    const score =
      (combined[i] ?? 0) +
      params.backoffLabel * Math.log1p(divisionBest.get(d) ?? 0) +
      params.backoffNb * nbDivision +
      params.backoffTerm * Math.log1p(termHits);
    if (score > bestScore || (score === bestScore && (codes[i] ?? 0) < (codes[best] ?? 0))) {
      bestScore = score;
      best = i;
    }
  }
  return best;
}

export function calibrate(combined: number, params: Params): number {
  const z = params.calibration.a * combined + params.calibration.b;
  const p = 1 / (1 + Math.exp(-z));
  return Math.round(Math.min(1, Math.max(0, p)) * 10_000) / 10_000;
}
