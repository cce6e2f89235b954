import type { LayersModel } from '@tensorflow/tfjs-layers';
import { AdamW } from './adamw';
import type { SegmentationData } from './data';
import { TrainingOptionsError } from './errors';
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
  const shared = { ...options, layerGroups: groups, optimizer };
  const finder = {
    ...options.lrFind,
    seed: options.seed,
    weightDecay: options.weightDecay,
    loss: options.loss,
    layerGroups: groups,
    optimizer,
  };
  try {
    freezeTo(-1, groups);
    const find1 = baseLr === undefined ? await lrFind(model, data, finder) : undefined;
    const peak1 = find1?.suggestion ?? (baseLr as number);
    const rates1 = groups.map((_, g) => (g === groups.length - 1 ? peak1 : peak1 / 10));
    const fit1 = await fitOneCycleWithGroupRates(
      model,
      data,
      { ...shared, epochs: frozenEpochs, pctStart: frozenPctStart, div: frozenDiv },
      rates1,
      groups,
    );
    freezeTo(0, groups);
    const find2 = baseLr === undefined ? await lrFind(model, data, finder) : undefined;
    const peak2 = find2?.suggestion ?? (baseLr as number) / 2;
    const rates2 = groupLearningRates([peak2 / lrMult, peak2], groups.length);
    const fit2 = await fitOneCycleWithGroupRates(
      model,
      data,
      { ...shared, epochs, pctStart, div },
      rates2,
      groups,
    );
    return {
      frozen: { lrFind: find1, lrMax: rates1, fit: fit1 },
      unfrozen: { lrFind: find2, lrMax: rates2, fit: fit2 },
    };
  } finally {
    optimizer.dispose();
  }
}
