// Proof that training works end to end on the wasm backend with a real (tiny) ResNet-18 U-Net.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildUNet } from '../architecture';
import { segmentationData } from './data';
import { evaluateModel } from './evaluate';
import { fitOneCycle } from './fit-one-cycle';
import { freeze, unfreeze } from './layer-groups';
import { maxAbsDiff, ringSamples, useBackend, weightsOf } from './test-support';

beforeAll(async () => {
  await useBackend('wasm');
});

const tinyUNet = (seed: number) =>
  buildUNet({ encoder: 'resnet18', inputShape: [32, 32, 3], numClasses: 2, widthMultiplier: 1 / 8, seed });

describe('training a tiny U-Net on wasm', () => {
  it('overfits 8 ring slices to Dice > 0.9, with a flat tensor count across epochs and predictions', async () => {
    const model = tinyUNet(1);
    const data = segmentationData(ringSamples(8, 40, 3), { size: [32, 32], batchSize: 4, numClasses: 2 });
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    const r = await fitOneCycle(model, data, {
      epochs: 20,
      lrMax: 1e-2,
      callbacks: [{ onEpochEnd: () => void counts.push(tf.memory().numTensors) }],
    });
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    expect(r.history[19].loss).toBeLessThan(r.history[0].loss / 5);
    const { dice } = await evaluateModel(model, data);
    expect(dice).toBeGreaterThan(0.9);
    const afterTraining = tf.memory().numTensors;
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 1);
    for (let i = 0; i < 3; i++) (model.predict(x) as tf.Tensor).dispose();
    x.dispose();
    expect(tf.memory().numTensors).toBe(afterTraining);
    model.dispose();
  });

  it('leaves frozen encoder weights bit-equal in a frozen epoch while BatchNorm and the decoder learn', async () => {
    const model = tinyUNet(2);
    const data = segmentationData(ringSamples(4, 32, 5), { size: [32, 32], batchSize: 2, numClasses: 2 });
    freeze(model);
    const frozen = ['conv1', 'layer1.0.conv1', 'layer2.0.downsample.0', 'layer3.1.conv2', 'layer4.0.conv1'];
    const frozenBefore = frozen.map((n) => weightsOf(model, n));
    const bnBefore = ['bn1', 'layer4.1.bn2'].map((n) => weightsOf(model, n));
    const headBefore = weightsOf(model, 'head.conv');
    await fitOneCycle(model, data, { epochs: 1, lrMax: 1e-2 });
    expect(frozen.map((n) => weightsOf(model, n))).toEqual(frozenBefore);
    ['bn1', 'layer4.1.bn2'].forEach((n, k) => {
      // gamma, beta, moving mean, moving variance all moved
      for (const [i, w] of weightsOf(model, n).entries())
        expect(maxAbsDiff(w, bnBefore[k][i])).toBeGreaterThan(1e-6);
    });
    expect(maxAbsDiff(weightsOf(model, 'head.conv')[0], headBefore[0])).toBeGreaterThan(1e-4);
    unfreeze(model);
    await fitOneCycle(model, data, { epochs: 1, lrMax: 1e-3 });
    expect(maxAbsDiff(weightsOf(model, 'conv1')[0], frozenBefore[0][0])).toBeGreaterThan(0);
    model.dispose();
  });
});
