import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildUNet } from '@myoseg/models';
import {
  AdamW,
  diceCrossEntropyLoss,
  fitOneCycle,
  type LayerGroups,
  type SegmentationBatch,
  segmentationData,
  stableWeightOrder,
  type TrainBatch,
  trainableParameters,
  trainBatch,
  unetLayerGroups,
} from '@myoseg/models/training';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import ndarray from 'ndarray';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelativeDifference } from '../../test/weight-difference';
import { initBackend } from '../backend';
import { createDataParallelTrainer, shardRows } from './data-parallel';
import { DataParallelError } from './errors';
import { runDataParallelWorker } from './worker';

// Worker threads load the built package (plain Node cannot load these sources): turbo builds it before the tests.
const workerModule = new URL('../../dist/index.js', import.meta.url).href;

/** `n` seeded uniform values in [-1, 1). */
const values = (n: number, seed: number) =>
  tf.tidy(() => tf.randomUniform([n], -1, 1, 'float32', seed).dataSync() as Float32Array);

/** A batch of `n` images `[size, size, channels]` and one-hot 2-class targets; `repeat` stacks it that often. */
function makeBatch(n: number, size: number, channels: number, seed: number, repeat = 1): SegmentationBatch {
  return tf.tidy(() => {
    const x = tf.tensor4d(values(n * size * size * channels, seed), [n, size, size, channels]);
    const labels = tf.cast(
      tf.greater(tf.tensor3d(values(n * size * size, seed + 1), [n, size, size]), 0),
      'int32',
    );
    const y = tf.cast(tf.oneHot(labels, 2), 'float32') as tf.Tensor4D;
    return { x: tf.concat(Array(repeat).fill(x)), y: tf.concat(Array(repeat).fill(y)) };
  });
}

/** A model with no BatchNorm: conv 3×3 + ReLU, conv 1×1 + softmax, on `[8, 8, channels]`. */
function plainNet(seed: number, channels = 2): tfl.LayersModel {
  const init = (k: number) => tfl.initializers.randomNormal({ stddev: 0.3, seed: seed + k });
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [8, 8, channels],
        filters: 6,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(1),
        biasInitializer: init(2),
      }),
      tfl.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'softmax', kernelInitializer: init(3) }),
    ],
  });
}

/** Trains with `step` on each batch; returns the losses and every weight after (running statistics included). */
async function train(
  model: tfl.LayersModel,
  batches: SegmentationBatch[],
  step: TrainBatch,
  groups: LayerGroups,
): Promise<{ losses: number[]; weights: Float32Array[] }> {
  const params = trainableParameters(model, groups);
  // eps ≫ √v makes the update about lr · gradient: Adam's m/√v would turn float noise on a ~0 gradient into ±lr
  const optimizer = new AdamW({ eps: 1 });
  const hyper = groups.map(() => ({ lr: 0.1, mom: 0.9, weightDecay: 0.01 }));
  const losses: number[] = [];
  for (const batch of batches)
    losses.push(await step(model, batch, params, diceCrossEntropyLoss, optimizer, hyper));
  optimizer.dispose();
  return { losses, weights: stableWeightOrder(model).map((w) => w.read().dataSync() as Float32Array) };
}

describe('shardRows', () => {
  it('splits rows evenly, the first replicas taking the remainder, and drops empty shards', () => {
    expect(shardRows(16, 2)).toEqual([
      [0, 8],
      [8, 16],
    ]);
    expect(shardRows(5, 2)).toEqual([
      [0, 3],
      [3, 5],
    ]);
    expect(shardRows(1, 2)).toEqual([[0, 1]]);
    expect(shardRows(3, 4)).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
  });

  it('covers 0 … batch with contiguous shards whose sizes differ by at most one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 9 }), (batch, replicas) => {
        const shards = shardRows(batch, replicas);
        expect(shards[0][0]).toBe(0);
        expect(shards.at(-1)?.[1]).toBe(batch);
        shards.forEach(([start, end], k) => {
          expect(end).toBeGreaterThan(start);
          if (k > 0) expect(start).toBe(shards[k - 1][1]);
        });
        const sizes = shards.map(([s, e]) => e - s);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        expect(shards.length).toBe(Math.min(batch, replicas));
      }),
    );
  });
});

describe('createDataParallelTrainer', () => {
  beforeAll(async () => {
    if (!existsSync(fileURLToPath(workerModule))) {
      throw new Error(`build @myoseg/node first (npx tsup): workers load ${workerModule}`);
    }
    await initBackend({ prefer: 'wasm' });
  });

  it('without BatchNorm, 2 replicas give the one-batch losses and weights (the soft Dice sums over the batch)', async () => {
    const batches = [makeBatch(4, 8, 2, 10), makeBatch(3, 8, 2, 20)]; // 3 rows: shards of 2 and 1
    const groups = (m: tfl.LayersModel) => [m.layers];
    const one = plainNet(5);
    const reference = await train(one, batches, trainBatch, groups(one));
    const model = plainNet(5);
    const trainer = await createDataParallelTrainer(model, { replicas: 2, workerModule });
    try {
      expect(trainer.replicas).toBe(2);
      const before = tf.memory().numTensors;
      const parallel = await train(model, batches, trainer.trainBatch, groups(model));
      expect(tf.memory().numTensors).toBe(before);
      parallel.losses.forEach((loss, k) => {
        expect(Math.abs(loss - reference.losses[k])).toBeLessThanOrEqual(1e-6);
      });
      expect(reference.losses[1]).not.toBeCloseTo(reference.losses[0], 3);
      expect(maxRelativeDifference(parallel.weights, reference.weights)).toBeLessThanOrEqual(1e-6);
      // the steps moved the weights well beyond that tolerance
      const initial = plainNet(5);
      const start = stableWeightOrder(initial).map((w) => w.read().dataSync() as Float32Array);
      expect(maxRelativeDifference(start, reference.weights)).toBeGreaterThan(1e-3);
      initial.dispose();
    } finally {
      await trainer.dispose();
      tf.dispose(batches.flatMap((b) => [b.x, b.y]));
      one.dispose();
      model.dispose();
    }
  });

  it('a replica idle at a step (fewer rows than replicas) reads the weights it missed', async () => {
    const batches = [makeBatch(3, 8, 2, 80), makeBatch(2, 8, 2, 81), makeBatch(3, 8, 2, 82)];
    const groups = (m: tfl.LayersModel) => [m.layers];
    const one = plainNet(13);
    const reference = await train(one, batches, trainBatch, groups(one));
    const model = plainNet(13);
    const trainer = await createDataParallelTrainer(model, { replicas: 3, workerModule });
    try {
      const parallel = await train(model, batches, trainer.trainBatch, groups(model));
      expect(maxRelativeDifference(parallel.weights, reference.weights)).toBeLessThanOrEqual(1e-6);
      expect(parallel.losses[2]).toBeCloseTo(reference.losses[2], 6);
    } finally {
      await trainer.dispose();
      tf.dispose(batches.flatMap((b) => [b.x, b.y]));
      one.dispose();
      model.dispose();
    }
  });

  it('a U-Net with BatchNorm on a batch of two identical halves equals the one-batch step, statistics included', async () => {
    const unet = () =>
      buildUNet({
        encoder: 'resnet18',
        inputShape: [64, 64, 1],
        numClasses: 2,
        widthMultiplier: 1 / 16,
        seed: 7,
      });
    // each replica's half has the whole batch's BatchNorm statistics
    const batches = [makeBatch(2, 64, 1, 30, 2), makeBatch(2, 64, 1, 40, 2)];
    const one = unet();
    const reference = await train(one, batches, trainBatch, unetLayerGroups(one));
    const model = unet();
    const trainer = await createDataParallelTrainer(model, { replicas: 2, workerModule });
    try {
      const parallel = await train(model, batches, trainer.trainBatch, unetLayerGroups(model));
      parallel.losses.forEach((loss, k) => {
        expect(Math.abs(loss - reference.losses[k])).toBeLessThanOrEqual(1e-5);
      });
      expect(maxRelativeDifference(parallel.weights, reference.weights)).toBeLessThanOrEqual(1e-4);
    } finally {
      await trainer.dispose();
      tf.dispose(batches.flatMap((b) => [b.x, b.y]));
      one.dispose();
      model.dispose();
    }
  });

  it('is fitOneCycle’s trainBatch: the same history as on one thread (no BatchNorm)', async () => {
    const samples = Array.from({ length: 6 }, (_, i) => ({
      image: ndarray(values(64, 60 + i), [8, 8]),
      mask: ndarray(
        Uint8Array.from(values(64, 70 + i), (v) => (v > 0 ? 1 : 0)),
        [8, 8],
      ),
    }));
    const data = segmentationData(samples, { size: [8, 8], batchSize: 3, numClasses: 2, channels: 1 });
    const fit = async (
      trainer?: Awaited<ReturnType<typeof createDataParallelTrainer>>,
      model = plainNet(11, 1),
    ) => {
      const result = await fitOneCycle(model, data, {
        epochs: 2,
        lrMax: 1e-2,
        layerGroups: [model.layers],
        trainBatch: trainer?.trainBatch,
      });
      model.dispose();
      return result.history.map((h) => h.loss);
    };
    const one = await fit();
    const model = plainNet(11, 1);
    const trainer = await createDataParallelTrainer(model, { replicas: 2, workerModule });
    try {
      const parallel = await fit(trainer, model);
      expect(parallel).toHaveLength(2);
      parallel.forEach((loss, k) => {
        expect(Math.abs(loss - one[k])).toBeLessThanOrEqual(1e-5);
      });
    } finally {
      await trainer.dispose();
    }
  });

  it('sends weights changed between steps (a restored snapshot) to the replicas', async () => {
    const batch = makeBatch(4, 8, 2, 50);
    const groups = (m: tfl.LayersModel) => [m.layers];
    const model = plainNet(9);
    const snapshot = stableWeightOrder(model).map((w) => tf.clone(w.read()));
    const trainer = await createDataParallelTrainer(model, { replicas: 2, workerModule });
    try {
      const first = await train(model, [batch], trainer.trainBatch, groups(model));
      stableWeightOrder(model).forEach((w, i) => {
        w.write(snapshot[i]);
      });
      const again = await train(model, [batch], trainer.trainBatch, groups(model));
      expect(again.losses[0]).toBeCloseTo(first.losses[0], 6);
      expect(maxRelativeDifference(again.weights, first.weights)).toBeLessThanOrEqual(1e-6);
    } finally {
      await trainer.dispose();
      tf.dispose([batch.x, batch.y, ...snapshot]);
      model.dispose();
    }
  });

  it('a failed step rejects with its cause, and the trainer refuses further steps', async () => {
    const model = plainNet(15);
    const batch = makeBatch(4, 8, 2, 90);
    const trainer = await createDataParallelTrainer(model, { replicas: 2, workerModule });
    const params = trainableParameters(model, [model.layers]);
    const hyper = [{ lr: 1e-3, mom: 0.9, weightDecay: 0 }];
    const optimizer = new AdamW();
    try {
      const broken = () => {
        throw new Error('the loss failed');
      };
      await expect(trainer.trainBatch(model, batch, params, broken, optimizer, hyper)).rejects.toThrow(
        'the loss failed',
      );
      await expect(
        trainer.trainBatch(model, batch, params, diceCrossEntropyLoss, optimizer, hyper),
      ).rejects.toThrow(/failed at an earlier step/);
    } finally {
      await trainer.dispose();
      optimizer.dispose();
      tf.dispose([batch.x, batch.y]);
      model.dispose();
    }
  });

  it('rejects bad options, sources without a worker module, another model, and a call outside a worker', async () => {
    const model = plainNet(1);
    const other = plainNet(2);
    try {
      await expect(createDataParallelTrainer(model, { replicas: 0 })).rejects.toThrow(DataParallelError);
      await expect(createDataParallelTrainer(model, { replicas: 2, timeoutMs: 1.5 })).rejects.toThrow(
        /timeoutMs must be an integer/,
      );
      await expect(createDataParallelTrainer(model, { replicas: 2 })).rejects.toThrow(/pass workerModule/);
      await expect(
        createDataParallelTrainer(model, { replicas: 2, workerModule: 'file:///nonexistent/index.js' }),
      ).rejects.toThrow(/replica 1/);
      const single = await createDataParallelTrainer(model, { replicas: 1 });
      expect(single.replicas).toBe(1);
      const batch = makeBatch(2, 8, 2, 3);
      const params = trainableParameters(other, [other.layers]);
      await expect(
        single.trainBatch(other, batch, params, diceCrossEntropyLoss, new AdamW(), [
          { lr: 1e-3, mom: 0.9, weightDecay: 0 },
        ]),
      ).rejects.toThrow(/another model/);
      tf.dispose([batch.x, batch.y]);
      expect(() => runDataParallelWorker()).toThrow(DataParallelError);
    } finally {
      model.dispose();
      other.dispose();
    }
  });
});
