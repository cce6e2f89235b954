import ndarray, { type NdArray } from 'ndarray';
import { assertDims, packedFloat32 } from './contiguous';
import type { NumericNdArray } from './types';

/** The outcome of {@link replaceNonFinite}. */
export interface FiniteImage {
  /** The image as packed float32, every value finite; the same shape as the input. */
  image: NdArray<Float32Array>;
  /** How many voxels were replaced (0: the values are the input's, as float32). */
  replaced: number;
}

/**
 * Replaces, slice by slice, the voxels that are not finite numbers once in float32: NaN, ±∞, and float64 values
 * beyond float32's range (±3.4e38). +∞ and too large values take the slice's largest finite value; −∞, too small
 * values and NaN take its smallest (the background of an MR image). A slice without any finite value becomes 0.
 * Without this, one NaN makes a slice's normalization NaN, and the slice silently gets an empty mask.
 *
 * @param image - `[H, W]` or `[D, H, W]` (slices along the first axis), any numeric dtype, any strides.
 * @returns the values as packed float32 (a view of the input's data when it already is packed float32 and
 *   nothing was replaced; never the input's data otherwise), and the count of replaced voxels.
 */
export function replaceNonFinite(image: NumericNdArray): FiniteImage {
  assertDims('replaceNonFinite(image)', image, [2, 3]);
  const values = packedFloat32(image);
  const plane = image.shape[image.shape.length - 1] * image.shape[image.shape.length - 2];
  let out = values;
  let replaced = 0;
  for (let start = 0; plane > 0 && start < values.length; start += plane) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    let bad = 0;
    for (let i = start; i < start + plane; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) bad++;
      else {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    if (bad === 0) continue;
    if (out === values && values.buffer === image.data.buffer) out = Float32Array.from(values);
    if (lo > hi) lo = hi = 0;
    for (let i = start; i < start + plane; i++) {
      const v = out[i];
      if (!Number.isFinite(v)) out[i] = v === Number.POSITIVE_INFINITY ? hi : lo;
    }
    replaced += bad;
  }
  return { image: ndarray(out, [...image.shape]), replaced };
}
