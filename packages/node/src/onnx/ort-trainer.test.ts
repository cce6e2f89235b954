import { buildUNet } from '@myoseg/models';
import {
  AdamW,
  diceCrossEntropyLoss,
  evaluateModel,
  freeze,
  type SegmentationBatch,
  segmentationData,
  stableWeightOrder,
  type TrainBatch,
  trainableParameters,
  trainBatch,
  unetLayerGroups,
} from '@myoseg/models/training';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import ndarray from 'ndarray';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelativeDifference } from '../../test/weight-difference';
import { initBackend } from '../backend';
import { createOrtTrainer } from './ort-trainer';
import { loadOnnxRuntime } from './runtime';

const ort = await loadOnnxRuntime();

beforeAll(() => initBackend({ prefer: 'wasm' }));

const net = (upsample: 'pixelshuffle' | 'nearest', size: [number, number]) =>
  buildUNet({
    encoder: 'resnet18',
    inputShape: [size[0], size[1], 1],
    numClasses: 2,
    widthMultiplier: 1 / 16,
    seed: 5,
    decoder: { upsample },
  });

function batchOf(n: number, size: [number, number], seed: number): SegmentationBatch {
  const x = tf.randomNormal([n, size[0], size[1], 1], 0, 1, 'float32', seed) as tf.Tensor4D;
  const y = tf.tidy(() => {
    const labels = tf.greater(tf.randomUniform([n, size[0], size[1]], 0, 1, 'float32', seed + 1), 0.6);
    return tf.cast(tf.oneHot(tf.cast(labels, 'int32'), 2), 'float32') as tf.Tensor4D;
  });
  return { x, y };
}

/** Steps `model` on `batches` with `step`; the losses and every weight after (running statistics included). */
async function train(
  model: tfl.LayersModel,
  batches: SegmentationBatch[],
  step: TrainBatch,
  frozen: boolean,
) {
  const groups = unetLayerGroups(model);
  if (frozen) freeze(model, groups);
  const params = trainableParameters(model, groups);
  const optimizer = new AdamW({ eps: 1 }); // the update ≈ lr · gradient (Adam's m/√v would magnify float noise)
  const hyper = groups.map(() => ({ lr: 0.05, mom: 0.9, weightDecay: 0.01 }));
  const losses: number[] = [];
  for (const b of batches) losses.push(await step(model, b, params, diceCrossEntropyLoss, optimizer, hyper));
  optimizer.dispose();
  return { losses, weights: stableWeightOrder(model).map((w) => w.read().dataSync() as Float32Array) };
}

describe.skipIf(ort.runtime === null)('createOrtTrainer (onnxruntime-node)', () => {
  for (const [upsample, size, frozen] of [
    ['pixelshuffle', [32, 32], false],
    ['pixelshuffle', [37, 29], true],
    ['nearest', [24, 40], false],
  ] as const) {
    it(`steps as tfjs' trainBatch does: ${upsample} decoder, ${size.join('×')}, ${frozen ? 'encoder frozen' : 'all layers'}`, async () => {
      const batches = [batchOf(4, [...size], 1), batchOf(4, [...size], 3), batchOf(4, [...size], 5)];
      const reference = net(upsample, [...size]);
      const expected = await train(reference, batches, trainBatch, frozen);
      const model = net(upsample, [...size]);
      const trainer = await createOrtTrainer(model, { intraOpNumThreads: 1 });
      const before = tf.memory().numTensors;
      const got = await train(model, batches, trainer.trainBatch, frozen);
      expect(tf.memory().numTensors).toBe(before);
      await trainer.dispose();
      got.losses.forEach((l, i) => {
        expect(l).toBeCloseTo(expected.losses[i], 4);
      });
      // float32 sums in another order (onnxruntime's GEMMs and convs vs XNNPACK): each gradient agrees to ~5e-5 of
      // its largest entry, 3 steps of it move the weights apart by up to ~3e-4; a wrong gradient moves them ≥ 1e-2
      expect(maxRelativeDifference(got.weights, expected.weights)).toBeLessThan(1e-3);
      // the step moved the weights: equality is not two untouched models
      expect(
        maxRelativeDifference(
          expected.weights,
          stableWeightOrder(net(upsample, [...size])).map((w) => w.read().dataSync() as Float32Array),
        ),
      ).toBeGreaterThan(1e-2);
      tf.dispose(batches.flatMap((b) => [b.x, b.y]));
      reference.dispose();
      model.dispose();
    }, 60_000);
  }

  it("computes validation passes as tfjs' inference does, from the weights the network has at the pass", async () => {
    const model = net('pixelshuffle', [32, 32]);
    const trainer = await createOrtTrainer(model, { intraOpNumThreads: 1 });
    const batches = [batchOf(4, [32, 32], 7), batchOf(4, [32, 32], 9)];
    // trained first, so that a predictor holding the initial weights (or BatchNorm on batch statistics) would differ
    await train(model, batches, trainer.trainBatch, false);
    const before = tf.memory().numTensors;
    const predictor = await trainer.predictor(model);
    const got = await predictor.predict(batches[0].x);
    const expected = model.apply(batches[0].x, { training: false }) as tf.Tensor4D;
    expect(got.shape).toEqual(expected.shape);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(got, expected))).dataSync()[0]);
    expect(diff).toBeLessThan(1e-4);
    tf.dispose([got, expected]);
    await predictor.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // evaluateModel with it: the same loss and Dice as with tfjs
    const samples = Array.from({ length: 6 }, (_, i) => {
      const image = tf.randomNormal([32, 32], 0, 1, 'float32', 20 + i);
      const data = image.dataSync() as Float32Array;
      const mask = Uint8Array.from(data, (v) => (v > 0.3 ? 1 : 0));
      image.dispose();
      return { image: ndarray(data, [32, 32]), mask: ndarray(mask, [32, 32]) };
    });
    const data = segmentationData(samples, { size: [32, 32], numClasses: 2, channels: 1, batchSize: 4 });
    const viaOrt = await trainer.predictor(model);
    const a = await evaluateModel(model, data, { predictor: viaOrt });
    await viaOrt.dispose();
    const b = await evaluateModel(model, data);
    expect(a.loss).toBeCloseTo(b.loss, 4);
    expect(a.dice).toBeCloseTo(b.dice, 4);
    await expect(trainer.predictor(net('pixelshuffle', [32, 32]))).rejects.toThrow(/another model/);
    await trainer.dispose();
    tf.dispose(batches.flatMap((x) => [x.x, x.y]));
    model.dispose();
  }, 60_000);

  it('refuses another model than its own', async () => {
    const model = net('pixelshuffle', [32, 32]);
    const other = net('pixelshuffle', [32, 32]);
    const trainer = await createOrtTrainer(model);
    const b = batchOf(2, [32, 32], 1);
    const params = trainableParameters(other, unetLayerGroups(other));
    await expect(
      trainer.trainBatch(other, b, params, diceCrossEntropyLoss, new AdamW(), [
        { lr: 1e-3, mom: 0.9, weightDecay: 0 },
      ]),
    ).rejects.toThrow(/another model/);
    await trainer.dispose();
    tf.dispose([b.x, b.y]);
    model.dispose();
    other.dispose();
  });
});
