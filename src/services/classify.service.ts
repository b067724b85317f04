import { defaultClassifier } from "../classify/classifier.js";
import type { Classifier, ClassifyLanguage, CpvSuggestion } from "../classify/classifier.port.js";
import type { ServiceContext } from "./context.js";

/** Suggestions given when the caller does not say how many. */
export const DEFAULT_SUGGESTIONS = 5;

/** How much of a text the bundled classifier reads as a title (its TITLE_MAX). */
const TITLE_CHARS = 500;

/** The context's classifier, or the bundled default (`defaultClassifier()` builds it once, on first use). */
export function classifierOf(ctx: Pick<ServiceContext, "classifier">): Classifier {
  return ctx.classifier ?? defaultClassifier();
}

export interface CpvSuggestions {
  language: ClassifyLanguage;
  /** The classifier's version, as stored with classified codes. */
  model: string;
  suggestions: CpvSuggestion[];
}

/**
 * CPV codes for a free text (an enterprise's description of what it does, a purchase title),
 * best first. The enterprise confirms them; nothing is stored.
 */
export function suggestCpv(
  ctx: Pick<ServiceContext, "classifier">,
  input: { text: string; lang?: ClassifyLanguage; limit?: number },
): CpvSuggestions {
  const classifier = classifierOf(ctx);
  const limit = input.limit ?? DEFAULT_SUGGESTIONS;
  // The classifier reads a title up to TITLE_CHARS; the rest of a long description is passed as
  // its description, which still counts (with less weight) instead of being cut off.
  const rest = input.text.slice(TITLE_CHARS).trim();
  const result = classifier.classify(input.text, {
    limit,
    ...(input.lang ? { lang: input.lang } : {}),
    ...(rest ? { description: rest } : {}),
  });
  return {
    language: result.language,
    model: classifier.version,
    // Only the three public fields, and never more than asked for.
    suggestions: result.suggestions
      .slice(0, limit)
      .map((s) => ({ code: s.code, label: s.label, score: s.score })),
  };
}
