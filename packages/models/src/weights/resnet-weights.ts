import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ModelConfigError } from '../architecture/errors';
import { WeightMismatchError, type WeightShapeMismatch } from './errors';
import { parseSafetensors, SAFETENSORS_FLOAT_DTYPES, safetensorsToFloat32 } from './safetensors';

/**
 * Whose state-dict names a weight file uses. timm's `ResNet` keeps torchvision's module names for the
 * plain 7×7-stem ResNets (`conv1`, `bn1`, `layerN.i.conv1/bn1/conv2/bn2/downsample.0/downsample.1`, `fc`), so
 * both map one to one; timm's deep-stem variants (`resnet34d`: `conv1.0`…) are not these networks and are
 * reported as missing and unexpected tensors.
 */
export type ResNetWeightFormat = 'torchvision' | 'timm';

/** Options of {@link loadResNetWeights}. */
export interface LoadResNetWeightsOptions {
  /** The file's naming: `'torchvision'` (a converted `torchvision.models.resnet34` state dict) or `'timm'`. */
  format: ResNetWeightFormat;
  /** Names the file in error messages (default `'weights'`). */
  source?: string;
}

/** What {@link loadResNetWeights} did. */
export interface ResNetWeightsReport {
  /** How many tensors of the file went into the model. */
  readonly loaded: number;
  /** Tensors of the file left out on purpose: the classifier (`fc.*`) and `num_batches_tracked`. */
  readonly ignored: readonly string[];
}

const CONV = /^(conv1|layer\d+\.\d+\.(conv\d+|downsample\.0))$/;
const BATCH_NORM = /^(bn1|layer\d+\.\d+\.(bn\d+|downsample\.1))$/;
const IGNORED = /^fc\.|\.num_batches_tracked$/;
/** tfjs BatchNormalization weights in order, and the state-dict suffix of each. */
const BATCH_NORM_SUFFIXES = ['weight', 'bias', 'running_mean', 'running_var'];

/** PyTorch `[out, in, kh, kw]` → tfjs `[kh, kw, in, out]`. */
function oihwToHwio(src: Float32Array, [o, i, kh, kw]: readonly number[]): Float32Array {
  const dst = new Float32Array(src.length);
  for (let a = 0; a < o; a++)
    for (let b = 0; b < i; b++)
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++)
          dst[((y * kw + x) * i + b) * o + a] = src[((a * i + b) * kh + y) * kw + x];
  return dst;
}

/**
 * fastai's `_load_pretrained_weights` for a first conv with `n` ≠ 3 input channels, on `[out, 3, kh, kw]`
 * weights: `n = 1` sums the RGB weights, `n = 2` keeps the first two × 1.5, `n > 3` keeps the three and zeros
 * the rest. Returns `[out, n, kh, kw]`.
 */
function adaptInputChannels(src: Float32Array, [o, , kh, kw]: readonly number[], n: number): Float32Array {
  const k = kh * kw;
  const dst = new Float32Array(o * n * k);
  for (let a = 0; a < o; a++)
    for (let p = 0; p < k; p++) {
      const rgb = [0, 1, 2].map((c) => src[(a * 3 + c) * k + p]);
      const out = n === 1 ? [rgb[0] + rgb[1] + rgb[2]] : n === 2 ? [1.5 * rgb[0], 1.5 * rgb[1]] : rgb;
      out.forEach((v, c) => {
        dst[(a * n + c) * k + p] = v;
      });
    }
  return dst;
}

/**
 * Loads ResNet weights from a safetensors file into the torchvision-named encoder layers of `model` (a
 * {@link buildResNetEncoder} or {@link buildUNet} model): conv weights go from PyTorch's NCHW-ordered
 * `[out, in, kh, kw]` to tfjs' `[kh, kw, in, out]`, BatchNorm `weight`, `bias`, `running_mean` and `running_var`
 * to γ, β and the moving statistics (tfjs' BatchNorm uses eps 1e-5 as PyTorch). F32, F16, BF16 and F64 tensors
 * are read. `fc.*` and `num_batches_tracked` are ignored; the decoder is left as it is.
 *
 * A model whose first conv has other than 3 input channels gets fastai's adaptation of the RGB weights
 * (1 channel: their sum over the input-channel axis; 2: the first two × 1.5; more: RGB then zeros).
 *
 * Nothing is written unless every tensor fits. Pretrained ImageNet weights expect RGB in [0, 1] normalized with
 * mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225).
 *
 * @throws {@link SafetensorsFormatError} when `bytes` is not a safetensors file.
 * @throws {@link WeightMismatchError} listing every missing, mis-shaped (or non-float) and unexpected tensor.
 * @throws {@link ModelConfigError} for an unknown `format`, or a model without torchvision-named encoder layers.
 */
export function loadResNetWeights(
  model: tfl.LayersModel,
  bytes: Uint8Array,
  options: LoadResNetWeightsOptions,
): ResNetWeightsReport {
  const what = 'loadResNetWeights';
  if (options?.format !== 'torchvision' && options?.format !== 'timm') {
    throw new ModelConfigError(
      `${what}: format must be 'torchvision' or 'timm', got ${String(options?.format)}`,
    );
  }
  const source = options.source ?? 'weights';
  const file = parseSafetensors(bytes, source);
  const layers = model.layers.filter((l) => CONV.test(l.name) || BATCH_NORM.test(l.name));
  if (layers.length === 0) {
    throw new ModelConfigError(
      `${what}: model '${model.name}' has no torchvision-named ResNet layers (conv1, bn1…)`,
    );
  }

  const missing: string[] = [];
  const mismatched: WeightShapeMismatch[] = [];
  const used = new Set<string>();
  /** The file's tensor `key` as float32 in PyTorch layout, when it exists, is a float and has `shape`. */
  const read = (key: string, shape: readonly number[], firstConv = false): Float32Array | undefined => {
    const t = file.tensors.get(key);
    if (t === undefined) {
      missing.push(key);
      return undefined;
    }
    used.add(key);
    const adapt = firstConv && shape[1] !== 3 && t.shape.length === 4 && t.shape[1] === 3;
    const fileShape = adapt ? [t.shape[0], shape[1], t.shape[2], t.shape[3]] : t.shape;
    const float = SAFETENSORS_FLOAT_DTYPES.includes(t.dtype);
    if (!float || fileShape.length !== shape.length || fileShape.some((d, i) => d !== shape[i])) {
      mismatched.push({ name: key, expected: shape, actual: t.shape, ...(float ? {} : { dtype: t.dtype }) });
      return undefined;
    }
    const values = safetensorsToFloat32(t, `${source}: ${key}`);
    return adapt ? adaptInputChannels(values, t.shape, shape[1]) : values;
  };

  const assignments: { layer: tfl.layers.Layer; values: { data: Float32Array; shape: number[] }[] }[] = [];
  for (const layer of layers) {
    const shapes = layer.weights.map((w) => w.shape as number[]);
    if (CONV.test(layer.name)) {
      const [kh, kw, i, o] = shapes[0];
      const data = read(`${layer.name}.weight`, [o, i, kh, kw], layer.name === 'conv1');
      if (data)
        assignments.push({ layer, values: [{ data: oihwToHwio(data, [o, i, kh, kw]), shape: shapes[0] }] });
    } else {
      const values = BATCH_NORM_SUFFIXES.map((suffix, k) => read(`${layer.name}.${suffix}`, shapes[k]));
      if (values.every((v) => v !== undefined)) {
        assignments.push({
          layer,
          values: values.map((data, k) => ({ data: data as Float32Array, shape: shapes[k] })),
        });
      }
    }
  }
  const ignored = [...file.tensors.keys()].filter((k) => IGNORED.test(k));
  const unexpected = [...file.tensors.keys()].filter((k) => !used.has(k) && !IGNORED.test(k));
  if (missing.length + mismatched.length + unexpected.length > 0) {
    throw new WeightMismatchError(
      `${what}(${source}, format ${options.format})`,
      missing,
      mismatched,
      unexpected,
    );
  }
  tf.tidy(() => {
    for (const { layer, values } of assignments)
      layer.setWeights(values.map((v) => tf.tensor(v.data, v.shape)));
  });
  return { loaded: used.size, ignored };
}
