import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { segmentationData } from './data';
import { TrainingOptionsError } from './errors';
import { fineTune } from './fine-tune';
import { disposeFineTuneCheckpoint, type FineTuneCheckpoint } from './fine-tune-checkpoint';
import { ringSamples, standInUNet, useBackend } from './test-support';

beforeAll(async () => {
  await useBackend('wasm');
});

const data = segmentationData(ringSamples(6, 32, 5), {
  size: [32, 32],
  batchSize: 2,
  numClasses: 2,
  shuffle: true,
  augment: { flip: true, rotateDeg: 10 },
});
const options = { baseLr: 3e-3, frozenEpochs: 2, epochs: 2, seed: 7 };

/** A copy that outlives the `onCheckpoint` call. */
function keep(c: FineTuneCheckpoint): FineTuneCheckpoint {
  return {
    ...structuredClone({ phase: c.phase, epoch: c.epoch, frozen: c.frozen, unfrozen: c.unfrozen }),
    weights: c.weights.map((w) => tf.clone(w)),
    moments: c.moments.map((m) => ({ ...m, gradAvg: tf.clone(m.gradAvg), sqrAvg: tf.clone(m.sqrAvg) })),
  };
}

const weights = (m: { getWeights(): tf.Tensor[] }) => m.getWeights().map((w) => Array.from(w.dataSync()));

describe('fineTune checkpoints and resume', () => {
  it('resuming from any epoch ends exactly where the uninterrupted run ends', async () => {
    const full = standInUNet({ seed: 3 });
    const saved: FineTuneCheckpoint[] = [];
    const reference = await fineTune(full.model, data, {
      ...options,
      layerGroups: full.groups,
      onCheckpoint: (c) => void saved.push(keep(c)),
    });
    expect(saved.map((c) => `${c.phase}${c.epoch}`)).toEqual([
      'frozen1',
      'frozen2',
      'unfrozen1',
      'unfrozen2',
    ]);
    expect(saved[2].frozen.fit.history).toHaveLength(2);
    expect(saved[2].unfrozen?.fit.history).toHaveLength(1);
    expect(saved[1].moments.length).toBeGreaterThan(0);

    for (const from of [saved[0], saved[2]]) {
      const fresh = standInUNet({ seed: 99 }); // other initial weights: the checkpoint must replace them all
      const before = tf.memory().numTensors;
      const resumed = await fineTune(fresh.model, data, {
        ...options,
        layerGroups: fresh.groups,
        resume: from,
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(weights(fresh.model)).toEqual(weights(full.model));
      expect(resumed.unfrozen.fit.history).toEqual(reference.unfrozen.fit.history);
      expect(resumed.frozen.fit.history).toEqual(reference.frozen.fit.history);
      fresh.model.dispose();
    }
    for (const c of saved) disposeFineTuneCheckpoint(c);
    full.model.dispose();
  });

  it('a checkpoint of another architecture is refused before any training', async () => {
    const a = standInUNet({ classes: 2 });
    let first: FineTuneCheckpoint | undefined;
    await fineTune(a.model, data, {
      ...options,
      frozenEpochs: 1,
      epochs: 1,
      layerGroups: a.groups,
      onCheckpoint: (c) => {
        first ??= keep(c);
      },
    });
    const b = standInUNet({ classes: 3 });
    const three = segmentationData(ringSamples(2, 32, 1), { size: [32, 32], batchSize: 2, numClasses: 3 });
    await expect(
      fineTune(b.model, three, { ...options, layerGroups: b.groups, resume: first }),
    ).rejects.toThrow(TrainingOptionsError);
    disposeFineTuneCheckpoint(first as FineTuneCheckpoint);
    a.model.dispose();
    b.model.dispose();
  });
});
