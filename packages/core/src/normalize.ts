import ndarray from 'ndarray';
import { assertDims, packedFloat32 } from './contiguous';
import { percentileInPlace } from './percentile';
import type { Image2D, NumericNdArray } from './types';
import { assertNumber } from './validate';

/** Options of {@link normalizeIntensity}. */
export interface NormalizeOptions {
  /** `'zscore'` (default): (x − mean) / std. `'percentile'`: clip to the lower/upper percentiles, scale to [0, 1]. */
  method?: 'zscore' | 'percentile';
  /** Lower percentile for `'percentile'` (default 1). */
  lower?: number;
  /** Upper percentile for `'percentile'` (default 99). */
  upper?: number;
}

/**
 * Normalizes the intensities of one image (per image, as the method's preprocessing).
 *
 * A constant image gives all zeros with either method (nothing to scale).
 *
 * @param image - `[H, W]` (or any shape), any numeric dtype.
 * @returns a new Float32 array of the same shape.
 */
export function normalizeIntensity(image: NumericNdArray, options: NormalizeOptions = {}): Image2D {
  const { method = 'zscore', lower = 1, upper = 99 } = options;
  assertDims('normalizeIntensity(image)', image, [1, 2, 3]);
  const src = packedFloat32(image);
  const out = new Float32Array(src.length);
  if (method === 'zscore') {
    let mean = 0;
    for (let i = 0; i < src.length; i++) mean += src[i];
    mean /= src.length || 1;
    let variance = 0;
    for (let i = 0; i < src.length; i++) variance += (src[i] - mean) ** 2;
    const std = Math.sqrt(variance / (src.length || 1));
    if (std > 0) for (let i = 0; i < src.length; i++) out[i] = (src[i] - mean) / std;
  } else if (method === 'percentile') {
    assertNumber('normalizeIntensity: lower', lower, 0);
    assertNumber('normalizeIntensity: upper', upper, lower);
    if (upper > 100) throw new RangeError(`normalizeIntensity: upper must be ≤ 100, got ${upper}`);
    const lo = percentileInPlace(Float64Array.from(src), lower);
    const hi = percentileInPlace(Float64Array.from(src), upper);
    if (hi > lo)
      for (let i = 0; i < src.length; i++) out[i] = (Math.min(hi, Math.max(lo, src[i])) - lo) / (hi - lo);
  } else {
    throw new RangeError(
      `normalizeIntensity: method must be 'zscore' or 'percentile', got ${String(method)}`,
    );
  }
  return ndarray(out, [...image.shape]);
}
