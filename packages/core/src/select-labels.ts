import { isRowMajor, maskFrom } from './contiguous';
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
  const shape = labelMap.shape;
  if (isRowMajor(labelMap)) {
    // a row-major map (the common case, a label volume or one of its slices) is read in order, each value looked up once
    const data = labelMap.data;
    for (let i = 0; i < out.length; i++) out[i] = wanted.has(data[labelMap.offset + i]) ? 1 : 0;
  } else if (shape.length === 2) {
    const [h, w] = shape;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) out[y * w + x] = wanted.has(labelMap.get(y, x)) ? 1 : 0;
  } else {
    let i = 0;
    const idx = new Array<number>(shape.length).fill(0);
    for (; i < out.length; i++) {
      out[i] = wanted.has(labelMap.get(...idx)) ? 1 : 0;
      for (let d = shape.length - 1; d >= 0; d--) {
        if (++idx[d] < shape[d]) break;
        idx[d] = 0;
      }
    }
  }
  return maskFrom(out, shape);
}
