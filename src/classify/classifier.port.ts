/**
 * Text → ranked CPV codes. One implementation (`src/classify/classifier.ts`), offline, with its
 * data bundled in the repository, so that it runs the same in the service, the CLI and the
 * Worker.
 */
export const CLASSIFY_LANGUAGES = ["da", "sv", "nb", "en"] as const;
export type ClassifyLanguage = (typeof CLASSIFY_LANGUAGES)[number];

export interface CpvSuggestion {
  /** 8 digits, no check digit. */
  code: string;
  /** The code's label in the text's language when the nomenclature has one, else English. */
  label: string;
  /** 0–1, comparable across texts: how sure the classifier is of this code. */
  score: number;
}

export interface Classification {
  /** The language given, or the one detected. */
  language: ClassifyLanguage;
  /** Best first; at most `limit`. */
  suggestions: CpvSuggestion[];
}

export interface ClassifyOptions {
  lang?: ClassifyLanguage;
  /** Default 5. */
  limit?: number;
  /** Longer text that helps (a description); weighs less than the title. */
  description?: string;
}

export interface Classifier {
  /** Identifies the model and its data, e.g. "cpv-2026-11-22.1"; stored with classified codes. */
  readonly version: string;
  classify(title: string, options?: ClassifyOptions): Classification;
}
