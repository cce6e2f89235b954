// The plain-JS filter gradient this package registered before the XNNPACK kernels; kept only as the baseline
// that `conv2d-gradients.bench.ts` measures them against.
/** The geometry of an NHWC 2D convolution, as the backward pass of its filter needs it. */
export interface ConvGeometry {
  /** Batch size. */
  batch: number;
  /** Input height, width and channels. */
  inHeight: number;
  /** Input width. */
  inWidth: number;
  /** Input channels. */
  inChannels: number;
  /** Output height. */
  outHeight: number;
  /** Output width. */
  outWidth: number;
  /** Output channels. */
  outChannels: number;
  /** Filter height. */
  filterHeight: number;
  /** Filter width. */
  filterWidth: number;
  /** Vertical stride. */
  strideHeight: number;
  /** Horizontal stride. */
  strideWidth: number;
  /** Zero rows added above the input. */
  padTop: number;
  /** Zero columns added left of the input. */
  padLeft: number;
}

/** Output positions per im2col tile: the tile's columns and `dy` rows stay in cache during the product. */
const TILE = 64;

/** Writes the im2col tile of output positions `p0 … p0 + n - 1` of batch item `b`, transposed: `colT[k * TILE + t]`. */
function fillColumnTile(
  x: Float32Array,
  g: ConvGeometry,
  b: number,
  p0: number,
  n: number,
  colT: Float32Array,
) {
  const { inHeight, inWidth, inChannels, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = g;
  for (let t = 0; t < n; t++) {
    const p = p0 + t;
    const oy = Math.floor(p / outWidth);
    const ox = p - oy * outWidth;
    for (let kh = 0; kh < filterHeight; kh++) {
      const iy = oy * strideHeight + kh - g.padTop;
      for (let kw = 0; kw < filterWidth; kw++) {
        const ix = ox * strideWidth + kw - g.padLeft;
        let k = (kh * filterWidth + kw) * inChannels * TILE + t;
        if (iy < 0 || iy >= inHeight || ix < 0 || ix >= inWidth) {
          for (let ci = 0; ci < inChannels; ci++, k += TILE) colT[k] = 0;
        } else {
          const xBase = ((b * inHeight + iy) * inWidth + ix) * inChannels;
          for (let ci = 0; ci < inChannels; ci++, k += TILE) colT[k] = x[xBase + ci];
        }
      }
    }
  }
}

/**
 * `acc[k, :] += Σ_t colT[k, t] · dy[d0 + t, :]` for every row `k`: the tile's matrix product, four `t` at a
 * time so that each accumulator row is loaded and stored once per four products.
 */
function accumulateTile(
  colT: Float32Array,
  dy: Float32Array,
  d0: number,
  n: number,
  rows: number,
  outC: number,
  acc: Float64Array,
) {
  for (let k = 0; k < rows; k++) {
    const c = k * TILE;
    const row = k * outC;
    let t = 0;
    for (; t + 4 <= n; t += 4) {
      const a0 = colT[c + t];
      const a1 = colT[c + t + 1];
      const a2 = colT[c + t + 2];
      const a3 = colT[c + t + 3];
      if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
      const e0 = d0 + t * outC;
      const e1 = e0 + outC;
      const e2 = e1 + outC;
      const e3 = e2 + outC;
      for (let co = 0; co < outC; co++) {
        acc[row + co] += a0 * dy[e0 + co] + a1 * dy[e1 + co] + a2 * dy[e2 + co] + a3 * dy[e3 + co];
      }
    }
    for (; t < n; t++) {
      const a = colT[c + t];
      if (a === 0) continue;
      const e = d0 + t * outC;
      for (let co = 0; co < outC; co++) acc[row + co] += a * dy[e + co];
    }
  }
}

/**
 * The gradient of an NHWC convolution with respect to its filter, `dW[kh, kw, ci, co] =
 * Σ_{b, oy, ox} x[b, oy·sh + kh − padTop, ox·sw + kw − padLeft, ci] · dy[b, oy, ox, co]` (dilation 1):
 * im2col tiles of 64 output positions times the matching rows of `dy`, accumulated in float64.
 *
 * @param x - the convolution's input, packed `[batch, inHeight, inWidth, inChannels]`.
 * @param dy - the gradient of its output, packed `[batch, outHeight, outWidth, outChannels]`.
 * @param g - the geometry (sizes, strides, padding).
 * @returns the filter gradient, packed `[filterHeight, filterWidth, inChannels, outChannels]`.
 */
export function conv2dBackpropFilterNhwc(x: Float32Array, dy: Float32Array, g: ConvGeometry): Float32Array {
  const rows = g.filterHeight * g.filterWidth * g.inChannels;
  const positions = g.outHeight * g.outWidth;
  const acc = new Float64Array(rows * g.outChannels);
  const colT = new Float32Array(rows * TILE);
  for (let b = 0; b < g.batch; b++) {
    for (let p0 = 0; p0 < positions; p0 += TILE) {
      const n = Math.min(TILE, positions - p0);
      fillColumnTile(x, g, b, p0, n, colT);
      accumulateTile(colT, dy, (b * positions + p0) * g.outChannels, n, rows, g.outChannels, acc);
    }
  }
  return Float32Array.from(acc);
}
