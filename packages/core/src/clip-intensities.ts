import ndarray from 'ndarray';
import { assertDims, packedFloat32 } from './contiguous';
import { percentileInPlace } from './percentile';
import type { Image2D, NumericNdArray } from './types';
import { assertNumber } from './validate';

/** Options of {@link clipIntensities}. */
export interface ClipIntensitiesOptions {
  /** Percentile, in [0, 100], below which values are raised to it (default 0.5). */
  lower?: number;
  /** Percentile, in [`lower`, 100], above which values are lowered to it (default 99.5). */
  upper?: number;
}

/**
 * Clips an image's intensities to two of its own percentiles, so that a few outliers (hot pixels, flow or
 * coil-near fat, a burnt-in marker) cannot set the scale of per-image normalization. Units are kept: only the
 * values beyond the percentiles change (about 1 % of them with the defaults, as nnU-Net clips CT to the 0.5th and
 * 99.5th percentiles).
 *
 * @param image - `[H, W]` (or any shape), any numeric dtype; strided views are accepted.
 * @returns a new packed float32 array of the same shape; an empty image gives an empty one.
 * @throws RangeError when `lower` or `upper` is not a number in [0, 100] or `lower > upper`.
 * @example
 * ```ts
 * const safe = clipIntensities(slice); // values beyond the 0.5th / 99.5th percentiles set to them
 * ```
 */
export function clipIntensities(image: NumericNdArray, options: ClipIntensitiesOptions = {}): Image2D {
  const { lower = 0.5, upper = 99.5 } = options;
  assertDims('clipIntensities(image)', image, [1, 2, 3]);
  assertNumber('clipIntensities: lower', lower, 0);
  assertNumber('clipIntensities: upper', upper, lower);
  if (upper > 100) throw new RangeError(`clipIntensities: upper must be ≤ 100, got ${upper}`);
  const src = packedFloat32(image);
  // the selections reorder a scratch copy; the output is written once, clamped
  const scratch = Float32Array.from(src);
  const lo = percentileInPlace(scratch, lower);
  const hi = percentileInPlace(scratch, upper);
  return ndarray(
    Float32Array.from(src, (v) => Math.min(hi, Math.max(lo, v))),
    [...image.shape],
  );
}
