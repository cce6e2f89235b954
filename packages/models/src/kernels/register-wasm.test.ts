import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers'; // registers the gradients
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

interface Case {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  stride: number;
  pad: Pad;
}

const cases: Case[] = [
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'same' },
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'valid' },
  { x: [2, 10, 11, 5], filter: [3, 3, 5, 6], stride: 2, pad: 'same' },
  { x: [1, 10, 11, 5], filter: [3, 3, 5, 6], stride: 2, pad: 'valid' },
  { x: [3, 8, 8, 7], filter: [1, 1, 7, 9], stride: 1, pad: 'valid' },
  { x: [2, 8, 9, 7], filter: [1, 1, 7, 9], stride: 2, pad: 'same' },
  { x: [1, 22, 20, 3], filter: [7, 7, 3, 8], stride: 2, pad: 'same' },
  { x: [1, 22, 20, 3], filter: [7, 7, 3, 8], stride: 2, pad: 'valid' },
  // torchvision's padding: explicit zeros, as the ResNet stem (7x7, stride 2, pad 3).
  {
    x: [2, 16, 16, 3],
    filter: [7, 7, 3, 5],
    stride: 2,
    pad: [
      [0, 0],
      [3, 3],
      [3, 3],
      [0, 0],
    ],
  },
  { x: [1, 17, 13, 4], filter: [3, 3, 4, 3], stride: 1, pad: 1 },
  // More output positions than one 64-wide tile, with a remainder.
  { x: [2, 13, 11, 16], filter: [3, 3, 16, 32], stride: 1, pad: 'same' },
];

function filterGradient(backend: string, c: Case, seed: number): { values: Float32Array; shape: number[] } {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor4d(
      values(
        c.x.reduce((a, b) => a * b),
        seed,
      ),
      c.x,
    );
    const w = tf.tensor4d(
      values(
        c.filter.reduce((a, b) => a * b),
        seed + 1,
      ),
      c.filter,
    );
    const y = tf.conv2d(x, w, c.stride, c.pad);
    const dy = tf.tensor(values(y.size, seed + 2), y.shape);
    const dw = tf.grad((f) => tf.sum(tf.mul(tf.conv2d(x, f as tf.Tensor4D, c.stride, c.pad), dy)))(w);
    return { values: dw.dataSync() as Float32Array, shape: dw.shape };
  });
}

describe('registerWasmTrainingKernels', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    registerWasmTrainingKernels();
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('is idempotent and leaves the kernel registered once', () => {
    const before = tf.getKernel('Conv2DBackpropFilter', 'wasm');
    registerWasmTrainingKernels();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBe(before);
    expect(before).toBeDefined();
  });

  it.each(cases.map((c, i) => [i, c] as const))(
    'Conv2DBackpropFilter matches the cpu backend (case %i)',
    (i, c) => {
      const cpu = filterGradient('cpu', c, 11 * i + 1);
      const wasm = filterGradient('wasm', c, 11 * i + 1);
      expect(wasm.shape).toEqual(c.filter);
      let maxDiff = 0;
      let scale = 0;
      for (let k = 0; k < cpu.values.length; k++) {
        maxDiff = Math.max(maxDiff, Math.abs(cpu.values[k] - wasm.values[k]));
        scale = Math.max(scale, Math.abs(cpu.values[k]));
      }
      expect(scale).toBeGreaterThan(0.1);
      expect(maxDiff).toBeLessThanOrEqual(1e-5 * Math.max(1, scale));
    },
  );
});
