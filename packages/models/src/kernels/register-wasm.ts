import {
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  getKernel,
  type KernelConfig,
  type KernelFunc,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterWasm } from './conv2d-backprop-filter';
import { conv2dBackpropInputWasm } from './conv2d-backprop-input';

/** Registers `config` on its backend in place of any kernel of that name (no-op if it is registered already). */
function install(config: KernelConfig): void {
  const current = getKernel(config.kernelName, config.backendName);
  if (current === config) return;
  if (current !== undefined) unregisterKernel(config.kernelName, config.backendName);
  registerKernel(config);
}

/** Replaces tfjs-backend-wasm 4.22's `Conv2DBackpropInput` (a naive loop, ~8× slower). */
const inputGradient: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInputWasm as unknown as KernelFunc,
};

const filterGradient: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilterWasm as unknown as KernelFunc,
  // tfjs runs the setup of every kernel of a backend on each `setBackend`, after tfjs-backend-wasm has
  // registered its own kernels at import: the moment to replace its Conv2DBackpropInput whatever the order.
  setupFunc: () => install(inputGradient),
};

/**
 * Registers, on the `wasm` backend, fast gradient kernels for 2D convolutions (NHWC, dilation 1), built on the
 * backend's own XNNPACK convolution: `Conv2DBackpropFilter` (which tfjs-backend-wasm 4.22 lacks) and
 * `Conv2DBackpropInput` (replacing its naive one). Same results as the cpu backend's to float32 rounding.
 *
 * Idempotent, and it works whether it runs before or after `import '@tensorflow/tfjs-backend-wasm'` and
 * `tf.setBackend('wasm')`: when the wasm package is not loaded yet, the replacement happens at the next
 * `setBackend`. It needs no wasm package at all (the kernels are then never called).
 */
export function registerWasmTrainingKernels(): void {
  install(filterGradient);
  // tfjs-backend-wasm registers its kernels (Conv2D among them) at import; before that there is nothing to replace.
  if (getKernel('Conv2D', 'wasm') !== undefined) install(inputGradient);
}
