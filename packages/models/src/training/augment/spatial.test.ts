import { seededRandom } from '@myoseg/core';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { ringSamples } from '../test-support';
import { NNUNET_SPATIAL, randomScaleRotate, scaleRotate } from './spatial';

const labelled = (mask: Uint8Array) => mask.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);

describe('scaleRotate', () => {
  const [sample] = ringSamples(1, 48, 3);

  it('is the identity at angle 0 and scaling 1, and keeps the shape', () => {
    const out = scaleRotate(sample, { angleDeg: 0, scaling: 1 });
    expect(out.image.shape).toEqual([48, 48]);
    expect(Array.from(out.image.data)).toEqual(Array.from(sample.image.data));
    expect(Array.from(out.mask.data)).toEqual(Array.from(sample.mask.data));
  });

  it('zooms out with scaling > 1 (smaller labelled area) and in with scaling < 1 (larger)', () => {
    const [centred] = ringSamples(1, 64, 11).map((s) => scaleRotate(s, { angleDeg: 0, scaling: 1 }));
    const before = labelled(centred.mask.data);
    const out = labelled(scaleRotate(centred, { angleDeg: 0, scaling: 1.4 }).mask.data);
    const zoomIn = labelled(scaleRotate(centred, { angleDeg: 0, scaling: 0.8 }).mask.data);
    // area scales by 1 / scaling²
    expect(out / before).toBeGreaterThan(0.4);
    expect(out / before).toBeLessThan(0.62);
    expect(zoomIn / before).toBeGreaterThan(1.35);
  });

  it('moves image and mask together, the mask staying among the input labels', () => {
    const out = scaleRotate(sample, { angleDeg: 37, scaling: 1.2 });
    expect(new Set(out.mask.data)).toEqual(new Set([0, 1]));
    let agree = 0;
    for (let k = 0; k < out.mask.data.length; k++)
      agree += +(out.image.data[k] > 0.75 === (out.mask.data[k] === 1));
    expect(agree / out.mask.data.length).toBeGreaterThan(0.95);
  });

  it('fills what a zoom out uncovers with zeros and background', () => {
    const ones = {
      image: ndarray(new Float32Array(100).fill(1), [10, 10]),
      mask: ndarray(new Uint8Array(100).fill(1), [10, 10]),
    };
    const out = scaleRotate(ones, { angleDeg: 0, scaling: 2 });
    expect([out.image.get(0, 0), out.mask.get(0, 0)]).toEqual([0, 0]);
    expect([out.image.get(5, 5), out.mask.get(5, 5)]).toEqual([1, 1]);
  });
});

describe('randomScaleRotate', () => {
  const samples = ringSamples(6, 32, 5);
  const run = (seed: number, options = NNUNET_SPATIAL) => {
    const random = seededRandom(seed);
    return samples.map((s) => randomScaleRotate(s, options, random));
  };

  it('is seeded: the same seed gives the same samples, another seed others', () => {
    const always = { ...NNUNET_SPATIAL, rotationProbability: 1, scalingProbability: 1 };
    const a = run(1, always).map((s) => Array.from(s.image.data));
    expect(run(1, always).map((s) => Array.from(s.image.data))).toEqual(a);
    expect(run(2, always).map((s) => Array.from(s.image.data))).not.toEqual(a);
  });

  it("applies nnU-Net's probabilities: with 0.2 and 0.2, about 36 % of samples move", () => {
    const random = seededRandom(9);
    const [s] = samples;
    let moved = 0;
    for (let i = 0; i < 2000; i++) moved += +(randomScaleRotate(s, NNUNET_SPATIAL, random) !== s);
    expect(moved / 2000).toBeGreaterThan(0.32);
    expect(moved / 2000).toBeLessThan(0.4);
  });
});
