// Shared by the training tests: a small U-Net-shaped stand-in model, its layer groups, synthetic samples.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { seededRandom } from '@myoseg/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  model as functionalModel,
  initializers,
  input,
  type LayersModel,
  layers,
  type SymbolicTensor,
} from '@tensorflow/tfjs-layers';
import ndarray from 'ndarray';
import { registerWasmTrainingKernels } from '../kernels/register-wasm';
import type { SegmentationSample } from './data';
import type { LayerGroups } from './layer-groups';

/**
 * A ResNet-U-Net-shaped stand-in: padded stem conv + BN + ReLU, max-pool, a second conv block, nearest
 * upsampling, a skip concat and a head with biases, softmax output; three layer groups like fastai's.
 */
export function standInUNet(
  options: { size?: number; channels?: number; classes?: number; seed?: number } = {},
): {
  model: LayersModel;
  groups: LayerGroups;
} {
  const { size = 32, channels = 3, classes = 2, seed = 1 } = options;
  let k = seed;
  const he = () => initializers.heNormal({ seed: k++ });
  const x = input({ shape: [size, size, channels] });
  const stem = [
    layers.zeroPadding2d({ padding: 1, name: 'stem.pad' }),
    layers.conv2d({ filters: 8, kernelSize: 3, useBias: false, name: 'stem.conv', kernelInitializer: he() }),
    layers.batchNormalization({ name: 'stem.bn' }),
    layers.activation({ activation: 'relu', name: 'stem.relu' }),
  ];
  const s = stem.reduce<SymbolicTensor>((t, l) => l.apply(t) as SymbolicTensor, x);
  const encoder = [
    layers.maxPooling2d({ poolSize: 2, name: 'enc.pool' }),
    layers.conv2d({
      filters: 16,
      kernelSize: 3,
      padding: 'same',
      useBias: false,
      name: 'enc.conv',
      kernelInitializer: he(),
    }),
    layers.batchNormalization({ name: 'enc.bn' }),
    layers.activation({ activation: 'relu', name: 'enc.relu' }),
  ];
  const e = encoder.reduce<SymbolicTensor>((t, l) => l.apply(t) as SymbolicTensor, s);
  const up = layers.upSampling2d({ size: [2, 2], name: 'dec.up' });
  const cat = layers.concatenate({ name: 'dec.cat' });
  const conv = layers.conv2d({
    filters: 8,
    kernelSize: 3,
    padding: 'same',
    activation: 'relu',
    name: 'dec.conv',
    kernelInitializer: he(),
  });
  const head = layers.conv2d({ filters: classes, kernelSize: 1, name: 'dec.head', kernelInitializer: he() });
  const softmax = layers.activation({ activation: 'softmax', name: 'dec.softmax' });
  const d = cat.apply([up.apply(e) as SymbolicTensor, s]) as SymbolicTensor;
  const out = softmax.apply(head.apply(conv.apply(d))) as SymbolicTensor;
  const model = functionalModel({ inputs: x, outputs: out });
  return { model, groups: [stem, encoder, [up, cat, conv, head, softmax]] };
}

/**
 * `n` synthetic slices `size × size`: a bright ring (label 1) around a mid-gray disc, on a dark noisy
 * background; centres, radii and thickness drawn from `seed`.
 */
export function ringSamples(n: number, size: number, seed: number): SegmentationSample[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const cy = size * (0.35 + 0.3 * random());
    const cx = size * (0.35 + 0.3 * random());
    const r = size * (0.15 + 0.1 * random());
    const t = size * (0.06 + 0.04 * random());
    const image = new Float32Array(size * size);
    const mask = new Uint8Array(size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const d = Math.hypot(y - cy, x - cx);
        const ring = d >= r && d < r + t;
        mask[y * size + x] = ring ? 1 : 0;
        image[y * size + x] = (ring ? 1 : d < r ? 0.5 : 0.1) + 0.1 * (random() - 0.5);
      }
    }
    return { image: ndarray(image, [size, size]), mask: ndarray(mask, [size, size]) };
  });
}

/** Selects a backend for a test file; `wasm` gets the training kernels it lacks. */
export async function useBackend(name: 'wasm' | 'cpu'): Promise<void> {
  registerWasmTrainingKernels();
  await tf.setBackend(name);
}

/** Copies of the current values of the named layer's weights. */
export function weightsOf(model: LayersModel, layer: string): Float32Array[] {
  return model
    .getLayer(layer)
    .getWeights()
    .map((w) => w.dataSync() as Float32Array);
}

/** The largest absolute difference of two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
