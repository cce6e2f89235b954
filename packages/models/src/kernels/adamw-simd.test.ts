import { describe, expect, it } from 'vitest';
import { simdAdamW, type WasmMemory } from './adamw-simd';

/** A fresh WebAssembly memory of one page (the package's types have no DOM `WebAssembly.Memory`). */
const newMemory = (): WasmMemory => {
  const { Memory } = (
    globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number }) => WasmMemory } }
  ).WebAssembly;
  return new Memory({ initial: 1 });
};

/** AdamW's formulas in float64, one weight. */
function reference(p: number, g: number, m: number, v: number, a: Record<string, number>) {
  const m2 = a.mom * m + (1 - a.mom) * g;
  const v2 = a.beta2 * v + (1 - a.beta2) * g * g;
  const p2 = p * (1 - a.lr * a.wd) - ((a.lr / a.debias1) * m2) / (Math.sqrt(v2 / a.debias2) + a.eps);
  return [p2, m2, v2];
}

describe('simdAdamW', () => {
  it('updates in place in an imported memory, as the formulas say, four weights at a time', () => {
    const memory = newMemory();
    const adamw = simdAdamW(memory);
    expect(adamw).toBeTypeOf('function'); // Node has WebAssembly SIMD: the fast path must not silently fall back
    const n = 1000;
    const heap = new Float32Array(memory.buffer);
    for (let i = 0; i < 4 * n; i++) heap[i] = Math.sin(i * 0.37);
    for (let i = 3 * n; i < 4 * n; i++) heap[i] = Math.abs(heap[i]); // v ≥ 0
    heap.fill(-7, 7 * n, 7 * n + 4); // past the last output: must stay
    const a = {
      lr: 0.01,
      mom: 0.9,
      beta2: 0.99,
      eps: 1e-5,
      wd: 0.1,
      debias1: 1 - 0.9 ** 3,
      debias2: 1 - 0.99 ** 3,
    };
    const bytes = (k: number) => 4 * k * n;
    adamw?.(
      ...([0, 1, 2, 3, 4, 5, 6].map(bytes) as [number, number, number, number, number, number, number]),
      n,
      1 - a.lr * a.wd,
      a.lr / a.debias1,
      a.mom,
      1 - a.mom,
      a.beta2,
      1 - a.beta2,
      1 / a.debias2,
      a.eps,
    );
    for (let i = 0; i < n; i++) {
      const want = reference(heap[i], heap[n + i], heap[2 * n + i], heap[3 * n + i], a);
      want.forEach((w, k) => {
        expect(Math.abs(heap[(4 + k) * n + i] - w)).toBeLessThan(1e-6 * Math.max(1, Math.abs(w)));
      });
    }
    expect(Array.from(heap.subarray(7 * n, 7 * n + 4))).toEqual([-7, -7, -7, -7]);
  });

  it('makes one function per memory', () => {
    const memory = newMemory();
    expect(simdAdamW(memory)).toBe(simdAdamW(memory));
  });
});
