import {
  type Box,
  boundingBox,
  cropImage,
  type Image2D,
  type Mask,
  type NumericNdArray,
  squareCropBox,
} from '@myoseg/core';
import ndarray from 'ndarray';

/** A `[H, W]` probability map as a 0/1 mask: foreground where the value is ≥ `threshold`. */
export function thresholdMap(p: Image2D, threshold: number): Mask {
  const out = new Uint8Array(p.size);
  for (let i = 0; i < out.length; i++) out[i] = p.data[i] >= threshold ? 1 : 0;
  return ndarray(out, [p.shape[0], p.shape[1]]);
}

/** A square crop and where it came from. */
export interface RegionCrop {
  /** The square box in image pixels (may reach past the edge). */
  box: Box;
  /** The image inside it, edge-padded. */
  crop: Image2D;
}

/**
 * Step 2 of the method, shared by training and inference: the square crop box around a region (with the
 * frame), and the crop itself (edge-padded where the square reaches past the image).
 *
 * @returns `null` for an empty region.
 */
export function cropAroundRegion(
  image: NumericNdArray,
  region: NumericNdArray,
  frame: number,
): RegionCrop | null {
  const bb = boundingBox(region);
  if (!bb) return null;
  const box = squareCropBox(bb, { frame, imageShape: [image.shape[0], image.shape[1]] });
  return { box, crop: cropImage(image as Image2D, box, { pad: 'edge' }) };
}
