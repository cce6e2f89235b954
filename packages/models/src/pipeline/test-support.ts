// Helpers for the pipeline's tests only (not exported from the package).
import type { Image2D, NumericNdArray } from '@myoseg/core';
import ndarray from 'ndarray';
import { expect } from 'vitest';
import type { SegmentationStage } from './stage';

/**
 * A clean synthetic slice: background 0, myocardium ring 0.5, LV cavity 1. Its truth is known exactly, so
 * oracle stages that read the (resized) image reproduce what perfect networks would.
 */
export function slice(h: number, w: number, cy: number, cx: number, rIn: number, rOut: number) {
  const image = ndarray(new Float32Array(h * w), [h, w]);
  const myo = ndarray(new Uint8Array(h * w), [h, w]);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const r = Math.hypot(y - cy, (x - cx) * 0.9);
      const v = r < rIn ? 1 : r < rOut ? 0.5 : 0;
      image.set(y, x, v);
      myo.set(y, x, v === 0.5 ? 1 : 0);
    }
  return { image, myo };
}

/** An oracle stage: probability 1 where the resized image's value falls in [lo, hi). */
export function oracle(
  size: [number, number],
  lo: number,
  hi: number,
): SegmentationStage & { calls: number } {
  const stage = {
    inputSize: size,
    calls: 0,
    async predict(images: readonly NumericNdArray[]): Promise<Image2D[]> {
      stage.calls++;
      return images.map((img) => {
        expect(img.shape).toEqual(size);
        const out = new Float32Array(size[0] * size[1]);
        for (let y = 0; y < size[0]; y++)
          for (let x = 0; x < size[1]; x++) {
            const v = img.get(y, x);
            out[y * size[1] + x] = v >= lo && v < hi ? 1 : 0;
          }
        return ndarray(out, size);
      });
    },
  };
  return stage;
}
