/**
 * The measures of the evaluation (test/bench/cpv.bench.ts) and of the tuning (train.ts). A
 * prediction counts when it matches ANY of the item's codes at that level: division (first two
 * digits) of the first suggestion; group (first three digits) of any of the first three; the
 * exact code of any of the first five.
 */
export interface Hits {
  division1: boolean;
  group3: boolean;
  code5: boolean;
}

export function hits(predicted: readonly string[], gold: readonly string[]): Hits {
  const divisions = new Set(gold.map((c) => c.slice(0, 2)));
  const groups = new Set(gold.map((c) => c.slice(0, 3)));
  const codes = new Set(gold);
  const first = predicted[0];
  return {
    division1: first !== undefined && divisions.has(first.slice(0, 2)),
    group3: predicted.slice(0, 3).some((c) => groups.has(c.slice(0, 3))),
    code5: predicted.slice(0, 5).some((c) => codes.has(c)),
  };
}

export interface Accuracy {
  n: number;
  division1: number;
  group3: number;
  code5: number;
}

export function accuracy(all: readonly Hits[]): Accuracy {
  const n = all.length;
  const share = (f: (h: Hits) => boolean) => (n === 0 ? 0 : all.filter(f).length / n);
  return {
    n,
    division1: share((h) => h.division1),
    group3: share((h) => h.group3),
    code5: share((h) => h.code5),
  };
}
