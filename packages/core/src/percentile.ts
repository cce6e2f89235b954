/**
 * The q-th percentile of `values` with linear interpolation between order statistics (numpy's default).
 * Sorts `values` in place. Returns NaN for an empty array.
 */
export function percentileInPlace(values: Float64Array | Float32Array, q: number): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  values.sort();
  const pos = (q / 100) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return values[lo] + (values[hi] - values[lo]) * (pos - lo);
}
