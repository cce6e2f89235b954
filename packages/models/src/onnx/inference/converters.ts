import { activation, softmax } from './activation';
import { add } from './add';
import { batchNormalization } from './batch-norm';
import { concatenate } from './concat';
import { conv2d } from './conv2d';
import { cropping2d } from './cropping';
import type { LayerContext } from './layer-context';
import { maxPooling2d } from './max-pool';
import { pixelShuffle } from './pixel-shuffle';
import { upSampling2d } from './upsample';
import { zeroPadding2d } from './zero-padding';

/** The inference converters, by tfjs class name: every layer that `buildUNet` and `buildResNetEncoder` produce. */
export const CONVERTERS: Readonly<Record<string, (ctx: LayerContext) => void>> = {
  Activation: activation,
  Add: add,
  BatchNormalization: batchNormalization,
  Concatenate: concatenate,
  Conv2D: conv2d,
  Cropping2D: cropping2d,
  MaxPooling2D: maxPooling2d,
  PixelShuffle: pixelShuffle,
  Softmax: softmax,
  UpSampling2D: upSampling2d,
  ZeroPadding2D: zeroPadding2d,
};
