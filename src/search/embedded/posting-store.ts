/**
 * Posting lists of many keys (term ids, keyword value ids) in compressed-sparse-row segments.
 *
 * Writes append (key, document, weight) triples to a pending log, in document order. `seal()`
 * makes them readable: a small log becomes a delta segment (rebuilt from the log each time);
 * once the log is large against the main segment, both merge into a new main segment. Each
 * segment is a counting sort of its triples: `offsets[key]..offsets[key + 1]` index `docs` and
 * `weights`, documents increasing. Every document of the delta is newer than every document of
 * the main segment, so reading main then delta keeps a key's documents in order.
 *
 * Appending to one log and sorting once is several times faster than growing thousands of
 * separate arrays (that is random access into memory), and the segments carry no per-key
 * objects or spare capacity.
 */
import { U32Vec } from "./postings.js";

export interface Segment {
  /** Keys 0..keyCount−1 have postings here (possibly none). */
  keyCount: number;
  offsets: Uint32Array;
  docs: Uint32Array;
  weights: Float32Array;
}

function emptySegment(): Segment {
  return { keyCount: 0, offsets: new Uint32Array(1), docs: new Uint32Array(0), weights: new Float32Array(0) };
}

/** Below this many pending postings the log stays a delta segment rather than being merged. */
const MIN_MERGE = 65_536;

class F32Log {
  data = new Float32Array(16);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
}

export class PostingStore {
  private main: Segment = emptySegment();
  private delta: Segment = emptySegment();
  private keys = new U32Vec();
  private docs = new U32Vec();
  private weights = new F32Log();
  private maxKey = -1;
  private sealed = true;

  constructor(private readonly weighted: boolean) {}

  add(key: number, doc: number, weight = 0): void {
    this.keys.push(key);
    this.docs.push(doc);
    if (this.weighted) this.weights.push(weight);
    if (key > this.maxKey) this.maxKey = key;
    this.sealed = false;
  }

  /** Makes every added posting readable. */
  seal(): void {
    if (this.sealed) return;
    this.sealed = true;
    if (this.keys.length >= Math.max(MIN_MERGE, this.main.docs.length / 8)) this.merge();
    else this.delta = this.buildDelta();
  }

  /** The segments to read, main first. */
  segments(): readonly Segment[] {
    this.seal();
    return this.delta.docs.length === 0 ? [this.main] : [this.main, this.delta];
  }

  /** Number of postings of `key`. */
  count(key: number): number {
    let n = 0;
    for (const s of this.segments()) {
      if (key < s.keyCount) n += (s.offsets[key + 1] ?? 0) - (s.offsets[key] ?? 0);
    }
    return n;
  }

  /** Total number of postings. */
  get size(): number {
    return this.main.docs.length + this.keys.length;
  }

  private keyCountWith(base: Segment): number {
    return Math.max(base.keyCount, this.maxKey + 1);
  }

  /**
   * A counting sort of `base` followed by the pending log, as one new segment: the log alone
   * (`base` empty) is the delta; with the main segment it is the merged main segment.
   */
  private sortLog(base: Segment): Segment {
    const n = this.keys.length;
    const keyCount = this.keyCountWith(base);
    const keys = this.keys.data;
    const offsets = new Uint32Array(keyCount + 1);
    for (let k = 0; k < base.keyCount; k++)
      offsets[k + 1] = (base.offsets[k + 1] ?? 0) - (base.offsets[k] ?? 0);
    for (let i = 0; i < n; i++) {
      const k = (keys[i] ?? 0) + 1;
      offsets[k] = (offsets[k] ?? 0) + 1;
    }
    for (let k = 0; k < keyCount; k++) offsets[k + 1] = (offsets[k + 1] ?? 0) + (offsets[k] ?? 0);
    const total = offsets[keyCount] ?? 0;
    const docs = new Uint32Array(total);
    const weights = new Float32Array(this.weighted ? total : 0);
    const cursor = offsets.slice(0, keyCount);
    for (let k = 0; k < base.keyCount; k++) {
      const a = base.offsets[k] ?? 0;
      const b = base.offsets[k + 1] ?? 0;
      if (a === b) continue;
      const at = cursor[k] ?? 0;
      docs.set(base.docs.subarray(a, b), at);
      if (this.weighted) weights.set(base.weights.subarray(a, b), at);
      cursor[k] = at + (b - a);
    }
    const fromDocs = this.docs.data;
    const fromWeights = this.weights.data;
    for (let i = 0; i < n; i++) {
      const k = keys[i] ?? 0;
      const p = cursor[k] ?? 0;
      cursor[k] = p + 1;
      docs[p] = fromDocs[i] ?? 0;
      if (this.weighted) weights[p] = fromWeights[i] ?? 0;
    }
    return { keyCount, offsets, docs, weights };
  }

  private buildDelta(): Segment {
    return this.sortLog(emptySegment());
  }

  private merge(): void {
    this.main = this.sortLog(this.main);
    this.delta = emptySegment();
    this.keys = new U32Vec();
    this.docs = new U32Vec();
    this.weights = new F32Log();
  }

  /**
   * Keeps the postings whose document `renumber` maps to a number ≥ 0, renumbered (the
   * mapping keeps the order of documents), in one main segment.
   */
  remap(renumber: Int32Array): void {
    this.merge();
    const main = this.main;
    const keyCount = main.keyCount;
    const offsets = new Uint32Array(keyCount + 1);
    const docs = new Uint32Array(main.docs.length);
    const weights = new Float32Array(this.weighted ? main.docs.length : 0);
    let out = 0;
    for (let k = 0; k < keyCount; k++) {
      const end = main.offsets[k + 1] ?? 0;
      for (let i = main.offsets[k] ?? 0; i < end; i++) {
        const next = renumber[main.docs[i] ?? 0] ?? -1;
        if (next < 0) continue;
        docs[out] = next;
        if (this.weighted) weights[out] = main.weights[i] ?? 0;
        out++;
      }
      offsets[k + 1] = out;
    }
    this.main = {
      keyCount,
      offsets,
      docs: docs.slice(0, out),
      weights: weights.slice(0, this.weighted ? out : 0),
    };
    this.sealed = true;
  }
}
