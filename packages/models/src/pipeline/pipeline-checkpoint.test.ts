import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticSlices } from '../../test/synthetic-slices';
import { checkpointFiles, readCheckpointFiles } from '../files/checkpoint-files';
import { memoryReader } from '../files/test-support';
import { registerWasmTrainingKernels } from '../kernels';
import { TrainingOptionsError } from '../training/errors';
import { disposePipelineCheckpoint } from './pipeline-checkpoint';
import { type PresetOverride, resolvePreset } from './presets';
import { type TrainedPipeline, trainPipeline } from './train-pipeline';
import type { PipelineProgress } from './train-stage';

const PRESET: PresetOverride = {
  base: 'quick',
  widthMultiplier: 1 / 16,
  localizerSize: [24, 24],
  segmenterSize: [16, 16],
  frozenEpochs: 1,
  epochs: 1,
  batchSize: 8,
  baseLr: 1e-2,
};
const slices = syntheticSlices({ patients: 5, slicesPerPatient: 2, size: [32, 32], seed: 4 });

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

const weights = (p: TrainedPipeline) =>
  [p.localizerModel, p.segmenterModel].map((m) => m.getWeights().map((w) => Array.from(w.dataSync())));
const dispose = (p: TrainedPipeline) => {
  p.localizerModel.dispose();
  p.segmenterModel.dispose();
};

describe('trainPipeline checkpoints', () => {
  it('a run resumed from a saved checkpoint of either stage ends as the uninterrupted run', async () => {
    const saved: Record<string, Uint8Array | string>[] = [];
    const reference = await trainPipeline(slices, {
      preset: PRESET,
      seed: 2,
      checkpoint: async (c) => void saved.push(await checkpointFiles(c)),
    });
    // one per epoch: localizer frozen + unfrozen, segmenter frozen + unfrozen
    expect(saved.map((f) => JSON.parse(f['checkpoint.json'] as string).stage)).toEqual([
      'localizer',
      'localizer',
      'segmenter',
      'segmenter',
    ]);
    expect(Object.keys(saved[2]).sort()).toEqual(['checkpoint.json', 'current.bin', 'localizer.bin']);
    for (const files of [saved[0], saved[2]]) {
      const before = tf.memory().numTensors;
      const checkpoint = await readCheckpointFiles(memoryReader(files), 'ckpt');
      const events: PipelineProgress[] = [];
      const resumed = await trainPipeline(slices, {
        preset: PRESET,
        seed: 2,
        resume: checkpoint,
        onProgress: (p) => events.push(p),
      });
      disposePipelineCheckpoint(checkpoint);
      expect(weights(resumed)).toEqual(weights(reference));
      expect(resumed.sigmaSamples).toEqual(reference.sigmaSamples);
      expect(resumed.history).toEqual(reference.history);
      // progress goes on from the resumed epoch: the unfrozen phase's epoch follows the frozen one
      expect(
        events
          .filter((e) => e.event === 'epoch')
          .map((e) => `${e.stage}${e.epoch}`)
          .at(-1),
      ).toBe('segmenter1');
      dispose(resumed);
      expect(tf.memory().numTensors).toBe(before);
    }
    dispose(reference);
  }, 120_000);

  it('refuses a checkpoint of another seed or preset, naming what differs', async () => {
    let files: Record<string, Uint8Array | string> | undefined;
    const trained = await trainPipeline(slices, {
      preset: { ...PRESET, epochs: 1 },
      seed: 2,
      checkpoint: async (c) => {
        files ??= await checkpointFiles(c);
      },
    });
    dispose(trained);
    const checkpoint = await readCheckpointFiles(memoryReader(files ?? {}), 'ckpt');
    await expect(trainPipeline(slices, { preset: PRESET, seed: 5, resume: checkpoint })).rejects.toThrow(
      /seed 2, this run has seed 5/,
    );
    await expect(
      trainPipeline(slices, { preset: { ...PRESET, batchSize: 4 }, seed: 2, resume: checkpoint }),
    ).rejects.toThrow(TrainingOptionsError);
    await expect(
      trainPipeline(slices, { preset: { ...PRESET, batchSize: 4 }, seed: 2, resume: checkpoint }),
    ).rejects.toThrow(/differs in batchSize/);
    disposePipelineCheckpoint(checkpoint);
  }, 60_000);

  it('a damaged checkpoint names its file', async () => {
    await expect(readCheckpointFiles(memoryReader({}), 'ckpt')).rejects.toThrow(
      /ckpt\/checkpoint.json: cannot read \(ENOENT\)/,
    );
    const phase = { lrMax: [], fit: { history: [], stoppedEarly: false } };
    const json = JSON.stringify({
      format: 'myoseg-checkpoint',
      version: 1,
      savedAt: '2025-01-01T00:00:00.000Z',
      seed: 0,
      preset: resolvePreset(PRESET),
      split: { train: [], sigma: [], validation: [] },
      stage: 'localizer',
      current: { phase: 'frozen', epoch: 1, frozen: phase, specs: [], steps: [] },
    });
    const short = {
      'checkpoint.json': json.replace('"specs":[]', '"specs":[{"name":"w0","shape":[2],"dtype":"float32"}]'),
      'current.bin': new Uint8Array(4),
    };
    await expect(readCheckpointFiles(memoryReader(short), 'ckpt')).rejects.toThrow(
      /ckpt\/current.bin: holds 4 bytes, checkpoint.json needs 8/,
    );
    await expect(
      readCheckpointFiles(
        memoryReader({ 'checkpoint.json': json.replace('"version":1', '"version":7') }),
        'c',
      ),
    ).rejects.toThrow(/c\/checkpoint.json: version 7 is not supported/);
    const edited = (from: string, to: string) =>
      readCheckpointFiles(memoryReader({ 'checkpoint.json': json.replace(from, to) }), 'c');
    await expect(edited('"stage":"localizer"', '"stage":"both"')).rejects.toThrow(
      /c\/checkpoint.json: field 'stage' must be 'localizer' or 'segmenter', got "both"/,
    );
    await expect(edited('"stoppedEarly":false', '"stoppedEarly":0')).rejects.toThrow(
      /field 'current\.frozen\.fit\.stoppedEarly' must be true or false, got 0/,
    );
    await expect(edited('"epochs":1', '"epochs":-1')).rejects.toThrow(
      /c\/checkpoint.json: field 'preset': field 'epochs' must be an integer ≥ 1, got -1/,
    );
  });
});
