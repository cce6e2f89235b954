import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { getKernel } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdamW } from '../training/adamw';
import { ADAMW_STEP } from './adamw-step';
import { registerWasmTrainingKernels } from './register-wasm';

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});
afterAll(() => tf.setBackend('cpu'));

/** Three AdamW steps of two variables (one decayed, one not) on backend `name`; the values and moments after. */
async function threeSteps(name: string) {
  await tf.setBackend(name);
  const shape = [3, 3, 4, 5];
  const a = tf.variable(tf.randomNormal(shape, 0, 1, 'float32', 1));
  const b = tf.variable(tf.randomNormal([5], 0, 1, 'float32', 2));
  const optimizer = new AdamW();
  for (let step = 0; step < 3; step++) {
    tf.tidy(() => {
      optimizer.applyGradients([
        {
          variable: a,
          gradient: tf.randomNormal(shape, 0, 1, 'float32', 10 + step),
          lr: 0.01,
          mom: 0.9,
          weightDecay: 0.1,
        },
        {
          variable: b,
          gradient: tf.randomNormal([5], 0, 1e-3, 'float32', 20 + step),
          lr: 0.02,
          mom: 0.85,
          weightDecay: 0,
        },
      ]);
    });
  }
  const state = optimizer.getState();
  const moments = [...state.entries.values()].flatMap((e) =>
    [e.gradAvg, e.sqrAvg].map((t) => t.dataSync() as Float32Array),
  );
  const out = { values: [a, b].map((t) => t.dataSync() as Float32Array), moments };
  state.dispose();
  optimizer.dispose();
  tf.dispose([a, b]);
  return out;
}

const close = (got: Float32Array[], want: Float32Array[]) => {
  got.forEach((g, i) => {
    g.forEach((v, k) => {
      expect(Math.abs(v - want[i][k])).toBeLessThan(1e-6 * Math.max(1, Math.abs(want[i][k])));
    });
  });
};

describe('fused AdamW step (wasm)', () => {
  it('is registered on wasm only', () => {
    expect(getKernel(ADAMW_STEP, 'wasm')).toBeDefined();
    expect(getKernel(ADAMW_STEP, 'cpu')).toBeUndefined();
  });

  it('moves variables and moments as the chain of ops does on the cpu backend', async () => {
    const fused = await threeSteps('wasm');
    const chain = await threeSteps('cpu');
    close(fused.values, chain.values);
    close(fused.moments, chain.moments);
    // the step did something: not the untouched start
    await tf.setBackend('cpu');
    const start = tf.randomNormal([3, 3, 4, 5], 0, 1, 'float32', 1);
    expect(Math.abs(fused.values[0][0] - start.dataSync()[0])).toBeGreaterThan(1e-3);
    start.dispose();
  });

  it('frees what it makes', async () => {
    await tf.setBackend('wasm');
    const v = tf.variable(tf.ones([64]));
    const g = tf.fill([64], 0.5);
    const optimizer = new AdamW();
    optimizer.applyGradients([{ variable: v, gradient: g, lr: 0.1, mom: 0.9, weightDecay: 0.01 }]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++)
      optimizer.applyGradients([{ variable: v, gradient: g, lr: 0.1, mom: 0.9, weightDecay: 0.01 }]);
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    tf.dispose([v, g]);
  });
});
