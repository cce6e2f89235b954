import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { simdAdamW, type WasmMemory } from './adamw-simd';
import { heapFloat32 } from './wasm-heap';

/** Name of the fused AdamW kernel: one pass over a variable, its gradient and its moments. */
export const ADAMW_STEP = 'MyosegAdamWStep';

/** The scalars of one {@link ADAMW_STEP}: `AdamW`'s formulas with the step's constants. */
export interface AdamWStepAttrs extends NamedAttrMap {
  lr: number;
  /** Adam's β1. */
  mom: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** `1 − β1^t`. */
  debias1: number;
  /** `1 − β2^t`. */
  debias2: number;
}

/** The arrays of one step: inputs `p, g, m, v`, outputs `p2, m2, v2` (all the same length; outputs may be inputs). */
export interface AdamWStepArrays {
  p: Float32Array;
  g: Float32Array;
  m: Float32Array;
  v: Float32Array;
  p2: Float32Array;
  m2: Float32Array;
  v2: Float32Array;
}

/** The factors of a step, as both {@link adamwStep} and the SIMD function take them. */
function stepConstants({ lr, mom, beta2, eps, weightDecay, debias1, debias2 }: AdamWStepAttrs) {
  return {
    mom,
    beta2,
    eps,
    keep: 1 - lr * weightDecay,
    rate: lr / debias1,
    oneMinusMom: 1 - mom,
    oneMinusBeta2: 1 - beta2,
    inverseDebias2: 1 / debias2,
  };
}

/**
 * AdamW's update in one pass (`AdamW` of `@myoseg/models` as a chain of tfjs ops makes 14 full passes, each one
 * memory-bound): `m2 = β1·m + (1 − β1)·g`, `v2 = β2·v + (1 − β2)·g²`,
 * `p2 = p·(1 − lr·wd) − lr/debias1 · m2 / (√(v2/debias2) + eps)`, in float64, rounded to float32 where stored
 * (the square root makes it ~6 ns per weight in V8).
 */
export function adamwStep(a: AdamWStepArrays, attrs: AdamWStepAttrs): void {
  const { p, g, m, v, p2, m2, v2 } = a;
  const { mom, beta2, eps, keep, rate, oneMinusMom, oneMinusBeta2, inverseDebias2 } = stepConstants(attrs);
  for (let i = 0; i < p.length; i++) {
    const gi = g[i];
    const mi = mom * m[i] + oneMinusMom * gi;
    const vi = beta2 * v[i] + oneMinusBeta2 * gi * gi;
    m2[i] = mi;
    v2[i] = vi;
    p2[i] = p[i] * keep - (rate * mi) / (Math.sqrt(vi * inverseDebias2) + eps);
  }
}

/**
 * {@link ADAMW_STEP} on tfjs-backend-wasm: inputs `variable, gradient, gradAvg, sqrAvg` (float32, one shape),
 * outputs the new variable, gradAvg and sqrAvg, computed in the wasm heap in place of 14 op kernels: by the SIMD
 * function of `adamw-simd.ts` where the runtime has WebAssembly SIMD, else by {@link adamwStep}.
 */
export function adamwStepWasm(args: {
  inputs: { variable: TensorInfo; gradient: TensorInfo; gradAvg: TensorInfo; sqrAvg: TensorInfo };
  backend: BackendWasm;
  attrs: AdamWStepAttrs;
}): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { variable, gradient, gradAvg, sqrAvg } = inputs;
  const outputs = [variable, gradAvg, sqrAvg].map((t) => backend.makeOutput(t.shape, 'float32'));
  // after the last allocation: a heap that grew detached any earlier view
  const { heap, at } = heapFloat32(backend, variable, gradient, gradAvg, sqrAvg, ...outputs);
  const n = variable.shape.reduce((x, y) => x * y, 1);
  const memory = (backend.wasm as unknown as { asm?: { memory?: WasmMemory } }).asm?.memory;
  const simd = memory?.buffer === heap.buffer ? simdAdamW(memory) : null;
  // SIMD over whole groups of four, JS for the rest
  const done = simd ? n - (n % 4) : 0;
  if (simd && done > 0) {
    const c = stepConstants(attrs);
    const [p, g, m, v, p2, m2, v2] = at.map((offset) => offset * 4);
    simd(
      p,
      g,
      m,
      v,
      p2,
      m2,
      v2,
      done,
      c.keep,
      c.rate,
      c.mom,
      c.oneMinusMom,
      c.beta2,
      c.oneMinusBeta2,
      c.inverseDebias2,
      c.eps,
    );
  }
  const [p, g, m, v, p2, m2, v2] = at.map((offset) => heap.subarray(offset + done, offset + n));
  adamwStep({ p, g, m, v, p2, m2, v2 }, attrs);
  return outputs;
}
