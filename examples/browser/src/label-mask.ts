import { type Mask, MYOCARDIUM_LABELS, selectLabels } from '@myoseg/core';
import ndarray, { type NdArray } from 'ndarray';

/** How a label file marks the myocardium: ACDC labels (2 = myocardium), or a binary mask (non-zero = 1). */
export type LabelKind = 'acdc' | 'binary';

/**
 * Tells ACDC label maps from binary masks by their values: a file with any value above 1 holds ACDC labels
 * (0 background, 1 RV cavity, 2 myocardium, 3 LV cavity); one with only 0 and 1 is a myocardium mask.
 * Decided once per file, since one ACDC slice may hold only the RV (label 1).
 */
export function labelKind(values: ArrayLike<number>): LabelKind {
  for (let i = 0; i < values.length; i++) if (values[i] > 1) return 'acdc';
  return 'binary';
}

/**
 * The myocardium of one label slice as a 0/1 mask `[H, W]`: label 2 of an ACDC map, or every non-zero pixel of a
 * binary mask.
 */
export function myocardiumMask(labels: NdArray<Uint8Array>, kind: LabelKind): Mask {
  if (kind === 'acdc') return selectLabels(labels, MYOCARDIUM_LABELS);
  const out = new Uint8Array(labels.size);
  const [h, w] = labels.shape;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = labels.get(y, x) ? 1 : 0;
  return ndarray(out, [h, w]);
}
