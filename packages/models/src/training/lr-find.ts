import { InsufficientDataError } from '@myoseg/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { AdamW } from './adamw';
import type { SegmentationData } from './data';
import { TrainingOptionsError } from './errors';
import { defaultLayerGroups, type LayerGroups, trainableParameters } from './layer-groups';
import { diceCrossEntropyLoss, type SegmentationLoss } from './losses';
import { mixSeed } from './random';
import { exponentialAnneal } from './schedule';
import { checkDataFitsModel, snapshotWeights, type TrainBatch, trainBatch } from './train-step';

/** Options of {@link lrFind}; the defaults are fastai's `lr_find`. */
export interface LrFindOptions {
  /** First learning rate (default 1e-7). */
  start?: number;
  /** Learning rate the sweep heads for at its last step (default 10). */
  end?: number;
  /** Number of steps (default 100); the data is passed over as often as needed. */
  iterations?: number;
  /** Stop once the smoothed loss exceeds 4× its minimum, or is not finite (default true). */
  stopDiv?: boolean;
  /** Seed of the passes' shuffles and augmentations (default 0). */
  seed?: number;
  /** Decoupled weight decay during the sweep (default 0.01, fastai's). */
  weightDecay?: number;
  /** Adam's β1 during the sweep (default 0.9, fastai `Adam`'s `mom`). */
  mom?: number;
  /** The loss (default {@link diceCrossEntropyLoss}). */
  loss?: SegmentationLoss;
  /** The model's layer groups (default `unetLayerGroups(model)`); every group gets the same rate. */
  layerGroups?: LayerGroups;
  /** An optimizer whose moments should carry on: they are used, then restored exactly. Default: a fresh one. */
  optimizer?: AdamW;
  /** The optimizer step (default {@link trainBatch}, on the calling thread), as `fitOneCycle`'s `trainBatch` option. */
  trainBatch?: TrainBatch;
}

/** The result of {@link lrFind}. */
export interface LrFindResult {
  /** The learning rate of each step. */
  lrs: number[];
  /** The smoothed loss after each step (exponential moving average, β 0.98, debiased, as fastai). */
  losses: number[];
  /** fastai's `valley` suggestion. */
  suggestion: number;
  /** Index of the suggestion in `lrs` / `losses`. */
  suggestionIndex: number;
}

/** A suggested learning rate and where it sits on the curve. */
export interface LrSuggestion {
  /** The learning rate. */
  lr: number;
  /** Its index in the curve. */
  index: number;
}

/** Smoothing of the loss curve, fastai's `AvgSmoothLoss(beta=0.98)`. */
const SMOOTHING = 0.98;

/**
 * fastai's `valley` rule: the longest strictly decreasing run of the loss curve (a longest decreasing
 * subsequence, by dynamic programming), and the point about 2/3 of the way down it
 * (`start + ⌊len/3⌋ + ⌊len/6⌋`), including fastai's quirks (a start index of −1; a negative index counts
 * from the end, as in Python).
 *
 * @param lrs - learning rates, ascending.
 * @param losses - the (smoothed) loss at each rate, same length ≥ 1.
 * @returns the suggested rate and its index.
 * @throws {@link TrainingOptionsError} for empty or unequal arrays.
 */
export function valley(lrs: readonly number[], losses: readonly number[]): LrSuggestion {
  const n = losses.length;
  if (n === 0 || lrs.length !== n) {
    throw new TrainingOptionsError(
      `valley: lrs and losses must have the same length ≥ 1, got ${lrs.length} and ${n}`,
    );
  }
  const lds = new Array<number>(n).fill(1);
  let maxStart = 0;
  let maxEnd = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (losses[i] < losses[j] && lds[i] < lds[j] + 1) lds[i] = lds[j] + 1;
      if (lds[maxEnd] < lds[i]) {
        maxEnd = i;
        maxStart = maxEnd - lds[maxEnd];
      }
    }
  }
  const sections = (maxEnd - maxStart) / 3;
  let index = maxStart + Math.floor(sections) + Math.floor(sections / 2);
  if (index < 0) index += n;
  return { lr: lrs[index], index };
}

/** fastai's suggestion: the curve without its first `iterations // 10` and last 5 points, cut at a NaN. */
function suggest(lrs: number[], losses: number[], iterations: number): LrSuggestion {
  let from = Math.floor(iterations / 10);
  let to = losses.length - 5;
  if (to <= from) {
    from = 0;
    to = losses.length;
  }
  const nan = losses.slice(from, to).findIndex(Number.isNaN);
  if (nan >= 0) to = from + Math.max(nan, 1);
  const v = valley(lrs.slice(from, to), losses.slice(from, to));
  return { lr: v.lr, index: from + v.index };
}

/**
 * fastai's learning-rate finder: trains with a learning rate growing exponentially from `start` towards
 * `end` over `iterations` steps (AdamW, all layer groups alike, the frozen state as it is), records the
 * smoothed loss, and suggests a rate with {@link valley} (on the curve less its first tenth and last 5
 * points, as fastai; the whole curve when that leaves nothing). Afterwards every weight of the model
 * (BatchNorm statistics included) and the optimizer's moments are restored exactly.
 *
 * @throws {@link TrainingOptionsError} for bad rates or iterations, or no trainable weights;
 *   InsufficientDataError for data without batches; ShapeMismatchError when data and model disagree.
 */
export async function lrFind(
  model: LayersModel,
  data: SegmentationData,
  options: LrFindOptions = {},
): Promise<LrFindResult> {
  const {
    start = 1e-7,
    end = 10,
    iterations = 100,
    stopDiv = true,
    seed = 0,
    weightDecay = 0.01,
    mom = 0.9,
  } = options;
  if (!(start > 0 && end > start && Number.isFinite(end))) {
    throw new TrainingOptionsError(`lrFind: need 0 < start < end, got start ${start}, end ${end}`);
  }
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new TrainingOptionsError(`lrFind: iterations must be an integer ≥ 1, got ${iterations}`);
  }
  checkDataFitsModel('lrFind', model, data);
  if (data.batchesPerEpoch === 0) throw new InsufficientDataError('lrFind: data has no batches');
  const groups = options.layerGroups ?? defaultLayerGroups(model);
  const params = trainableParameters(model, groups);
  if (params.length === 0) throw new TrainingOptionsError('lrFind: the model has no trainable weights');
  const loss = options.loss ?? diceCrossEntropyLoss;
  const optimizer = options.optimizer ?? new AdamW();
  const savedOptimizer = options.optimizer?.getState();
  const savedWeights = snapshotWeights(model);
  const lrs: number[] = [];
  const losses: number[] = [];
  try {
    let average = 0;
    let best = Number.POSITIVE_INFINITY;
    sweep: for (let pass = 0; ; pass++) {
      for (const batch of data.batches(mixSeed(seed, pass))) {
        const lr = exponentialAnneal(start, end, lrs.length / iterations);
        const hyper = groups.map(() => ({ lr, mom, weightDecay }));
        const value = await (options.trainBatch ?? trainBatch)(model, batch, params, loss, optimizer, hyper);
        average = SMOOTHING * average + (1 - SMOOTHING) * value;
        const smooth = average / (1 - SMOOTHING ** (lrs.length + 1));
        lrs.push(lr);
        losses.push(smooth);
        best = Math.min(best, smooth);
        if (stopDiv && (smooth > 4 * best || !Number.isFinite(smooth))) break sweep;
        if (lrs.length >= iterations) break sweep;
      }
    }
  } finally {
    savedWeights.restore();
    savedWeights.dispose();
    if (savedOptimizer === undefined) {
      optimizer.dispose();
    } else {
      optimizer.setState(savedOptimizer);
      savedOptimizer.dispose();
    }
  }
  const { lr, index } = suggest(lrs, losses, iterations);
  return { lrs, losses, suggestion: lr, suggestionIndex: index };
}
