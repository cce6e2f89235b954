import type { Box } from './types';
import { assertInteger, assertNumber } from './validate';

/** Checks that `box` has integer corners with `y1 > y0` and `x1 > x0`. */
export function assertBox(what: string, box: Box): void {
  for (const key of ['y0', 'x0', 'y1', 'x1'] as const) {
    if (!Number.isInteger(box?.[key])) {
      throw new RangeError(`${what}: box.${key} must be an integer, got ${String(box?.[key])}`);
    }
  }
  if (box.y1 <= box.y0 || box.x1 <= box.x0) {
    throw new RangeError(
      `${what}: box must be non-empty, got { y0: ${box.y0}, x0: ${box.x0}, y1: ${box.y1}, x1: ${box.x1} }`,
    );
  }
}

/** The paper's crop frame: a margin of 15 % of the region's larger side on each side of the square crop. */
export const PAPER_FRAME = 0.15;

/** Options of {@link squareCropBox}. */
export interface SquareCropOptions {
  /** Margin added on each side, as a fraction of the box's larger side (default {@link PAPER_FRAME}). */
  frame?: number;
  /** `[H, W]` of the image the box lies in; when given, the box must lie inside it. */
  imageShape?: readonly [number, number];
}

/**
 * The method's crop (step 2): a square centred on `box` whose side is the box's larger side `L` plus
 * `frame · L` on each side, i.e. `round(L · (1 + 2 · frame))` pixels.
 *
 * The square may reach past the image edge; {@link cropImage} pads what lies outside.
 *
 * @param box - a non-empty box, e.g. from {@link boundingBox} of the localizer's mask.
 * @returns a square box, end-exclusive, in the same pixel coordinates.
 * @throws RangeError for an empty or non-integer box, a negative frame, or a box outside `imageShape`.
 */
export function squareCropBox(box: Box, options: SquareCropOptions = {}): Box {
  const { frame = PAPER_FRAME, imageShape } = options;
  assertBox('squareCropBox', box);
  assertNumber('squareCropBox: frame', frame, 0);
  if (imageShape) {
    assertInteger('squareCropBox: imageShape[0]', imageShape[0], 1);
    assertInteger('squareCropBox: imageShape[1]', imageShape[1], 1);
    if (box.y0 < 0 || box.x0 < 0 || box.y1 > imageShape[0] || box.x1 > imageShape[1]) {
      throw new RangeError(
        `squareCropBox: box { y0: ${box.y0}, x0: ${box.x0}, y1: ${box.y1}, x1: ${box.x1} } lies outside the image [${imageShape.join(', ')}]`,
      );
    }
  }
  const longest = Math.max(box.y1 - box.y0, box.x1 - box.x0);
  const side = Math.max(1, Math.round(longest * (1 + 2 * frame)));
  const y0 = Math.round((box.y0 + box.y1 - side) / 2);
  const x0 = Math.round((box.x0 + box.x1 - side) / 2);
  return { y0, x0, y1: y0 + side, x1: x0 + side };
}
