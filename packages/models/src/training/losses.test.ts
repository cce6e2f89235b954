import '@tensorflow/tfjs-backend-cpu';
import { InvalidShapeError, ShapeMismatchError } from '@myoseg/core';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { TrainingOptionsError } from './errors';
import { diceCrossEntropyLoss, oneHotMasks, softDiceLoss, softmaxCrossEntropy } from './losses';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Two pixels: true class 0 predicted [0.8, 0.2]; true class 1 predicted [0.4, 0.6]. */
const yTrue = () => tf.tensor4d([1, 0, 0, 1], [1, 1, 2, 2]);
const yPred = () => tf.tensor4d([0.8, 0.2, 0.4, 0.6], [1, 1, 2, 2]);
const value = (t: tf.Scalar) => {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
};

describe('softmaxCrossEntropy', () => {
  it('is the mean of −ln p(true class), hand-worked', () => {
    // (−ln 0.8 − ln 0.6) / 2
    expect(value(softmaxCrossEntropy(yTrue(), yPred()))).toBeCloseTo(0.366984585, 6);
  });

  it('weights pixels by their true class and divides by the weight sum, as PyTorch', () => {
    // (1 · 0.22314355 + 3 · 0.51082562) / 4
    expect(value(softmaxCrossEntropy(yTrue(), yPred(), { classWeights: [1, 3] }))).toBeCloseTo(0.4389051, 6);
  });

  it('rejects bad class weights and mismatched shapes', () => {
    expect(() => softmaxCrossEntropy(yTrue(), yPred(), { classWeights: [1] })).toThrow(TrainingOptionsError);
    expect(() => softmaxCrossEntropy(yTrue(), yPred(), { classWeights: [1, -1] })).toThrow(
      TrainingOptionsError,
    );
    expect(() => softmaxCrossEntropy(tf.zeros([1, 2, 2, 2]) as tf.Tensor4D, yPred())).toThrow(
      ShapeMismatchError,
    );
    expect(() => softmaxCrossEntropy(yTrue(), tf.zeros([2, 2]) as unknown as tf.Tensor4D)).toThrow(
      InvalidShapeError,
    );
  });
});

describe('softDiceLoss', () => {
  it('is 1 − mean soft Dice over classes, hand-worked', () => {
    // class 0: (1.6 + 1) / (2.2 + 1); class 1: (1.2 + 1) / (1.8 + 1)
    expect(value(softDiceLoss(yTrue(), yPred()))).toBeCloseTo(1 - (2.6 / 3.2 + 2.2 / 2.8) / 2, 6);
    expect(value(softDiceLoss(yTrue(), yPred(), { smooth: 0 }))).toBeCloseTo(
      1 - (1.6 / 2.2 + 1.2 / 1.8) / 2,
      6,
    );
    expect(value(softDiceLoss(yTrue(), yPred(), { ignoreBackground: true }))).toBeCloseTo(1 - 2.2 / 2.8, 6);
  });

  it('rejects a negative smooth and ignoreBackground with one class', () => {
    expect(() => softDiceLoss(yTrue(), yPred(), { smooth: -1 })).toThrow(TrainingOptionsError);
    const one = tf.ones([1, 2, 2, 1]) as tf.Tensor4D;
    expect(() => softDiceLoss(one, one, { ignoreBackground: true })).toThrow(TrainingOptionsError);
  });
});

describe('diceCrossEntropyLoss', () => {
  it('is the sum of the two terms', () => {
    expect(value(diceCrossEntropyLoss(yTrue(), yPred()))).toBeCloseTo(
      0.366984585 + 1 - (2.6 / 3.2 + 2.2 / 2.8) / 2,
      6,
    );
  });

  it('is 0 for a perfect prediction, and the Dice term stays in [0, 1] (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.float({ min: Math.fround(0.01), max: 1, noNaN: true }), { minLength: 18, maxLength: 18 }),
        (labels, raw) => {
          const before = tf.memory().numTensors;
          const y = tf.tidy(() => oneHotMasks(tf.tensor3d(labels, [1, 2, 3], 'int32'), 3));
          const p = tf.tidy(() => {
            const r = tf.tensor4d(raw, [1, 2, 3, 3]);
            return tf.div(r, tf.sum(r, -1, true)) as tf.Tensor4D;
          });
          expect(value(diceCrossEntropyLoss(y, y))).toBeCloseTo(0, 5);
          const d = value(softDiceLoss(y, p));
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(1);
          tf.dispose([y, p]);
          expect(tf.memory().numTensors).toBe(before);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('oneHotMasks', () => {
  it('one-hots int labels and checks its input', () => {
    const y = oneHotMasks(tf.tensor3d([0, 2, 1, 0], [1, 2, 2], 'int32'), 3);
    expect(y.shape).toEqual([1, 2, 2, 3]);
    expect(Array.from(y.dataSync())).toEqual([1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0]);
    expect(() => oneHotMasks(tf.zeros([2, 2]) as unknown as tf.Tensor3D, 2)).toThrow(InvalidShapeError);
    expect(() => oneHotMasks(tf.zeros([1, 2, 2]) as tf.Tensor3D, 0)).toThrow(TrainingOptionsError);
  });
});
