import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { segmentationData } from './data';
import { TrainingOptionsError } from './errors';
import { fineTune } from './fine-tune';
import { ringSamples, standInUNet, useBackend, weightsOf } from './test-support';

beforeAll(async () => {
  await useBackend('wasm');
});

const data = segmentationData(ringSamples(4, 32, 3), {
  size: [32, 32],
  batchSize: 2,
  numClasses: 2,
  shuffle: true,
});

describe('fineTune', () => {
  it('with a base rate, follows fastai’s fine_tune: slice(base) frozen, slice(base/200, base/2) unfrozen', async () => {
    const { model, groups } = standInUNet();
    const stem = weightsOf(model, 'stem.conv');
    const stemDuringFrozen: Float32Array[][] = [];
    const r = await fineTune(model, data, {
      baseLr: 2e-3,
      frozenEpochs: 1,
      epochs: 1,
      layerGroups: groups,
      callbacks: [{ onEpochEnd: () => void stemDuringFrozen.push(weightsOf(model, 'stem.conv')) }],
    });
    expect(r.frozen.lrFind).toBeUndefined();
    expect(r.frozen.lrMax).toEqual([2e-4, 2e-4, 2e-3]);
    expect(r.unfrozen.lrMax.map((v) => v / 1e-3)).toEqual([0.01, 0.1, 1].map((v) => expect.closeTo(v, 9)));
    expect(stemDuringFrozen[0]).toEqual(stem); // frozen phase left the stem conv alone
    expect(stemDuringFrozen[1]).not.toEqual(stem); // the unfrozen phase trained it
    expect(model.getLayer('stem.conv').trainable).toBe(true);
    expect(r.frozen.fit.history).toHaveLength(1);
    expect(r.unfrozen.fit.history).toHaveLength(1);
    model.dispose();
  });

  it('without a base rate, runs an lr_find before each phase and uses its valley', async () => {
    const { model, groups } = standInUNet();
    const before = tf.memory().numTensors;
    const r = await fineTune(model, data, {
      frozenEpochs: 1,
      epochs: 1,
      layerGroups: groups,
      lrFind: { iterations: 8, start: 1e-5, end: 1 },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.frozen.lrFind?.lrs).toHaveLength(8);
    expect(r.frozen.lrMax[2]).toBe(r.frozen.lrFind?.suggestion);
    expect(r.frozen.lrMax[0]).toBeCloseTo(r.frozen.lrMax[2] / 10, 15);
    expect(r.unfrozen.lrMax[2]).toBe(r.unfrozen.lrFind?.suggestion);
    expect(r.unfrozen.lrMax[0]).toBeCloseTo(r.unfrozen.lrMax[2] / 100, 15);
    model.dispose();
  });

  it('rejects a single layer group and a bad base rate', async () => {
    const { model, groups } = standInUNet();
    await expect(fineTune(model, data, { epochs: 1, layerGroups: [groups.flat()] })).rejects.toThrow(
      TrainingOptionsError,
    );
    await expect(fineTune(model, data, { epochs: 1, baseLr: -1, layerGroups: groups })).rejects.toThrow(
      TrainingOptionsError,
    );
    model.dispose();
  });
});
