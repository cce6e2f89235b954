import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { f32, fixtures, maxAbsDiff } from '../test/fixtures';
import { resize } from './resize';

describe('resize', () => {
  const { shape, image, cases } = fixtures.resize;

  it.each(cases.map((c) => [c.order === 0 ? 'nearest' : 'bilinear', c.target, c.out] as const))(
    'equals skimage resize (%s, to %j, mode edge)',
    (method, target, expected) => {
      const out = resize(f32(image, shape), target, { method });
      expect(out.shape).toEqual(target);
      expect(maxAbsDiff(out.data, expected)).toBeLessThan(1e-5);
    },
  );

  it('area: halving averages 2×2 blocks; thirds weigh partial pixels', () => {
    const img = f32([1, 3, 5, 7, 2, 4, 6, 8], [2, 4]);
    expect(Array.from(resize(img, [1, 2], { method: 'area' }).data)).toEqual([2.5, 6.5]);
    const row = f32([0, 3, 6], [1, 3]);
    // output pixel 0 covers [0, 1.5): 1 × 0 + 0.5 × 3 over 1.5
    expect(resize(row, [1, 2], { method: 'area' }).data[0]).toBeCloseTo(1, 6);
    expect(resize(row, [1, 2], { method: 'area' }).data[1]).toBeCloseTo(5, 6);
  });

  it('property: resizing to the same size is the identity for every method', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }), (h, w) => {
        const img = f32(
          Array.from({ length: h * w }, (_, i) => (i * 7) % 11),
          [h, w],
        );
        for (const method of ['nearest', 'bilinear', 'area'] as const) {
          expect(maxAbsDiff(resize(img, [h, w], { method }).data, img.data)).toBeLessThan(1e-5);
        }
      }),
    );
  });

  it('rejects non-integer or zero target sizes', () => {
    expect(() => resize(f32([1], [1, 1]), [0, 2])).toThrow(/shape\[0\]/);
    expect(() => resize(f32([1], [1, 1]), [2, 1.5])).toThrow(/shape\[1\]/);
  });
});
