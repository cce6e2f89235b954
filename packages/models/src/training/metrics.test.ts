import '@tensorflow/tfjs-backend-cpu';
import { dice } from '@myoseg/core';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import ndarray from 'ndarray';
import { beforeAll, describe, expect, it } from 'vitest';
import { TrainingOptionsError } from './errors';
import { oneHotMasks } from './losses';
import { diceMetric } from './metrics';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const oneHot = (labels: number[], shape: [number, number, number], classes: number) =>
  oneHotMasks(tf.tensor3d(labels, shape, 'int32'), classes);

describe('diceMetric', () => {
  it('scores the argmax of prediction and target, hand-worked', () => {
    const y = oneHot([1, 1, 0, 0], [1, 2, 2], 2);
    const p = oneHot([1, 0, 1, 0], [1, 2, 2], 2);
    expect(diceMetric(1)(y, p).dataSync()[0]).toBeCloseTo(0.5, 6);
    expect(diceMetric(0)(y, p).dataSync()[0]).toBeCloseTo(0.5, 6);
    expect(diceMetric(1).name).toBe('dice1');
  });

  it('gives 1 for a class absent from both', () => {
    const y = oneHot([0, 0, 0, 0], [1, 2, 2], 3);
    expect(diceMetric(2)(y, y).dataSync()[0]).toBe(1);
  });

  it('equals @myoseg/core dice on the class masks (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 12, maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 12, maxLength: 12 }),
        fc.integer({ min: 0, max: 2 }),
        (a, b, c) => {
          const ya = oneHot(a, [2, 2, 3], 3);
          const yb = oneHot(b, [2, 2, 3], 3);
          const got = diceMetric(c)(ya, yb).dataSync()[0];
          const ref = dice(
            ndarray(
              Uint8Array.from(a, (v) => +(v === c)),
              [12],
            ),
            ndarray(
              Uint8Array.from(b, (v) => +(v === c)),
              [12],
            ),
          );
          tf.dispose([ya, yb]);
          expect(got).toBeCloseTo(ref, 6);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('rejects a bad class index', () => {
    expect(() => diceMetric(-1)).toThrow(TrainingOptionsError);
    const y = oneHot([0, 1, 0, 1], [1, 2, 2], 2);
    expect(() => diceMetric(2)(y, y)).toThrow(TrainingOptionsError);
  });
});
