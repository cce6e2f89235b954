import fc from 'fast-check';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { finiteIntensities } from './finite-intensities';

describe('finiteIntensities', () => {
  it('leaves finite images as they are (property), as float32', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: 6, maxLength: 6 }),
        (xs) => {
          const { image, replaced, scale } = finiteIntensities(ndarray(Float64Array.from(xs), [2, 3]));
          expect([replaced, scale]).toEqual([0, 1]);
          expect(Array.from(image.data)).toEqual(xs.map(Math.fround));
        },
      ),
    );
  });

  it('takes the slice’s finite max for +∞ and its min for NaN and −∞, per slice', () => {
    const data = Float32Array.from([
      1,
      Number.NaN,
      5,
      Number.POSITIVE_INFINITY,
      10,
      Number.NEGATIVE_INFINITY,
      30,
      20,
    ]);
    const { image, replaced } = finiteIntensities(ndarray(data, [2, 2, 2]));
    expect(replaced).toBe(3);
    expect(Array.from(image.data)).toEqual([1, 1, 5, 5, 10, 10, 30, 20]);
    expect(Number.isNaN(data[1])).toBe(true); // the input is not changed
    expect(image.shape).toEqual([2, 2, 2]);
  });

  it('replaces a few float64 values beyond float32’s range like ±∞ (strided views too); no finite value → 0', () => {
    // transposed: rows [2, -1e300, 7] and [1e300, 4, NaN]
    const view = ndarray(Float64Array.from([2, 1e300, -1e300, 4, 7, Number.NaN]), [3, 2]).transpose(1, 0);
    const { image, replaced, scale } = finiteIntensities(view);
    expect([replaced, scale]).toEqual([3, 1]);
    expect(Array.from(image.data)).toEqual([2, 2, 7, 7, 4, 2]);
    const stack = Float32Array.from([3, 7, Number.NaN, Number.POSITIVE_INFINITY]);
    const empty = finiteIntensities(ndarray(stack, [2, 1, 2]));
    expect([empty.replaced, ...empty.image.data]).toEqual([2, 3, 7, 0, 0]);
  });

  it('rescales a float64 image stored beyond float32’s range by a power of two, exactly', () => {
    const original = [0, 1, 250, 3, 1000, 17];
    const huge = ndarray(
      Float64Array.from(original, (v) => v * 2 ** 900),
      [2, 3],
    );
    const { image, replaced, scale } = finiteIntensities(huge);
    expect(replaced).toBe(0);
    // 1000·2⁹⁰⁰ ≈ 2⁹¹⁰ takes 2⁻⁷⁸³ to lie within half of float32's largest value (≈ 2¹²⁷)
    expect(Math.log2(scale)).toBe(-783);
    expect(Array.from(image.data)).toEqual(original.map((v) => v * 2 ** 117));
  });

  it('refuses a 1D array', () => {
    expect(() => finiteIntensities(ndarray(new Float32Array(3), [3]))).toThrow(/expected 2D or 3D array/);
  });
});
