import { seededRandom } from '@myoseg/core';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { intensityStats } from './filters';
import { addRicianNoise, RICIAN_NOISE, randomRicianNoise } from './rician-noise';

const flat = (value: number, n = 64) => ndarray(new Float32Array(n * n).fill(value), [n, n]);

describe('addRicianNoise', () => {
  it('gives zero a Rayleigh floor and a bright tissue its mean √(A² + σ²), keeping the shape', () => {
    const sigma = 0.05;
    const background = addRicianNoise(flat(0, 128), sigma, seededRandom(1));
    expect(background.shape).toEqual([128, 128]);
    // Rayleigh: mean σ·√(π/2), standard deviation σ·√(2 − π/2)
    const rayleigh = intensityStats(background.data);
    expect(rayleigh.min).toBeGreaterThanOrEqual(0);
    const near = (value: number, expected: number) =>
      expect(Math.abs(value / expected - 1)).toBeLessThan(0.03);
    near(rayleigh.mean, sigma * Math.sqrt(Math.PI / 2));
    near(rayleigh.std, sigma * Math.sqrt(2 - Math.PI / 2));
    const tissue = intensityStats(addRicianNoise(flat(0.8, 128), sigma, seededRandom(2)).data);
    near(tissue.mean, Math.sqrt(0.8 ** 2 + sigma ** 2));
    near(tissue.std, sigma);
  });

  it('is seeded, leaves its input alone, and copies the image unchanged at σ 0', () => {
    const image = flat(0.5, 8);
    const a = addRicianNoise(image, 0.1, seededRandom(3));
    expect(Array.from(a.data)).toEqual(Array.from(addRicianNoise(image, 0.1, seededRandom(3)).data));
    expect(Array.from(a.data)).not.toEqual(Array.from(addRicianNoise(image, 0.1, seededRandom(4)).data));
    expect(image.data.every((v) => v === 0.5)).toBe(true);
    const copy = addRicianNoise(image, 0, seededRandom(3));
    expect(copy).not.toBe(image);
    expect(Array.from(copy.data)).toEqual(Array.from(image.data));
  });

  it('refuses a strided view', () => {
    expect(() => addRicianNoise(flat(0, 8).transpose(1, 0), 0.1, seededRandom(0))).toThrow(/addRicianNoise/);
  });
});

describe('randomRicianNoise', () => {
  it('returns the image itself when no noise is drawn', () => {
    const image = flat(0.3, 8);
    expect(randomRicianNoise(image, { probability: 0, maxStd: 0.1 }, seededRandom(0))).toBe(image);
  });

  it('draws σ within [0, maxStd]: the background floor stays under the largest Rayleigh mean', () => {
    const random = seededRandom(5);
    const means = Array.from(
      { length: 40 },
      () =>
        intensityStats(randomRicianNoise(flat(0, 32), { ...RICIAN_NOISE, probability: 1 }, random).data).mean,
    );
    const largest = RICIAN_NOISE.maxStd * Math.sqrt(Math.PI / 2);
    expect(Math.max(...means)).toBeLessThan(largest * 1.05);
    // uniform σ: the means spread over the range, not one value
    expect(Math.max(...means) - Math.min(...means)).toBeGreaterThan(largest / 2);
  });

  it('noises about the set share of samples', () => {
    const random = seededRandom(6);
    const image = flat(0.5, 4);
    const noised = Array.from(
      { length: 400 },
      () => randomRicianNoise(image, RICIAN_NOISE, random) !== image,
    );
    expect(noised.filter(Boolean).length / 400).toBeCloseTo(RICIAN_NOISE.probability, 1);
  });
});
