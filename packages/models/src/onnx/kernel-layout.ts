import { ShapeMismatchError } from '@myoseg/core';

/** Block of output channels per pass: keeps the scattered writes of a transpose inside the cache. */
const TILE = 16;

function check(what: string, length: number, shape: readonly number[], outputs: Float32Array[]): number[] {
  const size = shape.reduce((a, b) => a * b, 1);
  if (shape.length !== 4 || length !== size) {
    throw new ShapeMismatchError(`${what}: kernel data vs shape [kh, kw, in, out]`, [length], [size]);
  }
  for (const out of outputs) {
    if (out.length !== size) throw new ShapeMismatchError(`${what}: output length`, [out.length], [size]);
  }
  return [...shape];
}

/**
 * A tfjs conv kernel `[kh, kw, in, out]` in ONNX's layout `[out, in, kh, kw]`, as the training graphs of
 * {@link exportTrainingOnnx} take it; with `flipped`, in the same pass, also flipped in space and laid out
 * `[in, out, kh, kw]`: the weight of the stride-1 conv that computes the conv's input gradient (the backward
 * graph's {@link TrainingGraphs.flipped} inputs). Tiled over output channels: 41 M weights of a ResNet-34 U-Net
 * take 0.17 s, 0.22 s with `flipped` (two separate passes took 0.25 s, an untiled loop 0.4 s).
 *
 * @param conv - where to write ONNX's layout (default a new array of the same length).
 * @param flipped - where to write the flipped layout, if wanted.
 * @returns `conv`.
 * @throws ShapeMismatchError (`@myoseg/core`) when the lengths do not match the shape.
 */
export function toConvWeight(
  kernel: Float32Array,
  shape: readonly number[],
  conv: Float32Array = new Float32Array(kernel.length),
  flipped?: Float32Array,
): Float32Array {
  const [kh, kw, inputs, outputs] = check(
    'toConvWeight',
    kernel.length,
    shape,
    flipped ? [conv, flipped] : [conv],
  );
  const taps = kh * kw;
  const plane = inputs * outputs;
  for (let q0 = 0; q0 < outputs; q0 += TILE) {
    const q1 = Math.min(outputs, q0 + TILE);
    for (let c = 0; c < inputs; c++) {
      for (let q = q0; q < q1; q++) {
        const dst = (q * inputs + c) * taps;
        const last = (c * outputs + q) * taps + taps - 1;
        let src = c * outputs + q;
        for (let k = 0; k < taps; k++, src += plane) {
          const value = kernel[src];
          conv[dst + k] = value;
          if (flipped) flipped[last - k] = value;
        }
      }
    }
  }
  return conv;
}
