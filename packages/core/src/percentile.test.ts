import { describe, expect, it } from 'vitest';
import { percentileInPlace } from './percentile';
import { seededRandom } from './random';

/** numpy's linear percentile from a full sort: the reference the selection must match. */
function sortedPercentile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = (q / 100) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

describe('percentileInPlace', () => {
  it('equals the sorted reference on random, repeated, sorted and reversed values', () => {
    const random = seededRandom(11);
    const cases = [
      Array.from({ length: 1001 }, () => random() * 100 - 50),
      Array.from({ length: 500 }, () => Math.floor(random() * 4)),
      Array.from({ length: 300 }, (_, i) => i),
      Array.from({ length: 300 }, (_, i) => 300 - i),
      [7],
      [2, 1],
    ];
    for (const values of cases)
      for (const q of [0, 0.5, 1, 25, 37.5, 50, 99, 99.5, 100]) {
        expect(percentileInPlace(Float32Array.from(values), q)).toBeCloseTo(sortedPercentile(values, q), 4);
        expect(percentileInPlace(Float64Array.from(values), q)).toBeCloseTo(sortedPercentile(values, q), 9);
      }
  });

  it('gives NaN for no values', () => {
    expect(percentileInPlace(new Float64Array(0), 50)).toBeNaN();
  });
});
