import { InvalidShapeError, ShapeMismatchError, seededRandom, shuffled } from '@myoseg/core';
import * as tf from '@tensorflow/tfjs-core';
import ndarray, { type NdArray } from 'ndarray';
import { describeValue } from '../schema/parse-fields';
import { augmentSample } from './augment/augment-sample';
import type { AugmentOptions } from './augment/augment-schema';
import type { RandomSource } from './augment/draws';
import { type ResolvedAugment, resolveAugmentOptions } from './augment/options';
import { InvalidSampleError, TrainingOptionsError } from './errors';
import type { Normalization } from './normalization-schema';

/** One training pair: an image slice and its label map, of the same `[H, W]` shape (any size). */
export interface SegmentationSample {
  /** Intensities `[H, W]`, any units (each image is scaled to [0, 1] by its min and max). */
  image: NdArray<Float32Array>;
  /** Class indices `[H, W]`, each below the number of classes. */
  mask: NdArray<Uint8Array>;
}

/** Options of {@link makeBatches}. */
export interface BatchOptions {
  /** Model input size `[h, w]` in pixels: images are resized bilinearly, masks by nearest neighbour. */
  size: readonly [number, number];
  /** Samples per batch, ≥ 1. */
  batchSize: number;
  /** Number of classes of the masks (one-hot depth), ≥ 1. */
  numClasses: number;
  /** Channels of the model input: 1, or 3 (the gray image repeated, the default). */
  channels?: 1 | 3;
  /** Intensity normalization (default `'per-image'`). */
  normalize?: Normalization;
  /** Shuffle the order of the samples (default false). */
  shuffle?: boolean;
  /** Seed of the shuffle and the augmentations (default 0). */
  seed?: number;
  /** Augmentations (default none). */
  augment?: AugmentOptions;
  /** Leave out the last, incomplete batch (fastai drops it when training; default false). */
  dropLast?: boolean;
}

/**
 * One batch. Its tensors belong to the iterator that made it: they are disposed when the iteration moves
 * on or stops, so clone what must outlive the loop body.
 */
export interface SegmentationBatch {
  /** Inputs `[batch, h, w, channels]`, float32, normalized. */
  x: tf.Tensor4D;
  /** One-hot targets `[batch, h, w, numClasses]`, float32. */
  y: tf.Tensor4D;
}

/** Per-channel intensity statistics. */
export interface ChannelStats {
  /** Mean of each channel (R, G, B). */
  readonly mean: readonly number[];
  /** Standard deviation of each channel. */
  readonly std: readonly number[];
}

/** ImageNet's per-channel mean and standard deviation (RGB, for [0, 1] intensities), as torchvision. */
export const IMAGENET_STATS: ChannelStats = {
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
};

/**
 * The ImageNet statistics for an input of `channels` channels: {@link IMAGENET_STATS} for 3; for 1 (a
 * first conv whose RGB weights were summed, as fastai adapts pretrained weights), the mean of the three
 * means and of the three standard deviations, the single-channel equivalent of a gray image repeated.
 */
export function imagenetStats(channels: 1 | 3): ChannelStats {
  if (channels === 3) return IMAGENET_STATS;
  const average = (v: readonly number[]) => [v.reduce((a, b) => a + b, 0) / v.length];
  return { mean: average(IMAGENET_STATS.mean), std: average(IMAGENET_STATS.std) };
}

/** fastai's `logit` clamp. */
const LOGIT_EPS = 1e-7;

interface ResolvedBatchOptions {
  size: readonly [number, number];
  batchSize: number;
  numClasses: number;
  channels: 1 | 3;
  normalize: Normalization;
  shuffle: boolean;
  seed: number;
  augment: ResolvedAugment;
  dropLast: boolean;
}

function fail(name: string, expected: string, got: unknown): never {
  throw new TrainingOptionsError(`makeBatches: ${name} must be ${expected}, got ${JSON.stringify(got)}`);
}

function resolveOptions(options: BatchOptions): ResolvedBatchOptions {
  const { size, batchSize, numClasses, channels = 3, normalize = 'per-image', augment = {} } = options;
  if (!Array.isArray(size) || size.length !== 2 || size.some((n) => !Number.isInteger(n) || n < 1)) {
    fail('size', '[h, w] of integers ≥ 1', size);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) fail('batchSize', 'an integer ≥ 1', batchSize);
  if (!Number.isInteger(numClasses) || numClasses < 1) fail('numClasses', 'an integer ≥ 1', numClasses);
  if (channels !== 1 && channels !== 3) fail('channels', '1 or 3', channels);
  if (normalize !== 'imagenet' && normalize !== 'per-image')
    fail('normalize', "'imagenet' or 'per-image'", normalize);
  if (options.seed !== undefined && !Number.isInteger(options.seed)) fail('seed', 'an integer', options.seed);
  const resolved = resolveAugmentOptions(augment, ({ field, expected, value }) => {
    throw new TrainingOptionsError(
      `makeBatches: ${field ? `augment.${field}` : 'augment'} must ${expected}, got ${describeValue(value)}`,
    );
  });
  return {
    size,
    batchSize,
    numClasses,
    channels,
    normalize,
    shuffle: options.shuffle ?? false,
    seed: options.seed ?? 0,
    augment: resolved,
    dropLast: options.dropLast ?? false,
  };
}

/** The values of a 2D ndarray (any strides) as a packed row-major Float32Array. */
function packed(arr: NdArray): Float32Array {
  const [h, w] = arr.shape;
  const [sy, sx] = arr.stride;
  const data = arr.data as ArrayLike<number>;
  const out = new Float32Array(h * w);
  for (let y = 0, k = 0; y < h; y++) {
    const row = arr.offset + y * sy;
    for (let x = 0; x < w; x++, k++) out[k] = data[row + x * sx];
  }
  return out;
}

function checkSamples(samples: readonly SegmentationSample[], numClasses: number): void {
  samples.forEach((s, i) => {
    const { image, mask } = s;
    if (image?.shape?.length !== 2 || image.shape.some((n) => n < 1)) {
      throw new InvalidShapeError(`makeBatches: samples[${i}].image must be a non-empty [H, W] ndarray`);
    }
    if (mask?.shape?.length !== 2 || mask.shape[0] !== image.shape[0] || mask.shape[1] !== image.shape[1]) {
      throw new ShapeMismatchError(
        `makeBatches: samples[${i}] (image, mask)`,
        image.shape,
        mask?.shape ?? [],
      );
    }
    const labels = packed(mask);
    for (let k = 0; k < labels.length; k++) {
      if (labels[k] >= numClasses) {
        throw new InvalidSampleError(
          `makeBatches: samples[${i}].mask has label ${labels[k]} at pixel ${k}, but numClasses is ${numClasses}`,
        );
      }
    }
  });
}

/** Each image of `x` (`[b, h, w, 1]`) scaled to [0, 1] by its own min and max (a flat image becomes 0). */
function minMaxScale(x: tf.Tensor4D): tf.Tensor4D {
  const min = tf.min(x, [1, 2, 3], true);
  const range = tf.sub(tf.max(x, [1, 2, 3], true), min);
  return tf.div(tf.sub(x, min), tf.where(tf.greater(range, 0), range, tf.onesLike(range))) as tf.Tensor4D;
}

/** The output→input pixel map of tf.image.transform for a rotation about the centre, then a mirror. */
function affineRow(angleDeg: number, mirror: boolean, h: number, w: number): number[] {
  const t = (angleDeg * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const f = mirror ? -1 : 1;
  return [f * c, -f * s, f * (cx - c * cx + s * cy) + (mirror ? w - 1 : 0), s, c, cy - s * cx - c * cy, 0, 0];
}

/**
 * nnU-Net's chain, the elastic deformation, domain randomization and Rician noise, sample by sample in JS (`x`
 * `[b, h, w, 1]` in [0, 1], `m` the labels as float32); the tensors come back unchanged, and nothing is drawn, when
 * all are off.
 */
function augmentSamples(
  x: tf.Tensor4D,
  m: tf.Tensor4D,
  aug: ResolvedAugment,
  random: RandomSource,
): [tf.Tensor4D, tf.Tensor4D] {
  if (Object.values(aug.samples).every((step) => step === null)) return [x, m];
  const [b, h, w] = x.shape;
  const n = h * w;
  const images = x.dataSync() as Float32Array;
  const labels = m.dataSync() as Float32Array;
  const outX = new Float32Array(b * n);
  const outM = new Float32Array(b * n);
  for (let i = 0; i < b; i++) {
    const sample = {
      image: ndarray(images.slice(i * n, (i + 1) * n), [h, w]),
      mask: ndarray(Uint8Array.from(labels.subarray(i * n, (i + 1) * n)), [h, w]),
    };
    const out = augmentSample(sample, aug.samples, random);
    outX.set(out.image.data, i * n);
    outM.set(out.mask.data, i * n);
  }
  return [tf.tensor4d(outX, x.shape), tf.tensor4d(outM, m.shape)];
}

function augmentBatch(
  x: tf.Tensor4D,
  m: tf.Tensor4D,
  aug: ResolvedAugment,
  random: RandomSource,
): [tf.Tensor4D, tf.Tensor4D] {
  const [b, h, w] = x.shape;
  if (aug.flip || aug.rotateDeg > 0) {
    const rows: number[] = [];
    for (let i = 0; i < b; i++) {
      const mirror = aug.flip && random() < 0.5;
      const angle = aug.rotateDeg > 0 && random() < 0.75 ? (2 * random() - 1) * aug.rotateDeg : 0;
      rows.push(...affineRow(angle, mirror, h, w));
    }
    const transforms = tf.tensor2d(rows, [b, 8]);
    x = tf.image.transform(x, transforms, 'bilinear', 'reflect');
    m = tf.image.transform(m, transforms, 'nearest', 'reflect');
  }
  if (aug.brightness > 0 || aug.contrast > 0) {
    const shift = new Float32Array(b);
    const scale = new Float32Array(b).fill(1);
    for (let i = 0; i < b; i++) {
      if (aug.brightness > 0 && random() < 0.75) {
        const u = 0.5 * (1 - aug.brightness) + random() * aug.brightness;
        shift[i] = Math.log(u / (1 - u));
      }
      if (aug.contrast > 0 && random() < 0.75) {
        const lim = -Math.log(1 - aug.contrast);
        scale[i] = Math.exp((2 * random() - 1) * lim);
      }
    }
    const p = tf.clipByValue(x, LOGIT_EPS, 1 - LOGIT_EPS);
    const logit = tf.log(tf.div(p, tf.sub(1, p)));
    const shifted = tf.add(logit, tf.tensor4d(shift, [b, 1, 1, 1]));
    x = tf.sigmoid(tf.mul(shifted, tf.tensor4d(scale, [b, 1, 1, 1]))) as tf.Tensor4D;
  }
  return [x, m];
}

function normalizeBatch(x: tf.Tensor4D, mode: Normalization, channels: 1 | 3): tf.Tensor4D {
  if (mode === 'imagenet') {
    const { mean, std } = imagenetStats(channels);
    const c = channels === 3 ? tf.tile(x, [1, 1, 1, 3]) : x;
    return tf.div(tf.sub(c, tf.tensor1d([...mean])), tf.tensor1d([...std])) as tf.Tensor4D;
  }
  const { mean, variance } = tf.moments(x, [1, 2, 3], true);
  const std = tf.sqrt(variance);
  const z = tf.div(tf.sub(x, mean), tf.where(tf.greater(std, 0), std, tf.onesLike(std))) as tf.Tensor4D;
  return channels === 3 ? tf.tile(z, [1, 1, 1, 3]) : z;
}

function buildBatch(
  samples: readonly SegmentationSample[],
  indices: readonly number[],
  o: ResolvedBatchOptions,
  random: () => number,
): SegmentationBatch {
  const [h, w] = o.size;
  return tf.tidy(() => {
    const images: tf.Tensor4D[] = [];
    const masks: tf.Tensor4D[] = [];
    for (const i of indices) {
      const [H, W] = samples[i].image.shape;
      const image = tf.tensor4d(packed(samples[i].image), [1, H, W, 1]);
      const mask = tf.tensor4d(packed(samples[i].mask), [1, H, W, 1]);
      const same = H === h && W === w;
      images.push(same ? image : tf.image.resizeBilinear(image, [h, w], false, true));
      masks.push(same ? mask : tf.image.resizeNearestNeighbor(mask, [h, w], false, true));
    }
    let x = minMaxScale(tf.concat(images, 0));
    let m = tf.concat(masks, 0);
    [x, m] = augmentSamples(x, m, o.augment, random);
    [x, m] = augmentBatch(x, m, o.augment, random);
    const labels = tf.cast(tf.squeeze(m, [3]), 'int32');
    return {
      x: normalizeBatch(x, o.normalize, o.channels),
      y: tf.cast(tf.oneHot(labels, o.numClasses), 'float32') as tf.Tensor4D,
    };
  });
}

function* batchGenerator(
  samples: readonly SegmentationSample[],
  o: ResolvedBatchOptions,
): Generator<SegmentationBatch> {
  const random = seededRandom(o.seed);
  const n = samples.length;
  const indices = Array.from({ length: n }, (_, i) => i);
  const order = o.shuffle ? shuffled(indices, random) : indices;
  const end = o.dropLast ? Math.floor(n / o.batchSize) * o.batchSize : n;
  for (let start = 0; start < end; start += o.batchSize) {
    const batch = buildBatch(samples, order.slice(start, Math.min(start + o.batchSize, end)), o, random);
    try {
      yield batch;
    } finally {
      tf.dispose([batch.x, batch.y]);
    }
  }
}

/**
 * Batches of normalized, resized (and optionally shuffled and augmented) samples, made one at a time as
 * the iterator is advanced: at most one batch of tensors exists at once, never a whole epoch. A batch's
 * tensors are disposed when the iteration moves past it (or stops early).
 *
 * Steps per batch: resize to `size` (bilinear image, nearest mask, half-pixel centres), scale each image to
 * [0, 1] by min–max, augment, normalize, repeat to 3 channels if `channels` is 3, one-hot the mask.
 *
 * @param samples - the pairs; empty gives no batches.
 * @returns an iterator over `ceil(n / batchSize)` batches (`floor` with `dropLast`).
 * @throws {@link TrainingOptionsError} for bad options; InvalidShapeError / ShapeMismatchError for a sample
 *   that is not 2D or whose image and mask differ in shape; {@link InvalidSampleError} for a label ≥
 *   `numClasses` (all checked before the first batch).
 */
export function makeBatches(
  samples: readonly SegmentationSample[],
  options: BatchOptions,
): IterableIterator<SegmentationBatch> {
  const o = resolveOptions(options);
  checkSamples(samples, o.numClasses);
  return batchGenerator(samples, o);
}

/** A data set that yields a fresh pass of lazily made batches on request: what training functions take. */
export interface SegmentationData {
  /** Number of samples. */
  readonly sampleCount: number;
  /** Number of batches in one pass. */
  readonly batchesPerEpoch: number;
  /** The size and class count of the batches, for checks against the model. */
  readonly options: Readonly<Pick<BatchOptions, 'size' | 'numClasses' | 'channels' | 'batchSize'>>;
  /** One pass over the samples; `seed` drives shuffle and augmentation (training passes `seed` + epoch). */
  batches(seed: number): IterableIterator<SegmentationBatch>;
}

/**
 * A {@link SegmentationData} over `samples`: every pass is {@link makeBatches} with these options and the
 * pass's seed. Use `shuffle`, `augment` and `dropLast` for training data, none of them for validation.
 *
 * @param samples - the pairs (checked once, here).
 * @param options - as {@link makeBatches}, without the seed.
 * @throws as {@link makeBatches}.
 */
export function segmentationData(
  samples: readonly SegmentationSample[],
  options: Omit<BatchOptions, 'seed'>,
): SegmentationData {
  const o = resolveOptions(options);
  checkSamples(samples, o.numClasses);
  const n = samples.length;
  return {
    sampleCount: n,
    batchesPerEpoch: o.dropLast ? Math.floor(n / o.batchSize) : Math.ceil(n / o.batchSize),
    options: { size: o.size, numClasses: o.numClasses, channels: o.channels, batchSize: o.batchSize },
    batches: (seed: number) => batchGenerator(samples, { ...o, seed }),
  };
}
