import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers the gradients
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { batchNormGradient } from './batch-norm-gradient';

/** tfjs-core's own gradient, registered at its import. */
const builtin = tf.getGradient('FusedBatchNorm') as tf.GradConfig;

/** Gradients of `Σ batchNorm(x, mean, var, offset, scale) · r` with respect to all five inputs. */
function gradients(meanShape: number[]): Float32Array[] {
  return tf.tidy(() => {
    const shape = [2, 3, 4, 5];
    // seeded draws reshaped to meanShape: [C] and [1, 1, 1, C] get the same numbers
    const size = meanShape.reduce((a, b) => a * b, 1);
    const perMean = (seed: number) => tf.reshape(tf.randomUniform([size], -1, 1, 'float32', seed), meanShape);
    const x = tf.randomUniform(shape, -1, 1, 'float32', 1);
    const r = tf.randomUniform(shape, -1, 1, 'float32', 2);
    const mean = perMean(3);
    const variance = tf.add(tf.abs(perMean(4)), 0.5);
    const offset = perMean(5);
    const scale = perMean(6);
    const f = (...t: tf.Tensor[]) => tf.sum(tf.mul(tf.batchNorm(t[0], t[1], t[2], t[3], t[4], 1e-3), r));
    return tf
      .grads(f)([x, mean, variance, offset, scale])
      .map((g) => g.dataSync() as Float32Array);
  });
}

describe('batchNormGradient', () => {
  afterEach(() => {
    tf.registerGradient(builtin);
  });

  // tfjs-core's own gradient fails on a [1, 1, 1, C] mean (it sums only for rank 1): the same values as [C] stand in
  it.each([
    ['per channel [C]', [5], [5]],
    ['broadcast [1, 1, 1, C]', [1, 1, 1, 5], [5]],
    ['full shape', [2, 3, 4, 5], [2, 3, 4, 5]],
  ])('gives tfjs-core’s gradients to float rounding (%s)', async (_, meanShape, referenceShape) => {
    await tf.setBackend('cpu');
    tf.registerGradient(builtin);
    const want = gradients(referenceShape);
    tf.registerGradient(batchNormGradient);
    const got = gradients(meanShape);
    expect(got).toHaveLength(5);
    want.forEach((w, i) => {
      const scale = Math.max(...w.map(Math.abs));
      expect(scale).toBeGreaterThan(0.01);
      w.forEach((v, k) => {
        expect(Math.abs(got[i][k] - v)).toBeLessThanOrEqual(1e-5 * scale);
      });
    });
  });

  it('allocates no tensor that outlives the backward pass', async () => {
    await tf.setBackend('cpu');
    tf.registerGradient(batchNormGradient);
    gradients([5]);
    const before = tf.memory().numTensors;
    gradients([5]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
