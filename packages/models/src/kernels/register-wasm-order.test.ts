// Its own file (and process): tfjs-backend-wasm must not be imported before the test calls the registration.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers the gradients
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { conv2dBackpropInputWasm } from './conv2d-backprop-input';
import { registerWasmTrainingKernels } from './register-wasm';

describe('registerWasmTrainingKernels before tfjs-backend-wasm is imported', () => {
  it('still replaces its Conv2DBackpropInput once the backend is set', async () => {
    registerWasmTrainingKernels();
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).toBeUndefined();
    await import('@tensorflow/tfjs-backend-wasm');
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).not.toBe(conv2dBackpropInputWasm);
    await tf.setBackend('wasm');
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).toBe(conv2dBackpropInputWasm);
    const dx = tf.grad((x) =>
      tf.sum(tf.conv2d(x as tf.Tensor4D, tf.ones([3, 3, 1, 2]) as tf.Tensor4D, 2, 'same')),
    )(tf.zeros([1, 5, 5, 1]));
    // Each input pixel is read by as many (output, tap) pairs as the stride-2 grid gives it, times 2 filters.
    expect(Array.from(dx.dataSync())).toEqual([
      2, 4, 2, 4, 2, 4, 8, 4, 8, 4, 2, 4, 2, 4, 2, 4, 8, 4, 8, 4, 2, 4, 2, 4, 2,
    ]);
    await tf.setBackend('cpu');
  });
});
