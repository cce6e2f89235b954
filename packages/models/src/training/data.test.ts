import { InvalidShapeError, ShapeMismatchError } from '@myoseg/core';
import * as tf from '@tensorflow/tfjs-core';
import ndarray from 'ndarray';
import { beforeAll, describe, expect, it } from 'vitest';
import { PAPER_PRESET, QUICK_PRESET } from '../pipeline/presets';
import type { AugmentOptions } from './augment/augment-schema';
import {
  IMAGENET_STATS,
  makeBatches,
  type SegmentationBatch,
  type SegmentationSample,
  segmentationData,
} from './data';
import { InvalidSampleError, TrainingOptionsError } from './errors';
import { ringSamples, useBackend } from './test-support';

beforeAll(async () => {
  await useBackend('wasm');
});

/** Sample `i` of size `s × s` whose mask has exactly `i + 1` foreground pixels, its image equal to the mask. */
function countedSamples(n: number, s: number): SegmentationSample[] {
  return Array.from({ length: n }, (_, i) => {
    const mask = new Uint8Array(s * s);
    mask.fill(1, 0, i + 1);
    return { image: ndarray(Float32Array.from(mask), [s, s]), mask: ndarray(mask, [s, s]) };
  });
}

/** Maps each batch while it is alive (a batch's tensors are disposed when the iteration moves on). */
function mapBatches<T>(batches: Iterable<SegmentationBatch>, f: (b: SegmentationBatch) => T): T[] {
  const out: T[] = [];
  for (const b of batches) out.push(f(b));
  return out;
}

const foregroundCounts = (y: tf.Tensor4D): number[] =>
  tf.tidy(() => Array.from(tf.sum(tf.slice(y, [0, 0, 0, 1], [-1, -1, -1, 1]), [1, 2, 3]).dataSync()));

describe('makeBatches', () => {
  it('makes batches of the requested size, shapes and one-hot targets', () => {
    const batches = [...makeBatches(ringSamples(5, 40, 1), { size: [32, 32], batchSize: 2, numClasses: 2 })];
    expect(batches).toHaveLength(3);
    const sizes: number[] = [];
    for (const b of makeBatches(ringSamples(5, 40, 1), { size: [32, 24], batchSize: 2, numClasses: 3 })) {
      expect(b.x.shape.slice(1)).toEqual([32, 24, 3]);
      expect(b.y.shape.slice(1)).toEqual([32, 24, 3]);
      expect(tf.tidy(() => tf.sum(b.y).dataSync()[0])).toBe(b.x.shape[0] * 32 * 24);
      sizes.push(b.x.shape[0]);
    }
    expect(sizes).toEqual([2, 2, 1]);
    const dropped = [
      ...makeBatches(ringSamples(5, 40, 1), { size: [32, 32], batchSize: 2, numClasses: 2, dropLast: true }),
    ];
    expect(dropped).toHaveLength(2);
  });

  it('keeps masks exact at the input size, and images z-scored per image (checked in plain JS)', () => {
    const samples = ringSamples(2, 24, 7);
    const [[x, y]] = mapBatches(
      makeBatches(samples, { size: [24, 24], batchSize: 2, numClasses: 2, channels: 1 }),
      (b) => [b.x.dataSync(), b.y.dataSync()],
    );
    samples.forEach((s, i) => {
      const img = s.image.data;
      const mean = img.reduce((a, v) => a + v, 0) / img.length;
      const std = Math.sqrt(img.reduce((a, v) => a + (v - mean) ** 2, 0) / img.length);
      for (let k = 0; k < img.length; k++) {
        expect(x[i * img.length + k]).toBeCloseTo((img[k] - mean) / std, 4);
        expect(y[(i * img.length + k) * 2 + 1]).toBe(s.mask.data[k]);
      }
    });
  });

  it('applies ImageNet statistics per channel to images scaled to [0, 1]', () => {
    const opts = { size: [32, 32] as const, batchSize: 1, numClasses: 2, normalize: 'imagenet' as const };
    const [range] = mapBatches(makeBatches(ringSamples(1, 40, 2), opts), (b) =>
      tf.tidy(() => [tf.min(b.x, [0, 1, 2]).dataSync(), tf.max(b.x, [0, 1, 2]).dataSync()]),
    );
    for (let c = 0; c < 3; c++) {
      expect(range[0][c]).toBeCloseTo((0 - IMAGENET_STATS.mean[c]) / IMAGENET_STATS.std[c], 5);
      expect(range[1][c]).toBeCloseTo((1 - IMAGENET_STATS.mean[c]) / IMAGENET_STATS.std[c], 5);
    }
    // one channel: the mean statistics, (0.485 + 0.456 + 0.406) / 3 and (0.229 + 0.224 + 0.225) / 3
    const [gray] = mapBatches(makeBatches(ringSamples(1, 40, 2), { ...opts, channels: 1 }), (b) =>
      tf.tidy(() => [tf.min(b.x).dataSync()[0], tf.max(b.x).dataSync()[0]]),
    );
    expect(gray[0]).toBeCloseTo(-0.449 / 0.226, 5);
    expect(gray[1]).toBeCloseTo(0.551 / 0.226, 5);
  });

  it('reads strided ndarrays (a transposed view) as their values', () => {
    const [s] = ringSamples(1, 16, 3);
    const t = { image: s.image.transpose(1, 0), mask: s.mask.transpose(1, 0) };
    const copy = {
      image: ndarray(
        Float32Array.from({ length: 256 }, (_, k) => s.image.get(k % 16, Math.floor(k / 16))),
        [16, 16],
      ),
      mask: ndarray(
        Uint8Array.from({ length: 256 }, (_, k) => s.mask.get(k % 16, Math.floor(k / 16))),
        [16, 16],
      ),
    };
    const opts = { size: [16, 16] as const, batchSize: 1, numClasses: 2 };
    const [a] = mapBatches(makeBatches([t], opts), (b) => Array.from(b.x.dataSync()));
    const [c] = mapBatches(makeBatches([copy], opts), (b) => Array.from(b.x.dataSync()));
    expect(a).toEqual(c);
  });

  it('shuffles reproducibly from the seed, each sample once', () => {
    const samples = countedSamples(6, 4);
    const order = (seed: number) =>
      mapBatches(
        makeBatches(samples, { size: [4, 4], batchSize: 4, numClasses: 2, shuffle: true, seed }),
        (b) => foregroundCounts(b.y),
      ).flat();
    expect(order(3)).toEqual(order(3));
    expect(order(3)).not.toEqual(order(4));
    expect([...order(3)].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(
      mapBatches(makeBatches(samples, { size: [4, 4], batchSize: 6, numClasses: 2 }), (b) =>
        foregroundCounts(b.y),
      ).flat(),
    ).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('moves image and mask together under flips and rotations', () => {
    const samples = ringSamples(8, 32, 5).map((s) => ({
      image: ndarray(Float32Array.from(s.mask.data), [32, 32]),
      mask: s.mask,
    }));
    const opts = { size: [32, 32] as const, batchSize: 8, numClasses: 2, channels: 1 as const };
    const [plain] = mapBatches(makeBatches(samples, opts), (b) => Array.from(b.y.dataSync()));
    const [aug] = mapBatches(
      makeBatches(samples, { ...opts, seed: 9, augment: { flip: true, rotateDeg: 30 } }),
      (b) => ({
        x: Array.from(b.x.dataSync()),
        y: Array.from(b.y.dataSync()),
      }),
    );
    expect(aug.y).not.toEqual(plain);
    let agree = 0;
    for (let k = 0; k < aug.x.length; k++) agree += +(aug.x[k] > 0 === (aug.y[2 * k + 1] === 1));
    expect(agree / aug.x.length).toBeGreaterThan(0.97);
  });

  it('changes lighting monotonically per image', () => {
    const samples = ringSamples(4, 32, 6);
    const opts = { size: [32, 32] as const, batchSize: 4, numClasses: 2, channels: 1 as const };
    const [plain] = mapBatches(makeBatches(samples, opts), (b) => Array.from(b.x.dataSync()));
    const [lit] = mapBatches(
      makeBatches(samples, { ...opts, seed: 2, augment: { brightness: 0.4, contrast: 0.4 } }),
      (b) => Array.from(b.x.dataSync()),
    );
    expect(lit).not.toEqual(plain);
    for (let k = 1; k < plain.length; k++) {
      if (k % 1024 === 0) continue; // next image
      if (plain[k] > plain[k - 1] + 1e-3) expect(lit[k]).toBeGreaterThanOrEqual(lit[k - 1] - 1e-4);
    }
  });

  it('keeps the tensor count flat, whether the pass ends or breaks off', () => {
    const samples = ringSamples(5, 40, 1);
    const before = tf.memory().numTensors;
    for (const _ of makeBatches(samples, {
      size: [32, 32],
      batchSize: 2,
      numClasses: 2,
      augment: { flip: true, rotateDeg: 10 },
    })) {
      expect(tf.memory().numTensors).toBe(before + 2);
    }
    for (const _ of makeBatches(samples, { size: [32, 32], batchSize: 2, numClasses: 2 })) break;
    expect(tf.memory().numTensors).toBe(before);
  });

  it('checks samples and options before the first batch', () => {
    const [s] = ringSamples(1, 8, 1);
    const opts = { size: [8, 8] as const, batchSize: 1, numClasses: 2 };
    const bad = {
      image: s.image,
      mask: ndarray(
        Uint8Array.from(s.mask.data, () => 2),
        [8, 8],
      ),
    };
    expect(() => makeBatches([s, bad], opts)).toThrow(InvalidSampleError);
    expect(() => makeBatches([s, bad], opts)).toThrow(/samples\[1\]/);
    expect(() => makeBatches([{ image: s.image, mask: ndarray(new Uint8Array(12), [3, 4]) }], opts)).toThrow(
      ShapeMismatchError,
    );
    expect(() => makeBatches([{ image: ndarray(new Float32Array(8), [8]), mask: s.mask }], opts)).toThrow(
      InvalidShapeError,
    );
    expect(() => makeBatches([s], { ...opts, batchSize: 0 })).toThrow(TrainingOptionsError);
    expect(() => makeBatches([s], { ...opts, seed: 0.5 })).toThrow(TrainingOptionsError);
    expect(() => makeBatches([s], { ...opts, augment: { brightness: 1 } })).toThrow(TrainingOptionsError);
    expect([...makeBatches([], opts)]).toEqual([]);
  });
});

/** FNV-1a over the bytes of every batch's inputs and targets: a fingerprint of a whole pass. */
function fingerprint(batches: Iterable<SegmentationBatch>): string {
  let h = 0x811c9dc5;
  for (const b of batches) {
    for (const t of [b.x, b.y]) {
      for (const byte of new Uint8Array((t.dataSync() as Float32Array).buffer))
        h = Math.imul(h ^ byte, 0x01000193);
    }
  }
  return (h >>> 0).toString(16);
}

describe('makeBatches with the new augmentations', () => {
  const samples = ringSamples(6, 40, 12);
  const opts = { size: [32, 32] as const, batchSize: 3, numClasses: 2, channels: 1 as const, shuffle: true };

  it("gives the named presets' augmentations the batches they gave before the new options existed", () => {
    // recorded with the code before nnunet and domainRandomization were added
    expect(fingerprint(makeBatches(samples, { ...opts, seed: 5, augment: QUICK_PRESET.augment }))).toBe(
      'f67ef1b3',
    );
    expect(fingerprint(makeBatches(samples, { ...opts, seed: 5, augment: PAPER_PRESET.augment }))).toBe(
      '84e71810',
    );
    expect(
      fingerprint(makeBatches(samples, { ...opts, seed: 5, augment: { brightness: 0.3, contrast: 0.3 } })),
    ).toBe('b5fd7c77');
  });

  const both = {
    nnunet: { rotationProbability: 1, scalingProbability: 1 },
    domainRandomization: true,
  } as const;
  const pass = (seed: number, augment: AugmentOptions) =>
    mapBatches(makeBatches(samples, { ...opts, seed, augment }), (b) => ({
      x: Array.from(b.x.dataSync()),
      y: Array.from(b.y.dataSync()),
    }));

  it('is seeded: the same seed gives the same batches, another seed others', () => {
    expect(fingerprint(makeBatches(samples, { ...opts, seed: 3, augment: both }))).toBe(
      fingerprint(makeBatches(samples, { ...opts, seed: 3, augment: both })),
    );
    expect(fingerprint(makeBatches(samples, { ...opts, seed: 3, augment: both }))).not.toBe(
      fingerprint(makeBatches(samples, { ...opts, seed: 4, augment: both })),
    );
  });

  it.each<[string, AugmentOptions]>([
    ['domain randomization', { domainRandomization: { probability: 1 } }],
    ['Rician noise', { noise: { probability: 1 } }],
  ])('leaves the targets bit-identical under %s alone, and changes the inputs', (_, augment) => {
    const plain = pass(7, {});
    const augmented = pass(7, augment);
    expect(augmented.map((b) => b.y)).toEqual(plain.map((b) => b.y));
    expect(augmented.map((b) => b.x)).not.toEqual(plain.map((b) => b.x));
  });

  it('keeps one-hot targets under nnU-Net geometry', () => {
    for (const b of pass(8, both)) {
      for (let k = 0; k < b.y.length; k += 2) expect(b.y[k] + b.y[k + 1]).toBe(1);
    }
  });

  it('keeps the tensor count flat over batches', () => {
    const before = tf.memory().numTensors;
    for (let seed = 0; seed < 3; seed++) {
      for (const _ of makeBatches(samples, { ...opts, seed, augment: { ...both, rotateDeg: 10 } })) {
        expect(tf.memory().numTensors).toBe(before + 2);
      }
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names a bad nested field', () => {
    const bad = (augment: unknown) => () =>
      makeBatches(samples, { ...opts, augment: augment as AugmentOptions });
    expect(bad({ nnunet: { scaling: [1.4, 0.7] } })).toThrow(
      /makeBatches: augment\.nnunet\.scaling must be \[min, max\] with 0 < min ≤ max/,
    );
    expect(bad({ domainRandomization: { probability: 2 } })).toThrow(
      /augment\.domainRandomization\.probability/,
    );
    expect(bad({ domainRandomization: 'yes' })).toThrow(TrainingOptionsError);
    expect(bad({ noise: { maxStd: 0 } })).toThrow(/augment\.noise\.maxStd must be in \(0, 0\.5\]/);
    expect(bad({ zoom: 2 })).toThrow(/augment\.zoom must be a known field/);
  });
});

describe('segmentationData', () => {
  it('counts batches and hands out passes by seed', () => {
    const data = segmentationData(countedSamples(5, 4), {
      size: [4, 4],
      batchSize: 2,
      numClasses: 2,
      shuffle: true,
      dropLast: true,
    });
    expect(data.sampleCount).toBe(5);
    expect(data.batchesPerEpoch).toBe(2);
    expect([...data.batches(1)]).toHaveLength(2);
    const order = (seed: number) => mapBatches(data.batches(seed), (b) => foregroundCounts(b.y)).flat();
    expect(order(1)).toEqual(order(1));
  });
});
