import { seededRandom } from '@myoseg/core';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import type { SegmentationSample } from '../data';
import { ringSamples } from '../test-support';
import { DOMAIN_RANDOMIZATION, generationClasses, randomizeAppearance } from './domain-randomization';
import { intensityStats } from './filters';

const samples = ringSamples(8, 40, 6);

/** The localizer's view of a ring sample: ring and cavity in one label (ring 1.0, cavity 0.5 bright). */
function mergedLabel(s: SegmentationSample): SegmentationSample {
  const mask = Uint8Array.from(s.image.data, (v) => (v > 0.3 ? 1 : 0));
  return { image: s.image, mask: ndarray(mask, s.mask.shape.slice()) };
}

/** Mean intensity of the pixels of `image` where `mask` is `label`. */
function labelMean(image: Float32Array, mask: Uint8Array, label: number): number {
  return intensityStats(image.filter((_, i) => mask[i] === label)).mean;
}

describe('generationClasses', () => {
  it('splits the background by quantiles and a bimodal label in two, a unimodal label not', () => {
    const [s] = samples;
    const { classes, count } = generationClasses(s, 4);
    // background (exterior 0.1 and cavity 0.5, both ±0.05) in 4, the ring (label 1) whole
    expect(count).toBe(5);
    const ring = new Set(classes.filter((_, i) => s.mask.data[i] === 1));
    expect(ring).toEqual(new Set([4]));
    const merged = generationClasses(mergedLabel(s), 1);
    expect(merged.count).toBe(3);
  });

  it('orders the background classes by intensity, in near-equal parts', () => {
    const [s] = samples;
    const { classes } = generationClasses(s, 4);
    const background = Array.from(s.image.data)
      .map((v, i) => [v, classes[i]] as const)
      .filter((_, i) => s.mask.data[i] === 0)
      .sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < background.length; k++)
      expect(background[k][1]).toBeGreaterThanOrEqual(background[k - 1][1]);
    for (let c = 0; c < 4; c++) {
      const share = background.filter(([, k]) => k === c).length / background.length;
      expect(share).toBeCloseTo(0.25, 1);
    }
  });
});

describe('randomizeAppearance', () => {
  const render = (seed: number) => {
    const random = seededRandom(seed);
    return samples.map((s) => randomizeAppearance(s, DOMAIN_RANDOMIZATION, random));
  };

  it('is seeded, shape-preserving and in [0, 1]', () => {
    const a = render(1);
    expect(render(1).map((x) => Array.from(x.data))).toEqual(a.map((x) => Array.from(x.data)));
    expect(render(2).map((x) => Array.from(x.data))).not.toEqual(a.map((x) => Array.from(x.data)));
    for (const x of a) {
      expect(x.shape).toEqual([40, 40]);
      const { min, max } = intensityStats(x.data);
      expect([min, max]).toEqual([0, 1]);
    }
  });

  it('draws tissue contrasts in any order: the ring is darker than the cavity in some renders, brighter in others', () => {
    const order = render(3)
      .concat(render(4))
      .map((x, i) => {
        const s = samples[i % samples.length];
        const cavity = Uint8Array.from(s.image.data, (v, k) => (s.mask.data[k] === 0 && v > 0.3 ? 1 : 0));
        return labelMean(x.data, s.mask.data, 1) > labelMean(x.data, cavity, 1);
      });
    expect(order.some((brighter) => brighter)).toBe(true);
    expect(order.some((brighter) => !brighter)).toBe(true);
  });
});
