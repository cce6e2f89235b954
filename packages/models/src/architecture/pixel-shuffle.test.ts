import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { icnrKernel, PixelShuffle } from './pixel-shuffle';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const shuffle = (x: tf.Tensor) => new PixelShuffle({ scale: 2 }).apply(x) as tf.Tensor;

describe('PixelShuffle', () => {
  it('uses PyTorch’s channel order: output channel k at sub-pixel (i, j) is input channel 4k + 2i + j', () => {
    const x = tf.tensor4d([0, 1, 2, 3, 4, 5, 6, 7], [1, 1, 1, 8]);
    // torch.nn.PixelShuffle(2)(torch.arange(8.).view(1, 8, 1, 1)) = [[[0, 1], [2, 3]], [[4, 5], [6, 7]]] (NCHW)
    expect(shuffle(x).shape).toEqual([1, 2, 2, 2]);
    expect(Array.from(shuffle(x).dataSync())).toEqual([0, 4, 1, 5, 2, 6, 3, 7]);
    // tf.depthToSpace reads input channel (2i + j)·C + k instead
    expect(Array.from(tf.depthToSpace(x as tf.Tensor4D, 2).dataSync())).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('equals tf.depthToSpace after regrouping the channels, on a batch of random maps', () => {
    const x = tf.randomNormal([2, 3, 5, 12], 0, 1, 'float32', 1) as tf.Tensor4D;
    // PyTorch channel 4k + s → TensorFlow channel s·C + k, C = 3
    const regrouped = tf.reshape(
      tf.transpose(tf.reshape(x, [2, 3, 5, 3, 4]), [0, 1, 2, 4, 3]),
      [2, 3, 5, 12],
    );
    const expected = tf.depthToSpace(regrouped as tf.Tensor4D, 2);
    expect(shuffle(x).shape).toEqual([2, 6, 10, 3]);
    expect(tf.max(tf.abs(tf.sub(shuffle(x), expected))).dataSync()[0]).toBe(0);
  });

  it('has a gradient on the cpu backend: the inverse rearrangement', () => {
    const x = tf.randomNormal([1, 2, 2, 8], 0, 1, 'float32', 2);
    const w = tf.randomNormal([1, 4, 4, 2], 0, 1, 'float32', 3);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(shuffle(v), w)))(x);
    // d/dx of sum(shuffle(x) · w) is w put back where each x element went
    const back = tf.reshape(
      tf.transpose(tf.reshape(w, [1, 2, 2, 2, 2, 2]), [0, 1, 3, 5, 2, 4]),
      [1, 2, 2, 8],
    );
    expect(tf.max(tf.abs(tf.sub(g, back))).dataSync()[0]).toBe(0);
  });

  it('computes symbolic output shapes and keeps scale in its config', () => {
    const layer = new PixelShuffle({ scale: 3, name: 'up' });
    expect(layer.computeOutputShape([null, 4, 5, 18])).toEqual([null, 12, 15, 2]);
    expect(layer.getConfig()).toMatchObject({ scale: 3, name: 'up' });
  });
});

describe('icnrKernel', () => {
  it('repeats each of out/4 kaiming-normal filters 4 times in a row, so the shuffle starts as nearest upsampling', () => {
    const k = icnrKernel(64, 32, 2, 7);
    expect(k.shape).toEqual([1, 1, 64, 32]);
    const v = k.arraySync()[0][0];
    for (const row of v) for (let c = 0; c < 32; c++) expect(row[c]).toBe(row[4 * Math.floor(c / 4)]);
    const { variance } = tf.moments(k);
    expect(Math.sqrt(variance.dataSync()[0]) / Math.sqrt(2 / 64)).toBeCloseTo(1, 0);
    expect(Array.from(icnrKernel(64, 32, 2, 7).dataSync())).toEqual(Array.from(k.dataSync()));
  });
});
