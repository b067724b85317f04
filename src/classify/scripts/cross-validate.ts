/**
 * A check of the learning, on the training part only: builds the model
 * as `npm run classify:build` does, writes nothing, and prints the 5-fold cross-validation
 * figures (all training texts and the English ones) at the chosen parameters, with the
 * parameters. The held-out part is not read.
 *
 *   node --import tsx src/classify/scripts/cross-validate.ts
 *
 * The figures are those the parameters were chosen on, so they lean optimistic.
 */
import { fileURLToPath } from "node:url";
import { buildFromData } from "./build-model.js";

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
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
  console.log(`  ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
