import ndarray, { type NdArray } from 'ndarray';
import { assertDims, maskFrom, packedBinary } from './contiguous';
import { assertBox } from './crop-box';
import { ShapeMismatchError } from './errors';
import type { Box, Mask, NumericArray } from './types';
import { assertInteger } from './validate';

/** Options of {@link cropImage}. */
export interface CropOptions {
  /** What fills the parts of the box outside the image: zeros, or the nearest edge pixel. Default `'zero'`. */
  pad?: 'zero' | 'edge';
}

type ArrayCtor<T extends NumericArray> = new (length: number) => T;

/**
 * Cuts `box` out of a 2D image or mask, padding the parts of the box that lie outside the image.
 *
 * @param image - `[H, W]`, any numeric dtype; strided views are accepted.
 * @param box - end-exclusive; may reach past the image edge.
 * @returns a new packed array of shape `[y1 - y0, x1 - x0]` with the input's dtype.
 */
export function cropImage<T extends NumericArray>(
  image: NdArray<T>,
  box: Box,
  options: CropOptions = {},
): NdArray<T> {
  const { pad = 'zero' } = options;
  assertDims('cropImage(image)', image, 2);
  assertBox('cropImage', box);
  if (pad !== 'zero' && pad !== 'edge')
    throw new RangeError(`cropImage: pad must be 'zero' or 'edge', got ${String(pad)}`);
  const [h, w] = image.shape;
  const ch = box.y1 - box.y0;
  const cw = box.x1 - box.x0;
  const out = new (image.data.constructor as ArrayCtor<T>)(ch * cw);
  for (let y = 0; y < ch; y++) {
    let sy = box.y0 + y;
    const insideY = sy >= 0 && sy < h;
    if (!insideY && pad === 'zero') continue;
    sy = Math.min(h - 1, Math.max(0, sy));
    for (let x = 0; x < cw; x++) {
      let sx = box.x0 + x;
      const insideX = sx >= 0 && sx < w;
      if (!insideX && pad === 'zero') continue;
      sx = Math.min(w - 1, Math.max(0, sx));
      out[y * cw + x] = image.get(sy, sx);
    }
  }
  return ndarray(out, [ch, cw]);
}

/**
 * Places a cropped mask back into an empty full-size mask at `box`: the inverse of {@link cropImage} for
 * masks. Parts of the box outside the image are clipped.
 *
 * @param mask - `[y1 - y0, x1 - x0]`; any non-zero value is foreground.
 * @param box - where the crop was taken (end-exclusive, may reach past the edge).
 * @param imageShape - `[H, W]` of the full image.
 * @returns a 0/1 mask of shape `imageShape`.
 * @throws {@link ShapeMismatchError} when the mask's shape is not the box's size.
 */
export function pasteMask(
  mask: NdArray<NumericArray>,
  box: Box,
  imageShape: readonly [number, number],
): Mask {
  assertDims('pasteMask(mask)', mask, 2);
  assertBox('pasteMask', box);
  assertInteger('pasteMask: imageShape[0]', imageShape[0], 1);
  assertInteger('pasteMask: imageShape[1]', imageShape[1], 1);
  const ch = box.y1 - box.y0;
  const cw = box.x1 - box.x0;
  if (mask.shape[0] !== ch || mask.shape[1] !== cw) {
    throw new ShapeMismatchError('pasteMask(mask, box): mask vs box size', mask.shape, [ch, cw]);
  }
  const [h, w] = imageShape;
  const bits = packedBinary(mask);
  const out = new Uint8Array(h * w);
  const yStart = Math.max(0, box.y0);
  const yEnd = Math.min(h, box.y1);
  const xStart = Math.max(0, box.x0);
  const xEnd = Math.min(w, box.x1);
  for (let y = yStart; y < yEnd; y++) {
    const src = (y - box.y0) * cw - box.x0;
    for (let x = xStart; x < xEnd; x++) out[y * w + x] = bits[src + x];
  }
  return maskFrom(out, [h, w]);
}
