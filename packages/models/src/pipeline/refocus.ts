import { type Box, cropImage, type Image2D, type NumericNdArray, resize } from '@myoseg/core';
import ndarray from 'ndarray';
import type { SegmentationStage } from './stage';

/**
 * The window of the localizer's second look: a square centred on the first look's consensus box, `factor` times
 * its larger side (never smaller than `minSide`), in image pixels; it may reach past the image's edges.
 *
 * @param consensus - the first look's consensus box (`y1`/`x1` exclusive), in pixels of the image.
 * @param imageShape - `[H, W]` of the image.
 * @param factor - the window's side over the consensus box's larger side (> 0).
 * @param minSide - the smallest side in pixels (e.g. the localizer's input side, so the window is never enlarged
 *   past the image's own resolution).
 * @returns the window, or `null` when its side would reach the image's larger side (a second look would see what
 *   the first saw).
 */
export function refocusWindow(
  consensus: Box,
  imageShape: readonly [number, number],
  factor: number,
  minSide = 1,
): Box | null {
  const larger = Math.max(consensus.y1 - consensus.y0, consensus.x1 - consensus.x0);
  const side = Math.max(minSide, Math.round(factor * larger));
  if (side >= Math.max(imageShape[0], imageShape[1])) return null;
  const y0 = Math.round((consensus.y0 + consensus.y1 - side) / 2);
  const x0 = Math.round((consensus.x0 + consensus.x1 - side) / 2);
  return { y0, x0, y1: y0 + side, x1: x0 + side };
}

/**
 * The localizer's second look: each image's square `window` (edge-padded where it reaches past the image) resized
 * to the localizer's input, and its map resized back and placed at the window, 0 outside it.
 *
 * @param images - `[H, W]` slices of one shape.
 * @returns one foreground map `[H, W]` per image, values in [0, 1]; `[]` for no images.
 */
export async function refocusedMaps(
  localizer: SegmentationStage,
  images: readonly NumericNdArray[],
  window: Box,
): Promise<Image2D[]> {
  const [h, w] = images[0]?.shape ?? [0, 0];
  const [lh, lw] = localizer.inputSize;
  const side = window.y1 - window.y0;
  const maps = await localizer.predict(
    images.map((img) => resize(cropImage(img as Image2D, window, { pad: 'edge' }), [lh, lw])),
  );
  return maps.map((m) => {
    const up = resize(m, [side, side], { method: 'bilinear' });
    const out = new Float32Array(h * w);
    for (let y = Math.max(0, window.y0); y < Math.min(h, window.y1); y++)
      for (let x = Math.max(0, window.x0); x < Math.min(w, window.x1); x++)
        out[y * w + x] = up.get(y - window.y0, x - window.x0);
    return ndarray(out, [h, w]);
  });
}
