import { gaussianBlur } from '@myoseg/core';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { ringSamples } from '../test-support';
import { assertPacked, blurAxes, intensityStats, lowResolution } from './filters';

const [{ image }] = ringSamples(1, 30, 4);

describe('blurAxes', () => {
  it("equals core's (scipy-equal) gaussianBlur for one σ on both axes, and copies at σ 0", () => {
    const ours = blurAxes(image, 1.3, 1.3).data;
    const reference = gaussianBlur(image, 1.3, { mode: 'reflect' }).data;
    for (let i = 0; i < ours.length; i++) expect(ours[i]).toBeCloseTo(reference[i], 5);
    expect(Array.from(blurAxes(image, 0, 0).data)).toEqual(Array.from(image.data));
  });

  it('blurs only the axis with a σ', () => {
    const stripes = ndarray(
      Float32Array.from({ length: 100 }, (_, i) => i % 2),
      [10, 10],
    );
    expect(Array.from(blurAxes(stripes, 2, 0).data)).toEqual(Array.from(stripes.data));
    expect(intensityStats(blurAxes(stripes, 0, 2).data).std).toBeLessThan(0.1);
  });
});

describe('lowResolution', () => {
  it('keeps the shape, copies at scale 1 and loses detail below', () => {
    expect(Array.from(lowResolution(image, 1, 1).data)).toEqual(Array.from(image.data));
    const coarse = lowResolution(image, 0.5, 1);
    expect(coarse.shape).toEqual([30, 30]);
    expect(Array.from(coarse.data)).not.toEqual(Array.from(image.data));
  });
});

describe('assertPacked and intensityStats', () => {
  it('reject strided views and give zeros for no values', () => {
    expect(() => assertPacked('x', image.transpose(1, 0))).toThrow(/x must be a packed row-major/);
    expect(intensityStats(new Float32Array(0))).toEqual({ mean: 0, std: 0, min: 0, max: 0 });
  });
});
