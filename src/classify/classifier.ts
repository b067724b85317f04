/**
 * Text → ranked CPV codes (the port: classifier.port.ts). Offline, pure, deterministic; its data
 * is bundled JSON, so it runs the same in the service, the CLI and the Worker.
 *
 * Method, and why:
 *
 * 1. Label matching over all 9 454 CPV labels (English and Norwegian for every code, Danish and
 *    Swedish for the 115 Annex XIV codes) and the curated synonyms (synonyms.json, when present).
 *    Words are stemmed in their language and folded ("rengøringen" → "rengoring"); Danish,
 *    Swedish and Norwegian words are looked up under the stems of all three, since a Danish or
 *    Swedish text mostly meets Norwegian labels. Nordic compounds the labels do not know are
 *    split into known parts with linking s/e ("vinduespolering" → "vindue(s)" + "polering",
 *    "städtjänster" → "städ" + "tjänster"), and label compounds are indexed by their parts too
 *    (at half weight), so "städ" meets "städning". Each label is scored BM25-like: the sum of
 *    the IDF (over codes) of the words it shares with the text, times the share of the label's
 *    weighted words the text covers to the power γ — "Cleaning services" beats "Cleaning
 *    services of vehicles" for "cleaning". Synonym matches count 1.5×: they are curated.
 *    Why: the labels are the only evidence for the 9 000 codes no labelled text has, and the
 *    only one for Danish and Swedish, for which there are no labelled notices.
 * 2. Hierarchy smoothing: a code's evidence reaches its ancestors with factor ρ per level, so a
 *    text that names several kinds of cleaning points at the cleaning group.
 * 3. Learned statistics: multinomial naive Bayes at division, group and exact-code level from
 *    the training part of the labelled real notices (title words counted twice, description
 *    once), softened by a temperature. Why: real titles rarely repeat label wording ("Surface
 *    Dressing 2025" is road works); the notices teach which divisions buyers actually use and
 *    which coarse codes they state (many state a division or group code). It is used only for
 *    languages it has ≥ 20 training texts in (English), weighted by the share of the text's
 *    words it has seen.
 * 4. Curated division and group terms (division-terms.json, DIVISION-TERMS.md): procurement
 *    words and phrases that point at a division or group ("roofing" → 45, "manned guarding" →
 *    797, "hjemmepleje" → 85), matched as stemmed phrases. Why: division top-1 is decided by
 *    words buyers use ("works", "licences", "care at home") that the formal labels lack and 204
 *    notices cover thinly. Cross-validated on the training part: division top-1 53.9 → 58.3 %.
 *    The CPV labels are also counted as naive Bayes training text at division and group level
 *    (weight 0.3 per word, no prior mass), so every division has vocabulary.
 * 5. Combined evidence per candidate: wLabel·log(1 + label) + share·(wDiv·P(division) +
 *    wGroup·P(group) + wCode·P(code)) + wTermDivision·log(1 + division term hits) +
 *    wTermGroup·log(1 + group term hits) + wDivisionLabel·log(1 + best label in the division);
 *    candidates are the codes with label evidence, the classes naive Bayes ranks highest and
 *    the divisions and groups the terms name. γ, ρ, the description weight, the weights and the
 *    temperature are chosen by 5-fold cross-validation on the training part (train.ts); the
 *    held-out part is only read by the benchmark. A division chooser (multinomial logistic
 *    regression over these per-division features, nested cross-validation) was tried and left
 *    out: on its own it chose the division no better than this blend (58–59 %), and its weight
 *    in the blend was tuned to 0.
 *    The curated English terms (synonyms and division terms) are naive Bayes training text
 *    too, like the labels, and the weights are tuned with the synonyms in the index, as at run
 *    time. Cross-validated: division top-1 57.8 → 64.2 %, group top-3 61.8 → 64.2 %.
 * 6. Division back-off: the first suggestion is the best code of the division with the best
 *    division score (its best combined evidence plus weighted best label evidence in the
 *    division, naive Bayes division posterior and curated term hits), the rest in combined
 *    order; division top-1 is decided at the division level without reordering the codes
 *    below it. The weights are tuned with the others.
 * 7. Score: sigmoid(a·combined + b), fitted by logistic regression on the cross-validated top-5
 *    suggestions of the training texts: the estimated probability that the suggestion's group
 *    is right. Comparable across texts; calibrated on English notices only.
 *
 * Start-up: the analysed label documents (stems and compound parts of all 18 908 labels) are
 * precomputed into cpv-model.json by the build script, so creating the classifier decodes them,
 * analyses only the curated synonyms and builds the inverted index (≈ 0.6 s on Node instead of
 * ≈ 1.5 s). A Worker isolate pays this once, on the first classify call (defaultClassifier is
 * lazy), plus parsing the bundled JSON (nomenclature and model) at module load.
 */
import modelJson from "../data/cpv-model.json" with { type: "json" };
import {
  CLASSIFY_LANGUAGES,
  type Classification,
  type Classifier,
  type ClassifyLanguage,
  type ClassifyOptions,
  type CpvSuggestion,
} from "./classifier.port.js";
import {
  type Learned,
  type Params,
  DEFAULT_PARAMS,
  calibrate,
  classIndexes,
  createContext,
  evidence,
  nbPosteriors,
  rank,
} from "./engine.js";
import { catalogueEntries } from "./catalogue.js";
import { type CatalogueEntry, type SynonymLexicon, buildLabelIndex } from "./label-index.js";
import { NORDIC, languageScores, pickLanguage } from "./language.js";
import { foldWord, splitCompound, stemKey, words } from "./analysis.js";
import { CpvModel } from "./model.js";
import { expandNaiveBayes } from "./naive-bayes.js";
import { bundledSynonyms } from "./synonyms.js";
import { type TermLexicon, bundledTerms } from "./division-terms.js";

export { detectLanguage } from "./language.js";

export interface ClassifierData {
  catalogue: readonly CatalogueEntry[];
  /** The learned model; without it, labels and synonyms only with default weights. */
  model?: CpvModel;
  synonyms?: SynonymLexicon;
  /** The curated division/group terms; default the bundled ones (division-terms.json). */
  terms?: TermLexicon;
}

const DEFAULT_LIMIT = 5;
/** English cue score below which the vocabularies are asked (one "-ing" ending gives 0.5). */
const WEAK_ENGLISH = 2;
const MAX_LIMIT = 100;
/** Titles and descriptions are read up to these lengths. */
const TITLE_MAX = 500;

export function createClassifier(data: ClassifierData): Classifier {
  const index = buildLabelIndex(data.catalogue, data.synonyms, data.model?.labelDocs);
  const ctx = createContext(index, data.terms ?? bundledTerms());
  const params: Params = data.model?.params ?? DEFAULT_PARAMS;
  let learned: Learned | undefined;
  if (data.model) {
    const nb = expandNaiveBayes(data.model.nb);
    learned = { nb, languages: data.model.languages, classOf: classIndexes(index, nb) };
  }
  const version = `${data.model?.version ?? "cpv-labels"}+syn${data.synonyms ? index.synonymCount : 0}`;

  /**
   * detectLanguage, and when it says English on weak cues (a single ASCII word like
   * "vinduespolering", whose "-ing" is the only cue), the vocabularies decide: words the Nordic labels and
   * synonyms know (whole or as compound parts) and the English ones do not.
   */
  const detect = (text: string): ClassifyLanguage => {
    const scores = languageScores(text);
    const lang = pickLanguage(scores, text, CLASSIFY_LANGUAGES);
    if (lang !== "en" || scores.en >= WEAK_ENGLISH) return lang;
    let nordic = 0;
    let english = 0;
    for (const w of words(text, "da")) {
      const folded = foldWord(w);
      const en = index.knownEnglish(folded) || index.knownEnglish(stemKey(w, "en"));
      const no =
        index.knownNordic(folded) ||
        index.knownNordic(stemKey(w, "da")) ||
        splitCompound(w, index.knownNordic).length > 0;
      if (en && !no) english++;
      if (no && !en) nordic++;
    }
    return nordic > english ? pickLanguage(scores, text, NORDIC) : lang;
  };

  const classify = (title: string, options: ClassifyOptions = {}): Classification => {
    const text = typeof title === "string" ? title.slice(0, TITLE_MAX) : "";
    const description = typeof options.description === "string" ? options.description : "";
    const language: ClassifyLanguage = options.lang ?? detect(`${text} ${description.slice(0, 300)}`);
    const limit = Math.max(0, Math.min(MAX_LIMIT, Math.floor(options.limit ?? DEFAULT_LIMIT)));
    if (limit === 0) return { language, suggestions: [] };
    const ev = evidence(ctx, text, description, language, params, learned);
    const ranked = rank(ctx, ev, learned, nbPosteriors(learned, ev, params.temperature), params, limit);
    const suggestions: CpvSuggestion[] = ranked.map((r) => {
      const code = index.codes[r.code] ?? "";
      const labels = index.labels[r.code] ?? {};
      return { code, label: labels[language] ?? labels.en ?? "", score: calibrate(r.combined, params) };
    });
    return { language, suggestions };
  };
  return { version, classify };
}

let singleton: Classifier | undefined;

/** The classifier over the bundled nomenclature, model and synonyms; built on first use. */
export function defaultClassifier(): Classifier {
  singleton ??= createClassifier({
    catalogue: catalogueEntries(),
    model: CpvModel.parse(modelJson),
    synonyms: bundledSynonyms(),
  });
  return singleton;
}
