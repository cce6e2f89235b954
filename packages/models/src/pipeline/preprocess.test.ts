import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import ndarray from 'ndarray';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeBatches } from '../training/data';
import type { Normalization } from '../training/normalization-schema';
import { prepareInput } from './preprocess';

beforeAll(() => tf.setBackend('cpu'));

/** A 37×53 slice with a bright ring on a gradient, in scanner-like units. */
const image = ndarray(
  Float32Array.from({ length: 37 * 53 }, (_, i) => {
    const y = Math.floor(i / 53);
    const x = i % 53;
    const r = Math.hypot(y - 18, x - 30);
    return 40 + 3 * x + (r > 6 && r < 10 ? 700 : 0) + 25 * Math.sin(i);
  }),
  [37, 53],
);

describe('inference preprocessing equals training preprocessing', () => {
  const cases: [Normalization, 1 | 3, [number, number]][] = [
    ['per-image', 1, [37, 53]],
    ['per-image', 1, [24, 24]],
    ['per-image', 3, [32, 40]],
    ['imagenet', 3, [24, 24]],
    ['imagenet', 1, [37, 53]],
  ];
  for (const [normalization, channels, size] of cases) {
    it(`${normalization}, ${channels} channel(s), ${size.join('×')}`, () => {
      const mask = ndarray(new Uint8Array(37 * 53), [37, 53]);
      // a batch's tensors live until the iteration moves on: read them first
      const batches = makeBatches([{ image, mask }], {
        size,
        batchSize: 1,
        numClasses: 2,
        normalize: normalization,
        channels,
      });
      const training = batches.next().value.x.dataSync();
      batches.return?.();
      const inference = prepareInput(image, size, normalization, channels);
      expect(inference.length).toBe(training.length);
      let worst = 0;
      for (let i = 0; i < training.length; i++) worst = Math.max(worst, Math.abs(training[i] - inference[i]));
      expect(worst).toBeLessThan(1e-4);
    });
  }
});
