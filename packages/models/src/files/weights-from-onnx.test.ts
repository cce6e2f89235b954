import '@tensorflow/tfjs-backend-cpu';
import { seededRandom } from '@myoseg/core';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import ndarray from 'ndarray';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeModel } from '../onnx/onnx-decode';
import { ModelFolderError } from './errors';
import { loadPipelineFiles, PIPELINE_MANIFEST, pipelineFolderFiles } from './pipeline-folder';
import { disposePipeline, memoryReader, tinyPipeline } from './test-support';
import { weightsFromOnnx } from './weights-from-onnx';

beforeAll(() => tf.setBackend('cpu'));

/**
 * Gives every weight of a model seeded random values, BatchNormalization statistics included (variances > 0),
 * so that folding them into the convs is not the identity it is in a fresh network.
 */
function randomize(model: tfl.LayersModel, seed: number): void {
  const random = seededRandom(seed);
  for (const layer of model.layers) {
    const weights = layer.getWeights();
    if (weights.length === 0) continue;
    const isBn = layer.getClassName() === 'BatchNormalization';
    // getWeights gives the variables' own tensors: only the new values are freed
    const values = weights.map((w, i) => {
      const positive = isBn && (i === 0 || i === weights.length - 1); // γ and the variance
      return tf.tensor(
        Float32Array.from({ length: w.size }, () => (positive ? 0.5 + random() : 0.4 * (random() - 0.5))),
        w.shape,
      );
    });
    layer.setWeights(values);
    for (const v of values) v.dispose();
  }
}

const image = (size: number) =>
  ndarray(
    Float32Array.from({ length: size * size }, (_, i) => Math.sin(i / 7) + 0.3 * Math.cos(i / 3)),
    [size, size],
  );

/** Largest absolute difference between the two pipelines' localizer and segmenter probabilities. */
async function largestDifference(
  a: Awaited<ReturnType<typeof loadPipelineFiles>>['pipeline'],
  b: Awaited<ReturnType<typeof loadPipelineFiles>>['pipeline'],
): Promise<number> {
  let largest = 0;
  for (const [stage, size] of [
    ['localizer', 32],
    ['cropSegmenter', 24],
  ] as const) {
    const [x] = await a[stage].predict([image(size)]);
    const [y] = await b[stage].predict([image(size)]);
    for (let k = 0; k < x.data.length; k++) largest = Math.max(largest, Math.abs(x.data[k] - y.data[k]));
  }
  return largest;
}

describe("a folder whose tfjs networks read their weights from the ONNX files (tfjsWeights: 'from-onnx')", () => {
  it('stores no weights.bin, marks the manifest, and loads to the same probabilities', async () => {
    const trained = tinyPipeline(1 / 4);
    randomize(trained.localizerModel, 1);
    randomize(trained.segmenterModel, 2);
    const files = await pipelineFolderFiles(trained, { tfjsWeights: 'from-onnx' });
    expect(Object.keys(files).sort()).toEqual([
      'localizer.onnx',
      'localizer/model.json',
      'myoseg.json',
      'segmenter.onnx',
      'segmenter/model.json',
    ]);
    expect(JSON.parse(files[PIPELINE_MANIFEST] as string).onnx.tfjsWeights).toBe('from-onnx');
    // the export's forms are all here: Conv weights with padded channels, GEMM weights of tiny maps,
    // BatchNormalizations folded into convs and one kept (the encoder's last, after a relu)
    const kernels = new Map(
      trained.localizerModel.layers
        .filter((l) => l.getClassName() === 'Conv2D')
        .map((l) => [`${l.name}.weight`, l.getWeights()[0].shape]),
    );
    const inits = decodeModel(files['localizer.onnx'] as Uint8Array).graph.initializers;
    const weights = inits.filter((t) => kernels.has(t.name));
    expect(weights.some((t) => t.dims.length === 2)).toBe(true);
    expect(weights.some((t) => t.dims.length === 4 && t.dims[0] > (kernels.get(t.name)?.[3] ?? 0))).toBe(
      true,
    );
    const norms = trained.localizerModel.layers.filter((l) => l.getClassName() === 'BatchNormalization');
    const kept = inits.filter((t) => t.name.endsWith('.running_mean')).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(norms.length);
    const separate = await pipelineFolderFiles(trained);
    const size = (f: Record<string, Uint8Array | string>) =>
      Object.values(f).reduce((n, v) => n + (typeof v === 'string' ? v.length : v.byteLength), 0);
    expect(size(files)).toBeLessThan(0.6 * size(separate));

    const loaded = await loadPipelineFiles(memoryReader(files), { where: 'mem' });
    const numTensors = tf.memory().numTensors;
    // BatchNormalization folded into the convs: the same function up to float32 rounding (random weights make
    // large activations: 2e-4 measured; a wrong or transposed weight moves probabilities by tenths)
    expect(await largestDifference(loaded.pipeline, trained.pipeline)).toBeLessThan(1e-3);
    expect(tf.memory().numTensors).toBe(numTensors);
    loaded.dispose();
    disposePipeline(trained);
  });

  it('loads float16 folders within float16 rounding of the separate weights', async () => {
    const trained = tinyPipeline();
    randomize(trained.localizerModel, 3);
    randomize(trained.segmenterModel, 4);
    const shared = await loadPipelineFiles(
      memoryReader(await pipelineFolderFiles(trained, { tfjsWeights: 'from-onnx', weights: 'float16' })),
    );
    const separate = await loadPipelineFiles(
      memoryReader(await pipelineFolderFiles(trained, { weights: 'float16' })),
    );
    const difference = await largestDifference(shared.pipeline, separate.pipeline);
    expect(difference).toBeGreaterThan(0);
    expect(difference).toBeLessThan(0.02);
    shared.dispose();
    separate.dispose();
    disposePipeline(trained);
  });

  it('needs the ONNX files', async () => {
    const trained = tinyPipeline();
    await expect(pipelineFolderFiles(trained, { onnx: false, tfjsWeights: 'from-onnx' })).rejects.toThrow(
      /needs the ONNX files/,
    );
    disposePipeline(trained);
  });
});

describe('weightsFromOnnx', () => {
  it("names the file and the weight when the ONNX file is another network's", async () => {
    const trained = tinyPipeline();
    const files = await pipelineFolderFiles(trained);
    const json = JSON.parse(files['localizer/model.json'] as string);
    const onnx = files['segmenter.onnx'] as Uint8Array;
    const specs = json.weightsManifest[0].weights;
    // same layers at another input size: the weights fit, so the ONNX file of a wider network is the mismatch
    expect(() => weightsFromOnnx(json.modelTopology, specs, onnx, 'x/segmenter.onnx')).not.toThrow();
    const wider = [{ ...specs[0], shape: [7, 7, 1, 64] }, ...specs.slice(1)];
    expect(() => weightsFromOnnx(json.modelTopology, wider, onnx, 'x/segmenter.onnx')).toThrow(
      ModelFolderError,
    );
    expect(() => weightsFromOnnx(json.modelTopology, wider, onnx, 'x/segmenter.onnx')).toThrow(
      /x\/segmenter\.onnx: 'conv1\.weight' is \[.*\], which cannot hold the model's \[7, 7, 1, 64\] kernel/,
    );
    const unknown = [...specs, { name: 'extra/kernel', shape: [1, 1, 1, 1], dtype: 'float32' }];
    expect(() => weightsFromOnnx(json.modelTopology, unknown, onnx, 'x/segmenter.onnx')).toThrow(
      "x/segmenter.onnx: has no initializer 'extra.weight' (extra/kernel)",
    );
    // a normalization the topology does not hold either
    const stray = [...specs, { name: 'stray/gamma', shape: [4], dtype: 'float32' }];
    expect(() => weightsFromOnnx(json.modelTopology, stray, onnx, 'x/segmenter.onnx')).toThrow(
      "x/segmenter.onnx: has no initializer 'stray.weight' (stray/gamma)",
    );
    disposePipeline(trained);
  });
});
