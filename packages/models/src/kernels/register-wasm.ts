import {
  Cast,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  getGradient,
  getKernel,
  Identity,
  type KernelConfig,
  type KernelFunc,
  registerGradient,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { ADAMW_STEP, adamwStepWasm } from './adamw-step';
import { batchNormGradient } from './batch-norm-gradient';
import { conv2dBackpropFilterWasm } from './conv2d-backprop-filter';
import { conv2dBackpropInputWasm } from './conv2d-backprop-input';
import { castWasm, identityWasm } from './shared-data';

/** Registers `config` on its backend in place of any kernel of that name (no-op if it is registered already). */
function install(config: KernelConfig): void {
  const current = getKernel(config.kernelName, config.backendName);
  if (current === config) return;
  if (current !== undefined) unregisterKernel(config.kernelName, config.backendName);
  registerKernel(config);
}

// tfjs-backend-wasm 4.22 kernels replaced: its naive Conv2DBackpropInput (~8× slower), and Identity and
// same-dtype Cast, which copy where they can share.
const replacements: KernelConfig[] = [
  { kernelName: Conv2DBackpropInput, kernelFunc: conv2dBackpropInputWasm },
  { kernelName: Identity, kernelFunc: identityWasm },
  { kernelName: Cast, kernelFunc: castWasm },
].map(({ kernelName, kernelFunc }) => ({
  kernelName,
  backendName: 'wasm',
  kernelFunc: kernelFunc as unknown as KernelFunc,
}));

const installReplacements = () => {
  for (const config of replacements) install(config);
};

const filterGradient: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilterWasm as unknown as KernelFunc,
  // tfjs runs the setup of every kernel of a backend on each `setBackend`, after tfjs-backend-wasm has
  // registered its own kernels at import: the moment to replace them whatever the order.
  setupFunc: installReplacements,
};

/** AdamW's update as one kernel (`AdamW` uses it where the backend has it). */
const adamwKernel: KernelConfig = {
  kernelName: ADAMW_STEP,
  backendName: 'wasm',
  kernelFunc: adamwStepWasm as unknown as KernelFunc,
};

/**
 * Registers, on the `wasm` backend, fast gradient kernels for 2D convolutions (NHWC, dilation 1), built on the
 * backend's own XNNPACK convolution: `Conv2DBackpropFilter` (which tfjs-backend-wasm 4.22 lacks) and
 * `Conv2DBackpropInput` (replacing its naive one). Same results as the cpu backend's to float32 rounding. It also
 * replaces `Identity` and same-dtype `Cast` by kernels that share memory instead of copying it (tfjs keeps a clone of
 * every tensor the backward pass needs: shared, a training step holds about a fifth less wasm memory), adds
 * `AdamW`'s update as one kernel (one pass over a variable and its moments instead of 14), and, on every
 * backend, tfjs-core's `FusedBatchNorm` gradient by one with the same formulas and fewer full-size temporaries.
 *
 * Idempotent, and it works whether it runs before or after `import '@tensorflow/tfjs-backend-wasm'` and
 * `tf.setBackend('wasm')`: when the wasm package is not loaded yet, the replacement happens at the next
 * `setBackend`. It needs no wasm package at all (the kernels are then never called).
 */
export function registerWasmTrainingKernels(): void {
  install(filterGradient);
  install(adamwKernel);
  if (getGradient(batchNormGradient.kernelName) !== batchNormGradient) registerGradient(batchNormGradient);
  // tfjs-backend-wasm registers its kernels (Conv2D among them) at import; before that there is nothing to replace.
  if (getKernel('Conv2D', 'wasm') !== undefined) installReplacements();
}
