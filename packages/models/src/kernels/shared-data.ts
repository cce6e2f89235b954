import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { CastAttrs, TensorInfo } from '@tensorflow/tfjs-core';

/** `x` under a second reference: the same wasm memory, freed when the last reference goes (as `Reshape` does). */
function share(backend: BackendWasm, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * `Identity` for tfjs-backend-wasm that shares `x`'s memory instead of copying it, as the cpu and webgl backends do
 * (tensors are immutable; `Variable.assign` swaps data, it never writes into it). tfjs-core clones every tensor it
 * keeps for the backward pass with this kernel: tfjs-backend-wasm 4.22's copy doubled the memory a training step
 * holds (≈ 1 200 copies per step of a ResNet-34 U-Net).
 */
export function identityWasm(args: { inputs: { x: TensorInfo }; backend: BackendWasm }): TensorInfo {
  return share(args.backend, args.inputs.x);
}

/**
 * `Cast` for tfjs-backend-wasm: to the same dtype it shares `x`'s memory (as the cpu backend does; tfjs-backend-wasm
 * 4.22 copied it), to another it converts as tfjs-backend-wasm does (a typed-array copy).
 */
export function castWasm(args: {
  inputs: { x: TensorInfo };
  attrs: CastAttrs;
  backend: BackendWasm;
}): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { x } = inputs;
  if (attrs.dtype === x.dtype) return share(backend, x);
  const out = backend.makeOutput(x.shape, attrs.dtype);
  backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(x));
  return out;
}
