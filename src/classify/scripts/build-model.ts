/**
 * `npm run classify:build`: learns src/data/cpv-model.json from the training part of the
 * labelled notices in src/demo/notices (see labelled-data.ts) and writes the split it used to
 * test/fixtures/cpv/split.json. Deterministic: the same data gives the same files, byte for
 * byte (a unit test checks the committed model against a rebuild).
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { catalogueEntries } from "../catalogue.js";
import type { CpvModel } from "../model.js";
import { type LabelledExample, type Split, deriveSplit } from "../split.js";
import { buildModel } from "../train.js";
import { loadLabelledData } from "./labelled-data.js";

const MODEL_FILE = fileURLToPath(new URL("../../data/cpv-model.json", import.meta.url));
const SPLIT_FILE = fileURLToPath(new URL("../../../test/fixtures/cpv/split.json", import.meta.url));

export interface BuiltModel {
  model: CpvModel;
  split: Split;
  examples: LabelledExample[];
  excluded: Record<string, number>;
}

/** Everything but the writing: what the test compares with the committed files. */
export function buildFromData(): BuiltModel {
  const { examples, excluded } = loadLabelledData();
  const split = deriveSplit(examples);
  const train = new Set(split.train);
  const model = buildModel({
    catalogue: catalogueEntries(),
    training: examples.filter((e) => train.has(e.id)),
    splitSeed: split.seed,
  });
  return { model, split, examples, excluded };
}

export function modelText(model: CpvModel): string {
  return `${JSON.stringify(model)}\n`;
}

export function splitText(split: Split): string {
  return `${JSON.stringify(split, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const { model, split, examples, excluded } = buildFromData();
  writeFileSync(MODEL_FILE, modelText(model));
  writeFileSync(SPLIT_FILE, splitText(split));
  console.log(
    `${model.version}: ${examples.length} labelled texts (${JSON.stringify(excluded)} left out), ` +
      `${split.train.length} training, ${split.heldOut.length} held out; ` +
      `cross-validated objective ${model.tuning.untuned} → ${model.tuning.best}; ` +
      `params ${JSON.stringify(model.params)}; ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
