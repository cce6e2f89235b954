import '@tensorflow/tfjs-backend-wasm';
import { dice, MYOCARDIUM_LABELS, selectLabels } from '@myoseg/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticSlices } from '../../test/synthetic-slices';
import { registerWasmTrainingKernels } from '../kernels';
import { type StageTrainerFactory, trainBatch } from '../training/train-step';
import { evaluateApproaches, TABLE1 } from './evaluate-approaches';
import type { PresetOverride } from './presets';
import { trainPipeline } from './train-pipeline';
import type { PipelineProgress } from './train-stage';

/** Tiny U-Nets at 32² and 24², trainable in seconds on wasm. */
const TINY_PRESET: PresetOverride = {
  base: 'quick',
  widthMultiplier: 1 / 8,
  localizerSize: [32, 32],
  segmenterSize: [24, 24],
  frozenEpochs: 1,
  batchSize: 8,
  baseLr: 1e-2,
};

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

describe('trainPipeline (tiny models, tiny cohort)', () => {
  it('trains both stages, fits σ from data, and segments held-out slices without leaking tensors (200 calls)', async () => {
    const slices = syntheticSlices({ patients: 10, slicesPerPatient: 3, size: [48, 56], seed: 1 });
    const events: PipelineProgress[] = [];
    const trained = await trainPipeline(slices, {
      preset: { ...TINY_PRESET, epochs: 12 },
      seed: 3,
      onProgress: (p) => events.push(p),
    });
    expect(trained.split.train.length).toBe(6);
    expect(new Set([...trained.split.train, ...trained.split.sigma, ...trained.split.validation]).size).toBe(
      10,
    );
    expect(events.some((e) => e.stage === 'localizer' && e.event === 'epoch')).toBe(true);
    expect(events.some((e) => e.stage === 'segmenter' && e.event === 'done')).toBe(true);
    expect(trained.sigmaSamples.length).toBeGreaterThan(0);
    if (typeof trained.sigma !== 'number') {
      expect(Number.isFinite(trained.sigma.slope)).toBe(true);
    }

    const held = slices.filter((s) => trained.split.validation.includes(s.patientId));
    const before = tf.memory().numTensors;
    const results = await trained.pipeline.segmentBatch(held.map((s) => s.image));
    expect(tf.memory().numTensors).toBe(before);
    // 200 calls, each the localizer and three segmenter passes (quick's refinement): not one tensor left behind
    for (let i = 0; i < 200; i++) await trained.pipeline.segment(held[i % held.length].image);
    expect(tf.memory().numTensors).toBe(before);
    expect(trained.pipeline.refinePasses).toBe(2);
    const scores = results.map((r, i) => dice(r.mask, selectLabels(held[i].mask, MYOCARDIUM_LABELS)));
    expect(results[0].mask.shape).toEqual([48, 56]);
    // tiny nets, few epochs: learning must be real, not perfect
    expect(scores.reduce((a, b) => a + b, 0) / scores.length).toBeGreaterThan(0.5); // untrained: ~0.07
    trained.localizerModel.dispose();
    trained.segmenterModel.dispose();
  }, 180_000);
});

describe('evaluateApproaches (tiny models, tiny cohort)', () => {
  it("returns Table 1's five rows, scored on held-out patients", async () => {
    const slices = syntheticSlices({ patients: 10, slicesPerPatient: 2, size: [40, 44], seed: 5 });
    // a trainer that counts: each of the four networks gets its own, used for every step, then disposed
    const made: { model: LayersModel; steps: number; disposed: boolean }[] = [];
    const trainer: StageTrainerFactory = async (model) => {
      const entry = { model, steps: 0, disposed: false };
      made.push(entry);
      return {
        trainBatch: (m, ...rest) => {
          expect(m).toBe(model);
          entry.steps++;
          return trainBatch(m, ...rest);
        },
        dispose: () => {
          entry.disposed = true;
        },
      };
    };
    const { rows, scores } = await evaluateApproaches(slices, {
      preset: { ...TINY_PRESET, epochs: 2 },
      seed: 2,
      trainer,
    });
    expect(made).toHaveLength(4);
    for (const m of made) expect(m.steps > 0 && m.disposed).toBe(true);
    expect(rows.map((r) => r.approach)).toEqual(TABLE1.map((t) => t.approach));
    for (const row of rows) {
      expect(row.slices).toBe(4); // 2 validation patients × 2 slices
      expect(row.dice.min).toBeLessThanOrEqual(row.dice.mean);
      expect(row.dice.mean).toBeLessThanOrEqual(row.dice.max);
      expect(row.paper.mean).toBeGreaterThan(0.8);
    }
    const patientsScored = new Set(scores.map((s) => s.patientId));
    expect(patientsScored.size).toBe(2);
  }, 180_000);
});
