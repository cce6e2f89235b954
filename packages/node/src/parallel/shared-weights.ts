import type * as tf from '@tensorflow/tfjs-core';

/** Where each weight lives in a flat float32 buffer: `offsets[i]` (in floats) and `sizes[i]`, in model order. */
export interface WeightLayout {
  offsets: number[];
  sizes: number[];
  /** Floats in all. */
  total: number;
}

/** Packs weights of the given shapes one after another. */
export function weightLayout(shapes: readonly (readonly number[])[]): WeightLayout {
  const offsets: number[] = [];
  const sizes: number[] = [];
  let total = 0;
  for (const shape of shapes) {
    const size = shape.reduce((a, b) => a * b, 1);
    offsets.push(total);
    sizes.push(size);
    total += size;
  }
  return { offsets, sizes, total };
}

/** A float32 view of the tensor's values: on wasm straight on its heap (no copy; use it before the next allocation). */
export function tensorValues(backend: tf.KernelBackend, t: tf.Tensor): Float32Array {
  const heap = (backend as { typedArrayFromHeap?: (t: tf.TensorInfo) => Float32Array }).typedArrayFromHeap;
  return heap ? heap.call(backend, t) : (t.dataSync() as Float32Array);
}

/** The values of weight `i` in a buffer laid out by `layout`. */
export const weightView = (buffer: Float32Array, layout: WeightLayout, i: number): Float32Array =>
  buffer.subarray(layout.offsets[i], layout.offsets[i] + layout.sizes[i]);

/** BatchNorm running statistics: moved by a forward pass in training mode, not by the optimizer. */
export const isRunningStatistic = (originalName: string): boolean =>
  /\/moving_(mean|variance)$/.test(originalName);
