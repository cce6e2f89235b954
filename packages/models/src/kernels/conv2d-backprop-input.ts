import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { Conv2DBackpropInputAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { convGeometry, disposeAll, heapFloat32, xnnConv2d } from './wasm-heap';

/**
 * One stride phase along one axis: the input rows `p, p + s, p + 2s…` (`count` of them) receive the taps
 * `first, first + s…` (`taps` of them) of the filter, applied to output rows from `offset` on:
 * `dx[p + s·m] = Σ_t dy[m + offset + t] · W[first + s·(taps − 1 − t)]`.
 */
interface Phase {
  p: number;
  count: number;
  first: number;
  taps: number;
  offset: number;
}

/**
 * From `y[o] = Σ_k x[o·s + k − pad] · W[k]`: input row `i` gets the taps `k ≡ i + pad (mod s)` from output
 * row `(i + pad − k) / s`.
 */
function phases(inSize: number, filterSize: number, stride: number, pad: number): Phase[] {
  const out: Phase[] = [];
  for (let p = 0; p < stride; p++) {
    const first = (p + pad) % stride;
    const taps = first < filterSize ? Math.ceil((filterSize - first) / stride) : 0;
    const count = Math.max(0, Math.ceil((inSize - p) / stride));
    out.push({ p, count, first, taps, offset: (p + pad - first) / stride - (taps - 1) });
  }
  return out;
}

/** The phase's filter `[taps, taps, outC, inC]`: the taps it receives, flipped, in/out channels swapped. */
function phaseFilter(backend: BackendWasm, filter: TensorInfo, ph: Phase, pw: Phase, sh: number, sw: number) {
  const [, kw, ci, co] = filter.shape;
  const out = backend.makeOutput([ph.taps, pw.taps, co, ci], 'float32');
  const {
    heap,
    at: [src, dst],
  } = heapFloat32(backend, filter, out);
  let d = dst;
  for (let th = 0; th < ph.taps; th++) {
    for (let tw = 0; tw < pw.taps; tw++) {
      const kRow = ph.first + sh * (ph.taps - 1 - th);
      const kCol = pw.first + sw * (pw.taps - 1 - tw);
      const tap = src + (kRow * kw + kCol) * ci * co;
      for (let o = 0; o < co; o++) {
        for (let i = 0; i < ci; i++) heap[d++] = heap[tap + i * co + o];
      }
    }
  }
  return out;
}

/** `dy[:, offset.h …, offset.w …, :]` on a zero canvas `[n, height, width, c]` (dy is zero outside its bounds). */
function dyWindow(
  backend: BackendWasm,
  dy: TensorInfo,
  height: number,
  width: number,
  offsetH: number,
  offsetW: number,
): TensorInfo {
  const [n, ho, wo, c] = dy.shape;
  const out = backend.makeOutput([n, height, width, c], 'float32');
  const {
    heap,
    at: [src, dst],
  } = heapFloat32(backend, dy, out);
  heap.fill(0, dst, dst + n * height * width * c);
  const x0 = Math.max(0, -offsetW);
  const x1 = Math.min(width, wo - offsetW);
  if (x1 <= x0) return out;
  for (let b = 0; b < n; b++) {
    for (let y = Math.max(0, -offsetH); y < Math.min(height, ho - offsetH); y++) {
      const from = src + ((b * ho + y + offsetH) * wo + x0 + offsetW) * c;
      heap.copyWithin(dst + ((b * height + y) * width + x0) * c, from, from + (x1 - x0) * c);
    }
  }
  return out;
}

/** The input rows and columns of one stride phase: a stride-1 XNNPACK convolution of (a window of) `dy`. */
function phaseGradient(
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  ph: Phase,
  pw: Phase,
  strides: [number, number],
): TensorInfo {
  const [, ho, wo] = dy.shape;
  const height = ph.count + ph.taps - 1;
  const width = pw.count + pw.taps - 1;
  const pads: [[number, number], [number, number]] = [
    [-ph.offset, height + ph.offset - ho],
    [-pw.offset, width + pw.offset - wo],
  ];
  const f = phaseFilter(backend, filter, ph, pw, strides[0], strides[1]);
  let dx: TensorInfo;
  if (Math.min(...pads[0], ...pads[1]) >= 0) {
    dx = xnnConv2d(backend, dy, f, pads);
  } else {
    const canvas = dyWindow(backend, dy, height, width, ph.offset, pw.offset);
    dx = xnnConv2d(backend, canvas, f, [
      [0, 0],
      [0, 0],
    ]);
    disposeAll(backend, canvas);
  }
  disposeAll(backend, f);
  return dx;
}

/**
 * `Conv2DBackpropInput` for tfjs-backend-wasm (NHWC, dilation 1): the gradient of a convolution with respect to
 * its input, `[batch, inHeight, inWidth, inChannels]` float32. It is a transposed convolution; for each of the
 * `strideHeight · strideWidth` phases of the input grid it is a stride-1 forward convolution of `dy` with the
 * filter taps that reach that phase, flipped and in/out-swapped, run by XNNPACK (the wasm backend's `Conv2D`)
 * and interleaved into the result. Input rows that no output reads get zeros.
 */
export function conv2dBackpropInputWasm(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  attrs: Conv2DBackpropInputAttrs;
  backend: BackendWasm;
}): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { dy, filter } = inputs;
  const info = convGeometry('Conv2DBackpropInput', attrs.inputShape, filter.shape, attrs);
  const { strideHeight: sh, strideWidth: sw, batchSize: n, inHeight: h, inWidth: w, inChannels: ci } = info;
  const rows = phases(h, info.filterHeight, sh, info.padInfo.top);
  const cols = phases(w, info.filterWidth, sw, info.padInfo.left);
  if (sh === 1 && sw === 1) return phaseGradient(backend, dy, filter, rows[0], cols[0], [1, 1]);
  const parts: { ph: Phase; pw: Phase; dx: TensorInfo }[] = [];
  for (const ph of rows) {
    for (const pw of cols) {
      if (ph.taps > 0 && pw.taps > 0 && ph.count > 0 && pw.count > 0) {
        parts.push({ ph, pw, dx: phaseGradient(backend, dy, filter, ph, pw, [sh, sw]) });
      }
    }
  }
  const dx = backend.makeOutput([n, h, w, ci], 'float32');
  const { heap, at } = heapFloat32(backend, dx, ...parts.map((part) => part.dx));
  if (parts.length < sh * sw) heap.fill(0, at[0], at[0] + n * h * w * ci);
  parts.forEach(({ ph, pw }, k) => {
    let s = at[k + 1];
    for (let b = 0; b < n; b++) {
      for (let m = 0; m < ph.count; m++) {
        for (let q = 0; q < pw.count; q++) {
          let d = at[0] + ((b * h + ph.p + sh * m) * w + pw.p + sw * q) * ci;
          for (let c = 0; c < ci; c++) heap[d++] = heap[s++];
        }
      }
    }
  });
  disposeAll(backend, ...parts.map((part) => part.dx));
  return dx;
}
