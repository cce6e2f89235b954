import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  backend_util,
  type Conv2DAttrs,
  getKernel,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

/**
 * Runs one of tfjs-backend-wasm's own kernels (XNNPACK's `Conv2D`, `BatchMatMul`, `Transpose`) from inside
 * another kernel. The engine does not see the result: the caller frees it (`disposeAll`) or returns it.
 */
export function runWasmKernel(
  name: string,
  backend: BackendWasm,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap,
): TensorInfo {
  const kernel = getKernel(name, 'wasm');
  if (kernel === undefined) {
    throw new Error(`@myoseg/models: tfjs-backend-wasm has no '${name}' kernel registered`);
  }
  return kernel.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

/** Frees tensors made inside a kernel. */
export function disposeAll(backend: BackendWasm, ...tensors: TensorInfo[]): void {
  for (const t of tensors) backend.disposeData(t.dataId);
}

/**
 * The whole wasm heap as float32, and where each tensor starts in it (in elements). An allocation may grow the
 * heap and detach this view: take it after the last `makeOutput`, use it before the next.
 */
export function heapFloat32(
  backend: BackendWasm,
  first: TensorInfo,
  ...rest: TensorInfo[]
): { heap: Float32Array; at: number[] } {
  const tensors = [first, ...rest];
  return {
    heap: new Float32Array(backend.typedArrayFromHeap(first).buffer),
    at: tensors.map((t) => backend.getMemoryOffset(t.dataId) / 4),
  };
}

/** A stride-1 `Conv2D` of tfjs-backend-wasm (XNNPACK) with explicit padding `[[top, bottom], [left, right]]`. */
export function xnnConv2d(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  pads: [[number, number], [number, number]],
  dilations: [number, number] = [1, 1],
): TensorInfo {
  const pad: Conv2DAttrs['pad'] = [[0, 0], pads[0], pads[1], [0, 0]];
  return runWasmKernel('Conv2D', backend, { x, filter }, { strides: 1, pad, dilations, dataFormat: 'NHWC' });
}

/**
 * The geometry of the NHWC convolution whose gradient a kernel computes; throws for NCHW, which the wasm
 * backend does not support.
 */
export function convGeometry(
  kernelName: string,
  inShape: readonly number[],
  filterShape: readonly number[],
  attrs: Pick<Conv2DAttrs, 'strides' | 'pad' | 'dataFormat' | 'dimRoundingMode'>,
): backend_util.Conv2DInfo {
  if (attrs.dataFormat === 'NCHW') {
    throw new Error(`${kernelName} (wasm, @myoseg/models): only NHWC is supported, got dataFormat NCHW`);
  }
  return backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}
