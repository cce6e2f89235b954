import type { LayersModel } from '@tensorflow/tfjs-layers';
import { TrainingOptionsError } from './errors';

/** What {@link TrainingCallback.onBatchEnd} receives after each optimizer step. */
export interface BatchEndLogs {
  /** Epoch index, from 0. */
  epoch: number;
  /** Batch index within the epoch, from 0. */
  batch: number;
  /** The batch's loss (before the step). */
  loss: number;
  /** Learning rate of the last layer group (the decoder) at this step, as fastai records it. */
  lr: number;
  /** Momentum (Adam's β1) at this step. */
  mom: number;
}

/** What {@link TrainingCallback.onEpochEnd} receives. */
export interface EpochEndLogs {
  /** Epoch index, from 0. */
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  /** Validation loss, when validation data was given. */
  valLoss?: number;
  /** Validation Dice (mean over foreground classes, pixels pooled over the set), when validation data was given. */
  valDice?: number;
  /** Learning rate of the last layer group at the epoch's last step. */
  lr: number;
  /** True when training was stopped inside this epoch: the logs cover only the batches that ran. */
  partial?: boolean;
}

/** Handed to callbacks: the model being trained and a way to stop after the current batch. */
export interface TrainingContext {
  /** The model being trained. */
  readonly model: LayersModel;
  /** Ends training after the current batch or epoch (its `onEpochEnd` calls still run). */
  stopTraining(): void;
}

/** Hooks called during `fitOneCycle` (and each phase of `fineTune`); all optional, all may be async. */
export interface TrainingCallback {
  /** Before the first batch of a fit. */
  onTrainBegin?(context: TrainingContext): void | Promise<void>;
  /** After every optimizer step. */
  onBatchEnd?(logs: BatchEndLogs, context: TrainingContext): void | Promise<void>;
  /** After every epoch (and its validation). */
  onEpochEnd?(logs: EpochEndLogs, context: TrainingContext): void | Promise<void>;
}

/** Which logged value a callback watches: lower is better for both. */
export type Monitor = 'valLoss' | 'loss';

function monitored(what: string, logs: EpochEndLogs, monitor: Monitor): number {
  const v = logs[monitor];
  if (v === undefined) {
    throw new TrainingOptionsError(`${what}: monitors ${monitor}, but training has no validation data`);
  }
  return v;
}

/** Tracks the best (lowest) value of `monitor`, as fastai's `TrackerCallback` with `np.less`. */
function tracker(minDelta: number) {
  let best = Number.POSITIVE_INFINITY;
  return {
    reset: () => {
      best = Number.POSITIVE_INFINITY;
    },
    /** True when `v` improves on the best by more than `minDelta` (and records it). */
    improves: (v: number) => {
      if (v + minDelta < best) {
        best = v;
        return true;
      }
      return false;
    },
  };
}

/**
 * Stops training when `monitor` has not improved by more than `minDelta` for `patience` epochs (fastai's
 * `EarlyStoppingCallback`: monitor `valid_loss`, patience 1, min_delta 0; reset at each fit).
 *
 * @throws {@link TrainingOptionsError} for a negative patience or delta; at an epoch end, when it
 *   watches `valLoss` and training has no validation data.
 */
export function earlyStopping(
  options: { patience?: number; minDelta?: number; monitor?: Monitor } = {},
): TrainingCallback {
  const { patience = 1, minDelta = 0, monitor = 'valLoss' } = options;
  if (!Number.isInteger(patience) || patience < 1) {
    throw new TrainingOptionsError(`earlyStopping: patience must be an integer ≥ 1, got ${patience}`);
  }
  if (!(minDelta >= 0))
    throw new TrainingOptionsError(`earlyStopping: minDelta must be ≥ 0, got ${minDelta}`);
  const best = tracker(minDelta);
  let wait = 0;
  return {
    onTrainBegin: () => {
      best.reset();
      wait = 0;
    },
    onEpochEnd: (logs, context) => {
      if (best.improves(monitored('earlyStopping', logs, monitor))) {
        wait = 0;
      } else if (++wait >= patience) {
        context.stopTraining();
      }
    },
  };
}

/**
 * Calls `save(model, logs)` at epoch ends: when `monitor` improves (default, fastai's `SaveModelCallback`),
 * or after every epoch with `every: true`. Writing files is the caller's part (see @myoseg/node); awaited
 * before training goes on.
 *
 * @throws {@link TrainingOptionsError} at an epoch end, when it watches `valLoss` without validation data.
 */
export function checkpoint(
  save: (model: LayersModel, logs: EpochEndLogs) => void | Promise<void>,
  options: { monitor?: Monitor; every?: boolean } = {},
): TrainingCallback {
  const { monitor = 'valLoss', every = false } = options;
  const best = tracker(0);
  return {
    onTrainBegin: () => best.reset(),
    onEpochEnd: async (logs, context) => {
      if (every || best.improves(monitored('checkpoint', logs, monitor))) await save(context.model, logs);
    },
  };
}
