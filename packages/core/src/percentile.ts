/**
 * Moves the `k`-th smallest of `values[from..to]` (inclusive) to index `k`, smaller ones before it and larger ones
 * after it (Hoare's selection, median-of-three pivots): O(n) on average, no allocation.
 */
function selectInPlace(values: Float64Array | Float32Array, k: number, from: number, to: number): void {
  let [lo, hi] = [from, to];
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three as the pivot, so that sorted and constant runs stay linear
    const [a, b, c] = [values[lo], values[mid], values[hi]];
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    let [i, j] = [lo, hi];
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * The q-th percentile of `values` with linear interpolation between order statistics (numpy's default).
 * Reorders `values` in place (a selection, not a sort: linear time on average). Returns NaN for an empty array.
 */
export function percentileInPlace(values: Float64Array | Float32Array, q: number): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const pos = (q / 100) * (n - 1);
  const lo = Math.floor(pos);
  selectInPlace(values, lo, 0, n - 1);
  if (lo + 1 >= n || pos === lo) return values[lo];
  // the next order statistic is the smallest of the values after `lo`
  let next = values[lo + 1];
  for (let i = lo + 2; i < n; i++) if (values[i] < next) next = values[i];
  return values[lo] + (next - values[lo]) * (pos - lo);
}
