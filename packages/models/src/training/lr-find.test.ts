import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW } from './adamw';
import { segmentationData } from './data';
import { TrainingOptionsError } from './errors';
import { fitOneCycle } from './fit-one-cycle';
import { lrFind, valley } from './lr-find';
import { ringSamples, standInUNet, useBackend } from './test-support';

beforeAll(async () => {
  await useBackend('wasm');
});

const lrs = (n: number) => Array.from({ length: n }, (_, i) => 10 ** i);

describe('valley', () => {
  it('follows fastai’s longest-valley rule, hand-traced', () => {
    // [5, 1, 4, 3, 2, 6]: longest decreasing run 5 > 4 > 3 > 2 ends at 4 with length 4, start 0;
    // sections = 4/3, index = 0 + 1 + 0.
    expect(valley(lrs(6), [5, 1, 4, 3, 2, 6])).toEqual({ lr: 10, index: 1 });
    // strictly decreasing [3, 2, 1]: end 2, start 2 − 3 = −1, sections 1, index −1 + 1 + 0 = 0
    expect(valley(lrs(3), [3, 2, 1])).toEqual({ lr: 1, index: 0 });
    // [2, 1]: start −1, sections 2/3, index −1: Python's lrs[−1], the last one
    expect(valley(lrs(2), [2, 1])).toEqual({ lr: 10, index: 1 });
    // no decrease at all: index 0
    expect(valley(lrs(4), [1, 1, 1, 1])).toEqual({ lr: 1, index: 0 });
    // 10 points falling then rising: run 0…6 (length 7), start −1, sections 7/3, index −1 + 2 + 1 = 2
    expect(valley(lrs(10), [9, 8, 7, 6, 5, 4, 3, 5, 8, 12]).index).toBe(2);
  });

  it('rejects empty and unequal curves', () => {
    expect(() => valley([], [])).toThrow(TrainingOptionsError);
    expect(() => valley([1, 2], [1])).toThrow(TrainingOptionsError);
  });
});

describe('lrFind', () => {
  const data = segmentationData(ringSamples(6, 32, 4), {
    size: [32, 32],
    batchSize: 3,
    numClasses: 2,
    shuffle: true,
  });

  it('sweeps the rate exponentially, smooths the loss and restores weights and optimizer bit for bit', async () => {
    const { model, groups } = standInUNet();
    const optimizer = new AdamW();
    await fitOneCycle(model, data, { epochs: 1, lrMax: 1e-3, layerGroups: groups, optimizer });
    const weights = model.weights.map((w) => Array.from(w.read().dataSync()));
    const moments = optimizer.getState();
    const before = tf.memory().numTensors;
    const r = await lrFind(model, data, {
      start: 1e-5,
      end: 1e-1,
      iterations: 12,
      layerGroups: groups,
      optimizer,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.lrs).toHaveLength(12);
    for (const [i, lr] of r.lrs.entries()) expect(lr).toBeCloseTo(1e-5 * 1e4 ** (i / 12), 12);
    expect(r.losses).toHaveLength(12);
    expect(r.losses.every(Number.isFinite)).toBe(true);
    expect(r.lrs[r.suggestionIndex]).toBe(r.suggestion);
    expect(model.weights.map((w) => Array.from(w.read().dataSync()))).toEqual(weights);
    const after = optimizer.getState();
    for (const [v, m] of moments.entries) {
      expect(after.entries.get(v)?.step).toBe(m.step);
      expect(Array.from(after.entries.get(v)!.gradAvg.dataSync())).toEqual(Array.from(m.gradAvg.dataSync()));
      expect(Array.from(after.entries.get(v)!.sqrAvg.dataSync())).toEqual(Array.from(m.sqrAvg.dataSync()));
    }
    for (const o of [moments, after, optimizer, model]) o.dispose();
  });

  it('stops when the smoothed loss diverges past 4× its minimum', async () => {
    const { model, groups } = standInUNet({ seed: 2 });
    const r = await lrFind(model, data, { start: 1e-3, end: 1e6, iterations: 60, layerGroups: groups });
    expect(r.lrs.length).toBeLessThan(60);
    const last = r.losses[r.losses.length - 1];
    expect(!Number.isFinite(last) || last > 4 * Math.min(...r.losses)).toBe(true);
    model.dispose();
  });

  it('rejects bad options', async () => {
    const { model, groups } = standInUNet();
    await expect(lrFind(model, data, { start: 1, end: 0.1, layerGroups: groups })).rejects.toThrow(
      TrainingOptionsError,
    );
    await expect(lrFind(model, data, { iterations: 0, layerGroups: groups })).rejects.toThrow(
      TrainingOptionsError,
    );
    model.dispose();
  });
});
