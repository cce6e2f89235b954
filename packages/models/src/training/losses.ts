import { InvalidShapeError } from '@myoseg/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkTargetsAndPredictions } from './check';
import { TrainingOptionsError } from './errors';

/** A loss of one-hot targets and softmax probabilities, both `[batch, h, w, classes]`: a scalar to minimise. */
export type SegmentationLoss = (yTrue: tf.Tensor4D, yPred: tf.Tensor4D) => tf.Scalar;

/** Options of {@link softmaxCrossEntropy}. */
export interface CrossEntropyOptions {
  /** One weight per class (length = classes); pixels are weighted by their true class, as PyTorch's `weight`. */
  classWeights?: readonly number[];
}

/** Options of {@link softDiceLoss}. */
export interface SoftDiceOptions {
  /** Added to the numerator and the denominator of each class's Dice, in pixels (default 1). */
  smooth?: number;
  /** Leave class 0 out of the mean over classes (default false). */
  ignoreBackground?: boolean;
}

/** Options of {@link diceCrossEntropyLoss}: those of both terms. */
export interface DiceCrossEntropyOptions extends CrossEntropyOptions, SoftDiceOptions {}

/** Probabilities below this are clipped before the logarithm, so that a confident wrong pixel costs ~16, not ∞. */
const PROBABILITY_FLOOR = 1e-7;

function checkCrossEntropyOptions(what: string, classes: number, options: CrossEntropyOptions): void {
  const w = options.classWeights;
  if (w !== undefined && (w.length !== classes || w.some((v) => !(v >= 0 && Number.isFinite(v))))) {
    throw new TrainingOptionsError(
      `${what}: classWeights must be ${classes} finite non-negative numbers (one per class), got [${w.join(', ')}]`,
    );
  }
}

function checkDiceOptions(what: string, classes: number, options: SoftDiceOptions): void {
  const smooth = options.smooth ?? 1;
  if (!(smooth >= 0 && Number.isFinite(smooth))) {
    throw new TrainingOptionsError(`${what}: smooth must be a finite number ≥ 0, got ${smooth}`);
  }
  if (options.ignoreBackground && classes < 2) {
    throw new TrainingOptionsError(`${what}: ignoreBackground needs at least 2 classes, got ${classes}`);
  }
}

function crossEntropy(yTrue: tf.Tensor4D, yPred: tf.Tensor4D, options: CrossEntropyOptions): tf.Scalar {
  return tf.tidy(() => {
    const perPixel = tf.neg(tf.sum(tf.mul(yTrue, tf.log(tf.clipByValue(yPred, PROBABILITY_FLOOR, 1))), -1));
    if (options.classWeights === undefined) return tf.mean(perPixel) as tf.Scalar;
    const weight = tf.sum(tf.mul(yTrue, tf.tensor1d(options.classWeights as number[])), -1);
    return tf.div(tf.sum(tf.mul(weight, perPixel)), tf.sum(weight)) as tf.Scalar;
  });
}

function diceLoss(yTrue: tf.Tensor4D, yPred: tf.Tensor4D, options: SoftDiceOptions): tf.Scalar {
  const smooth = options.smooth ?? 1;
  return tf.tidy(() => {
    let t: tf.Tensor = yTrue;
    let p: tf.Tensor = yPred;
    if (options.ignoreBackground) {
      const classes = yPred.shape[3];
      t = tf.slice(yTrue, [0, 0, 0, 1], [-1, -1, -1, classes - 1]);
      p = tf.slice(yPred, [0, 0, 0, 1], [-1, -1, -1, classes - 1]);
    }
    const axes = [0, 1, 2];
    const inter = tf.sum(tf.mul(t, p), axes);
    const total = tf.add(tf.sum(t, axes), tf.sum(p, axes));
    const dice = tf.div(tf.add(tf.mul(inter, 2), smooth), tf.add(total, smooth));
    return tf.sub(1, tf.mean(dice)) as tf.Scalar;
  });
}

/**
 * Pixel-wise softmax cross-entropy `−Σ_c y_c log p_c`, averaged over every pixel of the batch (PyTorch's
 * `CrossEntropyLoss`, as fastai's `CrossEntropyLossFlat(axis=1)`). With class weights the pixels are
 * weighted by their true class's weight and the sum is divided by the sum of those weights.
 *
 * @param yTrue - one-hot targets `[batch, h, w, classes]`, float32 (see {@link oneHotMasks}).
 * @param yPred - softmax probabilities, the same shape (the U-Net's output); clipped at 1e-7 before the log.
 * @returns a scalar in nats; 0 for a perfect prediction. An all-zero weighted batch gives NaN.
 * @throws InvalidShapeError / ShapeMismatchError for shapes other than two equal `[b, h, w, c]`;
 *   {@link TrainingOptionsError} for class weights of the wrong length or sign.
 */
export function softmaxCrossEntropy(
  yTrue: tf.Tensor4D,
  yPred: tf.Tensor4D,
  options: CrossEntropyOptions = {},
): tf.Scalar {
  checkTargetsAndPredictions('softmaxCrossEntropy', yTrue, yPred);
  checkCrossEntropyOptions('softmaxCrossEntropy', yPred.shape[3], options);
  return crossEntropy(yTrue, yPred, options);
}

/**
 * Soft Dice loss `1 − mean_c (2 Σ y_c p_c + s) / (Σ y_c + Σ p_c + s)`, the sums running over the whole batch
 * and all pixels (as fastai's `DiceLoss`, which sums over batch and space), the mean over classes.
 *
 * `smooth` (default 1) keeps a class absent from both target and prediction at Dice 1 instead of 0/0, and
 * bounds the gradient of a nearly empty prediction (fastai's 1e-6 lets it reach 1e6).
 *
 * @param yTrue - one-hot targets `[batch, h, w, classes]`, float32.
 * @param yPred - softmax probabilities, the same shape.
 * @returns a scalar in [0, 1]; 0 when prediction and target agree exactly.
 * @throws InvalidShapeError / ShapeMismatchError for shapes other than two equal `[b, h, w, c]`;
 *   {@link TrainingOptionsError} for a negative `smooth` or `ignoreBackground` with one class.
 */
export function softDiceLoss(
  yTrue: tf.Tensor4D,
  yPred: tf.Tensor4D,
  options: SoftDiceOptions = {},
): tf.Scalar {
  checkTargetsAndPredictions('softDiceLoss', yTrue, yPred);
  checkDiceOptions('softDiceLoss', yPred.shape[3], options);
  return diceLoss(yTrue, yPred, options);
}

/**
 * The sum {@link softmaxCrossEntropy} + {@link softDiceLoss}: the default training loss of myoseg.
 *
 * @param yTrue - one-hot targets `[batch, h, w, classes]`, float32.
 * @param yPred - softmax probabilities, the same shape.
 * @returns a scalar ≥ 0.
 * @throws as its two terms.
 */
export function diceCrossEntropyLoss(
  yTrue: tf.Tensor4D,
  yPred: tf.Tensor4D,
  options: DiceCrossEntropyOptions = {},
): tf.Scalar {
  checkTargetsAndPredictions('diceCrossEntropyLoss', yTrue, yPred);
  checkCrossEntropyOptions('diceCrossEntropyLoss', yPred.shape[3], options);
  checkDiceOptions('diceCrossEntropyLoss', yPred.shape[3], options);
  return tf.tidy(
    () => tf.add(crossEntropy(yTrue, yPred, options), diceLoss(yTrue, yPred, options)) as tf.Scalar,
  );
}

/**
 * One-hot float32 targets from label maps.
 *
 * @param labels - int32 class indices `[batch, h, w]`, each in `0 … numClasses − 1`.
 * @param numClasses - the number of classes (≥ 1).
 * @returns `[batch, h, w, numClasses]` float32 of 0 and 1; an index out of range gives an all-zero pixel.
 * @throws InvalidShapeError when `labels` is not 3D; {@link TrainingOptionsError} for a bad `numClasses`.
 */
export function oneHotMasks(labels: tf.Tensor3D, numClasses: number): tf.Tensor4D {
  if (labels.rank !== 3) {
    throw new InvalidShapeError(
      `oneHotMasks: labels must be [batch, h, w], got shape [${labels.shape.join(', ')}]`,
    );
  }
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new TrainingOptionsError(`oneHotMasks: numClasses must be an integer ≥ 1, got ${numClasses}`);
  }
  return tf.tidy(() => tf.cast(tf.oneHot(tf.cast(labels, 'int32'), numClasses), 'float32') as tf.Tensor4D);
}
