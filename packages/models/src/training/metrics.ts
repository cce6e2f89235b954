import * as tf from '@tensorflow/tfjs-core';
import { checkTargetsAndPredictions } from './check';
import { TrainingOptionsError } from './errors';

/** A metric of one-hot targets and probabilities, both `[batch, h, w, classes]`, as a scalar tensor. */
export type SegmentationMetric = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/** Per-class pixel counts of argmax predictions against argmax targets: what set-level Dice is made of. */
export interface DiceCounts {
  /** Pixels of each class in both target and prediction. */
  intersection: Float64Array;
  /** Pixels of each class in the target plus those in the prediction. */
  total: Float64Array;
}

/**
 * The hard Dice of class `classIndex`: `2|A∩B| / (|A| + |B|)` of the argmax of the prediction and the argmax
 * of the target, over the whole batch; 1 when the class is absent from both (as `dice` in @myoseg/core).
 * A function of the tfjs metric shape, for training logs.
 *
 * @param classIndex - the class to score, `0 … classes − 1`.
 * @returns `(yTrue, yPred) => scalar` with both inputs `[batch, h, w, classes]` (one-hot / probabilities).
 * @throws {@link TrainingOptionsError} for a negative or non-integer index (an index ≥ classes throws at call).
 */
export function diceMetric(classIndex: number): SegmentationMetric {
  if (!Number.isInteger(classIndex) || classIndex < 0) {
    throw new TrainingOptionsError(`diceMetric: classIndex must be an integer ≥ 0, got ${classIndex}`);
  }
  const metric = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar => {
    checkTargetsAndPredictions('diceMetric', yTrue, yPred);
    const classes = (yPred.shape as number[])[3];
    if (classIndex >= classes) {
      throw new TrainingOptionsError(`diceMetric: classIndex ${classIndex} ≥ number of classes ${classes}`);
    }
    return tf.tidy(() => {
      const a = tf.cast(tf.equal(tf.argMax(yTrue, -1), classIndex), 'float32');
      const b = tf.cast(tf.equal(tf.argMax(yPred, -1), classIndex), 'float32');
      const total = tf.add(tf.sum(a), tf.sum(b));
      const dice = tf.divNoNan(tf.mul(tf.sum(tf.mul(a, b)), 2), total);
      return tf.where(tf.equal(total, 0), tf.onesLike(dice), dice) as tf.Scalar;
    });
  };
  Object.defineProperty(metric, 'name', { value: `dice${classIndex}` });
  return metric;
}

/** Adds the per-class counts of one batch (`[batch, h, w, classes]` targets and probabilities) to `counts`. */
export async function accumulateDiceCounts(
  yTrue: tf.Tensor4D,
  yPred: tf.Tensor4D,
  counts: DiceCounts,
): Promise<void> {
  const classes = yPred.shape[3];
  const [inter, total] = tf.tidy(() => {
    const a = tf.oneHot(tf.argMax(yTrue, -1), classes);
    const b = tf.oneHot(tf.argMax(yPred, -1), classes);
    const axes = [0, 1, 2];
    return [tf.sum(tf.mul(a, b), axes), tf.add(tf.sum(a, axes), tf.sum(b, axes))];
  });
  const [i, t] = await Promise.all([inter.data(), total.data()]);
  inter.dispose();
  total.dispose();
  for (let c = 0; c < classes; c++) {
    counts.intersection[c] += i[c];
    counts.total[c] += t[c];
  }
}

/** Dice of each class from accumulated counts: 1 for a class absent from targets and predictions. */
export function diceFromCounts(counts: DiceCounts): number[] {
  return Array.from(counts.intersection, (inter, c) =>
    counts.total[c] === 0 ? 1 : (2 * inter) / counts.total[c],
  );
}
