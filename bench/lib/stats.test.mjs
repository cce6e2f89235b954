import { describe, expect, it } from 'vitest';
import { gflops, median, ratio, round, spread } from './stats.mjs';

describe('stats', () => {
  it('median of odd and even lengths, unsorted input left as is', () => {
    const xs = [5, 1, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  it('ratio, rounding and GFLOP/s, with missing values as null', () => {
    expect(ratio(150, 100)).toBe(1.5);
    expect(ratio(null, 100)).toBeNull();
    expect(ratio(100, 0)).toBeNull();
    expect(round(1234.5678, 3)).toBe(1230);
    expect(round(0.000123456, 2)).toBe(0.00012);
    expect(round(null)).toBeNull();
    expect(gflops(2e9, 1000)).toBe(2); // 2 GFLOP in 1 s
    expect(gflops(null, 10)).toBeNull();
  });

  it('spread is (max − min) / median, null for fewer than 2 runs', () => {
    expect(spread([90, 100, 120])).toBeCloseTo(0.3);
    expect(spread([100])).toBeNull();
  });
});
