// `npx vitest bench --run src/kernels` : the wasm Conv2DBackpropFilter of this package against the cpu
// backend's (the baseline), on shapes of a ResNet-18 U-Net at 1/8 width, and one training step of that U-Net.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { bench, describe } from 'vitest';
import { registerWasmTrainingKernels } from './register-wasm';

await tf.setBackend('wasm');
registerWasmTrainingKernels();

const shapes: {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  stride: number;
}[] = [
  { name: 'stem 7×7/2, 3→8, 4×64×64', x: [4, 64, 64, 3], filter: [7, 7, 3, 8], stride: 2 },
  { name: '3×3/1, 16→16, 4×32×32', x: [4, 32, 32, 16], filter: [3, 3, 16, 16], stride: 1 },
  { name: '3×3/2, 32→64, 4×16×16', x: [4, 16, 16, 32], filter: [3, 3, 32, 64], stride: 2 },
  { name: '1×1/1, 64→64, 4×8×8', x: [4, 8, 8, 64], filter: [1, 1, 64, 64], stride: 1 },
];

for (const s of shapes) {
  describe(`Conv2DBackpropFilter ${s.name}`, () => {
    const run = (backend: string) => () => {
      tf.setBackend(backend);
      tf.tidy(() => {
        const x = tf.randomNormal(s.x, 0, 1, 'float32', 1) as tf.Tensor4D;
        const w = tf.randomNormal(s.filter, 0, 1, 'float32', 2);
        const dw = tf.grad((f) => tf.sum(tf.conv2d(x, f as tf.Tensor4D, s.stride, 'same')))(w);
        dw.dataSync();
      });
    };
    bench('cpu backend (baseline)', run('cpu'), { iterations: 3 });
    bench('wasm + registerWasmTrainingKernels', run('wasm'), { iterations: 10 });
  });
}

describe('build + one training step, ResNet-18 U-Net at 1/8 width, batch 4 × 32×32', async () => {
  const { buildUNet } = await import('../architecture');
  const { fitOneCycle } = await import('../training/fit-one-cycle');
  const { segmentationData } = await import('../training/data');
  const { ringSamples } = await import('../training/test-support');
  const data = segmentationData(ringSamples(4, 32, 1), { size: [32, 32], batchSize: 4, numClasses: 2 });
  const step = (backend: string) => async () => {
    await tf.setBackend(backend);
    const model = buildUNet({
      encoder: 'resnet18',
      inputShape: [32, 32, 3],
      numClasses: 2,
      widthMultiplier: 1 / 8,
    });
    await fitOneCycle(model, data, { epochs: 1, lrMax: 1e-3 });
    model.dispose();
  };
  bench('cpu backend (baseline)', step('cpu'), { iterations: 1, warmupIterations: 0 });
  bench('wasm + registerWasmTrainingKernels', step('wasm'), { iterations: 10 });
});
