import { ShapeMismatchError } from '@myoseg/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BatchEndLogs, checkpoint, earlyStopping } from './callbacks';
import { segmentationData } from './data';
import { TrainingOptionsError } from './errors';
import { fitOneCycle } from './fit-one-cycle';
import { freezeTo } from './layer-groups';
import { oneCycleSchedule } from './schedule';
import { maxAbsDiff, ringSamples, standInUNet, useBackend, weightsOf } from './test-support';

beforeAll(async () => {
  await useBackend('wasm');
});

const options = { size: [32, 32] as const, batchSize: 3, numClasses: 2 };
const train = segmentationData(ringSamples(6, 36, 8), { ...options, shuffle: true, augment: { flip: true } });
const valid = segmentationData(ringSamples(3, 36, 9), options);

describe('fitOneCycle', () => {
  it('steps through the one-cycle schedule per layer group and calls back with its values', async () => {
    const { model, groups } = standInUNet();
    const logs: BatchEndLogs[] = [];
    let begins = 0;
    const r = await fitOneCycle(model, train, {
      epochs: 3,
      lrMax: [1e-4, 1e-2],
      layerGroups: groups,
      validation: valid,
      callbacks: [{ onTrainBegin: () => void begins++, onBatchEnd: (l) => void logs.push(l) }],
    });
    expect(begins).toBe(1);
    expect(logs).toHaveLength(6);
    const decoder = oneCycleSchedule({ totalSteps: 6, lrMax: 1e-2 });
    logs.forEach((l, k) => {
      expect([l.epoch, l.batch]).toEqual([Math.floor(k / 2), k % 2]);
      expect(l.lr).toBeCloseTo(decoder(k).lr, 12);
      expect(l.mom).toBeCloseTo(decoder(k).mom, 12);
    });
    expect(r.history).toHaveLength(3);
    expect(r.stoppedEarly).toBe(false);
    for (const h of r.history) {
      expect(h.valLoss).toBeGreaterThan(0);
      expect(h.valDice).toBeGreaterThanOrEqual(0);
      expect(h.valDice).toBeLessThanOrEqual(1);
    }
    expect(r.history[0].loss).toBeCloseTo((logs[0].loss + logs[1].loss) / 2, 6);
    model.dispose();
  });

  it('keeps frozen weights bit-equal while BatchNorm and the decoder move, and the tensor count flat', async () => {
    const { model, groups } = standInUNet();
    freezeTo(-1, groups);
    const frozen = [...weightsOf(model, 'stem.conv'), ...weightsOf(model, 'enc.conv')];
    const bn = weightsOf(model, 'stem.bn'); // gamma, beta, moving mean, moving variance
    const decoder = weightsOf(model, 'dec.conv');
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    await fitOneCycle(model, train, {
      epochs: 3,
      lrMax: 1e-2,
      layerGroups: groups,
      callbacks: [{ onEpochEnd: () => void counts.push(tf.memory().numTensors) }],
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(new Set(counts).size).toBe(1);
    expect([...weightsOf(model, 'stem.conv'), ...weightsOf(model, 'enc.conv')]).toEqual(frozen);
    for (const [i, w] of weightsOf(model, 'stem.bn').entries())
      expect(maxAbsDiff(w, bn[i])).toBeGreaterThan(1e-4);
    expect(maxAbsDiff(weightsOf(model, 'dec.conv')[0], decoder[0])).toBeGreaterThan(1e-4);
    model.dispose();
  });

  it('stops early when the validation loss stalls, and checkpoints', async () => {
    const { model, groups } = standInUNet();
    const saved: number[] = [];
    const everyEpoch: number[] = [];
    const r = await fitOneCycle(model, train, {
      epochs: 5,
      lrMax: 1e-3,
      layerGroups: groups,
      validation: valid,
      callbacks: [
        checkpoint((_, l) => void saved.push(l.epoch)),
        checkpoint((m, l) => void everyEpoch.push(m === model ? l.epoch : -1), { every: true }),
        earlyStopping({ patience: 1, minDelta: 100 }),
      ],
    });
    expect(r.history).toHaveLength(2);
    expect(r.stoppedEarly).toBe(true);
    const improved = r.history.filter((h, i) => r.history.slice(0, i).every((p) => h.valLoss! < p.valLoss!));
    expect(saved).toEqual(improved.map((h) => h.epoch));
    expect(everyEpoch).toEqual([0, 1]);
    await expect(
      fitOneCycle(model, train, { epochs: 1, layerGroups: groups, callbacks: [earlyStopping()] }),
    ).rejects.toThrow(/no validation data/);
    model.dispose();
  });

  it('rejects bad options and data that does not fit the model', async () => {
    const { model, groups } = standInUNet();
    await expect(fitOneCycle(model, train, { epochs: 0, layerGroups: groups })).rejects.toThrow(
      TrainingOptionsError,
    );
    await expect(
      fitOneCycle(model, train, { epochs: 1, lrMax: [1e-2, 1e-4], layerGroups: groups }),
    ).rejects.toThrow(TrainingOptionsError);
    const wrongSize = segmentationData(ringSamples(2, 36, 1), { ...options, size: [24, 24] });
    await expect(fitOneCycle(model, wrongSize, { epochs: 1, layerGroups: groups })).rejects.toThrow(
      ShapeMismatchError,
    );
    const wrongClasses = segmentationData(ringSamples(2, 36, 1), { ...options, numClasses: 3 });
    await expect(fitOneCycle(model, wrongClasses, { epochs: 1, layerGroups: groups })).rejects.toThrow(
      /numClasses/,
    );
    expect(() => earlyStopping({ patience: 0 })).toThrow(TrainingOptionsError);
    model.dispose();
  });
});
