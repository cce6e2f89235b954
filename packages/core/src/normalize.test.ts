import { describe, expect, it } from 'vitest';
import { f32, fixtures } from '../test/fixtures';
import { normalizeIntensity } from './normalize';
import { percentileInPlace } from './percentile';

describe('normalizeIntensity', () => {
  it('zscore gives mean 0 and std 1', () => {
    const out = normalizeIntensity(f32([1, 2, 3, 4, 10], [1, 5])).data;
    const mean = out.reduce((a, b) => a + b, 0) / out.length;
    const std = Math.sqrt(out.reduce((a, b) => a + (b - mean) ** 2, 0) / out.length);
    expect(mean).toBeCloseTo(0, 6);
    expect(std).toBeCloseTo(1, 6);
  });

  it('percentile clips to numpy percentiles and scales to [0, 1]', () => {
    const { values, p1, p99 } = fixtures.percentile;
    const out = normalizeIntensity(f32(values, [1, values.length]), { method: 'percentile' }).data;
    values.forEach((v, i) => {
      expect(out[i]).toBeCloseTo((Math.min(p99, Math.max(p1, v)) - p1) / (p99 - p1), 5);
    });
  });

  it('a constant image gives zeros', () => {
    expect(Array.from(normalizeIntensity(f32([3, 3, 3], [1, 3])).data)).toEqual([0, 0, 0]);
    expect(Array.from(normalizeIntensity(f32([3, 3], [1, 2]), { method: 'percentile' }).data)).toEqual([
      0, 0,
    ]);
  });

  it('percentileInPlace equals numpy', () => {
    const { values, p37_5 } = fixtures.percentile;
    expect(percentileInPlace(Float64Array.from(values), 37.5)).toBeCloseTo(p37_5, 6);
  });
});
