import { type Box, boundingBox, type Mask, squareCropBox } from '@myoseg/core';

/**
 * The region the review tool zooms to: a square around the union of the masks' bounding boxes, with a frame of
 * `frame` times its larger side on each side (as the method's crop), moved inside the image where it fits and cut
 * at the image's edges where it does not.
 *
 * @param masks - `[H, W]` 0/1 masks of the slice (empty ones are ignored).
 * @param shape - the slice's `[H, W]`.
 * @returns an end-exclusive box inside the image; the whole image when every mask is empty.
 */
export function viewRegion(masks: readonly Mask[], shape: readonly [number, number], frame = 0.5): Box {
  const [h, w] = shape;
  const boxes = masks.map((m) => boundingBox(m)).filter((b): b is Box => b !== null);
  if (boxes.length === 0) return { y0: 0, x0: 0, y1: h, x1: w };
  const union: Box = {
    y0: Math.min(...boxes.map((b) => b.y0)),
    x0: Math.min(...boxes.map((b) => b.x0)),
    y1: Math.max(...boxes.map((b) => b.y1)),
    x1: Math.max(...boxes.map((b) => b.x1)),
  };
  const square = squareCropBox(union, { frame });
  const fit = (lo: number, hi: number, size: number): [number, number] => {
    if (hi - lo >= size) return [0, size];
    const shift = lo < 0 ? -lo : hi > size ? size - hi : 0;
    return [lo + shift, hi + shift];
  };
  const [y0, y1] = fit(square.y0, square.y1, h);
  const [x0, x1] = fit(square.x0, square.x1, w);
  return { y0, x0, y1, x1 };
}
