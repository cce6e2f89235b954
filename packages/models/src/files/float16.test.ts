import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { float16ModelFiles, toFloat16Bits } from './float16';
import { loadPipelineFiles, PIPELINE_MANIFEST, pipelineFolderFiles } from './pipeline-folder';
import { disposePipeline, memoryReader, tinyPipeline } from './test-support';

beforeAll(() => tf.setBackend('cpu'));

describe('toFloat16Bits', () => {
  it('gives IEEE half bits, rounded to nearest even (hand-worked values)', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.1, 0x2e66], // 0.0999755859375
      [1 / 3, 0x3555],
      [65504, 0x7bff], // the largest half
      [65519, 0x7bff], // rounds down
      [65520, 0x7c00], // rounds to ∞
      [1e9, 0x7c00],
      [2 ** -14, 0x0400], // the smallest normal
      [2 ** -24, 0x0001], // the smallest subnormal
      [2 ** -25, 0x0000], // halfway to 0: ties to even
      [3 * 2 ** -25, 0x0002], // halfway between 1 and 2 subnormal steps: to even
      [1 + 2 ** -11, 0x3c00], // halfway between 1 and 1+2⁻¹⁰: to even (1)
      [1 + 3 * 2 ** -11, 0x3c02], // halfway between 1+2⁻¹⁰ and 1+2⁻⁹: to even
      [2047 * 2 ** -11, 0x3bff], // just below 1, exact
      [Number.POSITIVE_INFINITY, 0x7c00],
      [Number.NEGATIVE_INFINITY, 0xfc00],
    ];
    const bits = toFloat16Bits(Float32Array.from(cases.map(([v]) => v)));
    cases.forEach(([v, expected], i) => {
      expect(bits[i].toString(16), String(v)).toBe(expected.toString(16));
    });
    expect(toFloat16Bits(Float32Array.of(Number.NaN))[0] & 0x7c00).toBe(0x7c00);
    expect(toFloat16Bits(Float32Array.of(Number.NaN))[0] & 0x3ff).not.toBe(0);
    expect(toFloat16Bits(new Float32Array(0))).toHaveLength(0);
  });
});

describe('float16 model folders', () => {
  it('halve the weights, and tfjs loads them back within float16 rounding', async () => {
    const trained = tinyPipeline();
    const full = await pipelineFolderFiles(trained);
    const half = await pipelineFolderFiles(trained, { weights: 'float16' });
    const bytes = (f: Record<string, Uint8Array | string>, k: string) => (f[k] as Uint8Array).byteLength;
    for (const k of ['localizer/weights.bin', 'segmenter/weights.bin'])
      expect(bytes(half, k)).toBe(bytes(full, k) / 2);
    for (const k of ['localizer.onnx', 'segmenter.onnx'])
      expect(bytes(half, k)).toBeLessThan(0.6 * bytes(full, k));
    expect(JSON.parse(half[PIPELINE_MANIFEST] as string).files['localizer/weights.bin']).toMatch(
      /^[0-9a-f]{64}$/,
    );

    const loaded = await loadPipelineFiles(memoryReader(half));
    const original = trained.localizerModel.getWeights();
    loaded.localizerModel.getWeights().forEach((w, i) => {
      const a = original[i].dataSync();
      const b = w.dataSync();
      const scale = Math.max(1e-3, ...Array.from(a, Math.abs));
      for (let k = 0; k < a.length; k++) expect(Math.abs(a[k] - b[k])).toBeLessThanOrEqual(scale * 2 ** -10);
    });
    loaded.dispose();
    disposePipeline(trained);
  });

  it('leaves non-float32 weights and an empty model alone', () => {
    const json = JSON.stringify({
      modelTopology: {},
      weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'i', shape: [2], dtype: 'int32' }] }],
    });
    const ints = new Uint8Array(Int32Array.of(7, -3).buffer);
    const out = float16ModelFiles(json, ints);
    expect(Array.from(new Int32Array(out.weights.buffer))).toEqual([7, -3]);
    expect(JSON.parse(out.json).weightsManifest[0].weights[0].quantization).toBeUndefined();
  });
});
