import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom, shuffled } from './random';
import { splitByPatient } from './split';

const cohort = (patients: number, slicesEach: number) =>
  Array.from({ length: patients * slicesEach }, (_, i) => {
    const p = Math.floor(i / slicesEach);
    return {
      patientId: `patient${String(p).padStart(3, '0')}`,
      group: ['NOR', 'MINF', 'DCM', 'HCM', 'RV'][p % 5],
      slice: i % slicesEach,
    };
  });

describe('splitByPatient', () => {
  it('never puts a patient on two sides and keeps every item once', () => {
    const items = cohort(50, 4);
    const parts = splitByPatient(items, { ratios: [0.6, 0.2, 0.2], seed: 7, stratifyBy: 'group' });
    expect(parts.flat().length).toBe(items.length);
    const owner = new Map<string, number>();
    parts.forEach((part, k) => {
      for (const it of part) {
        expect(owner.get(it.patientId) ?? k).toBe(k);
        owner.set(it.patientId, k);
      }
    });
    expect(parts.map((p) => new Set(p.map((i) => i.patientId)).size)).toEqual([30, 10, 10]);
  });

  it('spreads every group over the parts (stratified)', () => {
    const parts = splitByPatient(cohort(50, 1), { ratios: [0.6, 0.2, 0.2], seed: 3, stratifyBy: 'group' });
    for (const part of parts.slice(1)) expect(new Set(part.map((i) => i.group)).size).toBe(5);
  });

  it('is stable: same seed and ids give the same split whatever the item order; another seed differs', () => {
    const items = cohort(30, 3);
    const a = splitByPatient(items, { ratios: [0.8, 0.2], seed: 1 });
    const b = splitByPatient([...items].reverse(), { ratios: [0.8, 0.2], seed: 1 });
    const ids = (p: { patientId: string }[]) => [...new Set(p.map((i) => i.patientId))].sort();
    expect(ids(a[1])).toEqual(ids(b[1]));
    expect(ids(splitByPatient(items, { ratios: [0.8, 0.2], seed: 2 })[1])).not.toEqual(ids(a[1]));
  });

  it('rejects empty or negative ratios', () => {
    expect(() => splitByPatient(cohort(3, 1), { ratios: [], seed: 0 })).toThrow(/ratios is empty/);
    expect(() => splitByPatient(cohort(3, 1), { ratios: [1, -1], seed: 0 })).toThrow(/ratios\[1\]/);
  });

  it('property: parts partition the patients for any ratios', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
        fc.integer(),
        (n, ratios, seed) => {
          const parts = splitByPatient(cohort(n, 2), { ratios, seed });
          expect(parts.reduce((a, p) => a + p.length, 0)).toBe(2 * n);
        },
      ),
    );
  });
});

describe('seededRandom', () => {
  it('repeats for a seed, stays in [0, 1) and shuffles reproducibly', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(shuffled([1, 2, 3, 4, 5], seededRandom(1))).toEqual(shuffled([1, 2, 3, 4, 5], seededRandom(1)));
  });
});
