import '@tensorflow/tfjs-backend-cpu';
import { ShapeMismatchError } from '@myoseg/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { toConvWeight } from './kernel-layout';

beforeAll(() => tf.setBackend('cpu'));

describe('toConvWeight', () => {
  for (const shape of [
    [3, 3, 5, 37], // more output channels than one tile, and not a multiple of it
    [1, 1, 16, 4],
    [7, 7, 3, 2],
    [1, 3, 2, 20], // a non-square kernel
  ]) {
    it(`lays out a [${shape.join(', ')}] kernel as ONNX's [out, in, kh, kw], and flipped as [in, out, kh, kw]`, () => {
      const kernel = tf.randomNormal(shape, 0, 1, 'float32', 3);
      const data = kernel.dataSync() as Float32Array;
      const flipped = new Float32Array(data.length);
      const conv = toConvWeight(data, shape, undefined, flipped);
      expect(Array.from(conv)).toEqual(Array.from(tf.transpose(kernel, [3, 2, 0, 1]).dataSync()));
      const reference = tf.reverse(tf.transpose(kernel, [2, 3, 0, 1]), [2, 3]);
      expect(Array.from(flipped)).toEqual(Array.from(reference.dataSync()));
      // without `flipped`, the same ONNX layout
      expect(Array.from(toConvWeight(data, shape))).toEqual(Array.from(conv));
      tf.dispose([kernel, reference]);
    });
  }

  it('names a length that does not match the shape', () => {
    expect(() => toConvWeight(new Float32Array(10), [3, 3, 1, 1])).toThrow(ShapeMismatchError);
    expect(() => toConvWeight(new Float32Array(9), [3, 3, 1, 1], new Float32Array(8))).toThrow(
      /output length/,
    );
    expect(() => toConvWeight(new Float32Array(9), [9, 1, 1])).toThrow(/\[kh, kw, in, out\]/);
  });
});
