/**
 * A check of the learning, on the training part only: builds the model
 * as `npm run classify:build` does, writes nothing, and prints the 5-fold cross-validation
 * figures (all training texts and the English ones) at the chosen parameters, with the
 * parameters. The held-out part is not read.
 *
 *   node --import tsx src/classify/scripts/cross-validate.ts [--curve]
 *
 * The figures are those the parameters were chosen on, so they lean optimistic.
 *
 * `--curve` prints a learning curve instead: the same build and cross-validation on a third,
 * half, three quarters and all of the training part (three fixed subsets each, averaged), to
 * show how much more labelled notices of the same kind would add.
 *
 * `--nested` prints nested cross-validation: for each of the five folds, the whole build (its
 * own inner cross-validation and tuning included) runs on the other four, and the classifier it
 * gives is measured on the fold, as the benchmark measures the held-out part. Unlike the plain
 * figures these were not chosen on, so they estimate what held-out data will show.
 */
import { fileURLToPath } from "node:url";
import { catalogueEntries } from "../catalogue.js";
import type { ClassifyLanguage } from "../classifier.port.js";
import { createClassifier } from "../classifier.js";
import { type Hits, accuracy, hits } from "../evaluate.js";
import { type LabelledExample, fnv1a } from "../split.js";
import { bundledSynonyms } from "../synonyms.js";
import { FOLDS, buildModel, fold } from "../train.js";
import { buildFromData } from "./build-model.js";
import { loadSplitData } from "./labelled-data.js";

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const CURVE_SHARES = [1 / 3, 1 / 2, 3 / 4, 1] as const;
const CURVE_SEEDS = ["curve-a", "curve-b", "curve-c"] as const;

/** The training part of the labelled notices and the split's seed, without building a model. */
function trainingPart(): { training: LabelledExample[]; seed: string } {
  const { examples, split } = loadSplitData();
  const train = new Set(split.train);
  return { training: examples.filter((e) => train.has(e.id)), seed: split.seed };
}

function learningCurve(): void {
  const { training, seed } = trainingPart();
  const catalogue = catalogueEntries();
  console.log(
    `learning curve on the training part (${training.length} texts; English, 5-fold cross-validation)`,
  );
  for (const share of CURVE_SHARES) {
    const seeds = share === 1 ? CURVE_SEEDS.slice(0, 1) : CURVE_SEEDS;
    const runs = seeds.map((subsetSeed) => {
      const subset =
        share === 1
          ? training
          : training.filter((e) => (fnv1a(`${subsetSeed}:${e.id}`) % 1000) / 1000 < share);
      return buildModel({ catalogue, training: subset, splitSeed: seed }).tuning.cvEnglish;
    });
    const mean = (f: (a: (typeof runs)[number]) => number) =>
      runs.reduce((s, a) => s + f(a), 0) / runs.length;
    console.log(
      `  ${pct(share).padStart(7)} of the part: English n ${mean((a) => a.n)
        .toFixed(0)
        .padStart(3)}  ` +
        `division@1 ${pct(mean((a) => a.division1))}  group@3 ${pct(mean((a) => a.group3))}  ` +
        `code@5 ${pct(mean((a) => a.code5))}  (${runs.length} subset${runs.length > 1 ? "s" : ""})`,
    );
  }
}

function nestedCrossValidation(): void {
  const { training, seed } = trainingPart();
  const catalogue = catalogueEntries();
  const synonyms = bundledSynonyms();
  const all: Hits[] = [];
  const english: Hits[] = [];
  for (let k = 0; k < FOLDS; k++) {
    const model = buildModel({
      catalogue,
      training: training.filter((e) => fold(e.id) !== k),
      splitSeed: seed,
    });
    const classifier = createClassifier({ catalogue, model, ...(synonyms ? { synonyms } : {}) });
    for (const e of training.filter((x) => fold(x.id) === k)) {
      const predicted = classifier
        .classify(e.title, { lang: e.lang as ClassifyLanguage, description: e.description, limit: 5 })
        .suggestions.map((s) => s.code);
      const h = hits(predicted, e.codes);
      all.push(h);
      if (e.lang === "en") english.push(h);
    }
  }
  console.log(
    `nested cross-validation on the training part (${training.length} texts, ${FOLDS} outer folds)`,
  );
  for (const [name, list] of [
    ["all    ", all],
    ["English", english],
  ] as const) {
    const a = accuracy(list);
    console.log(
      `  ${name}  division@1 ${pct(a.division1)}  group@3 ${pct(a.group3)}  code@5 ${pct(a.code5)}  (n ${a.n})`,
    );
  }
}

function crossValidation(): void {
  const { model } = buildFromData();
  const { cv, cvEnglish, untuned, best } = model.tuning;
  const { calibration: _calibration, ...params } = model.params;
  console.log(`cross-validation on the training part (${model.trainedOn.examples} texts, 5 folds)`);
  console.log(
    `  all      division@1 ${pct(cv.division1)}  group@3 ${pct(cv.group3)}  code@5 ${pct(cv.code5)}`,
  );
  console.log(
    `  English  division@1 ${pct(cvEnglish.division1)}  group@3 ${pct(cvEnglish.group3)}  ` +
      `code@5 ${pct(cvEnglish.code5)}  (n ${cvEnglish.n})`,
  );
  console.log(`  objective ${untuned} (default parameters) → ${best} (tuned)`);
  console.log(`  parameters ${JSON.stringify(params)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  if (process.argv.includes("--curve")) learningCurve();
  else if (process.argv.includes("--nested")) nestedCrossValidation();
  else crossValidation();
  console.log(`  ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
