import '@tensorflow/tfjs-backend-cpu';
import { seededRandom } from '@myoseg/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveAndLoad } from '../../test/fixtures/helpers';
import { buildResNetEncoder } from '../architecture/resnet-encoder';
import { buildUNet, type UNetOptions } from '../architecture/unet';
import { convertModel } from './convert-model';
import { OnnxExportError } from './errors';
import { exportOnnx } from './export-onnx';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * Gives every BatchNormalization non-trivial statistics (γ, β, μ, σ² drawn from `seed`), so that folding shows.
 * γ < 1 keeps activations O(1) as in a trained network (torchvision's init grows them ×1000 over 34 layers).
 */
function randomizeBatchNorm(model: tfl.LayersModel, seed: number): void {
  const random = seededRandom(seed);
  const draw = (n: number, lo: number, hi: number) =>
    tf.tensor1d(Float32Array.from({ length: n }, () => lo + (hi - lo) * random()));
  for (const layer of model.layers.filter((l) => l.getClassName() === 'BatchNormalization')) {
    const n = layer.getWeights()[0].shape[0];
    const values = [draw(n, 0.2, 0.6), draw(n, -0.3, 0.3), draw(n, -0.3, 0.3), draw(n, 0.5, 2)];
    layer.setWeights(values);
    tf.dispose(values);
  }
}

/** A seeded `[n, h, w, c]` normal input. */
const randomInput = (shape: number[], seed: number): Float32Array =>
  tf.tidy(() => tf.randomNormal(shape, 0, 1, 'float32', seed).dataSync() as Float32Array);

/** Every output of `model` on `x`, from tfjs (cpu backend) and from onnxruntime-node on the exported bytes. */
async function bothOutputs(
  model: tfl.LayersModel,
  bytes: Uint8Array,
  x: Float32Array,
  shape: number[],
): Promise<{ tfjs: Float32Array[]; onnx: Float32Array[]; dims: number[][] }> {
  const tfjs = tf.tidy(() => {
    const y = model.predict(tf.tensor(x, shape));
    return (Array.isArray(y) ? y : [y]).map((t) => t.dataSync() as Float32Array);
  });
  const session = await ort.InferenceSession.create(bytes);
  const results = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, shape) });
  const outputs = session.outputNames.map((n) => results[n]);
  await session.release();
  return {
    tfjs,
    onnx: outputs.map((t) => t.data as Float32Array),
    dims: outputs.map((t) => [...t.dims]),
  };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

const unet = (inputShape: [number, number, number], extra: Partial<UNetOptions>) => {
  const model = buildUNet({
    encoder: 'resnet18',
    inputShape,
    numClasses: 2,
    widthMultiplier: 0.125,
    ...extra,
  });
  randomizeBatchNorm(model, 7);
  return model;
};

describe('exportOnnx: onnxruntime-node reproduces the tfjs U-Net', () => {
  it.each([
    ['resnet34', 'pixelshuffle', [250, 250, 1], 2],
    ['resnet18', 'nearest', [250, 250, 3], 4],
    ['resnet18', 'pixelshuffle', [60, 60, 3], 4],
    ['resnet34', 'nearest', [60, 60, 1], 2],
    ['resnet34', 'pixelshuffle', [37, 53, 1], 4],
    ['resnet18', 'nearest', [37, 53, 3], 2],
  ] as const)(
    '%s encoder, %s upsampling, input %j, %i classes: max |Δp| ≤ 1e-4, NHWC, any batch',
    async (encoder, upsample, inputShape, numClasses) => {
      const [h, w, c] = inputShape;
      const model = unet([h, w, c], { encoder, numClasses, decoder: { upsample } });
      const bytes = exportOnnx(model);
      for (const batch of [2, 1]) {
        const shape = [batch, h, w, c];
        const { tfjs, onnx, dims } = await bothOutputs(model, bytes, randomInput(shape, batch), shape);
        expect(dims).toEqual([[batch, h, w, numClasses]]);
        expect(maxAbsDiff(tfjs[0], onnx[0])).toBeLessThanOrEqual(1e-4);
      }
      model.dispose();
    },
  );

  it('gives the same outputs with BatchNorm folded or not, and folds every conv-following BatchNorm', async () => {
    const model = unet([60, 60, 1], { decoder: { lastCross: false } });
    const shape = [1, 60, 60, 1];
    const x = randomInput(shape, 3);
    for (const foldBatchNorm of [true, false]) {
      const { tfjs, onnx } = await bothOutputs(model, exportOnnx(model, { foldBatchNorm }), x, shape);
      expect(maxAbsDiff(tfjs[0], onnx[0])).toBeLessThanOrEqual(1e-4);
    }
    const count = (ops: string[], op: string) => ops.filter((o) => o === op).length;
    const folded = convertModel(model, 'u', true).nodes.map((n) => n.opType);
    const unfolded = convertModel(model, 'u', false).nodes.map((n) => n.opType);
    const bn = model.layers.filter((l) => l.getClassName() === 'BatchNormalization').length;
    // only decoder.bn and the four skip BatchNorms (decoder.blocks.i.bn) read something else than a conv
    expect(count(folded, 'BatchNormalization')).toBe(5);
    expect(count(unfolded, 'BatchNormalization')).toBe(bn);
    // convs with ≤ 2×2 outputs (layer4 and the middle at 60²) become a GEMM over an im2col, each with its pad
    // and a transpose to NHWC and back
    const tiny = model.layers.filter((l) => {
      const [, h, w] = (l.output as tfl.SymbolicTensor).shape as number[];
      return l.getClassName() === 'Conv2D' && h * w <= 4;
    });
    expect(tiny.length).toBeGreaterThan(4);
    expect(count(folded, 'Gemm')).toBe(tiny.length);
    // the other stride-2 convs' ZeroPadding2D become conv pads; maxpool.pad stays a Pad (MaxPool pads with −∞)
    const nodes = convertModel(model, 'u', true).nodes;
    expect(nodes.filter((n) => n.opType === 'Pad' && !n.name.endsWith(':pad')).map((n) => n.name)).toEqual([
      'maxpool.pad',
    ]);
    expect(count(folded, 'Transpose')).toBe(2 + 2 * tiny.length);
    model.dispose();
  });

  it('pads the last cross (decoder channels + the image) to a multiple of 8 with zero channels, outputs equal', async () => {
    const model = unet([37, 53, 3], { widthMultiplier: 0.75 }); // 72 + 3 = 75 channels → 80 (full width: 99 → 104)
    const shape = [2, 37, 53, 3];
    const { tfjs, onnx } = await bothOutputs(model, exportOnnx(model), randomInput(shape, 4), shape);
    expect(maxAbsDiff(tfjs[0], onnx[0])).toBeLessThanOrEqual(1e-4);
    const graph = convertModel(model, 'u', true);
    const dims = (name: string) => graph.initializers.find((t) => t.name === name)?.dims;
    expect(dims('decoder.cross.conv1.weight')).toEqual([80, 80, 3, 3]);
    expect(dims('decoder.cross.conv2.weight')).toEqual([80, 80, 3, 3]);
    expect(dims('head.conv.weight')).toEqual([2, 80, 1, 1]);
    expect(graph.nodes.filter((n) => n.opType === 'Pad' && n.name.endsWith(':zeros'))).toHaveLength(1);
    model.dispose();
  }, 30_000);

  it('exports a saved-and-loaded U-Net the same as the original', async () => {
    const model = unet([37, 53, 1], {});
    const loaded = await saveAndLoad(model);
    expect(Buffer.from(exportOnnx(loaded)).equals(exportOnnx(model))).toBe(true);
    model.dispose();
    loaded.dispose();
  });

  it('leaves no tensor behind', () => {
    const model = unet([37, 53, 1], {});
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) exportOnnx(model);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('exportOnnx: other graphs', () => {
  it('exports the ResNet encoder with its five NHWC feature maps', async () => {
    const model = buildResNetEncoder({ depth: 34, inputShape: [37, 53, 3], widthMultiplier: 0.125, seed: 2 });
    randomizeBatchNorm(model, 5);
    const shape = [2, 37, 53, 3];
    const { tfjs, onnx, dims } = await bothOutputs(model, exportOnnx(model), randomInput(shape, 4), shape);
    expect(dims).toEqual(model.outputs.map((t) => [2, ...t.shape.slice(1)]));
    tfjs.forEach((y, i) => {
      const scale = Math.max(1, ...y.map(Math.abs));
      expect(maxAbsDiff(y, onnx[i]) / scale).toBeLessThanOrEqual(1e-5);
    });
    model.dispose();
  });

  it('runs convs with at most 2×2 outputs as a GEMM: strided, asymmetric same padding, 1×1, softmax', async () => {
    const x = tfl.input({ shape: [4, 3, 5], name: 'image' });
    const strided = tfl.layers
      .conv2d({ filters: 7, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'a' })
      .apply(x) as tfl.SymbolicTensor; // 2×2, TensorFlow pads 0 above, 1 below, 1 left, 1 right
    const valid = tfl.layers
      .conv2d({ filters: 6, kernelSize: [2, 1], padding: 'valid', name: 'b' })
      .apply(strided) as tfl.SymbolicTensor; // 1×2
    const pointwise = tfl.layers
      .conv2d({ filters: 3, kernelSize: 1, activation: 'softmax', name: 'c' })
      .apply(valid) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: x, outputs: [strided, pointwise] });
    const bytes = exportOnnx(model);
    const graph = convertModel(model, 'g', true);
    expect(graph.nodes.filter((n) => n.opType === 'Gemm')).toHaveLength(3);
    // every name is defined once (onnxruntime only warns about a duplicate initializer, and takes the last)
    const defined = [...graph.initializers.map((t) => t.name), ...graph.nodes.flatMap((n) => n.outputs)];
    expect(new Set(defined).size).toBe(defined.length);
    const shape = [5, 4, 3, 5];
    const { tfjs, onnx, dims } = await bothOutputs(model, bytes, randomInput(shape, 8), shape);
    expect(dims).toEqual([
      [5, 2, 2, 7],
      [5, 1, 2, 3],
    ]);
    expect(tfjs.map((y, i) => maxAbsDiff(y, onnx[i])).every((d) => d <= 1e-6)).toBe(true);
    model.dispose();
  });

  it("writes TensorFlow's asymmetric 'same' padding for strided convs and pools on odd sizes", async () => {
    const x = tfl.input({ shape: [7, 9, 2], name: 'image' });
    const conv = tfl.layers
      .conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid', name: 'c' })
      .apply(x) as tfl.SymbolicTensor;
    const pool = tfl.layers
      .maxPooling2d({ poolSize: 2, strides: 2, padding: 'same', name: 'p' })
      .apply(conv) as tfl.SymbolicTensor;
    const act = tfl.layers.activation({ activation: 'softmax', name: 's' }).apply(pool) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: x, outputs: [conv, act] });
    const shape = [3, 7, 9, 2];
    const { tfjs, onnx, dims } = await bothOutputs(model, exportOnnx(model), randomInput(shape, 6), shape);
    expect(dims).toEqual([
      [3, 4, 5, 3],
      [3, 2, 3, 3],
    ]);
    expect(tfjs.map((y, i) => maxAbsDiff(y, onnx[i])).every((d) => d <= 1e-6)).toBe(true);
    model.dispose();
  });
});

describe('exportOnnx: errors', () => {
  it('names an unsupported layer and its class', () => {
    const x = tfl.input({ shape: [8, 8, 1] });
    const conv = tfl.layers.conv2d({ filters: 2, kernelSize: 3, name: 'features' }).apply(x);
    const flat = tfl.layers.flatten({ name: 'flat' }).apply(conv);
    const model = tfl.model({ inputs: x, outputs: flat as tfl.SymbolicTensor });
    expect(() => exportOnnx(model)).toThrow(OnnxExportError);
    expect(() => exportOnnx(model)).toThrow(/layer 'flat' \(Flatten\): class not supported/);
    model.dispose();
  });

  it('names an unsupported setting of a supported layer', () => {
    const x = tfl.input({ shape: [8, 8, 1] });
    const up = tfl.layers.upSampling2d({ size: [2, 2], interpolation: 'bilinear', name: 'up' }).apply(x);
    const model = tfl.model({ inputs: x, outputs: up as tfl.SymbolicTensor });
    expect(() => exportOnnx(model)).toThrow(/layer 'up' \(UpSampling2D\): only 'nearest' interpolation/);
    model.dispose();
  });

  it('rejects a non-model and bad options by name', () => {
    expect(() => exportOnnx({} as tfl.LayersModel)).toThrow(/model must be a tfjs LayersModel/);
    const model = unet([8, 8, 1], {});
    expect(() => exportOnnx(model, { foldBatchNorm: 'yes' as never })).toThrow(/options.foldBatchNorm/);
    model.dispose();
  });
});
