/**
 * The best `k` items of a list under a comparator (negative: `a` comes first), in order,
 * without sorting the whole list: a bounded binary heap whose root is the worst item kept.
 */
export function topK(
  items: ArrayLike<number>,
  k: number,
  compare: (a: number, b: number) => number,
): number[] {
  const n = items.length;
  if (k <= 0 || n === 0) return [];
  if (k * 4 >= n) {
    const all = Array.from(items);
    all.sort(compare);
    return all.slice(0, k);
  }
  const heap: number[] = [];
  // Max-heap under `compare`: heap[0] is the item that would come last.
  const siftUp = (start: number): void => {
    let i = start;
    const item = heap[i] ?? 0;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] ?? 0;
      if (compare(item, p) <= 0) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = item;
  };
  const siftDown = (): void => {
    let i = 0;
    const size = heap.length;
    const item = heap[0] ?? 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      let child = left;
      if (right < size && compare(heap[right] ?? 0, heap[left] ?? 0) > 0) child = right;
      const c = heap[child] ?? 0;
      if (compare(c, item) <= 0) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = item;
  };
  for (let i = 0; i < n; i++) {
    const item = items[i] ?? 0;
    if (heap.length < k) {
      heap.push(item);
      siftUp(heap.length - 1);
    } else if (compare(item, heap[0] ?? 0) < 0) {
      heap[0] = item;
      siftDown();
    }
  }
  return heap.sort(compare);
}
