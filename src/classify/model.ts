/** The learned model's file, src/data/cpv-model.json, written by scripts/build-model.ts. */
import { z } from "zod";
import { Params } from "./engine.js";
import { LabelDocuments } from "./label-index.js";
import { NbData } from "./naive-bayes.js";

export const CpvModel = z.object({
  /** "cpv-1.<hash of the rest of the file>". */
  version: z.string(),
  trainedOn: z.object({
    splitSeed: z.string(),
    examples: z.number(),
    byLanguage: z.record(z.string(), z.number()),
    /** FNV-1a of the training ids, joined: changes when the training part does. */
    idsHash: z.string(),
  }),
  /** Languages with enough training texts for the naive Bayes part to be used. */
  languages: z.array(z.string()),
  params: Params,
  /** How the parameters were chosen, on the training part only (cross-validation). */
  tuning: z.object({
    folds: z.number(),
    objective: z.string(),
    best: z.number(),
    untuned: z.number(),
    /** The cross-validated accuracies at the chosen parameters. */
    cv: z.object({ division1: z.number(), group3: z.number(), code5: z.number() }),
    /** The same over the English training texts only. */
    cvEnglish: z.object({ n: z.number(), division1: z.number(), group3: z.number(), code5: z.number() }),
  }),
  nb: NbData,
  /** The analysed CPV labels (label-index.ts `labelDocuments`): precomputed to cut start-up. */
  labelDocs: LabelDocuments,
});
export type CpvModel = z.infer<typeof CpvModel>;
