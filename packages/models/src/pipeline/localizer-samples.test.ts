import { boundingBox } from '@myoseg/core';
import { describe, expect, it } from 'vitest';
import { syntheticSlices } from '../../test/synthetic-slices';
import { localizerSamples, segmenterSamples } from './build-samples';

describe('training pairs of the two stages', () => {
  const slices = syntheticSlices({ patients: 3, slicesPerPatient: 2, size: [60, 80], seed: 9 });

  it('localizer: zoomed copies are squares that hold the whole region, reproducibly', () => {
    const pairs = localizerSamples(slices, 2, 4);
    expect(pairs).toHaveLength(slices.length * 3);
    const regionArea = (m: (typeof pairs)[number]['mask']) => m.data.reduce((a, b) => a + b, 0);
    for (let i = 0; i < slices.length; i++) {
      const [original, ...zoomed] = pairs.slice(i * 3, i * 3 + 3);
      for (const z of zoomed) {
        expect(z.image.shape[0]).toBe(z.image.shape[1]);
        expect(z.image.shape[0]).toBeLessThanOrEqual(Math.max(60, 80));
        expect(regionArea(z.mask)).toBe(regionArea(original.mask)); // nothing of the region cut off
        expect(boundingBox(z.mask)).not.toBeNull();
      }
    }
    const again = localizerSamples(slices, 2, 4);
    expect(again.map((p) => p.image.shape)).toEqual(pairs.map((p) => p.image.shape));
  });

  it('segmenter: crops around the true region (and jittered boxes) with the myocardium as target', () => {
    const pairs = segmenterSamples(slices, { frame: 0.15, cropJitter: 0.3, jitterCopies: 1 }, 1);
    expect(pairs).toHaveLength(slices.length * 2);
    for (const p of pairs) {
      expect(p.image.shape[0]).toBe(p.image.shape[1]);
      expect(new Set(p.mask.data)).toEqual(new Set([0, 1]));
    }
  });
});

describe('balancedClassWeights', () => {
  it('gives √(max share / share) per class, 1 for an absent class', async () => {
    const ndarray = (await import('ndarray')).default;
    const mask = ndarray(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0]), [4, 4]);
    const image = ndarray(new Float32Array(16), [4, 4]);
    const { balancedClassWeights } = await import('./build-samples');
    const w = balancedClassWeights([{ image, mask }], 3);
    expect(w[0]).toBe(1);
    expect(w[1]).toBeCloseTo(Math.sqrt(14 / 2), 12);
    expect(w[2]).toBe(1);
  });
});
