import { dice, type Image2D } from '@myoseg/core';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { MyocardiumPipeline } from './pipeline';
import type { SegmentationStage } from './stage';
import { oracle, slice } from './test-support';

const D = 5;
const N = 96;
const LOC = 64;
const ring = slice(N, N, 62, 36, 12, 19);

/** A `[D, N, N]` stack with the same ring on every slice. */
function stack(): ndarray.NdArray<Float32Array> {
  const vol = ndarray(new Float32Array(D * N * N), [D, N, N]);
  for (let z = 0; z < D; z++) vol.data.set(ring.image.data, z * N * N);
  return vol;
}

/** A perfect localizer whose map of image `k` (in call order) is rewritten by `edit`. */
function scriptedLocalizer(edit: (k: number, map: Image2D) => Image2D): SegmentationStage {
  const perfect = oracle([LOC, LOC], 0.25, 2);
  return {
    inputSize: perfect.inputSize,
    predict: async (images) => (await perfect.predict(images)).map((m, k) => edit(k, m)),
  };
}

/** A map at the localizer's size with probability 1 in a large disc away from the heart (bigger than its region). */
function decoy(): Image2D {
  const out = new Float32Array(LOC * LOC);
  for (let y = 0; y < LOC; y++)
    for (let x = 0; x < LOC; x++) if (Math.hypot(y - 10, x - 54) < 13) out[y * LOC + x] = 1;
  return ndarray(out, [LOC, LOC]);
}

// the oracle segmenter reads absolute intensities; a ring small in a large image (under 0.5 % of it cavity) would
// have its cavity clipped to the ring's value, so these tests of the localization keep the slices as given
const segmenterWith = (localizer: SegmentationStage) =>
  new MyocardiumPipeline({
    localizer,
    cropSegmenter: oracle([48, 48], 0.25, 0.75),
    sigma: 0,
    clipPercentiles: false,
  });

describe('MyocardiumPipeline.segmentVolume: volume-consistent localization', () => {
  it('a slice whose localizer map is a larger decoy elsewhere still gets the right box', async () => {
    const seg = segmenterWith(scriptedLocalizer((k, m) => (k === 2 ? decoy() : m)));
    const consistent = await seg.segmentVolume(stack());
    expect(consistent.localization).toEqual([
      'component',
      'component',
      'interpolated',
      'component',
      'component',
    ]);
    expect(consistent.slices[2].cropBox).toEqual(consistent.slices[1].cropBox);
    expect(dice(consistent.slices[2].mask, ring.myo)).toBeGreaterThan(0.9);
    // the paper's per-slice path crops around the decoy and misses the myocardium
    const perSlice = await seg.segmentVolume(stack(), { volumeConsistent: false });
    expect(dice(perSlice.slices[2].mask, ring.myo)).toBeLessThan(0.1);
  });

  it('an all-empty stack gives empty masks and found: false', async () => {
    const seg = segmenterWith(oracle([LOC, LOC], 0.25, 2));
    const r = await seg.segmentVolume(ndarray(new Float32Array(D * N * N), [D, N, N]), {
      spacing: [8, 1, 1],
    });
    expect(r.localization).toEqual(new Array(D).fill('absent'));
    expect(r.slices.every((s) => !s.found && s.cropBox === null)).toBe(true);
    expect(r.mask.data.every((v) => v === 0)).toBe(true);
    expect(r.volumeMl).toBe(0);
  });

  it('apical slices with weak localizer evidence get empty masks', async () => {
    const faint = (m: Image2D) =>
      ndarray(
        m.data.map((v) => v * 0.55),
        [LOC, LOC],
      );
    const seg = segmenterWith(scriptedLocalizer((k, m) => (k === D - 1 ? faint(m) : m)));
    const r = await seg.segmentVolume(stack());
    expect(r.localization?.at(-1)).toBe('absent');
    expect(r.slices[D - 1].mask.data.every((v) => v === 0)).toBe(true);
    expect(dice(r.slices[D - 2].mask, ring.myo)).toBeGreaterThan(0.9);
    // slice by slice, the faint map still passes the 0.5 threshold
    const perSlice = await seg.segmentVolume(stack(), { volumeConsistent: false });
    expect(perSlice.slices[D - 1].found).toBe(true);
  });

  it('volumeConsistent: false is exactly segmentBatch on the slices (the paper’s path)', async () => {
    const seg = segmenterWith(scriptedLocalizer((k, m) => (k === 2 ? decoy() : m)));
    const vol = stack();
    const r = await seg.segmentVolume(vol, { volumeConsistent: false, spacing: [8, 1.5, 1.5] });
    const batch = await seg.segmentBatch(
      Array.from({ length: D }, (_, z) => vol.pick(z, null, null)),
      { spacing: [1.5, 1.5] },
    );
    expect(r.slices.map(({ timings, ...rest }) => rest)).toEqual(batch.map(({ timings, ...rest }) => rest));
  });

  it('a heart small in a large field of view is localized again in a window around the first look', async () => {
    const big = 400;
    const small = slice(big, big, 200, 180, 12, 19);
    const vol = ndarray(new Float32Array(D * big * big), [D, big, big]);
    for (let z = 0; z < D; z++) vol.data.set(small.image.data, z * big * big);
    // the first look sees only a speck at the ring's lower right; the second look (the window) sees it all
    const perfect = oracle([LOC, LOC], 0.25, 2);
    const calls: number[] = [];
    const localizer: SegmentationStage = {
      inputSize: [LOC, LOC],
      predict: async (images) => {
        calls.push(images.length);
        if (calls.length > 1) return perfect.predict(images);
        return images.map(() => {
          const out = new Float32Array(LOC * LOC);
          for (let y = 0; y < LOC; y++)
            for (let x = 0; x < LOC; x++) if (Math.hypot(y - 34, x - 31) < 2.5) out[y * LOC + x] = 1;
          return ndarray(out, [LOC, LOC]);
        });
      },
    };
    const seg = segmenterWith(localizer);
    const refocused = await seg.segmentVolume(vol);
    expect(calls).toEqual([D, D]);
    expect(dice(refocused.slices[2].mask, small.myo)).toBeGreaterThan(0.9);
    calls.length = 0;
    const oneLook = await seg.segmentVolume(vol, { refocus: false });
    expect(calls).toEqual([D]);
    expect(dice(oneLook.slices[2].mask, small.myo)).toBeLessThan(0.7);
    await expect(seg.segmentVolume(vol, { refocus: 0 })).rejects.toThrow(/refocus must be/);
  });

  it('segmentCine fuses the frames: one localizer call for all, one result per frame', async () => {
    const localizer = oracle([LOC, LOC], 0.25, 2);
    const seg = segmenterWith(localizer);
    const cine = ndarray(new Float32Array(2 * D * N * N), [2, D, N, N]);
    cine.data.set(stack().data, 0);
    cine.data.set(stack().data, D * N * N);
    const frames = await seg.segmentCine(cine, { spacing: [8, 1, 1] });
    expect(frames).toHaveLength(2);
    expect(localizer.calls).toBe(1);
    expect(frames[1].mask.shape).toEqual([D, N, N]);
    expect(dice(frames[1].slices[3].mask, ring.myo)).toBeGreaterThan(0.9);
    await expect(seg.segmentCine(stack())).rejects.toThrow(/\[T, D, H, W\]/);
    await expect(seg.segmentVolume(stack(), { spacing: [1, 1] as never })).rejects.toThrow(/dz, dy, dx/);
  });
});
