import { type Affine, reorient, reorientAffine, reorientSpacing } from '@myoseg/core';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { MyocardiumPipeline } from './pipeline';
import { oracle, slice } from './test-support';

const [D, H, W] = [4, 60, 72];
const SPACING: [number, number, number] = [8, 1.5, 1.5];
const RAS: Affine = [
  [1.5, 0, 0, -40],
  [0, 1.5, 0, 12],
  [0, 0, 8, 3],
  [0, 0, 0, 1],
];

/** A stack whose ring moves and shrinks from slice to slice, so that no axis order looks like another. */
function stack() {
  const vol = ndarray(new Float32Array(D * H * W), [D, H, W]);
  for (let z = 0; z < D; z++)
    vol.data.set(slice(H, W, 28 + 2 * z, 30 + 3 * z, 9 - z, 15 - z).image.data, z * H * W);
  return vol;
}

const pipeline = (orientation?: string) =>
  new MyocardiumPipeline({
    localizer: oracle([48, 48], 0.25, 2),
    cropSegmenter: oracle([40, 40], 0.25, 0.75),
    sigma: 0,
    orientation,
  });

describe('MyocardiumPipeline.segmentVolume: orientation', () => {
  const copies = [
    { name: 'transposed', axes: [0, 2, 1], flips: [false, false, false] },
    { name: 'flipped', axes: [0, 1, 2], flips: [true, true, false] },
    { name: 'rotated 90° in plane', axes: [0, 2, 1], flips: [false, true, false] },
    { name: 'slices stored along x', axes: [2, 0, 1], flips: [false, false, true] },
  ] as const;

  it.each(copies)('gives the same mask in world space for a $name copy with its affine', async (copyOf) => {
    const seg = pipeline('RAS');
    const reference = await seg.segmentVolume(stack(), { spacing: SPACING, affine: RAS });
    expect(reference.reorientation).toBeUndefined();
    expect(reference.mask.data.some((v) => v > 0)).toBe(true);
    const copy = reorient(stack(), copyOf);
    const result = await seg.segmentVolume(copy, {
      spacing: reorientSpacing(SPACING, copyOf),
      affine: reorientAffine(RAS, [D, H, W], copyOf),
    });
    expect(result.mask.shape).toEqual(copy.shape);
    expect(result.reorientation).toBeDefined();
    expect(Array.from(result.mask.data)).toEqual(Array.from(reorient(reference.mask, copyOf).data));
    expect(result.volumeMl).toBeCloseTo(reference.volumeMl ?? Number.NaN, 9);
  });

  it('segments the stored voxel order when the pipeline records no orientation (and differs then)', async () => {
    const copyOf = copies[3];
    const copy = reorient(stack(), copyOf);
    const options = {
      spacing: reorientSpacing(SPACING, copyOf),
      affine: reorientAffine(RAS, [D, H, W], copyOf),
    };
    const stored = await pipeline().segmentVolume(copy, options);
    expect(stored.reorientation).toBeUndefined();
    const turned = await pipeline('RAS').segmentVolume(copy, options);
    expect(Array.from(stored.mask.data)).not.toEqual(Array.from(turned.mask.data));
  });
});
