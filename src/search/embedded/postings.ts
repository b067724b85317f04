/**
 * Growable typed arrays and bitsets: the storage the embedded index is built from. Plain
 * JavaScript, no `node:` imports (the engine also runs inside a Worker).
 */

function grownCapacity(current: number, needed: number): number {
  let capacity = Math.max(4, current);
  while (capacity < needed) capacity *= 2;
  return capacity;
}

/** A growable column of unsigned 32-bit integers. */
export class U32Vec {
  data: Uint32Array;
  length = 0;

  constructor(capacity = 16) {
    this.data = new Uint32Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) this.reserve(this.length + 1);
    this.data[this.length++] = value;
  }

  reserve(size: number): void {
    if (size <= this.data.length) return;
    const next = new Uint32Array(grownCapacity(this.data.length, size));
    next.set(this.data);
    this.data = next;
  }

  get(i: number): number {
    return this.data[i] ?? 0;
  }
}

/** A growable column of signed 32-bit integers (-1 for "no value"). */
export class I32Vec {
  data: Int32Array;
  length = 0;

  constructor(capacity = 16) {
    this.data = new Int32Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(grownCapacity(this.data.length, this.length + 1));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  get(i: number): number {
    return this.data[i] ?? -1;
  }
}

/** A growable column of doubles (NaN for null). */
export class F64Vec {
  data: Float64Array;
  length = 0;

  constructor(capacity = 16) {
    this.data = new Float64Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(grownCapacity(this.data.length, this.length + 1));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  get(i: number): number {
    return this.data[i] ?? Number.NaN;
  }
}

/** Bitsets over document numbers, 32 documents a word. */
export function bitsetWords(size: number): number {
  return (size + 31) >>> 5;
}

export function hasBit(bits: Uint32Array, doc: number): boolean {
  return (((bits[doc >>> 5] ?? 0) >>> (doc & 31)) & 1) === 1;
}

export function setBit(bits: Uint32Array, doc: number): void {
  const w = doc >>> 5;
  bits[w] = (bits[w] ?? 0) | (1 << (doc & 31));
}

export function clearBit(bits: Uint32Array, doc: number): void {
  const w = doc >>> 5;
  bits[w] = (bits[w] ?? 0) & ~(1 << (doc & 31));
}

export function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
