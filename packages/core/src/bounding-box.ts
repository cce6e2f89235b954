import { assertDims, packedBinary } from './contiguous';
import type { Box, NumericNdArray } from './types';

/**
 * The tightest box around the foreground of a 2D mask.
 *
 * @param mask - `[H, W]`; any non-zero value is foreground.
 * @returns `{ y0, x0, y1, x1 }` with `y1`/`x1` exclusive, or `null` when the mask is empty.
 */
export function boundingBox(mask: NumericNdArray): Box | null {
  assertDims('boundingBox(mask)', mask, 2);
  const [h, w] = mask.shape;
  const bits = packedBinary(mask);
  let y0 = h;
  let y1 = -1;
  let x0 = w;
  let x1 = -1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (bits[row + x]) {
        if (y < y0) y0 = y;
        y1 = y;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
      }
    }
  }
  return y1 < 0 ? null : { y0, x0, y1: y1 + 1, x1: x1 + 1 };
}
