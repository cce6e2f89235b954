import { InsufficientDataError } from '@myoseg/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { SegmentationData } from './data';
import { diceCrossEntropyLoss, type SegmentationLoss } from './losses';
import { accumulateDiceCounts, type DiceCounts, diceFromCounts } from './metrics';
import { checkDataFitsModel, type Predictor } from './train-step';

/** Loss and Dice of a model on a data set, from {@link evaluateModel}. */
export interface Evaluation {
  /** Mean loss per sample (batch losses weighted by batch size). */
  loss: number;
  /** Hard Dice per class over the whole data set (pixels pooled over all samples), 1 for an absent class. */
  dicePerClass: number[];
  /** Mean of `dicePerClass` over the foreground classes (1 …), or class 0's Dice with a single class. */
  dice: number;
}

/**
 * Loss and set-level Dice of `model` (inference mode) over one unshuffled pass of `data`.
 *
 * @param options.loss - the loss (default {@link diceCrossEntropyLoss}).
 * @param options.predictor - computes the outputs (default: `model.apply` in tfjs).
 * @throws InsufficientDataError for data without batches; ShapeMismatchError when data and model disagree.
 */
export async function evaluateModel(
  model: LayersModel,
  data: SegmentationData,
  options: { loss?: SegmentationLoss; predictor?: Predictor } = {},
): Promise<Evaluation> {
  checkDataFitsModel('evaluateModel', model, data);
  if (data.batchesPerEpoch === 0) throw new InsufficientDataError('evaluateModel: data has no batches');
  const loss = options.loss ?? diceCrossEntropyLoss;
  const classes = data.options.numClasses;
  const counts: DiceCounts = { intersection: new Float64Array(classes), total: new Float64Array(classes) };
  let sum = 0;
  let n = 0;
  for (const batch of data.batches(0)) {
    const pred = options.predictor
      ? await options.predictor.predict(batch.x)
      : tf.tidy(() => model.apply(batch.x, { training: false }) as tf.Tensor4D);
    const l = loss(batch.y, pred);
    sum += (await l.data())[0] * batch.x.shape[0];
    n += batch.x.shape[0];
    l.dispose();
    await accumulateDiceCounts(batch.y, pred, counts);
    pred.dispose();
  }
  const dicePerClass = diceFromCounts(counts);
  const fg = dicePerClass.length > 1 ? dicePerClass.slice(1) : dicePerClass;
  return { loss: sum / n, dicePerClass, dice: fg.reduce((a, b) => a + b, 0) / fg.length };
}
