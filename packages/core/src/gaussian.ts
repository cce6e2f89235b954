import ndarray from 'ndarray';
import { assertDims, packedFloat32 } from './contiguous';
import type { Image2D, NumericNdArray } from './types';
import { assertNumber } from './validate';
import { gaussianWasm } from './wasm/gaussian-wasm';

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
 * Where each of the `n + 2r` positions −r…n+r−1 along an axis of length `n` reads from: entry `j` is
 * `base + step · i` for the element `i` that the boundary mode maps `j − r` to, or `outside` where it is cval.
 */
function boundaryTable(
  n: number,
  r: number,
  mode: BoundaryMode,
  base: number,
  step: number,
  outside: number,
): Int32Array {
  const tab = new Int32Array(n + 2 * r);
  for (let j = 0; j < tab.length; j++) {
    const i = boundaryIndex(j - r, n, mode);
    tab[j] = i < 0 ? outside : base + step * i;
  }
  return tab;
}

/**
 * Correlates the symmetric kernel `k` (radius r) along lines: output `i` is
 * `k[r]·v[c₀ + i] + Σₜ k[r+t]·(v[c₋ₜ + i] + v[cₜ + i])`, summed for t = 1…r in that order, where line j starts
 * at `cⱼ = tab[at + r + j]`.
 * Four outputs are accumulated in registers at a time, which is what makes this loop fast in V8.
 */
function correlate4(
  v: Float32Array,
  out: Float32Array,
  outBase: number,
  n: number,
  k: Float64Array,
  tab: Int32Array,
  at: number,
): void {
  const r = (k.length - 1) / 2;
  const mid = at + r;
  const k0 = k[r];
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const c = tab[mid] + i;
    let s0 = k0 * v[c];
    let s1 = k0 * v[c + 1];
    let s2 = k0 * v[c + 2];
    let s3 = k0 * v[c + 3];
    for (let t = 1; t <= r; t++) {
      const wt = k[r + t];
      const u = tab[mid - t] + i;
      const d = tab[mid + t] + i;
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
    let s = k0 * v[tab[mid] + i];
    for (let t = 1; t <= r; t++) s += k[r + t] * (v[tab[mid - t] + i] + v[tab[mid + t] + i]);
    out[outBase + i] = s;
  }
}

/** What {@link blurSeparableJs} and {@link blurSeparableWasm} blur. */
export interface SeparableBlurInput {
  /** The packed row-major `[h, w]` image. */
  src: Float32Array;
  /** Rows. */
  h: number;
  /** Columns. */
  w: number;
  /** The symmetric kernel of radius r ≥ 1 (2r + 1 weights), as {@link gaussianKernel1d} gives. */
  k: Float64Array;
  /** How the image extends past its edges. */
  mode: BoundaryMode;
  /** The value outside the image in `'constant'` mode. */
  cval: number;
}

/**
 * Blurs in plain JS: for each output row, the column pass (axis 0, whole rows at
 * a time) goes into a boundary-padded row buffer, rounded to float32 as scipy's intermediate is, and the row pass
 * (axis 1) reads it while it is still in cache. Exported for the tests, which compare it with
 * {@link blurSeparableWasm}.
 */
export function blurSeparableJs({ src, h, w, k, mode, cval }: SeparableBlurInput): Float32Array {
  const r = (k.length - 1) / 2;
  let rows = src;
  if (mode === 'constant') {
    // one extra row of cval stands for every row outside the image
    rows = new Float32Array((h + 1) * w);
    rows.set(src);
    rows.fill(cval, h * w);
  }
  const padWidth = w + 2 * r;
  const rowTab = boundaryTable(h, r, mode, 0, w, h * w);
  // padded[r + x] is column x; padded[padWidth] holds cval
  const colTab = boundaryTable(w, r, mode, r, 1, padWidth);
  const padTab = Int32Array.from({ length: 2 * r + 1 }, (_, j) => j);
  const padded = new Float32Array(padWidth + 1);
  padded[padWidth] = cval;
  const dst = new Float32Array(h * w);
  for (let y = 0; y < h; y++) {
    correlate4(rows, padded, r, w, k, rowTab, y);
    for (let j = 0; j < r; j++) {
      padded[j] = padded[colTab[j]];
      padded[w + r + j] = padded[colTab[w + r + j]];
    }
    correlate4(padded, dst, y * w, w, k, padTab, 0);
  }
  return dst;
}

/**
 * The same blur as {@link blurSeparableJs}, bit for bit, by the WebAssembly SIMD kernel of wasm/gaussian.wat
 * (two columns per f64x2, the same operations in the same order per pixel); `null` where that kernel is
 * unavailable or its memory cannot grow to fit the image.
 */
export function blurSeparableWasm({ src, h, w, k, mode, cval }: SeparableBlurInput): Float32Array | null {
  const kernel = gaussianWasm();
  if (kernel === null) return null;
  const r = (k.length - 1) / 2;
  const padWidth = w + 2 * r;
  // byte addresses, each 16-byte aligned: weights k[r…2r], tables, padded row (+ cval), image (+ cval row), result
  let end = 0;
  const take = (bytes: number) => {
    const at = end;
    end += Math.ceil(bytes / 16) * 16;
    return at;
  };
  const kAt = take(8 * (r + 1));
  const rowsAt = take(4 * (h + 2 * r));
  const colsAt = take(4 * padWidth);
  const padTabAt = take(4 * (2 * r + 1));
  const padAt = take(4 * (padWidth + 1));
  const srcAt = take(4 * (h + 1) * w);
  const dstAt = take(4 * h * w);
  const { memory } = kernel;
  const missing = Math.ceil((end - memory.buffer.byteLength) / 65536);
  if (missing > 0) {
    try {
      memory.grow(missing);
    } catch {
      return null;
    }
  }
  const { buffer } = memory;
  new Float64Array(buffer, kAt, r + 1).set(k.subarray(r));
  const i32 = new Int32Array(buffer);
  i32.set(boundaryTable(h, r, mode, srcAt, 4 * w, srcAt + 4 * h * w), rowsAt / 4);
  i32.set(boundaryTable(w, r, mode, padAt + 4 * r, 4, padAt + 4 * padWidth), colsAt / 4);
  for (let j = 0; j <= 2 * r; j++) i32[padTabAt / 4 + j] = padAt + 4 * j;
  const f32 = new Float32Array(buffer);
  f32[padAt / 4 + padWidth] = cval;
  f32.set(src, srcAt / 4);
  if (mode === 'constant') f32.fill(cval, srcAt / 4 + h * w, srcAt / 4 + (h + 1) * w);
  kernel.blur(rowsAt, colsAt, padTabAt, padAt, dstAt, kAt, r, h, w);
  return f32.slice(dstAt / 4, dstAt / 4 + h * w);
}

/**
 * Blurs a 2D image with a separable Gaussian; equals `scipy.ndimage.gaussian_filter(image, sigma, mode=…,
 * truncate=4)` to about 1e-6.
 *
 * Runs a WebAssembly SIMD kernel where the runtime has one (compiled on the first call; its memory grows to fit
 * the largest image blurred and is kept for the next calls), else the same arithmetic in JS: both give the same
 * bits.
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
  const input = { src, h, w, k, mode, cval };
  const out = blurSeparableWasm(input) ?? blurSeparableJs(input);
  return ndarray(out, [h, w]);
}
