import { InsufficientDataError } from '@myoseg/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { AdamW } from './adamw';
import type { EpochEndLogs, TrainingCallback, TrainingContext } from './callbacks';
import type { SegmentationData } from './data';
import { TrainingOptionsError } from './errors';
import { evaluateModel } from './evaluate';
import { defaultLayerGroups, type LayerGroups, trainableParameters } from './layer-groups';
import { diceCrossEntropyLoss, type SegmentationLoss } from './losses';
import { mixSeed } from './random';
import { groupLearningRates, oneCycleSchedule } from './schedule';
import {
  checkDataFitsModel,
  type GroupHyper,
  type PredictorFactory,
  type TrainBatch,
  trainBatch,
} from './train-step';

/** Options of {@link fitOneCycle}; the defaults are fastai's `fit_one_cycle` with its `Adam`. */
export interface FitOneCycleOptions {
  /** Number of passes over the data, ≥ 1. */
  epochs: number;
  /**
   * Peak learning rate: one number for every layer group, or `[low, high]` spread geometrically from the
   * first group to the last (fastai `slice(low, high)`). Default 1e-3 (fastai's `Learner.lr`).
   */
  lrMax?: number | readonly [number, number];
  /** Start rate = `lrMax / div` (default 25). */
  div?: number;
  /** End rate = `lrMax / finalDiv` (default 1e5). */
  finalDiv?: number;
  /** Warm-up fraction of the steps (default 0.25). */
  pctStart?: number;
  /** Adam's β1 at start, peak and end of the cycle (default `[0.95, 0.85, 0.95]`). */
  moms?: readonly [number, number, number];
  /** Decoupled weight decay (default 0.01), not applied to BatchNorm and bias parameters (fastai `wd_bn_bias=False`). */
  weightDecay?: number;
  /** Progress, early stopping, checkpoints. */
  callbacks?: readonly TrainingCallback[];
  /** Seed of the epochs' shuffles and augmentations: epoch `e` passes over the data with `mixSeed(seed, e)` (default 0). */
  seed?: number;
  /** Data scored after every epoch (`valLoss`, `valDice`). */
  validation?: SegmentationData;
  /** The model's layer groups (default `unetLayerGroups(model)`). */
  layerGroups?: LayerGroups;
  /** The loss (default {@link diceCrossEntropyLoss}). */
  loss?: SegmentationLoss;
  /** An optimizer to carry moments across fits (as a fastai `Learner` keeps its `opt`); default a fresh one, disposed at the end. */
  optimizer?: AdamW;
  /**
   * The optimizer step (default {@link trainBatch}, on the calling thread); `@myoseg/node`'s
   * `createDataParallelTrainer(model).trainBatch` spreads each step over worker threads.
   */
  trainBatch?: TrainBatch;
  /**
   * Makes what computes each validation pass's outputs from the weights of that epoch's end (default: tfjs);
   * `@myoseg/node`'s `createOrtTrainer(model).predictor` runs them on onnxruntime-node.
   */
  validationPredictor?: PredictorFactory;
  /**
   * The epoch to start at, to resume an interrupted fit (Keras' `initialEpoch`): epochs before it are skipped,
   * and the schedule and the shuffles go on exactly where they were. With the weights and the optimizer's
   * moments of that epoch's start restored, the fit ends as an uninterrupted one would. Default 0.
   */
  initialEpoch?: number;
}

/** The result of {@link fitOneCycle}. */
export interface FitResult {
  /** The logs of every epoch run (from `initialEpoch`; the last one `partial` when stopped inside it). */
  history: EpochEndLogs[];
  /** True when a callback stopped training before the last epoch. */
  stoppedEarly: boolean;
}

/** {@link fitOneCycle} with the peak rate of each layer group already resolved (`fineTune` needs fastai's `slice(hi)`). */
export async function fitOneCycleWithGroupRates(
  model: LayersModel,
  data: SegmentationData,
  options: FitOneCycleOptions,
  groupRates: readonly number[],
  groups: LayerGroups,
): Promise<FitResult> {
  const {
    epochs,
    div,
    finalDiv,
    pctStart,
    moms,
    weightDecay = 0.01,
    callbacks = [],
    seed = 0,
    validation,
    initialEpoch = 0,
  } = options;
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new TrainingOptionsError(`fitOneCycle: epochs must be an integer ≥ 1, got ${epochs}`);
  }
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0 || initialEpoch > epochs) {
    throw new TrainingOptionsError(
      `fitOneCycle: initialEpoch must be an integer in [0, ${epochs}], got ${initialEpoch}`,
    );
  }
  if (!(weightDecay >= 0 && Number.isFinite(weightDecay))) {
    throw new TrainingOptionsError(`fitOneCycle: weightDecay must be ≥ 0, got ${weightDecay}`);
  }
  checkDataFitsModel('fitOneCycle', model, data);
  if (validation !== undefined) checkDataFitsModel('fitOneCycle (validation)', model, validation);
  if (data.batchesPerEpoch === 0) throw new InsufficientDataError('fitOneCycle: data has no batches');
  const params = trainableParameters(model, groups);
  if (params.length === 0) throw new TrainingOptionsError('fitOneCycle: the model has no trainable weights');
  const totalSteps = epochs * data.batchesPerEpoch;
  const schedules = groupRates.map((lrMax) =>
    oneCycleSchedule({ totalSteps, lrMax, div, finalDiv, pctStart, moms }),
  );
  const loss = options.loss ?? diceCrossEntropyLoss;
  const optimizer = options.optimizer ?? new AdamW();
  const trainStep = options.trainBatch ?? trainBatch;
  let stop = false;
  const context: TrainingContext = {
    model,
    stopTraining: () => {
      stop = true;
    },
  };
  const history: EpochEndLogs[] = [];
  try {
    for (const cb of callbacks) await cb.onTrainBegin?.(context);
    let step = initialEpoch * data.batchesPerEpoch;
    for (let epoch = initialEpoch; epoch < epochs && !stop; epoch++) {
      let sum = 0;
      let batches = 0;
      let hyper: GroupHyper[] = [];
      for (const batch of data.batches(mixSeed(seed, epoch))) {
        hyper = schedules.map((s) => ({ ...s(step), weightDecay }));
        const value = await trainStep(model, batch, params, loss, optimizer, hyper);
        sum += value;
        step++;
        const { lr, mom } = hyper[hyper.length - 1];
        for (const cb of callbacks)
          await cb.onBatchEnd?.({ epoch, batch: batches, loss: value, lr, mom }, context);
        batches++;
        if (stop) break;
      }
      const logs: EpochEndLogs = { epoch, loss: sum / batches, lr: hyper[hyper.length - 1].lr };
      if (batches < data.batchesPerEpoch) logs.partial = true;
      if (validation !== undefined) {
        const predictor = await options.validationPredictor?.(model);
        const ev = await evaluateModel(model, validation, { loss, predictor }).finally(() =>
          predictor?.dispose(),
        );
        logs.valLoss = ev.loss;
        logs.valDice = ev.dice;
      }
      history.push(logs);
      for (const cb of callbacks) await cb.onEpochEnd?.(logs, context);
    }
  } finally {
    if (options.optimizer === undefined) optimizer.dispose();
  }
  return {
    history,
    stoppedEarly: stop && (history.length < epochs - initialEpoch || history.at(-1)?.partial === true),
  };
}

/**
 * Trains with fastai's one-cycle policy (`fit_one_cycle`): per step, learning rate and momentum from
 * {@link oneCycleSchedule} (one schedule per layer group, scaled to the group's peak rate), AdamW with
 * decoupled weight decay, BatchNorm in training mode. Frozen layers (see {@link freeze}) are not updated.
 *
 * @returns the per-epoch logs (mean training loss; validation loss and Dice when `validation` is given).
 * @throws {@link TrainingOptionsError} for bad options or no trainable weights; InsufficientDataError for
 *   data without batches; ShapeMismatchError when data and model disagree (size, channels, classes).
 */
export async function fitOneCycle(
  model: LayersModel,
  data: SegmentationData,
  options: FitOneCycleOptions,
): Promise<FitResult> {
  const groups = options.layerGroups ?? defaultLayerGroups(model);
  const rates = groupLearningRates(options.lrMax ?? 1e-3, groups.length);
  return fitOneCycleWithGroupRates(model, data, options, rates, groups);
}
