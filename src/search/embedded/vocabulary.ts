/**
 * The sorted vocabulary of indexed words, for prefix and typo expansion of query words.
 *
 * Words are kept in one sorted array (code-unit order). Typo search walks it like a trie:
 * consecutive words share the dynamic-programming rows of their common prefix, and a whole
 * range of words is skipped (binary search) as soon as the rows show that no word with that
 * prefix can come within the allowed distance. The distance is the optimal-string-alignment
 * Damerau–Levenshtein distance (a swap of two neighbouring letters is one typo), with
 * Meilisearch's rule that a typo on the first letter counts as two.
 *
 * New words go to a small unsorted list that is merged in before the next search.
 */

/** A word of the vocabulary that a query word reaches by typos and/or as a prefix. */
export interface Expansion {
  term: string;
  /** Typos spent (a differing first letter counts two). */
  typos: number;
  /** Reached as a prefix: the query word is within `typos` of the word's beginning. */
  prefix: boolean;
}

const MAX_ROW_DEPTH = 64;

function lowerBound(sorted: readonly string[], key: string, from: number): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? "") < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index at or after `from` whose word does not start with `prefix`. */
function endOfPrefix(sorted: readonly string[], prefix: string, from: number): number {
  return lowerBound(sorted, `${prefix}\uffff`, from);
}

export class Vocabulary {
  private sorted: string[] = [];
  private pending: string[] = [];

  get size(): number {
    return this.sorted.length + this.pending.length;
  }

  /** Adds a word that is not in the vocabulary yet. */
  add(term: string): void {
    this.pending.push(term);
  }

  /** Replaces the whole vocabulary (after compaction). */
  reset(terms: Iterable<string>): void {
    this.sorted = [...terms].sort();
    this.pending = [];
  }

  /** Merges the words added since the last search into the sorted array. */
  flush(): void {
    if (this.pending.length === 0) return;
    const added = this.pending.sort();
    this.pending = [];
    if (this.sorted.length === 0) {
      this.sorted = added;
      return;
    }
    const merged: string[] = new Array<string>(this.sorted.length + added.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < this.sorted.length && j < added.length) {
      const a = this.sorted[i] ?? "";
      const b = added[j] ?? "";
      if (a <= b) {
        merged[k++] = a;
        i++;
      } else {
        merged[k++] = b;
        j++;
      }
    }
    while (i < this.sorted.length) merged[k++] = this.sorted[i++] ?? "";
    while (j < added.length) merged[k++] = added[j++] ?? "";
    this.sorted = merged;
  }

  /** Words starting with `prefix` (other than `prefix` itself). */
  withPrefix(prefix: string): Expansion[] {
    this.flush();
    const out: Expansion[] = [];
    const terms = this.sorted;
    for (let i = lowerBound(terms, prefix, 0); i < terms.length; i++) {
      const term = terms[i] ?? "";
      if (!term.startsWith(prefix)) break;
      if (term !== prefix) out.push({ term, typos: 0, prefix: true });
    }
    return out;
  }

  /**
   * Words within `maxTypos` of `query` (not `query` itself); with `prefix`, also words whose
   * beginning is within `maxTypos` of it. Each word once, with its smallest distance.
   */
  search(query: string, maxTypos: number, prefix: boolean): Expansion[] {
    if (maxTypos <= 0) return prefix ? this.withPrefix(query) : [];
    this.flush();
    const terms = this.sorted;
    const m = Math.min(query.length, MAX_ROW_DEPTH - 1);
    const q = new Uint16Array(m);
    for (let j = 0; j < m; j++) q[j] = query.charCodeAt(j);
    const width = m + 1;
    const rows = new Int32Array(MAX_ROW_DEPTH * width);
    const rowMin = new Int32Array(MAX_ROW_DEPTH);
    /** Smallest distance between the query and a prefix of the word, up to each depth. */
    const prefixDist = new Int32Array(MAX_ROW_DEPTH);
    for (let j = 0; j <= m; j++) rows[j] = j;
    rowMin[0] = 0;
    prefixDist[0] = m;

    const out: Expansion[] = [];
    const first = q[0] ?? 0;
    // With one typo the first letter must match (a typo there counts two).
    let i = maxTypos === 1 ? lowerBound(terms, query.charAt(0), 0) : 0;
    const end = maxTypos === 1 ? endOfPrefix(terms, query.charAt(0), i) : terms.length;
    let previous = "";
    let valid = 0;
    let budget = maxTypos;
    let penalty = 0;

    const emitRange = (from: number, to: number, typos: number): void => {
      for (let r = from; r < to; r++) {
        const term = terms[r] ?? "";
        if (term !== query) out.push({ term, typos, prefix: true });
      }
    };

    while (i < end) {
      const term = terms[i] ?? "";
      const length = Math.min(term.length, MAX_ROW_DEPTH - 1);
      let shared = 0;
      const limit = Math.min(valid, length, previous.length);
      while (shared < limit && previous.charCodeAt(shared) === term.charCodeAt(shared)) shared++;

      let skippedTo = -1;
      for (let d = shared + 1; d <= length; d++) {
        const c = term.charCodeAt(d - 1);
        if (d === 1) {
          penalty = c === first ? 0 : 1;
          budget = maxTypos - penalty;
          if (budget < 1 && penalty === 1) {
            skippedTo = endOfPrefix(terms, term.slice(0, 1), i);
            valid = 0;
            break;
          }
        }
        const base = d * width;
        const up = base - width;
        const up2 = base - 2 * width;
        const before = d >= 2 ? term.charCodeAt(d - 2) : -1;
        rows[base] = d;
        let min = d;
        for (let j = 1; j <= m; j++) {
          const qj = q[j - 1] ?? 0;
          let v = (rows[up + j - 1] ?? 0) + (qj === c ? 0 : 1);
          const del = (rows[up + j] ?? 0) + 1;
          if (del < v) v = del;
          const ins = (rows[base + j - 1] ?? 0) + 1;
          if (ins < v) v = ins;
          if (d >= 2 && j >= 2 && qj === before && (q[j - 2] ?? 0) === c) {
            const swap = (rows[up2 + j - 2] ?? 0) + 1;
            if (swap < v) v = swap;
          }
          rows[base + j] = v;
          if (v < min) min = v;
        }
        rowMin[d] = min;
        const atEnd = rows[base + m] ?? 0;
        const before2 = prefixDist[d - 1] ?? m;
        prefixDist[d] = atEnd < before2 ? atEnd : before2;
        if (min > budget) {
          // No longer word with this beginning gets closer; as prefixes they keep the best so far.
          skippedTo = endOfPrefix(terms, term.slice(0, d), i);
          const best = prefixDist[d - 1] ?? m;
          if (prefix && best <= budget) emitRange(i, skippedTo, best + penalty);
          valid = d - 1;
          break;
        }
      }
      previous = term;
      if (skippedTo >= 0) {
        i = skippedTo;
        continue;
      }
      valid = length;
      const whole = rows[length * width + m] ?? m;
      const start = prefix ? (prefixDist[length] ?? m) : m + 1;
      if (term !== query) {
        if (whole <= budget && whole <= start) out.push({ term, typos: whole + penalty, prefix: false });
        else if (start <= budget) out.push({ term, typos: start + penalty, prefix: true });
      }
      i++;
    }
    return out;
  }
}
