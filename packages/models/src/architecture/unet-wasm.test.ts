import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { PixelShuffle } from './pixel-shuffle';
import { buildUNet } from './unet';

const onBackend = async <T>(name: string, fn: () => T): Promise<T> => {
  await tf.setBackend(name);
  return fn();
};

describe('U-Net on the wasm backend', () => {
  it('predicts what the cpu backend predicts (pixel shuffle, crops, odd size)', async () => {
    const run = () => {
      const inputShape: [number, number, number] = [37, 53, 1];
      const m = buildUNet({
        encoder: 'resnet18',
        inputShape,
        numClasses: 2,
        widthMultiplier: 1 / 8,
        seed: 6,
      });
      const x = tf.randomNormal([2, 37, 53, 1], 0, 1, 'float32', 1);
      return Array.from((m.predict(x) as tf.Tensor).dataSync());
    };
    const cpu = await onBackend('cpu', run);
    const wasm = await onBackend('wasm', run);
    expect(wasm.length).toBe(cpu.length);
    expect(Math.max(...wasm.map((v, i) => Math.abs(v - cpu[i])))).toBeLessThan(1e-4);
  });

  it('differentiates PixelShuffle (6-d transpose) as the cpu backend does', async () => {
    const run = () => {
      const x = tf.randomNormal([2, 3, 4, 8], 0, 1, 'float32', 2);
      const w = tf.randomNormal([2, 6, 8, 2], 0, 1, 'float32', 3);
      const layer = new PixelShuffle({ scale: 2 });
      return Array.from(
        tf
          .grad((v: tf.Tensor) => tf.sum(tf.mul(layer.apply(v) as tf.Tensor, w)))(x)
          .dataSync(),
      );
    };
    expect(await onBackend('wasm', run)).toEqual(await onBackend('cpu', run));
  });
});
