import { boundingBox } from '@myoseg/core';
import { describe, expect, it } from 'vitest';
import { syntheticSlices } from '../../test/synthetic-slices';
import { localizerSamples, segmenterSamples } from './train-segmenter';

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
