import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  getKernel,
  type KernelConfig,
  type KernelFunc,
  registerKernel,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterNhwc } from './conv2d-backprop-filter';

/** The typed array behind a tensor, as float32 (a copy: the wasm backend's `readSync` copies out of its heap). */
function readFloat32(backend: BackendWasm, t: TensorInfo): Float32Array {
  const values = backend.readSync(t.dataId);
  return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
}

function conv2dBackpropFilterWasm(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  attrs: Conv2DBackpropFilterAttrs;
  backend: BackendWasm;
}): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { x, dy } = inputs;
  if (attrs.dataFormat === 'NCHW') {
    throw new Error(
      'Conv2DBackpropFilter (wasm, @myoseg/models): only NHWC is supported, got dataFormat NCHW',
    );
  }
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const dW = conv2dBackpropFilterNhwc(readFloat32(backend, x), readFloat32(backend, dy), {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  });
  return backend.makeOutput(info.filterShape, 'float32', undefined, dW);
}

/** The kernels that tfjs-backend-wasm 4.22 lacks for the backward pass of a ResNet U-Net. */
const wasmTrainingKernels: readonly KernelConfig[] = [
  {
    kernelName: Conv2DBackpropFilter,
    backendName: 'wasm',
    kernelFunc: conv2dBackpropFilterWasm as unknown as KernelFunc,
  },
];

/**
 * Registers, on the `wasm` backend, the gradient kernels that `@tensorflow/tfjs-backend-wasm` 4.22 lacks
 * and that training a ResNet U-Net needs: `Conv2DBackpropFilter` (NHWC, dilation 1), computed in plain
 * JavaScript (im2col + a blocked matrix product) on the values read from the wasm heap.
 *
 * Idempotent: kernels already registered for `wasm` (by an earlier call, or by a later tfjs-backend-wasm
 * that ships them) are left alone. It needs no import of tfjs-backend-wasm and may run before or after the
 * backend is set; without the wasm backend the kernels are simply never called.
 */
export function registerWasmTrainingKernels(): void {
  for (const config of wasmTrainingKernels) {
    if (getKernel(config.kernelName, config.backendName) === undefined) registerKernel(config);
  }
}
