import { describe, expect, it } from 'vitest';
import { ellipseMask, f32, fixtures, maxAbsDiff, u8 } from '../test/fixtures';
import { distanceTransform } from './distance-transform';
import { ShapeMismatchError } from './errors';
import { averageSurfaceDistance, hausdorffDistance } from './surface-distance';

describe('surface distances (medpy / ACDC evaluation)', () => {
  it.each(fixtures.surface.map((c) => [c.shape.length, c] as const))(
    '%sD: HD, HD95, ASSD and EDT equal scipy',
    (_, c) => {
      const a = u8(c.a, c.shape);
      const b = u8(c.b, c.shape);
      const spacing = c.spacing as [number, number] | [number, number, number];
      expect(hausdorffDistance(a, b, { spacing })).toBeCloseTo(c.hd, 9);
      expect(hausdorffDistance(a, b, { spacing, percentile: 95 })).toBeCloseTo(c.hd95, 9);
      expect(averageSurfaceDistance(a, b, { spacing })).toBeCloseTo(c.assd, 9);
      expect(hausdorffDistance(b, a, { spacing, percentile: 95 })).toBeCloseTo(c.hd95, 9);
      expect(maxAbsDiff(distanceTransform(a, { spacing }), c.edtA)).toBeLessThan(1e-9);
    },
  );

  it('hand-worked: two single pixels 3 rows and 4 columns apart at 2 mm × 0.5 mm', () => {
    const a = u8([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [4, 5]);
    const b = u8([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], [4, 5]);
    expect(hausdorffDistance(a, b, { spacing: [2, 0.5] })).toBeCloseTo(Math.hypot(6, 2), 12);
    expect(averageSurfaceDistance(a, b)).toBeCloseTo(5, 12);
  });

  it('hand-worked 3D: two single voxels 2 slices, 3 rows and 4 columns apart at [8, 1.5, 1.5] mm', () => {
    const a = u8(new Array(60).fill(0), [3, 4, 5]);
    const b = u8(new Array(60).fill(0), [3, 4, 5]);
    a.set(0, 0, 0, 1);
    b.set(2, 3, 4, 1);
    const expected = Math.hypot(16, 4.5, 6);
    expect(hausdorffDistance(a, b, { spacing: [8, 1.5, 1.5] })).toBeCloseTo(expected, 12);
    expect(hausdorffDistance(a, b, { spacing: [8, 1.5, 1.5], percentile: 95 })).toBeCloseTo(expected, 12);
  });

  it('is 0 for identical masks, 0 for two empty masks and +∞ with one empty', () => {
    const m = ellipseMask(30, 30, 15, 15, 8, 10);
    const empty = u8(new Array(900).fill(0), [30, 30]);
    expect(hausdorffDistance(m, m)).toBe(0);
    expect(averageSurfaceDistance(m, m)).toBe(0);
    expect(hausdorffDistance(empty, empty)).toBe(0);
    expect(hausdorffDistance(m, empty)).toBe(Number.POSITIVE_INFINITY);
    expect(averageSurfaceDistance(empty, m)).toBe(Number.POSITIVE_INFINITY);
  });

  it('HD95 ≤ HD, both symmetric', () => {
    const a = ellipseMask(40, 40, 20, 20, 10, 12);
    const b = ellipseMask(40, 40, 22, 19, 9, 14);
    const hd = hausdorffDistance(a, b);
    expect(hausdorffDistance(a, b, { percentile: 95 })).toBeLessThanOrEqual(hd);
    expect(hausdorffDistance(b, a)).toBe(hd);
  });

  it('rejects mismatched shapes, wrong spacing length and bad percentiles by name', () => {
    const a = ellipseMask(10, 10, 5, 5, 3, 3);
    expect(() => hausdorffDistance(a, ellipseMask(10, 11, 5, 5, 3, 3))).toThrow(ShapeMismatchError);
    expect(() => hausdorffDistance(a, a, { spacing: [1, 1, 1] })).toThrow(/spacing has 3 values, expected 2/);
    expect(() => hausdorffDistance(a, a, { spacing: [1, -1] })).toThrow(/spacing\[1\]/);
    expect(() => hausdorffDistance(a, a, { percentile: 101 })).toThrow(/percentile/);
  });

  it('distanceTransform of a mask without background is +∞', () => {
    expect(Array.from(distanceTransform(f32([1, 1, 1, 1], [2, 2])))).toEqual(
      new Array(4).fill(Number.POSITIVE_INFINITY),
    );
  });
});
