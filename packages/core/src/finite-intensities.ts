import ndarray, { type NdArray } from 'ndarray';
import { assertDims, forEachValue, packedFloat32 } from './contiguous';
import type { NumericNdArray } from './types';

/** The largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** The outcome of {@link finiteIntensities}. */
export interface FiniteIntensities {
  /** The image as packed float32, every value finite; the same shape as the input. */
  image: NdArray<Float32Array>;
  /** How many voxels were replaced (NaN, ±∞, and the few values beyond float32's range). */
  replaced: number;
  /** The power of two the whole image was multiplied by to fit float32 (1: not rescaled). */
  scale: number;
}

/**
 * The power of two that brings a float64 image into float32's range when most of its non-zero values lie beyond
 * it (a whole image stored at a huge scale, which per-image normalization makes harmless); 1 otherwise, when the
 * few values beyond it are outliers, replaced like ±∞.
 */
function rangeScale(image: NumericNdArray): number {
  if (!(image.data instanceof Float64Array)) return 1;
  let beyond = 0;
  let nonZero = 0;
  let largest = 0;
  forEachValue(image, (v) => {
    const a = Math.abs(v);
    if (!Number.isFinite(a) || a === 0) return;
    nonZero++;
    if (a > FLOAT32_MAX) beyond++;
    if (a > largest) largest = a;
  });
  if (beyond * 2 <= nonZero) return 1;
  return 2 ** -(Math.ceil(Math.log2(largest / FLOAT32_MAX)) + 1);
}

/**
 * Makes an image's intensities finite float32 values, so that no slice is silently lost: one NaN makes a slice's
 * normalization NaN, and the slice gets an empty mask. A float64 image whose values mostly lie beyond float32's
 * range (±3.4e38) is first multiplied by a power of two (exact, and per-image normalization is blind to scale).
 * Then, slice by slice, +∞ and values still too large take the slice's largest finite value, −∞, values too small
 * and NaN its smallest (the background of an MR image); a slice without any finite value becomes 0.
 *
 * @param image - `[H, W]` or `[D, H, W]` (slices along the first axis), any numeric dtype, any strides.
 * @returns the values as packed float32 (a view of the input's data when it already is packed float32 and
 *   nothing changed; never the input's data otherwise), the count of replaced voxels and the scale applied.
 */
export function finiteIntensities(image: NumericNdArray): FiniteIntensities {
  assertDims('finiteIntensities(image)', image, [2, 3]);
  const scale = rangeScale(image);
  let values = packedFloat32(image);
  if (scale !== 1) {
    values = new Float32Array(image.size);
    forEachValue(image, (v, i) => {
      values[i] = v * scale;
    });
  }
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
  return { image: ndarray(out, [...image.shape]), replaced, scale };
}
