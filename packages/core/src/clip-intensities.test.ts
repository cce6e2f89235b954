import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { clipIntensities } from './clip-intensities';
import { seededRandom } from './random';

describe('clipIntensities', () => {
  it('lowers hot pixels to the 99.5th percentile and keeps every other value and the units', () => {
    const random = seededRandom(3);
    const data = Float32Array.from({ length: 64 * 64 }, () => 100 + 50 * random());
    const hot = [5, 700, 3001];
    for (const i of hot) data[i] = 8000;
    const out = clipIntensities(ndarray(data, [64, 64]));
    expect(out.shape).toEqual([64, 64]);
    const sorted = Float32Array.from(data).sort();
    const p995 = sorted[Math.floor(0.995 * (sorted.length - 1))];
    for (const i of hot) expect(out.data[i]).toBeLessThan(151);
    expect(Math.max(...out.data)).toBeCloseTo(p995, 0);
    // values between the percentiles are untouched
    const kept = data.filter((v, i) => out.data[i] === v).length;
    expect(kept).toBeGreaterThan(0.98 * data.length);
    expect(data[5]).toBe(8000); // the input is not changed
  });

  it('takes the percentiles it is given, and strided views of any dtype', () => {
    const a = ndarray(
      Int16Array.from({ length: 101 }, (_, i) => i),
      [101],
    );
    expect(Array.from(clipIntensities(a, { lower: 10, upper: 90 }).data).slice(0, 12)).toEqual([
      10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 11,
    ]);
    const view = ndarray(Float64Array.from([1, 1000, 2, 1000, 3, 1000]), [3, 2]).pick(null, 0);
    expect(Array.from(clipIntensities(view, { lower: 0, upper: 100 }).data)).toEqual([1, 2, 3]);
  });

  it('keeps a constant image and gives an empty image back empty', () => {
    expect(Array.from(clipIntensities(ndarray(new Float32Array([4, 4, 4]), [1, 3])).data)).toEqual([4, 4, 4]);
    expect(clipIntensities(ndarray(new Float32Array(0), [0, 5])).shape).toEqual([0, 5]);
  });

  it('refuses percentiles outside [0, 100] or in the wrong order', () => {
    const a = ndarray(new Float32Array(4), [2, 2]);
    expect(() => clipIntensities(a, { lower: -1 })).toThrow(/lower/);
    expect(() => clipIntensities(a, { lower: 60, upper: 40 })).toThrow(/upper/);
    expect(() => clipIntensities(a, { upper: 101 })).toThrow(/upper must be ≤ 100/);
  });
});
