import type * as tf from '@tensorflow/tfjs-core';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * IEEE 754 half-precision bits of each value, rounded to nearest, ties to even (as numpy's `astype(float16)`):
 * beyond ±65504 gives ±∞, NaN stays NaN, values below 2⁻²⁴ flush to ±0 through the subnormals.
 *
 * @returns one `uint16` per value; empty for an empty input.
 */
export function toFloat16Bits(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    f32[0] = values[i];
    const x = u32[0];
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    const mant = x & 0x7fffff;
    if (exp === 0xff) {
      out[i] = sign | 0x7c00 | (mant ? 0x200 : 0);
      continue;
    }
    const e = exp - 127 + 15;
    if (e >= 0x1f) {
      out[i] = sign | 0x7c00;
      continue;
    }
    // normal halves keep 10 of the 23 mantissa bits; subnormals (e ≤ 0) shift the implicit 1 in
    const shift = e > 0 ? 13 : 14 - e;
    if (shift > 24) {
      out[i] = sign;
      continue;
    }
    const m = e > 0 ? mant : mant | 0x800000;
    let half = (e > 0 ? e << 10 : 0) | (m >>> shift);
    const rest = m & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++; // a carry may reach the exponent: right
    out[i] = sign | half;
  }
  return out;
}

/**
 * A tfjs model's files (`model.json` + `weights.bin`, as `modelFiles` writes them) with every float32 weight
 * stored as float16 (tfjs' `quantization: { dtype: 'float16' }`, which its loaders expand back to float32): half
 * the bytes, at a relative rounding error of at most 2⁻¹¹ per weight.
 *
 * @param modelJson - the `model.json` text; @param weights - its `weights.bin`.
 * @returns the new `model.json` text and `weights.bin` bytes.
 */
export function float16ModelFiles(
  modelJson: string,
  weights: Uint8Array,
): { json: string; weights: Uint8Array } {
  const json = JSON.parse(modelJson) as tf.io.ModelJSON;
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const parts: Uint8Array[] = [];
  let offset = 0;
  const newSpecs = specs.map((spec) => {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const size = spec.dtype === 'float32' || spec.dtype === 'int32' ? 4 * n : n;
    const bytes = weights.slice(offset, offset + size);
    offset += size;
    if (spec.dtype !== 'float32' || spec.quantization) {
      parts.push(bytes);
      return spec;
    }
    const bits = toFloat16Bits(new Float32Array(bytes.buffer, 0, n));
    parts.push(new Uint8Array(bits.buffer));
    return { ...spec, quantization: { dtype: 'float16' as const } };
  });
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  json.weightsManifest = [{ paths: json.weightsManifest[0]?.paths ?? ['weights.bin'], weights: newSpecs }];
  return { json: JSON.stringify(json), weights: out };
}
