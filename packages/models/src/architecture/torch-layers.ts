import * as tfl from '@tensorflow/tfjs-layers';
import type { Initializer } from './initializers';

type Symbolic = tfl.SymbolicTensor;

/** PyTorch's `BatchNorm2d` defaults: eps 1e-5, running-average momentum 0.1 (tfjs keeps 1 - 0.1 of the old value). */
export const BATCH_NORM_EPSILON = 1e-5;
/** tfjs' BatchNormalization momentum equal to PyTorch's `momentum=0.1`. */
export const BATCH_NORM_MOMENTUM = 0.9;

/** One `nn.Conv2d` (square kernel, symmetric padding, as PyTorch). */
export interface TorchConvSpec {
  name: string;
  filters: number;
  kernel: number;
  stride?: number;
  padding?: number;
  kernelInitializer: Initializer;
  /** Without it the conv has no bias (torchvision's convs). */
  biasInitializer?: Initializer;
  activation?: 'relu';
}

/** PyTorch's fan of a `k × k` conv: `k · k · in` (fan_in) or `k · k · out` (fan_out). */
export const fan = (kernel: number, channelCount: number): number => kernel * kernel * channelCount;

/**
 * A conv that pads as PyTorch does: the same `padding` rows and columns on every side.
 *
 * tfjs' `same` pads `(k - 1) / 2` on each side for stride 1 and odd `k`, which is PyTorch's padding, so
 * those convs use it. For stride 2, `same` puts the odd extra row at the bottom only (TensorFlow's rule),
 * so those get an explicit `zeroPadding2d` (named `<name>.pad`) and a `valid` conv.
 */
export function torchConv2d(x: Symbolic, spec: TorchConvSpec): Symbolic {
  const stride = spec.stride ?? 1;
  const pad = spec.padding ?? 0;
  let padding: 'same' | 'valid' = 'valid';
  if (pad > 0 && stride === 1 && 2 * pad === spec.kernel - 1) {
    padding = 'same';
  } else if (pad > 0) {
    x = tfl.layers.zeroPadding2d({ padding: pad, name: `${spec.name}.pad` }).apply(x) as Symbolic;
  }
  return tfl.layers
    .conv2d({
      name: spec.name,
      filters: spec.filters,
      kernelSize: spec.kernel,
      strides: stride,
      padding,
      useBias: spec.biasInitializer !== undefined,
      kernelInitializer: spec.kernelInitializer,
      biasInitializer: spec.biasInitializer,
      activation: spec.activation ?? 'linear',
    })
    .apply(x) as Symbolic;
}

/** `nn.BatchNorm2d` over the channel axis, eps 1e-5 and momentum 0.1 as PyTorch; `beta0` is the initial bias. */
export function torchBatchNorm(x: Symbolic, name: string, beta0 = 0): Symbolic {
  return tfl.layers
    .batchNormalization({
      name,
      axis: -1,
      epsilon: BATCH_NORM_EPSILON,
      momentum: BATCH_NORM_MOMENTUM,
      betaInitializer: beta0 === 0 ? 'zeros' : tfl.initializers.constant({ value: beta0 }),
    })
    .apply(x) as Symbolic;
}

/** A named ReLU. */
export function relu(x: Symbolic, name: string): Symbolic {
  return tfl.layers.activation({ activation: 'relu', name }).apply(x) as Symbolic;
}

/** The channel count of a `[batch, h, w, c]` symbolic tensor. */
export const channels = (x: Symbolic): number => x.shape[3] as number;
