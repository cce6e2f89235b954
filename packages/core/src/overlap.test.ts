import fc from 'fast-check';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { ellipseMask, u8 } from '../test/fixtures';
import { ShapeMismatchError } from './errors';
import { dice, iou } from './overlap';

describe('dice / iou', () => {
  it('matches hand-worked values', () => {
    const a = u8([1, 1, 0, 0], [2, 2]);
    const b = u8([1, 0, 1, 0], [2, 2]);
    expect(dice(a, b)).toBeCloseTo(0.5, 12);
    expect(iou(a, b)).toBeCloseTo(1 / 3, 12);
  });

  it('follows ACDC on empty masks: both empty 1, one empty 0', () => {
    const empty = u8([0, 0, 0, 0], [2, 2]);
    const full = u8([0, 3, 0, 0], [2, 2]);
    expect(dice(empty, empty)).toBe(1);
    expect(iou(empty, empty)).toBe(1);
    expect(dice(empty, full)).toBe(0);
    expect(iou(full, empty)).toBe(0);
  });

  it('counts any non-zero value as foreground and works on [D, H, W] volumes', () => {
    const a = u8([0, 2, 0, 7, 0, 0, 1, 1], [2, 2, 2]);
    const b = u8([0, 1, 0, 1, 0, 0, 0, 1], [2, 2, 2]);
    expect(dice(a, b)).toBeCloseTo((2 * 3) / (4 + 3), 12);
  });

  it('reads strided views (transpose, lo/hi) as their logical values', () => {
    const m = ellipseMask(20, 30, 9, 12, 6, 9);
    const t = m.transpose(1, 0);
    const packedT = ndarray(new Uint8Array(600), [30, 20]);
    for (let y = 0; y < 30; y++) for (let x = 0; x < 20; x++) packedT.set(y, x, t.get(y, x));
    expect(dice(t, packedT)).toBe(1);
    const view = m.lo(2, 3).hi(10, 12);
    const shifted = ellipseMask(20, 30, 9, 12, 6, 9).lo(2, 3).hi(10, 12);
    expect(dice(view, shifted)).toBe(1);
    expect(dice(view, m.lo(3, 3).hi(10, 12))).toBeLessThan(1);
  });

  it('throws ShapeMismatchError naming both shapes', () => {
    expect(() => dice(u8([1], [1, 1]), u8([1, 1], [1, 2]))).toThrow(ShapeMismatchError);
    expect(() => dice(u8([1], [1, 1]), u8([1, 1], [1, 2]))).toThrow(/\[1, 1\] vs \[1, 2\]/);
  });

  it('property: dice(a, a) = 1, symmetric, in [0, 1], and 2·iou / (1 + iou) = dice', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.infiniteStream(fc.boolean()),
        fc.infiniteStream(fc.boolean()),
        (h, w, sa, sb) => {
          const ia = sa[Symbol.iterator]();
          const ib = sb[Symbol.iterator]();
          const a = u8(
            Array.from({ length: h * w }, () => +ia.next().value),
            [h, w],
          );
          const b = u8(
            Array.from({ length: h * w }, () => +ib.next().value),
            [h, w],
          );
          expect(dice(a, a)).toBe(1);
          const d = dice(a, b);
          expect(d).toBe(dice(b, a));
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(1);
          const j = iou(a, b);
          expect((2 * j) / (1 + j)).toBeCloseTo(d, 12);
        },
      ),
    );
  });
});
