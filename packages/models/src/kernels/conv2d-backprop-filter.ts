import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { Conv2DBackpropFilterAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { convGeometry, disposeAll, heapFloat32, runWasmKernel, xnnConv2d } from './wasm-heap';

/** The same data seen with another shape: no copy and no reference of its own (dispose the original only). */
const view = (t: TensorInfo, shape: number[]): TensorInfo => ({ dataId: t.dataId, shape, dtype: t.dtype });

/**
 * `Conv2DBackpropFilter` for tfjs-backend-wasm (NHWC, dilation 1): the gradient of a convolution with respect to
 * its filter, `[filterHeight, filterWidth, inChannels, outChannels]` float32, as one XNNPACK `Conv2D` (the wasm
 * backend's own) that puts the batch in the channels:
 * `dW[a, b, ci, co] = Σ_{n, oy, ox} x[n, oy·sh + a − padTop, ox·sw + b − padLeft, ci] · dy[n, oy, ox, co]` is the
 * convolution of `x` transposed to `[inC, inH, inW, n]` (a batch of `inC` images of `n` channels) with `dy`
 * transposed to `[outH, outW, n, outC]` as its filter, dilated by the stride; its `[inC, ≥ fh, ≥ fw, outC]` output
 * is cropped and transposed. A 1×1 stride-1 unpadded filter is one matrix product `xᵀ · dy` instead (the wasm
 * `BatchMatMul`, XNNPACK's fully-connected operator), faster than a convolution with `outH × outW` taps.
 */
export function conv2dBackpropFilterWasm(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  attrs: Conv2DBackpropFilterAttrs;
  backend: BackendWasm;
}): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { x, dy } = inputs;
  const info = convGeometry('Conv2DBackpropFilter', x.shape, attrs.filterShape, attrs);
  const {
    filterHeight: fh,
    filterWidth: fw,
    strideHeight: sh,
    strideWidth: sw,
    inChannels: ci,
    outChannels: co,
  } = info;
  const { top, bottom, left, right } = info.padInfo;
  if (fh === 1 && fw === 1 && sh === 1 && sw === 1 && top + bottom + left + right === 0) {
    const positions = info.batchSize * info.outHeight * info.outWidth;
    const xT = runWasmKernel('Transpose', backend, { x: view(x, [positions, ci]) }, { perm: [1, 0] });
    // XNNPACK packs BatchMatMul's right operand into an operator cached by tensor id alone (not shape): a
    // private copy of dy, freed below, can never meet an operator built for another shape.
    const dyCopy = backend.makeOutput([1, positions, co], 'float32');
    const {
      heap,
      at: [src, dst],
    } = heapFloat32(backend, dy, dyCopy);
    heap.copyWithin(dst, src, src + positions * co);
    const dW = runWasmKernel(
      'BatchMatMul',
      backend,
      { a: view(xT, [1, ci, positions]), b: dyCopy },
      { transposeA: false, transposeB: false },
    );
    disposeAll(backend, xT, dyCopy);
    return view(dW, [1, 1, ci, co]);
  }
  const xT = runWasmKernel('Transpose', backend, { x }, { perm: [3, 1, 2, 0] });
  const dyT = runWasmKernel('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] });
  // Pad the bottom/right only as far as the last filter row/column needs (tfjs' `same` may pad one more).
  const padBottom = Math.max(0, fh + (info.outHeight - 1) * sh - info.inHeight - top);
  const padRight = Math.max(0, fw + (info.outWidth - 1) * sw - info.inWidth - left);
  const taps = xnnConv2d(
    backend,
    xT,
    dyT,
    [
      [top, padBottom],
      [left, padRight],
    ],
    [sh, sw],
  );
  disposeAll(backend, xT, dyT);
  const [, th, tw] = taps.shape;
  const dW = backend.makeOutput([fh, fw, ci, co], 'float32');
  const {
    heap,
    at: [src, dst],
  } = heapFloat32(backend, taps, dW);
  let d = dst;
  for (let a = 0; a < fh; a++) {
    for (let b = 0; b < fw; b++) {
      for (let i = 0; i < ci; i++, d += co) {
        const from = src + ((i * th + a) * tw + b) * co;
        heap.copyWithin(d, from, from + co);
      }
    }
  }
  disposeAll(backend, taps);
  return dW;
}
