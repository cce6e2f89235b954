import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors';
import { twinCohortLayout } from './cohort';

describe('twinCohortLayout', () => {
  it("gives ACDC's layout for 150 patients: 100 training, 50 testing, 30 per group", () => {
    const slots = twinCohortLayout(150);
    expect(slots.map((s) => s.id)).toEqual(
      Array.from({ length: 150 }, (_, i) => `patient${String(i + 1).padStart(3, '0')}`),
    );
    expect(slots.filter((s) => s.subset === 'training').length).toBe(100);
    expect(slots.slice(0, 20).every((s) => s.group === 'DCM' && s.subset === 'training')).toBe(true);
    expect(slots[100]).toMatchObject({ id: 'patient101', subset: 'testing', group: 'DCM' });
    for (const group of ['DCM', 'HCM', 'MINF', 'NOR', 'RV']) {
      expect(slots.filter((s) => s.group === group).length).toBe(30);
      expect(slots.filter((s) => s.group === group && s.subset === 'testing').length).toBe(10);
    }
  });

  it('keeps groups within one of each other for any size', () => {
    for (const n of [1, 4, 7, 23]) {
      const counts = ['DCM', 'HCM', 'MINF', 'NOR', 'RV'].map(
        (g) => twinCohortLayout(n).filter((s) => s.group === g).length,
      );
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      expect(counts.reduce((a, b) => a + b)).toBe(n);
    }
    expect(() => twinCohortLayout(0)).toThrow(InvalidOptionError);
    expect(() => twinCohortLayout(10_000)).toThrow(/1–9999, got 10000/);
  });

  it('numbers folders with three digits up to 999 patients and four from 1 000, in cohort order', () => {
    expect(twinCohortLayout(999).at(-1)?.id).toBe('patient999');
    const ids = twinCohortLayout(1200).map((s) => s.id);
    expect(ids[0]).toBe('patient0001');
    expect(ids.at(-1)).toBe('patient1200');
    expect([...ids].sort()).toEqual(ids);
  });
});
