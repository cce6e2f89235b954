import { InvalidShapeError, ShapeMismatchError } from '@myoseg/core';
import type * as tf from '@tensorflow/tfjs-core';

/** Throws unless `yTrue` and `yPred` are two tensors of the same `[batch, h, w, classes]` shape. */
export function checkTargetsAndPredictions(what: string, yTrue: tf.Tensor, yPred: tf.Tensor): void {
  if (yPred.rank !== 4) {
    throw new InvalidShapeError(
      `${what}: yPred must be [batch, h, w, classes], got shape [${yPred.shape.join(', ')}]`,
    );
  }
  if (yTrue.shape.length !== 4 || yTrue.shape.some((n, i) => n !== yPred.shape[i])) {
    throw new ShapeMismatchError(`${what}(yTrue, yPred)`, yTrue.shape, yPred.shape);
  }
}
