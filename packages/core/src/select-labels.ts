import { forEachValue, maskFrom } from './contiguous';
import type { Mask, NumericNdArray } from './types';

/**
 * A binary mask of the elements whose label is one of `labels` (e.g. ACDC's myocardium, 2, or myocardium ∪
 * LV cavity, `[2, 3]`).
 *
 * @param labelMap - integer labels, any shape; strided views are accepted.
 * @param labels - the labels that become 1.
 * @returns a packed 0/1 mask of the same shape.
 */
export function selectLabels(labelMap: NumericNdArray, labels: readonly number[]): Mask {
  const wanted = new Set(labels);
  const out = new Uint8Array(labelMap.size);
  forEachValue(labelMap, (v, i) => {
    out[i] = wanted.has(v) ? 1 : 0;
  });
  return maskFrom(out, labelMap.shape);
}
