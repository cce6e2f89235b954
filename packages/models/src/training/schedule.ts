import { TrainingOptionsError } from './errors';

/** Options of {@link oneCycleSchedule}; the defaults are fastai's `fit_one_cycle`. */
export interface OneCycleOptions {
  /** Number of optimizer steps in the whole cycle (epochs × batches per epoch), ≥ 1. */
  totalSteps: number;
  /** The peak learning rate, reached at `pctStart` of the cycle. */
  lrMax: number;
  /** The cycle starts at `lrMax / div` (default 25). */
  div?: number;
  /** The cycle ends at `lrMax / finalDiv` (default 1e5). */
  finalDiv?: number;
  /** Fraction of the steps spent warming up (default 0.25). */
  pctStart?: number;
  /** Momentum (Adam's β1) at the start, at the peak and at the end (default `[0.95, 0.85, 0.95]`). */
  moms?: readonly [number, number, number];
}

/** Learning rate and momentum (Adam's β1) for one optimizer step. */
export interface ScheduleValue {
  /** Learning rate. */
  lr: number;
  /** Momentum, used as Adam's β1. */
  mom: number;
}

/** fastai's `sched_cos`: a half cosine from `start` (pos 0) to `end` (pos 1). */
export function cosineAnneal(start: number, end: number, pos: number): number {
  return start + ((1 + Math.cos(Math.PI * (1 - pos))) * (end - start)) / 2;
}

/** fastai's `sched_exp`: `start · (end / start)^pos`. */
export function exponentialAnneal(start: number, end: number, pos: number): number {
  return start * (end / start) ** pos;
}

/**
 * fastai's `combined_cos(pct, start, middle, end)` at `pos` ∈ [0, 1]: cosine from `start` to `middle` over
 * `[0, pct)`, then from `middle` to `end` over `[pct, 1]` (as `combine_scheds`).
 */
function combinedCos(pct: number, start: number, middle: number, end: number, pos: number): number {
  if (pos < pct) return cosineAnneal(start, middle, pos / pct);
  return pct === 1 ? end : cosineAnneal(middle, end, (pos - pct) / (1 - pct));
}

function positive(what: string, name: string, v: number): void {
  if (!(v > 0 && Number.isFinite(v)))
    throw new TrainingOptionsError(`${what}: ${name} must be a finite number > 0, got ${v}`);
}

/**
 * fastai's one-cycle policy (`fit_one_cycle`): the learning rate rises from `lrMax / div` to `lrMax` over the
 * first `pctStart` of the steps and falls to `lrMax / finalDiv`, both by half cosines (`SchedCos`); the
 * momentum goes the opposite way through `moms`. Step `s` sits at position `s / totalSteps`, as fastai's
 * `pct_train` before the batch.
 *
 * @returns `(step) => { lr, mom }` for steps `0 … totalSteps` (the last one is the end of the cycle).
 * @throws {@link TrainingOptionsError} for non-positive steps, rates or divisors, or `pctStart` outside [0, 1];
 *   the returned function throws for a step outside `0 … totalSteps`.
 */
export function oneCycleSchedule(options: OneCycleOptions): (step: number) => ScheduleValue {
  const { totalSteps, lrMax, div = 25, finalDiv = 1e5, pctStart = 0.25, moms = [0.95, 0.85, 0.95] } = options;
  const what = 'oneCycleSchedule';
  if (!Number.isInteger(totalSteps) || totalSteps < 1) {
    throw new TrainingOptionsError(`${what}: totalSteps must be an integer ≥ 1, got ${totalSteps}`);
  }
  positive(what, 'lrMax', lrMax);
  positive(what, 'div', div);
  positive(what, 'finalDiv', finalDiv);
  if (!(pctStart >= 0 && pctStart <= 1)) {
    throw new TrainingOptionsError(`${what}: pctStart must be in [0, 1], got ${pctStart}`);
  }
  if (moms.length !== 3 || moms.some((m) => !(m >= 0 && m < 1))) {
    throw new TrainingOptionsError(`${what}: moms must be three numbers in [0, 1), got [${moms.join(', ')}]`);
  }
  return (step: number) => {
    if (!(step >= 0 && step <= totalSteps)) {
      throw new TrainingOptionsError(`${what}: step must be in [0, ${totalSteps}], got ${step}`);
    }
    const pos = step / totalSteps;
    return {
      lr: combinedCos(pctStart, lrMax / div, lrMax, lrMax / finalDiv, pos),
      mom: combinedCos(pctStart, moms[0], moms[1], moms[2], pos),
    };
  };
}

/**
 * Learning rates for `groups` layer groups from fastai's `lr_max` forms: a number gives every group that
 * rate; `[low, high]` (fastai's `slice(low, high)`) spreads them geometrically, first group `low`, last
 * `high` (`even_mults`).
 *
 * @returns one rate per group, from the encoder's first group to the decoder.
 * @throws {@link TrainingOptionsError} for non-positive rates, `low > high`, or `groups < 1`.
 */
export function groupLearningRates(lrMax: number | readonly [number, number], groups: number): number[] {
  const what = 'groupLearningRates';
  if (!Number.isInteger(groups) || groups < 1) {
    throw new TrainingOptionsError(`${what}: groups must be an integer ≥ 1, got ${groups}`);
  }
  if (typeof lrMax === 'number') {
    positive(what, 'lrMax', lrMax);
    return new Array<number>(groups).fill(lrMax);
  }
  if (lrMax.length !== 2) {
    throw new TrainingOptionsError(
      `${what}: lrMax must be a number or [low, high], got [${lrMax.join(', ')}]`,
    );
  }
  const [low, high] = lrMax;
  positive(what, 'lrMax[0]', low);
  positive(what, 'lrMax[1]', high);
  if (low > high)
    throw new TrainingOptionsError(`${what}: lrMax [low, high] needs low ≤ high, got [${low}, ${high}]`);
  if (groups === 1) return [high];
  const step = (high / low) ** (1 / (groups - 1));
  return Array.from({ length: groups }, (_, i) => low * step ** i);
}
