import { describe, expect, it } from 'vitest';
import { TrainingOptionsError } from './errors';
import { cosineAnneal, groupLearningRates, oneCycleSchedule } from './schedule';

describe('oneCycleSchedule', () => {
  // 8 steps, lrMax 1e-2, fastai defaults: start 4e-4, peak at step 2 (pos 0.25), end 1e-7.
  // sched_cos(a, b, p) = a + (1 + cos(π(1 − p))) (b − a) / 2; q = (1 + cos(5π/6)) / 2 = 0.0669872981.
  const s = oneCycleSchedule({ totalSteps: 8, lrMax: 1e-2 });
  const q = (1 + Math.cos((5 * Math.PI) / 6)) / 2;

  it('matches fastai’s SchedCos phases at hand-worked steps', () => {
    const expected: [number, number, number][] = [
      [0, 4e-4, 0.95],
      [1, 4e-4 + 0.5 * (1e-2 - 4e-4), 0.9], // warm-up half way: cos(π/2) = 0
      [2, 1e-2, 0.85], // the peak
      [3, 1e-2 + q * (1e-7 - 1e-2), 0.85 + q * 0.1], // anneal pos 1/6
      [5, 1e-2 + 0.5 * (1e-7 - 1e-2), 0.9], // anneal half way
      [7, 1e-2 + (1 - q) * (1e-7 - 1e-2), 0.85 + (1 - q) * 0.1], // anneal pos 5/6
      [8, 1e-7, 0.95],
    ];
    for (const [step, lr, mom] of expected) {
      const v = s(step);
      expect(v.lr).toBeCloseTo(lr, 12);
      expect(v.mom).toBeCloseTo(mom, 12);
    }
    expect(q).toBeCloseTo(0.0669872981, 9);
    expect(s(3).lr).toBeCloseTo(0.00933013372, 11);
  });

  it('honours div, finalDiv, pctStart and moms', () => {
    const t = oneCycleSchedule({
      totalSteps: 10,
      lrMax: 1,
      div: 10,
      finalDiv: 100,
      pctStart: 0.5,
      moms: [0.9, 0.8, 0.7],
    });
    expect(t(0)).toEqual({ lr: 0.1, mom: 0.9 });
    expect(t(5).lr).toBeCloseTo(1, 12);
    expect(t(5).mom).toBeCloseTo(0.8, 12);
    expect(t(10).lr).toBeCloseTo(0.01, 12);
    expect(t(10).mom).toBeCloseTo(0.7, 12);
    const noWarmUp = oneCycleSchedule({ totalSteps: 4, lrMax: 1, pctStart: 0 });
    expect(noWarmUp(0).lr).toBeCloseTo(1, 12);
  });

  it('rejects bad options and steps', () => {
    expect(() => oneCycleSchedule({ totalSteps: 0, lrMax: 1 })).toThrow(TrainingOptionsError);
    expect(() => oneCycleSchedule({ totalSteps: 5, lrMax: -1 })).toThrow(TrainingOptionsError);
    expect(() => oneCycleSchedule({ totalSteps: 5, lrMax: 1, pctStart: 1.5 })).toThrow(TrainingOptionsError);
    expect(() => oneCycleSchedule({ totalSteps: 5, lrMax: 1, moms: [0.9, 1.2, 0.9] })).toThrow(
      TrainingOptionsError,
    );
    expect(() => s(9)).toThrow(TrainingOptionsError);
  });
});

describe('cosineAnneal', () => {
  it('goes from start to end through the midpoint', () => {
    expect(cosineAnneal(2, 4, 0)).toBe(2);
    expect(cosineAnneal(2, 4, 0.5)).toBeCloseTo(3, 12);
    expect(cosineAnneal(2, 4, 1)).toBe(4);
  });
});

describe('groupLearningRates', () => {
  it('follows fastai: a number for all groups, [low, high] as even_mults', () => {
    expect(groupLearningRates(1e-3, 3)).toEqual([1e-3, 1e-3, 1e-3]);
    const r = groupLearningRates([1e-5, 1e-3], 3);
    expect(r[0]).toBeCloseTo(1e-5, 15);
    expect(r[1]).toBeCloseTo(1e-4, 15);
    expect(r[2]).toBeCloseTo(1e-3, 15);
    expect(groupLearningRates([1e-5, 1e-3], 1)).toEqual([1e-3]);
  });

  it('rejects bad ranges', () => {
    expect(() => groupLearningRates([1e-3, 1e-5], 3)).toThrow(TrainingOptionsError);
    expect(() => groupLearningRates(0, 3)).toThrow(TrainingOptionsError);
    expect(() => groupLearningRates(1e-3, 0)).toThrow(TrainingOptionsError);
  });
});
