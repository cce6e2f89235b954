import type { LayersModel } from '@tensorflow/tfjs-layers';
import { AdamW } from './adamw';
import type { EpochEndLogs, TrainingCallback } from './callbacks';
import type { SegmentationData } from './data';
import { TrainingOptionsError } from './errors';
import {
  captureFineTune,
  disposeFineTuneCheckpoint,
  type FineTuneCheckpoint,
  restoreFineTune,
} from './fine-tune-checkpoint';
import { type FitOneCycleOptions, type FitResult, fitOneCycleWithGroupRates } from './fit-one-cycle';
import { defaultLayerGroups, freezeTo } from './layer-groups';
import { type LrFindOptions, type LrFindResult, lrFind } from './lr-find';
import { groupLearningRates } from './schedule';

/** Options of {@link fineTune}. */
export interface FineTuneOptions
  extends Omit<FitOneCycleOptions, 'epochs' | 'lrMax' | 'pctStart' | 'div' | 'optimizer'> {
  /** Epochs with all groups but the decoder frozen (default 1, fastai's `freeze_epochs`; the paper used 10). */
  frozenEpochs?: number;
  /** Epochs after unfreezing, ≥ 1 (the paper used 10). */
  epochs: number;
  /**
   * A fixed base rate, as fastai's `fine_tune(base_lr)`: skips both lr_finds; frozen peak `baseLr`, unfrozen
   * peak `baseLr / 2`. Left out (the paper's way), each phase's peak is the `valley` of an lr_find.
   */
  baseLr?: number;
  /** The unfrozen phase spreads rates from `peak / lrMult` (first group) to `peak` (decoder) (default 100). */
  lrMult?: number;
  /** Warm-up fraction of the frozen phase (default 0.99, fastai's `fine_tune`). */
  frozenPctStart?: number;
  /** Warm-up fraction of the unfrozen phase (default 0.3, fastai's `fine_tune`). */
  pctStart?: number;
  /** Start divisor of the frozen phase (default 25, `fit_one_cycle`'s). */
  frozenDiv?: number;
  /** Start divisor of the unfrozen phase (default 5, fastai's `fine_tune`). */
  div?: number;
  /** Options of both lr_finds (default fastai's: 100 steps from 1e-7 to 10). */
  lrFind?: Pick<LrFindOptions, 'start' | 'end' | 'iterations' | 'stopDiv'>;
  /**
   * Called after every completed epoch with a checkpoint to save; training waits for it. The checkpoint's
   * tensors are freed when the returned promise settles (copy what you keep).
   */
  onCheckpoint?: (checkpoint: FineTuneCheckpoint) => void | Promise<void>;
  /**
   * Resume from a checkpoint of the same model, data and options: weights and moments are restored, finished
   * phases and lr_finds are not run again, and training ends as the uninterrupted run would have. The caller
   * keeps ownership of its tensors.
   */
  resume?: FineTuneCheckpoint;
}

/** One phase of {@link fineTune}. */
export interface FineTunePhase {
  /** The lr_find run before the phase (absent with `baseLr`). */
  lrFind?: LrFindResult;
  /** The peak learning rate of each layer group. */
  lrMax: number[];
  /** The phase's training logs. */
  fit: FitResult;
}

/** The result of {@link fineTune}. */
export interface FineTuneResult {
  /** Training with the encoder frozen. */
  frozen: FineTunePhase;
  /** Training of the whole network with discriminative rates. */
  unfrozen: FineTunePhase;
}

/**
 * The paper's training sequence, fastai's way: freeze → lr_find → `fitOneCycle(frozenEpochs)` →
 * unfreeze → lr_find → `fitOneCycle(epochs)` with discriminative rates. Where the paper says no more,
 * it mirrors fastai's `fine_tune`:
 * - frozen phase: peak = the first lr_find's `valley` (or `baseLr`), as `slice(peak)`: the decoder gets
 *   `peak`, the frozen groups (only their BatchNorm layers train) `peak / 10`; `pctStart` 0.99, `div` 25;
 * - unfrozen phase: peak = the second lr_find's `valley` (or `baseLr / 2`), spread as
 *   `slice(peak / lrMult, peak)`; `pctStart` 0.3, `div` 5.
 * One AdamW carries its moments through both phases (a `Learner` keeps its optimizer); the lr_finds leave
 * weights and moments as they found them. The model ends unfrozen.
 *
 * @throws as {@link fitOneCycle} and {@link lrFind}; {@link TrainingOptionsError} for fewer than 2 layer
 *   groups or bad epochs / rates.
 */
export async function fineTune(
  model: LayersModel,
  data: SegmentationData,
  options: FineTuneOptions,
): Promise<FineTuneResult> {
  const {
    frozenEpochs = 1,
    epochs,
    baseLr,
    lrMult = 100,
    frozenPctStart = 0.99,
    pctStart = 0.3,
    frozenDiv = 25,
    div = 5,
  } = options;
  const groups = options.layerGroups ?? defaultLayerGroups(model);
  if (groups.length < 2)
    throw new TrainingOptionsError(`fineTune: needs at least 2 layer groups, got ${groups.length}`);
  if (baseLr !== undefined && !(baseLr > 0 && Number.isFinite(baseLr))) {
    throw new TrainingOptionsError(`fineTune: baseLr must be a finite number > 0, got ${baseLr}`);
  }
  if (!(lrMult >= 1 && Number.isFinite(lrMult)))
    throw new TrainingOptionsError(`fineTune: lrMult must be ≥ 1, got ${lrMult}`);
  const optimizer = new AdamW();
  const { resume, onCheckpoint } = options;
  const finder = {
    ...options.lrFind,
    seed: options.seed,
    weightDecay: options.weightDecay,
    loss: options.loss,
    layerGroups: groups,
    optimizer,
    trainBatch: options.trainBatch,
  };
  const done: { frozen?: FineTunePhase; unfrozen?: FineTunePhase } = {};
  /** Runs one phase from `from` (its completed epochs), checkpointing after each completed epoch. */
  const phase = async (
    name: 'frozen' | 'unfrozen',
    head: Omit<FineTunePhase, 'fit'>,
    fit: Pick<FitOneCycleOptions, 'epochs' | 'pctStart' | 'div'>,
    from?: FineTunePhase,
  ): Promise<FineTunePhase> => {
    const history: EpochEndLogs[] = [...(from?.fit.history ?? [])];
    const saver: TrainingCallback = {
      onEpochEnd: async (logs) => {
        if (logs.partial) return;
        history.push(logs);
        if (onCheckpoint === undefined) return;
        const record = { ...head, fit: { history: [...history], stoppedEarly: false } };
        const checkpoint = captureFineTune(model, optimizer, {
          phase: name,
          epoch: logs.epoch + 1,
          frozen: done.frozen ?? record,
          ...(name === 'unfrozen' ? { unfrozen: record } : {}),
        });
        try {
          await onCheckpoint(checkpoint);
        } finally {
          disposeFineTuneCheckpoint(checkpoint);
        }
      },
    };
    const result = await fitOneCycleWithGroupRates(
      model,
      data,
      {
        ...options,
        ...fit,
        layerGroups: groups,
        optimizer,
        initialEpoch: from?.fit.history.length ?? 0,
        callbacks: [...(options.callbacks ?? []), saver],
      },
      head.lrMax,
      groups,
    );
    const last = result.history.at(-1);
    return {
      ...head,
      fit: {
        history: last?.partial ? [...history, last] : history,
        stoppedEarly: result.stoppedEarly,
      },
    };
  };
  try {
    if (resume !== undefined) restoreFineTune(model, optimizer, resume);
    if (resume?.phase === 'unfrozen') {
      done.frozen = resume.frozen;
    } else {
      freezeTo(-1, groups);
      let head = resume?.frozen;
      if (head === undefined) {
        const find1 = baseLr === undefined ? await lrFind(model, data, finder) : undefined;
        const peak1 = find1?.suggestion ?? (baseLr as number);
        head = {
          lrFind: find1,
          lrMax: groups.map((_, g) => (g === groups.length - 1 ? peak1 : peak1 / 10)),
          fit: { history: [], stoppedEarly: false },
        };
      }
      done.frozen = await phase(
        'frozen',
        head,
        { epochs: frozenEpochs, pctStart: frozenPctStart, div: frozenDiv },
        head,
      );
    }
    freezeTo(0, groups);
    let head = resume?.unfrozen;
    if (head === undefined) {
      const find2 = baseLr === undefined ? await lrFind(model, data, finder) : undefined;
      const peak2 = find2?.suggestion ?? (baseLr as number) / 2;
      head = {
        lrFind: find2,
        lrMax: groupLearningRates([peak2 / lrMult, peak2], groups.length),
        fit: { history: [], stoppedEarly: false },
      };
    }
    done.unfrozen = await phase('unfrozen', head, { epochs, pctStart, div }, head);
    return { frozen: done.frozen, unfrozen: done.unfrozen };
  } finally {
    optimizer.dispose();
  }
}
