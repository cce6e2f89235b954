import { dice } from '@myoseg/core';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { MyocardiumPipeline } from './pipeline';
import type { SegmentationStage } from './stage';
import { oracle, slice } from './test-support';

const make = (sigma = 0) =>
  new MyocardiumPipeline({
    localizer: oracle([96, 96], 0.25, 2),
    cropSegmenter: oracle([64, 64], 0.25, 0.75),
    sigma,
  });

describe('MyocardiumPipeline with oracle stages', () => {
  it('returns the true myocardium up to resize error, at the input size', async () => {
    const { image, myo } = slice(170, 210, 80, 120, 22, 33);
    const r = await make().segment(image, { spacing: [1.5, 1.5] });
    expect(r.found).toBe(true);
    expect(r.mask.shape).toEqual([170, 210]);
    expect(dice(r.mask, myo)).toBeGreaterThan(0.93);
    const side = r.cropBox!.x1 - r.cropBox!.x0;
    expect(r.cropBox!.y1 - r.cropBox!.y0).toBe(side);
    expect(r.areaMm2).toBeCloseTo(r.mask.data.reduce((a, b) => a + b, 0) * 2.25, 6);
  });

  it('handles a heart at the image edge: the crop reaches past it and the mask is clipped', async () => {
    const { image, myo } = slice(120, 140, 30, 20, 15, 24);
    const r = await make(0.5).segment(image);
    expect(r.cropBox!.x0).toBeLessThan(0);
    expect(dice(r.mask, myo)).toBeGreaterThan(0.9);
    expect(r.sigma).toBe(0.5);
  });

  it('a regressed σ smooths the restored mask and does not hurt on a round ring', async () => {
    const { image, myo } = slice(300, 300, 150, 150, 45, 70);
    const sharp = await make(0).segment(image);
    const smooth = await make(1).segment(image);
    expect(dice(smooth.mask, myo)).toBeGreaterThanOrEqual(dice(sharp.mask, myo) - 0.005);
  });

  it('largestComponent drops a stray blob inside the crop and keeps the ring', async () => {
    const { image, myo } = slice(80, 80, 40, 40, 10, 16);
    // a 3×3 blob of myocardium intensity inside the crop's frame, 4 px away from the ring
    for (let y = 23; y < 26; y++) for (let x = 23; x < 26; x++) image.set(y, x, 0.5);
    const run = async (largestComponent: boolean) =>
      new MyocardiumPipeline({
        localizer: oracle([96, 96], 0.25, 2),
        cropSegmenter: oracle([64, 64], 0.25, 0.75),
        sigma: 0,
        largestComponent,
      }).segment(image);
    const plain = await run(false);
    const cleaned = await run(true);
    expect(plain.mask.get(24, 24)).toBe(1);
    expect(cleaned.mask.get(24, 24)).toBe(0);
    expect(dice(cleaned.mask, myo)).toBeGreaterThan(dice(plain.mask, myo));
    expect(dice(cleaned.mask, myo)).toBeGreaterThan(0.9);
  });

  it('refinement passes re-crop around the myocardium when the localizer’s region is far too large', async () => {
    const { image, myo } = slice(240, 240, 150, 100, 10, 16);
    const everything = oracle([96, 96], -1, 2); // the whole image is "the region"
    const run = (refinePasses: number, cropSegmenter: SegmentationStage = oracle([64, 64], 0.25, 0.75)) =>
      new MyocardiumPipeline({ localizer: everything, cropSegmenter, sigma: 0, refinePasses }).segment(image);
    const once = await run(0);
    const refined = await run(2);
    const side = (r: typeof once) => (r.cropBox ? r.cropBox.x1 - r.cropBox.x0 : 0);
    expect(side(once)).toBeGreaterThan(240); // the whole image plus the frame
    expect(side(refined)).toBeLessThan(60);
    expect(dice(refined.mask, myo)).toBeGreaterThan(0.9);
    expect(dice(refined.mask, myo)).toBeGreaterThan(dice(once.mask, myo) + 0.1);
    // a refinement that finds nothing keeps the first pass's result
    const blindAfterFirst = oracle([64, 64], 0.25, 0.75);
    const predict = blindAfterFirst.predict.bind(blindAfterFirst);
    blindAfterFirst.predict = async (images) =>
      blindAfterFirst.calls === 0
        ? predict(images)
        : images.map(() => ndarray(new Float32Array(64 * 64), [64, 64]));
    const kept = await run(1, blindAfterFirst);
    expect(kept.found).toBe(true);
    expect(Array.from(kept.mask.data)).toEqual(Array.from(once.mask.data));
    expect(
      () =>
        new MyocardiumPipeline({
          localizer: everything,
          cropSegmenter: everything,
          sigma: 0,
          refinePasses: 1.5,
        }),
    ).toThrow(/refinePasses must be an integer/);
  });

  it('an image where the localizer finds nothing gives empty masks and found: false', async () => {
    const empty = ndarray(new Float32Array(50 * 60), [50, 60]);
    const seg = make();
    const r = await seg.segment(empty);
    expect(r.found).toBe(false);
    expect(r.cropBox).toBeNull();
    expect(r.mask.data.every((v) => v === 0)).toBe(true);
    expect((seg.cropSegmenter as ReturnType<typeof oracle>).calls).toBe(1);
  });

  it('batches slices of different sizes and runs each stage once per batch', async () => {
    const a = slice(100, 120, 50, 60, 15, 22);
    const b = slice(160, 140, 70, 80, 20, 30);
    const seg = make();
    const results = await seg.segmentBatch([a.image, b.image]);
    expect((seg.localizer as ReturnType<typeof oracle>).calls).toBe(1);
    expect((seg.cropSegmenter as ReturnType<typeof oracle>).calls).toBe(1);
    expect(dice(results[0].mask, a.myo)).toBeGreaterThan(0.9);
    expect(dice(results[1].mask, b.myo)).toBeGreaterThan(0.9);
  });

  it('segments a [D, H, W] volume and reports its volume in ml', async () => {
    const s = slice(90, 90, 45, 45, 14, 22);
    const vol = ndarray(new Float32Array(3 * 90 * 90), [3, 90, 90]);
    for (let z = 0; z < 3; z++) vol.data.set(z === 1 ? new Float32Array(90 * 90) : s.image.data, z * 8100);
    const r = await make().segmentVolume(vol, { spacing: [8, 1.25, 1.25] });
    expect(r.mask.shape).toEqual([3, 90, 90]);
    // the blank middle slice lies between two found ones: it is cropped where they are, and nothing is found there
    expect(r.localization).toEqual(['component', 'interpolated', 'component']);
    expect(r.slices[1].mask.data.every((v) => v === 0)).toBe(true);
    const voxels = r.mask.data.reduce((a, b) => a + b, 0);
    expect(r.volumeMl).toBeCloseTo((voxels * 8 * 1.25 * 1.25) / 1000, 9);
    const perSlice = await make().segmentVolume(vol, { spacing: [8, 1.25, 1.25], volumeConsistent: false });
    expect(perSlice.slices.map((x) => x.found)).toEqual([true, false, true]);
    expect(perSlice.localization).toBeUndefined();
  });

  it('rejects a non-2D slice and a bad threshold by name', async () => {
    await expect(make().segment(ndarray(new Float32Array(8), [2, 2, 2]))).rejects.toThrow(/2D \[H, W\]/);
    expect(
      () =>
        new MyocardiumPipeline({
          localizer: oracle([8, 8], 0, 1),
          cropSegmenter: oracle([8, 8], 0, 1),
          sigma: 0,
          threshold: 1,
        }),
    ).toThrow(/threshold/);
  });

  it('clips each slice first, so that a few hot pixels do not set the scale (both paths)', async () => {
    // stages that scale their input by its min and max, as a min-max normalization does
    const scaled = (stage: ReturnType<typeof oracle>): SegmentationStage => ({
      inputSize: stage.inputSize,
      predict: (images) =>
        stage.predict(
          images.map((img) => {
            const [lo, hi] = [Math.min(...img.data), Math.max(...img.data)];
            return ndarray(
              Float32Array.from(img.data, (v) => (v - lo) / (hi - lo || 1)),
              img.shape,
            );
          }),
        ),
    });
    const { image, myo } = slice(120, 120, 60, 60, 18, 28);
    for (const [y, x] of [
      [5, 5],
      [100, 17],
      [30, 110],
    ])
      image.set(y, x, 1000);
    const run = (clipPercentiles?: false) =>
      new MyocardiumPipeline({
        localizer: scaled(oracle([96, 96], 0.25, 2)),
        cropSegmenter: scaled(oracle([64, 64], 0.25, 0.75)),
        sigma: 0,
        ...(clipPercentiles === false ? { clipPercentiles } : {}),
      });
    const clipped = await run().segment(image);
    expect(dice(clipped.mask, myo)).toBeGreaterThan(0.9);
    // unclipped, the hot pixels are all the scaled localizer sees
    expect(dice((await run(false).segment(image)).mask, myo)).toBeLessThan(0.5);
    const vol = ndarray(Float32Array.from([...image.data, ...image.data]), [2, 120, 120]);
    const stack = await run().segmentVolume(vol);
    expect(dice(stack.slices[1].mask, myo)).toBeGreaterThan(0.9);
    expect(image.get(5, 5)).toBe(1000); // the caller's slice is not changed
    expect(() => new MyocardiumPipeline({ ...run(), clipPercentiles: [99, 1] })).toThrow(/clipPercentiles/);
  });
});
