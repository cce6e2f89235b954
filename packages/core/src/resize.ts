import ndarray from 'ndarray';
import { assertDims, packedFloat32 } from './contiguous';
import type { Image2D, NumericNdArray } from './types';
import { assertInteger } from './validate';

/** Interpolation of {@link resize}. */
export type ResizeMethod = 'nearest' | 'bilinear' | 'area';

/** For one axis: for each output index, the source indices and their weights (summing to 1). */
interface AxisWeights {
  start: Int32Array;
  count: Int32Array;
  index: Int32Array;
  weight: Float32Array;
}

function axisWeights(inLen: number, outLen: number, method: ResizeMethod): AxisWeights {
  const scale = inLen / outLen;
  const lists: [number, number][][] = [];
  for (let o = 0; o < outLen; o++) {
    if (method === 'nearest') {
      lists.push([[Math.min(inLen - 1, Math.floor((o + 0.5) * scale)), 1]]);
    } else if (method === 'bilinear') {
      const s = Math.min(inLen - 1, Math.max(0, (o + 0.5) * scale - 0.5));
      const i0 = Math.floor(s);
      const i1 = Math.min(inLen - 1, i0 + 1);
      const f = s - i0;
      lists.push(
        i1 === i0 || f === 0
          ? [[i0, 1]]
          : [
              [i0, 1 - f],
              [i1, f],
            ],
      );
    } else {
      // area: the mean over the source interval [o·scale, (o+1)·scale), pixels weighted by their overlap
      const lo = o * scale;
      const hi = (o + 1) * scale;
      const taps: [number, number][] = [];
      for (let i = Math.floor(lo); i < Math.min(inLen, Math.ceil(hi)); i++) {
        const overlap = Math.min(hi, i + 1) - Math.max(lo, i);
        if (overlap > 1e-12) taps.push([i, overlap / scale]);
      }
      lists.push(taps);
    }
  }
  const total = lists.reduce((n, l) => n + l.length, 0);
  const w: AxisWeights = {
    start: new Int32Array(outLen),
    count: new Int32Array(outLen),
    index: new Int32Array(total),
    weight: new Float32Array(total),
  };
  let k = 0;
  lists.forEach((taps, o) => {
    w.start[o] = k;
    w.count[o] = taps.length;
    for (const [i, wt] of taps) {
      w.index[k] = i;
      w.weight[k++] = wt;
    }
  });
  return w;
}

/**
 * Resizes a 2D image with half-pixel centres (as OpenCV, PIL and skimage): output pixel `o` samples the input at
 * `(o + 0.5) · in / out − 0.5`, edges clamped.
 *
 * - `'nearest'`: the nearest input pixel (for masks and label maps).
 * - `'bilinear'`: linear in each axis (equals `skimage.transform.resize(order=1, mode='edge', anti_aliasing=False)`).
 * - `'area'`: each output pixel is the mean of the input area it covers (best for shrinking).
 *
 * @param image - `[H, W]`, any numeric dtype; strided views are accepted.
 * @param shape - `[h, w]` of the output, integers ≥ 1.
 * @returns a new `[h, w]` Float32 array. Resizing to the same size returns an equal copy.
 */
export function resize(
  image: NumericNdArray,
  shape: readonly [number, number],
  options: { method?: ResizeMethod } = {},
): Image2D {
  const { method = 'bilinear' } = options;
  assertDims('resize(image)', image, 2);
  assertInteger('resize: shape[0]', shape[0], 1);
  assertInteger('resize: shape[1]', shape[1], 1);
  if (method !== 'nearest' && method !== 'bilinear' && method !== 'area') {
    throw new RangeError(`resize: method must be 'nearest', 'bilinear' or 'area', got ${String(method)}`);
  }
  const [H, W] = image.shape;
  const [h, w] = shape;
  const src = packedFloat32(image);
  const wx = axisWeights(W, w, method);
  const wy = axisWeights(H, h, method);
  // rows first: [H, W] -> [H, w]
  const tmp = new Float32Array(H * w);
  for (let y = 0; y < H; y++) {
    const row = y * W;
    for (let x = 0; x < w; x++) {
      let acc = 0;
      const end = wx.start[x] + wx.count[x];
      for (let k = wx.start[x]; k < end; k++) acc += wx.weight[k] * src[row + wx.index[k]];
      tmp[y * w + x] = acc;
    }
  }
  const out = new Float32Array(h * w);
  for (let y = 0; y < h; y++) {
    const end = wy.start[y] + wy.count[y];
    for (let k = wy.start[y]; k < end; k++) {
      const wt = wy.weight[k];
      const row = wy.index[k] * w;
      for (let x = 0; x < w; x++) out[y * w + x] += wt * tmp[row + x];
    }
  }
  return ndarray(out, [h, w]);
}
