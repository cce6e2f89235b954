import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers'; // registers the gradients
import * as tf from '@tensorflow/tfjs-core';
import ndarray from 'ndarray';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUNet } from '../architecture';
import { segmentationData } from '../training/data';
import { fitOneCycle } from '../training/fit-one-cycle';
import { conv2dBackpropFilterWasm } from './conv2d-backprop-filter';
import { conv2dBackpropInputWasm } from './conv2d-backprop-input';
import { registerWasmTrainingKernels } from './register-wasm';

/** Deterministic values in [-1, 1) with some exact zeros (as after a ReLU). */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const v = s / 2 ** 31 - 1;
    out[i] = v < -0.7 ? 0 : v;
  }
  return out;
}

type Pad =
  | 'same'
  | 'valid'
  | number
  | [[number, number], [number, number], [number, number], [number, number]];
const explicit = (top: number, bottom: number, left: number, right: number): Pad => [
  [0, 0],
  [top, bottom],
  [left, right],
  [0, 0],
];

interface Case {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  stride: number | [number, number];
  pad: Pad;
}

const cases: Case[] = [
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'same' },
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'valid' },
  { x: [3, 10, 11, 5], filter: [3, 3, 5, 6], stride: 2, pad: 'same' },
  // (10 − 3) / 2 leaves one input row that no output reads: its gradient is zero.
  { x: [1, 10, 11, 5], filter: [3, 3, 5, 6], stride: 2, pad: 'valid' },
  { x: [3, 8, 8, 7], filter: [1, 1, 7, 9], stride: 1, pad: 'valid' },
  // A 1×1 filter at stride 2: three of four input phases get no tap at all.
  { x: [2, 8, 9, 7], filter: [1, 1, 7, 9], stride: 2, pad: 'same' },
  { x: [1, 7, 7, 2], filter: [1, 1, 2, 3], stride: 3, pad: 'valid' },
  { x: [1, 22, 20, 3], filter: [7, 7, 3, 8], stride: 2, pad: 'same' },
  { x: [1, 22, 20, 3], filter: [7, 7, 3, 8], stride: 2, pad: 'valid' },
  // torchvision's stem: 7×7, stride 2, explicit zeros 3 on each side.
  { x: [2, 16, 16, 3], filter: [7, 7, 3, 5], stride: 2, pad: explicit(3, 3, 3, 3) },
  { x: [1, 17, 13, 4], filter: [3, 3, 4, 3], stride: 1, pad: 1 },
  { x: [2, 13, 11, 16], filter: [3, 3, 16, 32], stride: 1, pad: 'same' },
  // Odd sizes, as a 37×53 slice.
  { x: [1, 37, 53, 2], filter: [3, 3, 2, 5], stride: 2, pad: 'same' },
  { x: [3, 37, 53, 4], filter: [7, 7, 4, 6], stride: 2, pad: 3 },
  { x: [3, 37, 53, 1], filter: [3, 3, 1, 8], stride: 1, pad: 'same' },
  // Padding wider than the filter reaches (outputs that only see zeros) and unequal strides.
  { x: [1, 12, 12, 3], filter: [3, 3, 3, 4], stride: [2, 1], pad: explicit(2, 4, 0, 1) },
  { x: [3, 5, 7, 6], filter: [3, 3, 6, 2], stride: 1, pad: explicit(0, 0, 3, 3) },
  { x: [2, 6, 5, 3], filter: [1, 1, 3, 4], stride: 1, pad: explicit(1, 1, 1, 1) },
];

/** The gradients of `Σ conv2d(x, w) · r` with respect to `x` and `w`, for fixed pseudo-random x, w, r. */
function gradients(backend: string, c: Case, seed: number): { dx: Float32Array; dw: Float32Array } {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const size = (shape: number[]) => shape.reduce((a, b) => a * b);
    const x = tf.tensor4d(values(size(c.x), seed), c.x);
    const w = tf.tensor4d(values(size(c.filter), seed + 1), c.filter);
    const y = tf.conv2d(x, w, c.stride, c.pad);
    const r = tf.tensor(values(y.size, seed + 2), y.shape);
    const [dx, dw] = tf.grads((a, b) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), r)),
    )([x, w]);
    expect(dx.shape).toEqual(c.x);
    expect(dw.shape).toEqual(c.filter);
    return { dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array };
  });
}

/** Largest absolute difference, relative to the largest magnitude of the reference. */
function relativeError(got: Float32Array, want: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let k = 0; k < want.length; k++) {
    diff = Math.max(diff, Math.abs(got[k] - want[k]));
    scale = Math.max(scale, Math.abs(want[k]));
  }
  expect(scale).toBeGreaterThan(0.1);
  return diff / scale;
}

describe('registerWasmTrainingKernels', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    registerWasmTrainingKernels();
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('replaces the wasm gradient kernels once, and stays so over repeated calls and setBackend', async () => {
    const registered = () => [
      tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc,
      tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc,
    ];
    const ours = [conv2dBackpropFilterWasm, conv2dBackpropInputWasm];
    expect(registered()).toEqual(ours);
    registerWasmTrainingKernels();
    await tf.setBackend('cpu');
    await tf.setBackend('wasm');
    expect(registered()).toEqual(ours);
  });

  it.each(cases.map((c, i) => [i, c] as const))('dx and dW match the cpu backend (case %i)', (i, c) => {
    const cpu = gradients('cpu', c, 11 * i + 1);
    const wasm = gradients('wasm', c, 11 * i + 1);
    expect(relativeError(wasm.dx, cpu.dx)).toBeLessThanOrEqual(1e-5);
    expect(relativeError(wasm.dw, cpu.dw)).toBeLessThanOrEqual(1e-5);
  });

  it('gives zero dx on input rows that no output reads', () => {
    const { dx } = gradients('wasm', cases[3], 5); // 10 rows, 3×3 valid at stride 2: row 9 is never read
    const [, h, w, c] = cases[3].x;
    expect(dx.subarray((h - 1) * w * c, h * w * c).every((v) => v === 0)).toBe(true);
    expect(dx.subarray((h - 2) * w * c, (h - 1) * w * c).some((v) => v !== 0)).toBe(true);
  });

  it('frees every intermediate: engine tensors, bytes and wasm data ids stay flat', () => {
    tf.setBackend('wasm');
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const counts = () => [tf.memory().numTensors, tf.memory().numBytes, backend.numDataIds()];
    gradients('wasm', cases[2], 3);
    const before = counts();
    for (let k = 0; k < 3; k++) {
      for (const c of [cases[2], cases[4], cases[15], cases[16]]) gradients('wasm', c, k);
    }
    expect(counts()).toEqual(before);
  });

  it('trains a U-Net with the same loss trajectory as the cpu backend', async () => {
    const size = 32;
    const samples = Array.from({ length: 4 }, (_, i) => ({
      image: ndarray(Float32Array.from(values(size * size, 100 + i)), [size, size]),
      mask: ndarray(
        Uint8Array.from({ length: size * size }, (_, j) => ((j % size) + i > size / 2 ? 1 : 0)),
        [size, size],
      ),
    }));
    const data = segmentationData(samples, { size: [size, size], batchSize: 2, numClasses: 2, channels: 1 });
    const trajectory = async (backend: string) => {
      await tf.setBackend(backend);
      const model = buildUNet({
        encoder: 'resnet18',
        inputShape: [size, size, 1],
        numClasses: 2,
        widthMultiplier: 1 / 16,
        seed: 3,
      });
      const losses: number[] = [];
      await fitOneCycle(model, data, {
        epochs: 2,
        lrMax: 1e-3, // at 1e-2, Adam amplifies float32 differences of other kernels (same with the old ones)
        callbacks: [{ onBatchEnd: (logs) => void losses.push(logs.loss) }],
      });
      model.dispose();
      return losses;
    };
    const cpu = await trajectory('cpu');
    const wasm = await trajectory('wasm');
    expect(wasm).toHaveLength(4);
    expect(cpu[3]).not.toBeCloseTo(cpu[0], 2); // the loss moves: the gradients matter
    wasm.forEach((loss, k) => {
      expect(Math.abs(loss - cpu[k])).toBeLessThanOrEqual(1e-3 * cpu[k]);
    });
  });
});
