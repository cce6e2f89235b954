import { isPacked, packedBinary } from './contiguous';
import { ShapeMismatchError } from './errors';
import type { NumericNdArray } from './types';

function counts(
  what: string,
  a: NumericNdArray,
  b: NumericNdArray,
): { inter: number; sa: number; sb: number } {
  if (a.shape.length !== b.shape.length || a.shape.some((n, i) => n !== b.shape[i])) {
    throw new ShapeMismatchError(what, a.shape, b.shape);
  }
  // packed inputs are read in place; strided views are copied once
  const pa = isPacked(a) ? a.data : packedBinary(a);
  const pb = isPacked(b) ? b.data : packedBinary(b);
  const n = a.size;
  let inter = 0;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < n; i++) {
    const u = pa[i] !== 0 ? 1 : 0;
    const v = pb[i] !== 0 ? 1 : 0;
    sa += u;
    sb += v;
    inter += u & v;
  }
  return { inter, sa, sb };
}

/**
 * The Dice coefficient 2|A∩B| / (|A| + |B|) of two binary masks of any dimension (`[H, W]`, `[D, H, W]`).
 *
 * Any non-zero value counts as foreground. Two empty masks give 1; one empty and one non-empty give 0
 * (as ACDC's evaluation code).
 *
 * @throws {@link ShapeMismatchError} when the shapes differ.
 */
export function dice(a: NumericNdArray, b: NumericNdArray): number {
  const { inter, sa, sb } = counts('dice(a, b)', a, b);
  return sa + sb === 0 ? 1 : (2 * inter) / (sa + sb);
}

/**
 * The intersection over union |A∩B| / |A∪B| (Jaccard index) of two binary masks of any dimension.
 *
 * Two empty masks give 1; one empty and one non-empty give 0.
 *
 * @throws {@link ShapeMismatchError} when the shapes differ.
 */
export function iou(a: NumericNdArray, b: NumericNdArray): number {
  const { inter, sa, sb } = counts('iou(a, b)', a, b);
  const union = sa + sb - inter;
  return union === 0 ? 1 : inter / union;
}
