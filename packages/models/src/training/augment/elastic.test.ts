import { seededRandom } from '@myoseg/core';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { ringSamples } from '../test-support';
import { ELASTIC, randomElastic, warpSample } from './elastic';

const labelled = (mask: Uint8Array) => mask.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);

describe('warpSample', () => {
  const [sample] = ringSamples(1, 48, 3);

  it('is the identity for a zero grid and keeps the shape', () => {
    const out = warpSample(sample, new Float64Array(5 * 5 * 2), 5);
    expect(out.image.shape).toEqual([48, 48]);
    expect(Array.from(out.image.data)).toEqual(Array.from(sample.image.data));
    expect(Array.from(out.mask.data)).toEqual(Array.from(sample.mask.data));
  });

  it('shifts image and mask together by a uniform displacement', () => {
    // every control point samples 3 rows down and 2 columns left: content moves 3 up and 2 right
    const grid = new Float64Array(3 * 3 * 2);
    for (let i = 0; i < 9; i++) grid.set([3, -2], i * 2);
    const out = warpSample(sample, grid, 3);
    for (let y = 0; y < 45; y++)
      for (let x = 2; x < 48; x++) {
        expect(out.mask.get(y, x)).toBe(sample.mask.get(y + 3, x - 2));
        expect(out.image.get(y, x)).toBeCloseTo(sample.image.get(y + 3, x - 2), 5);
      }
  });

  it('bends one part of the image and leaves the far corner alone', () => {
    // only the centre control point of 3 × 3 moves: the corners stay fixed
    const grid = new Float64Array(3 * 3 * 2);
    grid.set([6, 6], (1 * 3 + 1) * 2);
    const out = warpSample(sample, grid, 3);
    expect(out.image.get(0, 0)).toBe(sample.image.get(0, 0));
    expect(out.image.get(47, 47)).toBe(sample.image.get(47, 47));
    expect(Array.from(out.mask.data)).not.toEqual(Array.from(sample.mask.data));
  });

  it('refuses a grid of the wrong length', () => {
    expect(() => warpSample(sample, new Float64Array(7), 2)).toThrow(RangeError);
    expect(() => warpSample(sample, new Float64Array(2), 1)).toThrow(/g ≥ 2/);
  });

  it('keeps the mask among the input labels and clamps at the borders', () => {
    const image = ndarray(
      Float32Array.from({ length: 100 }, (_, k) => k % 10),
      [10, 10],
    );
    const mask = ndarray(
      Uint8Array.from({ length: 100 }, (_, k) => (k % 10 > 6 ? 2 : 0)),
      [10, 10],
    );
    const grid = new Float64Array(2 * 2 * 2).fill(25);
    const out = warpSample({ image, mask }, grid, 2);
    expect(new Set(out.mask.data)).toEqual(new Set([2]));
    expect(new Set(out.image.data)).toEqual(new Set([9]));
  });
});

describe('randomElastic', () => {
  const samples = ringSamples(8, 60, 5);
  const always = { ...ELASTIC, probability: 1 };
  const run = (seed: number, options = always) => {
    const random = seededRandom(seed);
    return samples.map((s) => randomElastic(s, options, random));
  };

  it('is seeded: the same seed gives the same samples, another seed others', () => {
    const a = run(1).map((s) => Array.from(s.mask.data));
    expect(run(1).map((s) => Array.from(s.mask.data))).toEqual(a);
    expect(run(2).map((s) => Array.from(s.mask.data))).not.toEqual(a);
  });

  it('changes the outline but keeps the labels and roughly the area', () => {
    const out = run(3);
    let changed = 0;
    out.forEach((s, i) => {
      expect(s.image.shape).toEqual([60, 60]);
      expect(new Set(s.mask.data)).toEqual(new Set(samples[i].mask.data));
      const ratio = labelled(s.mask.data) / labelled(samples[i].mask.data);
      expect(ratio).toBeGreaterThan(0.6);
      expect(ratio).toBeLessThan(1.5);
      changed += +(Array.from(s.mask.data).join() !== Array.from(samples[i].mask.data).join());
    });
    expect(changed).toBeGreaterThan(4);
  });

  it('moves no pixel further than about four standard deviations of the largest magnitude', () => {
    // a horizontal ramp: the image value at a pixel is the column it was sampled from
    const image = ndarray(
      Float32Array.from({ length: 60 * 60 }, (_, k) => k % 60),
      [60, 60],
    );
    const mask = ndarray(new Uint8Array(60 * 60), [60, 60]);
    const random = seededRandom(9);
    let largest = 0;
    for (let i = 0; i < 20; i++) {
      const out = randomElastic({ image, mask }, always, random);
      for (let k = 0; k < out.image.data.length; k++)
        largest = Math.max(largest, Math.abs(out.image.data[k] - (k % 60)));
    }
    expect(largest).toBeGreaterThan(1);
    expect(largest).toBeLessThan(4.5 * ELASTIC.magnitude * 60);
  });

  it('returns the sample itself with probability 0, and draws nothing then', () => {
    const random = seededRandom(4);
    expect(randomElastic(samples[0], { ...ELASTIC, probability: 0 }, random)).toBe(samples[0]);
    expect(random()).toBe(seededRandom(4)());
  });
});
