import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers'; // registers the gradients
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from './register-wasm';
import { castWasm, identityWasm } from './shared-data';

/** Distinct wasm allocations (a shared tensor adds none). */
const dataIds = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();

describe('Identity and Cast on wasm share memory', () => {
  beforeAll(async () => {
    registerWasmTrainingKernels();
    await tf.setBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('are registered in place of tfjs-backend-wasm 4.22 copies', () => {
    expect(tf.getKernel('Identity', 'wasm')?.kernelFunc).toBe(identityWasm);
    expect(tf.getKernel('Cast', 'wasm')?.kernelFunc).toBe(castWasm);
  });

  it('clone shares: no new allocation, each reference outlives the other, the last one frees', () => {
    const before = dataIds();
    const x = tf.tensor([1.5, -2, 3]);
    const y = tf.clone(x);
    const z = tf.cast(x, 'float32');
    expect(dataIds()).toBe(before + 1);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1.5, -2, 3]);
    y.dispose();
    expect(Array.from(z.dataSync())).toEqual([1.5, -2, 3]);
    z.dispose();
    expect(dataIds()).toBe(before);
  });

  it('a variable assigned after a clone leaves the clone unchanged', () => {
    const v = tf.variable(tf.tensor([1, 2]));
    const snapshot = tf.clone(v);
    v.assign(tf.tensor([5, 6]));
    expect(Array.from(snapshot.dataSync())).toEqual([1, 2]);
    expect(Array.from(v.dataSync())).toEqual([5, 6]);
    tf.dispose([v, snapshot]);
  });

  it('Cast to another dtype converts as tfjs-backend-wasm does (int32 truncates toward zero)', () => {
    const x = tf.tensor([1.7, -1.7, 0, 0.25]);
    expect(Array.from(tf.cast(x, 'int32').dataSync())).toEqual([1, -1, 0, 0]);
    expect(Array.from(tf.cast(tf.tensor([3, 0, -2], undefined, 'int32'), 'float32').dataSync())).toEqual([
      3, 0, -2,
    ]);
    expect(tf.cast(x, 'int32').dtype).toBe('int32');
  });

  it('a training step holds fewer allocations (the tape keeps shared clones) with the same gradients', () => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(
          Float32Array.from({ length: 2 * 6 * 6 * 3 }, (_, i) => Math.sin(i)),
          [2, 6, 6, 3],
        );
        const w = tf.variable(
          tf.tensor4d(
            Float32Array.from({ length: 27 * 4 }, (_, i) => Math.cos(i)),
            [3, 3, 3, 4],
          ),
        );
        let peak = 0;
        const { grads } = tf.variableGrads(() => {
          const y = tf.relu(tf.conv2d(x, w, 1, 'same'));
          const loss = tf.sum(tf.square(tf.sigmoid(y)));
          peak = dataIds();
          return loss as tf.Scalar;
        }, [w]);
        const g = grads[w.name].dataSync();
        w.dispose();
        return { peak, g };
      });
    const shared = run();
    // tfjs-backend-wasm's own copying Identity, for comparison
    const ours = tf.getKernel('Identity', 'wasm')!;
    const copy: tf.KernelFunc = ({ inputs, backend }) => {
      const x = inputs.x as tf.TensorInfo;
      const b = backend as unknown as {
        makeOutput(shape: number[], dtype: string): tf.TensorInfo;
        typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
      };
      const out = b.makeOutput(x.shape, x.dtype);
      b.typedArrayFromHeap(out).set(b.typedArrayFromHeap(x));
      return out;
    };
    tf.unregisterKernel('Identity', 'wasm');
    tf.registerKernel({ kernelName: 'Identity', backendName: 'wasm', kernelFunc: copy });
    try {
      const copied = run();
      expect(shared.peak).toBeLessThan(copied.peak);
      expect(Array.from(shared.g)).toEqual(Array.from(copied.g));
    } finally {
      tf.unregisterKernel('Identity', 'wasm');
      tf.registerKernel(ours);
    }
  });
});
