import { assertDims, packedBinary } from './contiguous';
import type { NumericNdArray, Spacing } from './types';
import { spacingFor } from './validate';

/** Stands in for +∞ so that the lower-envelope arithmetic stays finite. */
const FAR = 1e30;

/**
 * One pass of Felzenszwalb & Huttenlocher's exact 1D squared distance transform, in place over `f`
 * (length `n`), with sample spacing² `w`. `v`, `z` and `out` are scratch buffers of length ≥ n (+1 for z).
 */
function edt1d(
  f: Float64Array,
  n: number,
  w: number,
  v: Int32Array,
  z: Float64Array,
  out: Float64Array,
): void {
  let k = 0;
  v[0] = 0;
  z[0] = Number.NEGATIVE_INFINITY;
  z[1] = Number.POSITIVE_INFINITY;
  for (let q = 1; q < n; q++) {
    const fq = f[q] + w * q * q;
    let p = v[k];
    let s = (fq - (f[p] + w * p * p)) / (2 * w * (q - p));
    // z[0] is -∞, so this stops at k = 0 at the latest
    while (s <= z[k]) {
      k--;
      p = v[k];
      s = (fq - (f[p] + w * p * p)) / (2 * w * (q - p));
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Number.POSITIVE_INFINITY;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const d = q - v[k];
    out[q] = w * d * d + f[v[k]];
  }
  f.set(out.subarray(0, n));
}

/**
 * Exact squared Euclidean distance from every element to the nearest feature element, in linear time.
 *
 * @param feature - packed 0/1 data; 1 marks a feature (distance 0).
 * @param shape - `[H, W]` or `[D, H, W]`.
 * @param spacing - per-axis sample spacing (mm).
 * @returns squared distances (mm²); every value is ≥ 1e30 when there is no feature at all.
 */
export function squaredDistanceToFeature(
  feature: Uint8Array,
  shape: readonly number[],
  spacing: readonly number[],
): Float64Array {
  const size = feature.length;
  const dist = new Float64Array(size);
  for (let i = 0; i < size; i++) dist[i] = feature[i] ? 0 : FAR;
  const maxLen = Math.max(...shape);
  const line = new Float64Array(maxLen);
  const out = new Float64Array(maxLen);
  const v = new Int32Array(maxLen);
  const z = new Float64Array(maxLen + 1);
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const n = shape[axis];
    const stride = strides[axis];
    const w = spacing[axis] * spacing[axis];
    for (let outer = 0; outer < size; outer += n * stride) {
      for (let inner = 0; inner < stride; inner++) {
        const start = outer + inner;
        for (let i = 0; i < n; i++) line[i] = dist[start + i * stride];
        edt1d(line, n, w, v, z, out);
        for (let i = 0; i < n; i++) dist[start + i * stride] = line[i];
      }
    }
  }
  return dist;
}

/**
 * The exact Euclidean distance transform of a mask, as `scipy.ndimage.distance_transform_edt`: for every
 * foreground element, the distance (in mm with `spacing`) to the nearest background element; 0 on background.
 *
 * @param mask - `[H, W]` or `[D, H, W]`; any non-zero value is foreground.
 * @param options.spacing - `[dy, dx]` or `[dz, dy, dx]` in mm (default 1).
 * @returns distances, packed row-major, same size as the mask. A mask without background gives +∞ everywhere.
 */
export function distanceTransform(mask: NumericNdArray, options: { spacing?: Spacing } = {}): Float64Array {
  assertDims('distanceTransform(mask)', mask, [2, 3]);
  const spacing = spacingFor('distanceTransform', options.spacing, mask.shape.length);
  const bits = packedBinary(mask);
  for (let i = 0; i < bits.length; i++) bits[i] ^= 1;
  const d = squaredDistanceToFeature(bits, mask.shape, spacing);
  for (let i = 0; i < d.length; i++) d[i] = d[i] >= FAR ? Number.POSITIVE_INFINITY : Math.sqrt(d[i]);
  return d;
}
