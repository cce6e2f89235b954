import fc from 'fast-check';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { replaceNonFinite } from './finite';

describe('replaceNonFinite', () => {
  it('leaves finite images as they are (property), as float32', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: 6, maxLength: 6 }),
        (xs) => {
          const { image, replaced } = replaceNonFinite(ndarray(Float64Array.from(xs), [2, 3]));
          expect(replaced).toBe(0);
          expect(Array.from(image.data)).toEqual(xs.map(Math.fround));
        },
      ),
    );
  });

  it('takes the slice’s finite max for +∞ and the min for NaN and −∞, per slice', () => {
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
    const { image, replaced } = replaceNonFinite(ndarray(data, [2, 2, 2]));
    expect(replaced).toBe(3);
    expect(Array.from(image.data)).toEqual([1, 1, 5, 5, 10, 10, 30, 20]);
    expect(Number.isNaN(data[1])).toBe(true); // the input is not changed
    expect(image.shape).toEqual([2, 2, 2]);
  });

  it('treats float64 beyond float32’s range as ±∞ (strided views too), and a slice of no finite value as 0', () => {
    // transposed: rows [2, -1e300, NaN] and [1e300, 4, NaN]
    const view = ndarray(Float64Array.from([2, 1e300, -1e300, 4, Number.NaN, Number.NaN]), [3, 2]).transpose(
      1,
      0,
    );
    const { image, replaced } = replaceNonFinite(view);
    expect(replaced).toBe(4);
    expect(Array.from(image.data)).toEqual([2, 2, 2, 4, 4, 2]);
    const stack = Float32Array.from([3, 7, Number.NaN, Number.POSITIVE_INFINITY]);
    const empty = replaceNonFinite(ndarray(stack, [2, 1, 2]));
    expect([empty.replaced, ...empty.image.data]).toEqual([2, 3, 7, 0, 0]);
  });

  it('refuses a 1D array', () => {
    expect(() => replaceNonFinite(ndarray(new Float32Array(3), [3]))).toThrow(/expected 2D or 3D array/);
  });
});
