import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW } from './adamw';
import { TrainingOptionsError } from './errors';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const step = (opt: AdamW, v: tf.Variable, g: number, lr: number, mom: number, weightDecay: number) =>
  tf.tidy(() => opt.applyGradients([{ variable: v, gradient: tf.fill(v.shape, g), lr, mom, weightDecay }]));

describe('AdamW', () => {
  it('takes fastai’s Adam steps with decoupled weight decay (hand-worked)', () => {
    const opt = new AdamW();
    const v = tf.variable(tf.ones([2]));
    // step 1: p = 1·(1 − 0.1·0.01) = 0.999; m̂ = 0.5, v̂ = 0.25; p −= 0.1 · 0.5 / (0.5 + 1e-5)
    step(opt, v, 0.5, 0.1, 0.9, 0.01);
    expect(v.dataSync()[0]).toBeCloseTo(0.999 - 0.05 / 0.50001, 6);
    expect(v.dataSync()[0]).toBeCloseTo(0.89900199996, 6);
    // step 2, with β1 changed by the schedule: m = 0.0125, v = 0.002875, debias 1 − 0.85², 1 − 0.99²
    step(opt, v, -0.2, 0.05, 0.85, 0.01);
    expect(v.dataSync()[1]).toBeCloseTo(0.8926271597, 6);
    expect(opt.size).toBe(1);
    opt.dispose();
    v.dispose();
  });

  it('without weight decay, a zero gradient leaves a fresh variable unchanged', () => {
    const opt = new AdamW();
    const v = tf.variable(tf.tensor1d([3, -2]));
    step(opt, v, 0, 0.1, 0.9, 0);
    expect(Array.from(v.dataSync())).toEqual([3, -2]);
    step(opt, v, 0, 0.1, 0.9, 0.5);
    expect(v.dataSync()[0]).toBeCloseTo(3 * 0.95, 6);
    opt.dispose();
    v.dispose();
  });

  it('restores its moments exactly and keeps the tensor count flat', () => {
    const opt = new AdamW();
    const a = tf.variable(tf.ones([3]));
    const b = tf.variable(tf.ones([2]));
    step(opt, a, 0.3, 0.01, 0.9, 0.01);
    const before = tf.memory().numTensors;
    const saved = opt.getState();
    step(opt, a, -0.7, 0.01, 0.9, 0.01);
    step(opt, b, 0.1, 0.01, 0.9, 0.01);
    opt.setState(saved);
    saved.dispose();
    expect(opt.size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    // the same next step from the restored state gives the same value as from an untouched copy
    const twin = new AdamW();
    const c = tf.variable(tf.ones([3]));
    step(twin, c, 0.3, 0.01, 0.9, 0.01);
    a.assign(c);
    step(opt, a, 0.2, 0.01, 0.9, 0.01);
    step(twin, c, 0.2, 0.01, 0.9, 0.01);
    expect(Array.from(a.dataSync())).toEqual(Array.from(c.dataSync()));
    for (const o of [opt, twin]) o.dispose();
    tf.dispose([a, b, c]);
  });

  it('rejects bad options', () => {
    expect(() => new AdamW({ beta2: 1 })).toThrow(TrainingOptionsError);
    expect(() => new AdamW({ eps: -1 })).toThrow(TrainingOptionsError);
  });
});
