import { describe, expect, it } from 'vitest';
import { resolvePreset } from '../pipeline/presets';
import { parseFields } from '../schema/parse-fields';
import { expectEveryFieldNamed } from '../schema/test-support';
import { CheckpointJsonSchema } from './checkpoint-schema';

const phase = {
  lrFind: { lrs: [1e-7, 1e-6], losses: [0.9, 0.8], suggestion: 1e-6, suggestionIndex: 1 },
  lrMax: [1e-4, 1e-3],
  fit: {
    history: [{ epoch: 0, loss: 0.5, valLoss: 0.6, valDice: 0.7, lr: 1e-3, partial: true }],
    stoppedEarly: true,
  },
};
const spec = { name: 'w0', shape: [3, 3], dtype: 'float32' };
const checkpoint = {
  format: 'myoseg-checkpoint',
  version: 1,
  savedAt: '2025-01-01T00:00:00.000Z',
  seed: 7,
  preset: resolvePreset('quick'),
  split: { train: ['patient001'], sigma: [], validation: ['patient003'] },
  stage: 'segmenter',
  localizer: { history: { frozen: phase, unfrozen: phase }, specs: [spec] },
  current: {
    phase: 'unfrozen',
    epoch: 2,
    frozen: phase,
    unfrozen: phase,
    steps: [{ index: 0, step: 4 }],
    specs: [spec],
  },
};

describe('CheckpointJsonSchema', () => {
  it('takes a checkpoint.json as it is and names each field it refuses', () => {
    expectEveryFieldNamed(CheckpointJsonSchema, checkpoint);
  });

  it('reads a loss that JSON wrote as null (a diverged run) back as NaN', () => {
    const json = JSON.parse(JSON.stringify(checkpoint).replaceAll('"loss":0.5', '"loss":null'));
    const read = parseFields(CheckpointJsonSchema, json, (problem) => {
      throw new Error(problem.field);
    });
    expect(read.current.frozen.fit.history[0].loss).toBeNaN();
  });
});
