import synonymsJson from "./synonyms.json" with { type: "json" };
import { SynonymLexicon } from "./label-index.js";

/**
 * The curated lexicon (synonyms.json, maintained by hand). A lexicon that does not parse is left
 * out rather than stopping the service: the classifier still works on labels and the model.
 */
export function bundledSynonyms(): SynonymLexicon | undefined {
  const parsed = SynonymLexicon.safeParse(synonymsJson);
  return parsed.success ? parsed.data : undefined;
}
