import type * as tfl from '@tensorflow/tfjs-layers';

const RUNNING_STATISTIC = /\/moving_(mean|variance)$/;

/**
 * The number of parameters of a model as PyTorch counts them (`sum(p.numel() for p in model.parameters())`):
 * every weight, trainable or frozen, except BatchNorm's running mean and variance, which are buffers in
 * PyTorch. (tfjs' `model.countParams()` includes those.) An empty model gives 0.
 */
export function countParams(model: tfl.LayersModel): number {
  let n = 0;
  for (const w of model.weights) {
    if (!RUNNING_STATISTIC.test(w.originalName)) n += (w.shape as number[]).reduce((a, b) => a * b, 1);
  }
  return n;
}
