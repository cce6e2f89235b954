import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { robustBrightness } from './brightness';

describe('robustBrightness', () => {
  it('is the 99th percentile, unmoved by a few hot pixels', () => {
    const values = new Float32Array(1000).map((_, i) => i % 100);
    values[0] = 1e6;
    const p99 = robustBrightness(ndarray(values, [10, 100]));
    expect(p99).toBeGreaterThanOrEqual(98);
    expect(p99).toBeLessThan(100);
  });

  it('gives the value of a flat image and 0 for an empty one', () => {
    expect(robustBrightness(ndarray(new Float32Array(4).fill(7), [2, 2]))).toBe(7);
    expect(robustBrightness(ndarray(new Float32Array(0), [0, 0]))).toBe(0);
  });
});
