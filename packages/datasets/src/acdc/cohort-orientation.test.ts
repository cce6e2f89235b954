import { describe, expect, it } from 'vitest';
import { cohortOrientation } from './cohort-orientation';

describe('cohortOrientation', () => {
  it('gives the most common axis codes and who differs', () => {
    const patients = [
      { id: 'a', orientation: 'LPS' },
      { id: 'b', orientation: 'RAS' },
      { id: 'c', orientation: 'RAS' },
      { id: 'd', orientation: null },
    ];
    expect(cohortOrientation(patients)).toEqual({ orientation: 'RAS', others: ['a', 'd'] });
  });

  it('breaks ties by the first patient, and is null for a cohort without orientations', () => {
    expect(
      cohortOrientation([
        { id: 'a', orientation: 'LPS' },
        { id: 'b', orientation: 'RAS' },
      ]).orientation,
    ).toBe('LPS');
    expect(cohortOrientation([])).toEqual({ orientation: null, others: [] });
    expect(cohortOrientation([{ id: 'a', orientation: null }])).toEqual({ orientation: null, others: ['a'] });
  });
});
