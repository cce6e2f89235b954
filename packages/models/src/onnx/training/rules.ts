import { activationTraining, softmaxTraining } from './activation';
import { addTraining } from './add';
import { batchNormTraining } from './batch-norm';
import { concatenateTraining } from './concat';
import { conv2dTraining } from './conv2d';
import { croppingTraining } from './cropping';
import { maxPoolTraining } from './max-pool';
import { pixelShuffleTraining } from './pixel-shuffle';
import type { TrainingRule } from './rule';
import { upsampleTraining } from './upsample';
import { zeroPaddingTraining } from './zero-padding';

/** The training rules, by tfjs class name: every layer that `buildUNet` produces. */
export const TRAINING_RULES: Readonly<Record<string, TrainingRule>> = {
  Activation: activationTraining,
  Add: addTraining,
  BatchNormalization: batchNormTraining,
  Concatenate: concatenateTraining,
  Conv2D: conv2dTraining,
  Cropping2D: croppingTraining,
  MaxPooling2D: maxPoolTraining,
  PixelShuffle: pixelShuffleTraining,
  Softmax: softmaxTraining,
  UpSampling2D: upsampleTraining,
  ZeroPadding2D: zeroPaddingTraining,
};
