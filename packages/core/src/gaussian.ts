import ndarray from 'ndarray';
import { assertDims, packedFloat32 } from './contiguous';
import type { Image2D, NumericNdArray } from './types';
import { assertNumber } from './validate';

/** How {@link gaussianBlur} extends the image past its edges (scipy.ndimage's names). */
export type BoundaryMode = 'reflect' | 'nearest' | 'constant';

/**
 * Normalized samples of the paper's eq. (1), G(x) = exp(−x² / 2σ²) / √(2πσ²), at integer offsets
 * −r…r with radius `r = round(truncate · σ)` (as scipy.ndimage).
 *
 * @param sigma - standard deviation in pixels, ≥ 0; σ = 0 gives `[1]` (the identity).
 * @param options.truncate - radius in standard deviations (default 4).
 * @returns `2r + 1` weights summing to 1.
 * @throws RangeError for a negative, NaN or infinite σ or truncate.
 */
export function gaussianKernel1d(sigma: number, options: { truncate?: number } = {}): Float64Array {
  const { truncate = 4 } = options;
  assertNumber('gaussianKernel1d: sigma', sigma, 0);
  assertNumber('gaussianKernel1d: truncate', truncate, 0);
  const radius = Math.floor(truncate * sigma + 0.5);
  if (sigma === 0 || radius === 0) return Float64Array.of(1);
  const k = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp((-0.5 * i * i) / (sigma * sigma));
    k[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

/**
 * The 2D Gaussian kernel: the outer product of {@link gaussianKernel1d} with itself.
 *
 * @returns a `[2r + 1, 2r + 1]` Float64 array summing to 1.
 */
export function gaussianKernel2d(
  sigma: number,
  options: { truncate?: number } = {},
): ndarray.NdArray<Float64Array> {
  const k = gaussianKernel1d(sigma, options);
  const n = k.length;
  const out = new Float64Array(n * n);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) out[y * n + x] = k[y] * k[x];
  return ndarray(out, [n, n]);
}

/** Maps index `i` (possibly outside 0…n−1) into the array by the boundary mode; −1 means "use cval". */
function boundaryIndex(i: number, n: number, mode: BoundaryMode): number {
  if (i >= 0 && i < n) return i;
  if (mode === 'nearest') return i < 0 ? 0 : n - 1;
  if (mode === 'constant') return -1;
  // reflect (half-sample symmetric): d c b a | a b c d | d c b a, periodic with 2n
  const period = 2 * n;
  let j = ((i % period) + period) % period;
  if (j >= n) j = period - 1 - j;
  return j;
}

/**
 * Correlates the symmetric kernel `k` (radius r) along lines: output `i` of a line is
 * `k[r]·v[centre + i] + Σₜ k[r+t]·(v[lo[t] + i] + v[hi[t] + i])`.
 * Four outputs are accumulated in registers at a time, which is what makes this loop fast in V8.
 */
function correlate4(
  v: Float32Array,
  out: Float32Array,
  outBase: number,
  n: number,
  k: Float64Array,
  centre: number,
  lo: Int32Array,
  hi: Int32Array,
): void {
  const r = (k.length - 1) / 2;
  const k0 = k[r];
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const c = centre + i;
    let s0 = k0 * v[c];
    let s1 = k0 * v[c + 1];
    let s2 = k0 * v[c + 2];
    let s3 = k0 * v[c + 3];
    for (let t = 1; t <= r; t++) {
      const wt = k[r + t];
      const u = lo[t] + i;
      const d = hi[t] + i;
      s0 += wt * (v[u] + v[d]);
      s1 += wt * (v[u + 1] + v[d + 1]);
      s2 += wt * (v[u + 2] + v[d + 2]);
      s3 += wt * (v[u + 3] + v[d + 3]);
    }
    out[outBase + i] = s0;
    out[outBase + i + 1] = s1;
    out[outBase + i + 2] = s2;
    out[outBase + i + 3] = s3;
  }
  for (; i < n; i++) {
    let s = k0 * v[centre + i];
    for (let t = 1; t <= r; t++) s += k[r + t] * (v[lo[t] + i] + v[hi[t] + i]);
    out[outBase + i] = s;
  }
}

/**
 * Blurs `src` (`[h, w]`) into `dst`: for each output row, the column pass (axis 0, whole rows at a time) goes into
 * a boundary-padded row buffer, rounded to float32 as scipy's intermediate is, and the row pass (axis 1) reads it
 * while it is still in cache.
 */
function blurSeparable(
  src: Float32Array,
  dst: Float32Array,
  h: number,
  w: number,
  k: Float64Array,
  mode: BoundaryMode,
  cval: number,
): void {
  const r = (k.length - 1) / 2;
  let rows = src;
  if (mode === 'constant') {
    // one extra row of cval stands for every row outside the image
    rows = new Float32Array((h + 1) * w);
    rows.set(src);
    rows.fill(cval, h * w);
  }
  const rowOffset = (i: number) => {
    const j = boundaryIndex(i, h, mode);
    return (j < 0 ? h : j) * w;
  };
  const colLo = new Int32Array(r + 1);
  const colHi = new Int32Array(r + 1);
  const rowLo = new Int32Array(r + 1);
  const rowHi = new Int32Array(r + 1);
  for (let t = 1; t <= r; t++) {
    rowLo[t] = r - t;
    rowHi[t] = r + t;
  }
  const padded = new Float32Array(w + 2 * r);
  for (let y = 0; y < h; y++) {
    for (let t = 1; t <= r; t++) {
      colLo[t] = rowOffset(y - t);
      colHi[t] = rowOffset(y + t);
    }
    const base = y * w;
    correlate4(rows, padded, r, w, k, base, colLo, colHi);
    for (let t = 1; t <= r; t++) {
      const left = boundaryIndex(-t, w, mode);
      const right = boundaryIndex(w - 1 + t, w, mode);
      padded[r - t] = left < 0 ? cval : padded[r + left];
      padded[r + w - 1 + t] = right < 0 ? cval : padded[r + right];
    }
    correlate4(padded, dst, base, w, k, r, rowLo, rowHi);
  }
}

/**
 * Blurs a 2D image with a separable Gaussian; equals `scipy.ndimage.gaussian_filter(image, sigma, mode=…,
 * truncate=4)` to about 1e-6.
 *
 * @param image - `[H, W]`, any numeric dtype; strided views are accepted.
 * @param sigma - standard deviation in pixels, ≥ 0; σ = 0 returns an equal copy.
 * @param options.mode - boundary handling: `'reflect'` (default, half-sample symmetric), `'nearest'` or
 *   `'constant'` (with `cval`, default 0).
 * @returns a new `[H, W]` Float32 array.
 */
export function gaussianBlur(
  image: NumericNdArray,
  sigma: number,
  options: { mode?: BoundaryMode; cval?: number; truncate?: number } = {},
): Image2D {
  const { mode = 'reflect', cval = 0, truncate = 4 } = options;
  assertDims('gaussianBlur(image)', image, 2);
  if (mode !== 'reflect' && mode !== 'nearest' && mode !== 'constant') {
    throw new RangeError(
      `gaussianBlur: mode must be 'reflect', 'nearest' or 'constant', got ${String(mode)}`,
    );
  }
  const k = gaussianKernel1d(sigma, { truncate });
  const [h, w] = image.shape;
  const src = packedFloat32(image);
  if (k.length === 1) return ndarray(Float32Array.from(src), [h, w]);
  // scipy filters axis 0 first, then axis 1, rounding to float32 in between: so do we
  const out = new Float32Array(h * w);
  blurSeparable(src, out, h, w, k, mode, cval);
  return ndarray(out, [h, w]);
}
