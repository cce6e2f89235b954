import { seededRandom } from '@myoseg/core';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { ringSamples } from '../test-support';
import { intensityStats } from './filters';
import {
  addGaussianNoise,
  applyGamma,
  multiplyBrightness,
  nnunetIntensity,
  scaleContrast,
} from './intensity';

const [{ image }] = ringSamples(1, 40, 2);
const values = (x: { data: Float32Array }) => Array.from(x.data);

describe('the nnU-Net intensity operations', () => {
  it('add noise of the asked standard deviation, seeded', () => {
    const flat = ndarray(new Float32Array(64 * 64).fill(0.5), [64, 64]);
    const noisy = addGaussianNoise(flat, 0.1, seededRandom(1));
    const { mean, std } = intensityStats(noisy.data);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(std).toBeGreaterThan(0.095);
    expect(std).toBeLessThan(0.105);
    expect(values(addGaussianNoise(flat, 0.1, seededRandom(1)))).toEqual(values(noisy));
    expect(values(addGaussianNoise(flat, 0.1, seededRandom(2)))).not.toEqual(values(noisy));
  });

  it('scale brightness, and contrast about the mean within the original range', () => {
    expect(values(multiplyBrightness(image, 1.25))).toEqual(values(image).map((v) => Math.fround(v * 1.25)));
    const before = intensityStats(image.data);
    const low = intensityStats(scaleContrast(image, 0.75).data);
    const high = intensityStats(scaleContrast(image, 1.25).data);
    expect(low.std).toBeCloseTo(0.75 * before.std, 4);
    expect(high.min).toBeGreaterThanOrEqual(before.min);
    expect(high.max).toBeLessThanOrEqual(before.max);
  });

  it('bend intensities by gamma, keeping mean and standard deviation, inverted or not', () => {
    const ramp = ndarray(
      Float32Array.from({ length: 100 }, (_, i) => i / 99),
      [10, 10],
    );
    for (const invert of [false, true]) {
      const out = applyGamma(ramp, 1.5, { invert });
      const a = intensityStats(ramp.data);
      const b = intensityStats(out.data);
      expect(b.mean).toBeCloseTo(a.mean, 5);
      expect(b.std).toBeCloseTo(a.std, 5);
      // still monotonic, and not a straight line any more
      for (let i = 1; i < 100; i++) expect(out.data[i]).toBeGreaterThanOrEqual(out.data[i - 1] - 1e-6);
      expect(Math.abs(out.data[50] - out.data[0] - (out.data[99] - out.data[49]))).toBeGreaterThan(0.05);
    }
    expect(values(applyGamma(ramp, 1))).toEqual(values(ramp).map((v) => expect.closeTo(v, 5)));
  });
});

describe('nnunetIntensity', () => {
  const images = ringSamples(40, 24, 8).map((s) => s.image);
  const run = (seed: number) => {
    const random = seededRandom(seed);
    return images.map((x) => nnunetIntensity(x, random));
  };

  it('is seeded, keeps shapes, and changes some images and leaves others', () => {
    const a = run(3);
    expect(run(3).map(values)).toEqual(a.map(values));
    expect(run(4).map(values)).not.toEqual(a.map(values));
    expect(a.every((x) => x.shape[0] === 24 && x.shape[1] === 24)).toBe(true);
    const changed = a.filter((x, i) => x !== images[i]).length;
    expect(changed).toBeGreaterThan(10);
    expect(changed).toBeLessThan(40);
  });

  it('keeps intensities near the input range (noise ≤ 0.1 of the std, contrast range-preserving)', () => {
    for (const x of run(5)) {
      const { min, max } = intensityStats(x.data);
      expect(min).toBeGreaterThan(-0.5);
      expect(max).toBeLessThan(1.8);
    }
  });
});
