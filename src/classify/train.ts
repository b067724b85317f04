/**
 * Learning the model from the training part (pure; scripts/build-model.ts reads the files and
 * writes the result). The naive Bayes counts come from every training text; the weights that
 * combine them with the label evidence, the NB temperature and the score calibration are chosen
 * by 5-fold cross-validation inside the training part, so the held-out part is never looked at.
 *
 * The label index used here has the curated synonyms, as the classifier has at run time, so the
 * weights are chosen for the evidence they will meet; the naive Bayes part also reads the curated
 * English terms (synonyms and division/group terms) as short texts. The learned file therefore
 * changes when either lexicon does: run `npm run classify:build` after editing them.
 * `scripts/cross-validate.ts` prints the cross-validation figures without writing anything.
 */
import type { ClassifyLanguage } from "./classifier.port.js";
import {
  DEFAULT_PARAMS,
  type EngineContext,
  type Evidence,
  type Learned,
  type NbPosteriors,
  type Params,
  classIndexes,
  createContext,
  NB_TITLE_COUNT,
  evidence,
  nbFeatures,
  nbPosteriors,
  rank,
} from "./engine.js";
import { type Accuracy, type Hits, accuracy, hits } from "./evaluate.js";
import { type CatalogueEntry, type SynonymLexicon, buildLabelIndex, labelDocuments } from "./label-index.js";
import type { CpvModel } from "./model.js";
import { type TrainingText, expandNaiveBayes, trainNaiveBayes } from "./naive-bayes.js";
import { type DivisionTerms, type TermLexicon, bundledTermData, bundledTerms } from "./division-terms.js";
import { bundledSynonyms } from "./synonyms.js";
import { type LabelledExample, fnv1a } from "./split.js";

export const FOLDS = 5;
/** A language needs this many training texts before its naive Bayes part is used. */
export const MIN_LANGUAGE_EXAMPLES = 20;
export const NB_ALPHA = 0.5;
/** Weight of a CPV label word as naive Bayes training text (chosen by cross-validation). */
export const LABEL_TEXT_WEIGHT = 0.3;
/** Weight of a curated English term word as naive Bayes training text. */
export const LEXICON_TEXT_WEIGHT = 1;

/** Values tried per parameter, in coordinate ascent (two rounds). */
const GRID: Readonly<Partial<Record<keyof Params, readonly number[]>>> = {
  gamma: [0.5, 1, 2],
  rho: [0.5, 0.7, 0.9],
  descriptionWeight: [0.2, 0.4, 0.7],
  wDivisionLabel: [0, 0.25, 0.5, 1],
  wDivision: [0, 1, 2, 4, 8],
  wGroup: [0, 1, 2, 4, 8],
  wCode: [0, 1, 2, 4, 8],
  wTermDivision: [0, 0.5, 1, 2, 4],
  wTermGroup: [0, 0.5, 1, 2],
  temperature: [1, 2, 3, 5, 10],
  wLabel: [0.5, 1, 2],
  backoffLabel: [0, 0.5, 1, 2, 4],
  backoffNb: [0, 1, 2, 4, 8],
  backoffTerm: [0, 0.5, 1, 2, 4],
};
const LABEL_PARAMS = new Set<keyof Params>(["gamma", "rho", "descriptionWeight"]);

function language(lang: string): ClassifyLanguage {
  return lang === "da" || lang === "sv" || lang === "nb" ? lang : "en";
}

export function fold(id: string): number {
  return fnv1a(`fold:${id}`) % FOLDS;
}

interface FoldModel {
  learned: Learned;
}

/**
 * The CPV labels (English) as short training texts for the naive Bayes words at division and
 * group level, each word counted `weight` times: the 204 notices do not cover most divisions'
 * vocabulary, the labels do. They add no documents to the class priors.
 */
function labelTexts(catalogue: readonly CatalogueEntry[], weight: number): TrainingText[] {
  if (weight <= 0) return [];
  const out: TrainingText[] = [];
  for (const e of catalogue) {
    const label = e.labels.en;
    if (!label) continue;
    const features = new Map<string, number>();
    for (const [k, v] of nbFeatures(label, "", "en")) features.set(k, (v / NB_TITLE_COUNT) * weight);
    if (features.size > 0)
      out.push({ features, codes: [e.code], levels: ["division", "group"], prior: false });
  }
  return out;
}

/**
 * The curated English terms (synonyms and division/group terms) as short naive Bayes texts at
 * division and group level, like the labels: words public buyers use that the labels lack.
 */
function lexiconTexts(
  synonyms: SynonymLexicon | undefined,
  terms: DivisionTerms | undefined,
  weight: number,
): TrainingText[] {
  if (weight <= 0) return [];
  const out: TrainingText[] = [];
  const push = (text: string, code: string) => {
    const features = new Map<string, number>();
    for (const [k, v] of nbFeatures(text, "", "en")) features.set(k, (v / NB_TITLE_COUNT) * weight);
    if (features.size > 0) out.push({ features, codes: [code], levels: ["division", "group"], prior: false });
  };
  for (const e of synonyms?.entries ?? []) for (const t of e.terms.en ?? []) push(t, e.code);
  for (const e of terms?.entries ?? []) {
    const code = e.prefix.padEnd(8, "0");
    for (const t of e.terms.en ?? []) push(t.replace(/^=/, ""), code);
  }
  return out;
}

function nbData(
  examples: readonly LabelledExample[],
  labels: readonly TrainingText[],
): ReturnType<typeof trainNaiveBayes> {
  return trainNaiveBayes(
    [
      ...examples.map((e) => ({
        features: nbFeatures(e.title, e.description, language(e.lang)),
        codes: e.codes,
      })),
      ...labels,
    ],
    NB_ALPHA,
  );
}

function learnedFrom(
  ctx: EngineContext,
  examples: readonly LabelledExample[],
  labels: readonly TrainingText[],
  languages: string[],
): Learned {
  const nb = expandNaiveBayes(nbData(examples, labels));
  return { nb, languages, classOf: classIndexes(ctx.index, nb) };
}

/** Per training text, the hits of its cross-validation prediction. */
function cvHits(
  ctx: EngineContext,
  examples: readonly LabelledExample[],
  evidences: readonly Evidence[],
  folds: readonly FoldModel[],
  posteriors: readonly (NbPosteriors | undefined)[],
  params: Params,
): Hits[] {
  return examples.map((e, i) => {
    const ev = evidences[i];
    const model = folds[fold(e.id)];
    if (!ev || !model) return { division1: false, group3: false, code5: false };
    const ranked = rank(ctx, ev, model.learned, posteriors[i], params, 5);
    return hits(
      ranked.map((r) => ctx.index.codes[r.code] ?? ""),
      e.codes,
    );
  });
}

/** The three accuracies over the cross-validation predictions. */
function cvAccuracy(...args: Parameters<typeof cvHits>): Accuracy {
  return accuracy(cvHits(...args));
}

function objective(...args: Parameters<typeof cvAccuracy>): number {
  const a = cvAccuracy(...args);
  return (a.division1 + a.group3 + a.code5) / 3;
}

/** Logistic regression of "the suggestion's group is right" on its combined evidence (Newton). */
function fitCalibration(points: readonly { x: number; y: number }[]): { a: number; b: number } {
  let a = 0.5;
  let b = -1;
  for (let iter = 0; iter < 50; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-6;
    let hab = 0;
    let hbb = 1e-6;
    for (const { x, y } of points) {
      const p = 1 / (1 + Math.exp(-(a * x + b)));
      const w = p * (1 - p);
      ga += (y - p) * x;
      gb += y - p;
      haa += w * x * x;
      hab += w * x;
      hbb += w;
    }
    // L2 pull towards 0 keeps the fit finite when the data separate.
    ga -= 0.01 * a;
    haa += 0.01;
    const det = haa * hbb - hab * hab;
    if (det <= 0) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a += da;
    b += db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  return { a: Math.round(a * 1e6) / 1e6, b: Math.round(b * 1e6) / 1e6 };
}

export interface BuildInput {
  catalogue: readonly CatalogueEntry[];
  /** The training part only. */
  training: readonly LabelledExample[];
  splitSeed: string;
  /** Experiments only: the curated terms (default: the bundled ones; null: none). */
  terms?: TermLexicon | null;
  /** Experiments only: weight of the CPV labels as naive Bayes text (default LABEL_TEXT_WEIGHT). */
  labelTextWeight?: number;
  /** Experiments only: the curated terms as naive Bayes text (default: the bundled ones; null: none). */
  termData?: DivisionTerms | null;
  /** Experiments only: weight of the curated English terms as naive Bayes text. */
  lexiconTextWeight?: number;
  /** Experiments only: the curated synonyms (default: the bundled ones, as at run time; null: none). */
  synonyms?: SynonymLexicon | null;
}

export function buildModel(input: BuildInput): CpvModel {
  const { training } = input;
  const terms = input.terms === undefined ? bundledTerms() : (input.terms ?? undefined);
  const termData = input.termData === undefined ? bundledTermData() : (input.termData ?? undefined);
  const synonyms = input.synonyms === undefined ? bundledSynonyms() : (input.synonyms ?? undefined);
  const labelDocs = labelDocuments(input.catalogue);
  const ctx = createContext(buildLabelIndex(input.catalogue, synonyms, labelDocs), terms);
  const labels = [
    ...labelTexts(input.catalogue, input.labelTextWeight ?? LABEL_TEXT_WEIGHT),
    ...lexiconTexts(synonyms, termData, input.lexiconTextWeight ?? LEXICON_TEXT_WEIGHT),
  ];
  const byLanguage: Record<string, number> = {};
  for (const e of training) byLanguage[e.lang] = (byLanguage[e.lang] ?? 0) + 1;
  const languages = Object.keys(byLanguage)
    .filter((l) => (byLanguage[l] ?? 0) >= MIN_LANGUAGE_EXAMPLES)
    .sort();

  const folds: FoldModel[] = [];
  for (let k = 0; k < FOLDS; k++) {
    folds.push({
      learned: learnedFrom(
        ctx,
        training.filter((e) => fold(e.id) !== k),
        labels,
        languages,
      ),
    });
  }
  const evidenceFor = (p: Params) =>
    training.map((e) =>
      evidence(ctx, e.title, e.description, language(e.lang), p, folds[fold(e.id)]?.learned),
    );
  const posteriorsFor = (evs: readonly Evidence[], temperature: number) =>
    training.map((e, i) => {
      const ev = evs[i];
      const model = folds[fold(e.id)];
      return ev && model ? nbPosteriors(model.learned, ev, temperature) : undefined;
    });

  let params: Params = { ...DEFAULT_PARAMS };
  let evs = evidenceFor(params);
  let posts = posteriorsFor(evs, params.temperature);
  const untuned = objective(ctx, training, evs, folds, posts, params);
  let best = untuned;
  for (let round = 0; round < 2; round++) {
    for (const [name, values] of Object.entries(GRID) as [keyof Params, readonly number[]][]) {
      for (const value of values) {
        if (params[name] === value) continue;
        const trial: Params = { ...params, [name]: value };
        const trialEvs = LABEL_PARAMS.has(name) ? evidenceFor(trial) : evs;
        const trialPosts =
          LABEL_PARAMS.has(name) || name === "temperature"
            ? posteriorsFor(trialEvs, trial.temperature)
            : posts;
        const score = objective(ctx, training, trialEvs, folds, trialPosts, trial);
        if (score > best + 1e-9) {
          best = score;
          params = trial;
          evs = trialEvs;
          posts = trialPosts;
        }
      }
    }
  }

  // Calibration on the cross-validation predictions: top five of every training text.
  const points: { x: number; y: number }[] = [];
  training.forEach((e, i) => {
    const ev = evs[i];
    const model = folds[fold(e.id)];
    if (!ev || !model) return;
    const groups = new Set(e.codes.map((c) => c.slice(0, 3)));
    for (const r of rank(ctx, ev, model.learned, posts[i], params, 5)) {
      points.push({ x: r.combined, y: groups.has((ctx.index.codes[r.code] ?? "").slice(0, 3)) ? 1 : 0 });
    }
  });
  params = {
    ...params,
    calibration: fitCalibration(points),
  };

  const cvAll = cvHits(ctx, training, evs, folds, posts, params);
  const cv = accuracy(cvAll);
  const cvEnglish = accuracy(cvAll.filter((_, i) => training[i]?.lang === "en"));
  const nb = nbData(training, labels);
  const body: Omit<CpvModel, "version"> = {
    trainedOn: {
      splitSeed: input.splitSeed,
      examples: training.length,
      byLanguage,
      idsHash: fnv1a(training.map((e) => e.id).join("\n")).toString(16),
    },
    languages,
    params,
    tuning: {
      folds: FOLDS,
      objective:
        "mean of division top-1, group top-3, code top-5 over 5-fold cross-validation (training part)",
      best: Math.round(best * 1e6) / 1e6,
      cv: {
        division1: Math.round(cv.division1 * 1e6) / 1e6,
        group3: Math.round(cv.group3 * 1e6) / 1e6,
        code5: Math.round(cv.code5 * 1e6) / 1e6,
      },
      cvEnglish: {
        n: cvEnglish.n,
        division1: Math.round(cvEnglish.division1 * 1e6) / 1e6,
        group3: Math.round(cvEnglish.group3 * 1e6) / 1e6,
        code5: Math.round(cvEnglish.code5 * 1e6) / 1e6,
      },
      untuned: Math.round(untuned * 1e6) / 1e6,
    },
    nb,
    labelDocs,
  };
  return { version: `cpv-1.${fnv1a(JSON.stringify(body)).toString(16)}`, ...body };
}
