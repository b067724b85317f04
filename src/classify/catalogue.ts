import { type CpvEntry, cpvEntries } from "../domain/cpv-catalogue.js";
import type { CatalogueEntry } from "./label-index.js";

/** The bundled nomenclature (src/data/cpv.json) as the classifier reads it. */
export function catalogueEntries(entries: readonly CpvEntry[] = cpvEntries()): CatalogueEntry[] {
  return entries.map((e) => ({ code: e.code, parent: e.parent, labels: e.labels }));
}
