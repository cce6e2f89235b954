// `npx vitest bench --run src/kernels`: this package's wasm convolution gradients against what they replace, in
// one run: the plain-JS Conv2DBackpropFilter it had before, and tfjs-backend-wasm 4.22's own
// Conv2DBackpropInput; per kernel on the shapes of a ResNet-18 U-Net at 1/8 width (64×64×1 inputs, batch 16),
// then one training step of that U-Net with the old and the new pair.
import '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import ndarray from 'ndarray';
import { bench, describe } from 'vitest';
import { buildUNet } from '../architecture';
import { segmentationData } from '../training/data';
import { fitOneCycle } from '../training/fit-one-cycle';
import { conv2dBackpropFilterNhwc } from './conv2d-backprop-filter-js';
import { registerWasmTrainingKernels } from './register-wasm';

await tf.setBackend('wasm');
const backend = tf.backend() as BackendWasm;
const builtinInputGradient = tf.getKernel('Conv2DBackpropInput', 'wasm');
registerWasmTrainingKernels();
const newKernels = ['Conv2DBackpropFilter', 'Conv2DBackpropInput'].map((name) => tf.getKernel(name, 'wasm'));

/** The filter gradient as this package computed it before: values copied out of the heap, im2col in JS. */
const jsFilterGradient: tf.KernelFunc = ({ inputs, attrs }) => {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    a.filterShape,
    a.strides,
    1,
    a.pad,
  );
  const dW = conv2dBackpropFilterNhwc(
    backend.readSync(x.dataId) as Float32Array,
    backend.readSync(dy.dataId) as Float32Array,
    {
      batch: info.batchSize,
      inHeight: info.inHeight,
      inWidth: info.inWidth,
      inChannels: info.inChannels,
      outHeight: info.outHeight,
      outWidth: info.outWidth,
      outChannels: info.outChannels,
      filterHeight: info.filterHeight,
      filterWidth: info.filterWidth,
      strideHeight: info.strideHeight,
      strideWidth: info.strideWidth,
      padTop: info.padInfo.top,
      padLeft: info.padInfo.left,
    },
  );
  return backend.makeOutput(info.filterShape, 'float32', undefined, dW);
};
const oldKernels: tf.KernelConfig[] = [
  { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: jsFilterGradient },
  builtinInputGradient,
];
function use(kernels: tf.KernelConfig[]) {
  for (const k of kernels) {
    tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel(k);
  }
}

const shapes: {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  stride: number;
  pad: 'same' | 'valid';
}[] = [
  { x: [16, 64, 64, 8], filter: [3, 3, 8, 8], stride: 1, pad: 'same' },
  { x: [16, 64, 64, 13], filter: [3, 3, 13, 13], stride: 1, pad: 'same' },
  { x: [16, 32, 32, 12], filter: [1, 1, 12, 48], stride: 1, pad: 'valid' },
  { x: [16, 32, 32, 16], filter: [3, 3, 16, 32], stride: 2, pad: 'valid' },
  // the stem: 7×7 stride 2 on the zero-padded 64×64×1 input
  { x: [16, 70, 70, 1], filter: [7, 7, 1, 8], stride: 2, pad: 'valid' },
];
const options = { time: 0, iterations: 7, warmupIterations: 1 };

for (const s of shapes) {
  const name = `${s.x.join('×')} → ${s.filter[3]}, ${s.filter[0]}×${s.filter[1]} stride ${s.stride} ${s.pad}`;
  const x = tf.randomNormal(s.x, 0, 1, 'float32', 1);
  const w = tf.randomNormal(s.filter, 0, 1, 'float32', 2);
  const dy = tf.randomNormal(
    tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s.stride, s.pad).shape,
    0,
    1,
    'float32',
    3,
  );
  const attrs = { strides: s.stride, pad: s.pad, dataFormat: 'NHWC' };
  // A fresh copy of dy each time, as in training: XNNPACK caches the packed filter per tensor, and the 1×1
  // filter gradient uses dy as its filter.
  const run = (kernel: tf.KernelFunc, inputs: tf.NamedTensorInfoMap, extra: tf.NamedAttrMap) => () => {
    const fresh = tf.mul(inputs.dy as tf.Tensor, 1);
    const out = kernel({
      inputs: { ...inputs, dy: fresh },
      backend,
      attrs: { ...attrs, ...extra },
    }) as tf.TensorInfo;
    backend.disposeData(out.dataId);
    fresh.dispose();
  };
  describe(`Conv2DBackpropFilter ${name}`, () => {
    const filterShape = { filterShape: s.filter };
    bench('before: plain-JS im2col', run(jsFilterGradient, { x, dy }, filterShape), options);
    bench('new: XNNPACK Conv2D', run(newKernels[0].kernelFunc, { x, dy }, filterShape), options);
  });
  describe(`Conv2DBackpropInput ${name}`, () => {
    const inputShape = { inputShape: s.x };
    bench(
      'before: tfjs-backend-wasm 4.22',
      run(builtinInputGradient.kernelFunc, { dy, filter: w }, inputShape),
      options,
    );
    bench('new: XNNPACK Conv2D', run(newKernels[1].kernelFunc, { dy, filter: w }, inputShape), options);
  });
}

describe('one training step, ResNet-18 U-Net at 1/8 width, 16 × 64×64×1', () => {
  const size = 64;
  const samples = Array.from({ length: 16 }, (_, i) => ({
    image: ndarray(
      Float32Array.from({ length: size * size }, (_, j) => Math.sin(j * 0.01 + i)),
      [size, size],
    ),
    mask: ndarray(
      Uint8Array.from({ length: size * size }, (_, j) => (j % size > size / 2 ? 1 : 0)),
      [size, size],
    ),
  }));
  const data = segmentationData(samples, { size: [size, size], batchSize: 16, numClasses: 2, channels: 1 });
  const model = buildUNet({
    encoder: 'resnet18',
    inputShape: [size, size, 1],
    numClasses: 2,
    widthMultiplier: 1 / 8,
  });
  const step = (kernels: tf.KernelConfig[]) => async () => {
    use(kernels);
    await fitOneCycle(model, data, { epochs: 1, lrMax: 1e-3 });
  };
  bench('before: plain-JS filter gradient + built-in input gradient', step(oldKernels), {
    ...options,
    iterations: 5,
  });
  bench('new: registerWasmTrainingKernels', step(newKernels), { ...options, iterations: 5 });
});
