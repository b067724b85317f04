/**
 * The one split of the labelled data into a training part and a held-out part: 70 / 30,
 * stratified by the division of an example's first code, by a hash of the example's id with a
 * fixed seed. Stable: an example keeps its side as long as its id and first division do.
 */
export const SPLIT_SEED = "jointbid-cpv-2026";
export const HELD_OUT_SHARE = 0.3;

export interface LabelledExample {
  /** The tender's stable id ("ocds-b5fd17-…", "eforms/notices/cn_25.xml"). */
  id: string;
  /** The language the notice states. */
  lang: string;
  title: string;
  description: string;
  /** 8-digit CPV codes, every one the tender states. */
  codes: string[];
  source: string;
}

export interface Split {
  seed: string;
  train: string[];
  heldOut: string[];
}

/** FNV-1a, 32 bits, over UTF-16 units: small, stable, no dependencies. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function deriveSplit(examples: readonly LabelledExample[], seed = SPLIT_SEED): Split {
  const byDivision = new Map<string, LabelledExample[]>();
  for (const e of examples) {
    const division = (e.codes[0] ?? "").slice(0, 2);
    const list = byDivision.get(division) ?? [];
    list.push(e);
    byDivision.set(division, list);
  }
  const heldOut = new Set<string>();
  for (const list of byDivision.values()) {
    const ordered = [...list].sort(
      (a, b) => fnv1a(`${seed}:${a.id}`) - fnv1a(`${seed}:${b.id}`) || a.id.localeCompare(b.id),
    );
    const n = Math.round(list.length * HELD_OUT_SHARE);
    for (const e of ordered.slice(0, n)) heldOut.add(e.id);
  }
  return {
    seed,
    train: examples.filter((e) => !heldOut.has(e.id)).map((e) => e.id),
    heldOut: examples.filter((e) => heldOut.has(e.id)).map((e) => e.id),
  };
}
