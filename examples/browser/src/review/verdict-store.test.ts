import { describe, expect, it } from 'vitest';
import { loadVerdicts, saveVerdicts, VERDICTS_STORAGE_KEY } from './verdict-store';
import { VerdictTable } from './verdicts';

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    items,
  };
}

const verdict = {
  image: 'a.nii',
  patient: 'a',
  frameIndex: 0,
  sliceIndex: 1,
  maskA: 'a_gt.nii',
  maskB: 'model',
  verdict: 'same-good' as const,
  ratedAt: '2024-01-01T00:00:00.000Z',
};

describe('verdict store', () => {
  it('keeps the verdicts across a reload', () => {
    const storage = memoryStorage();
    expect(loadVerdicts(storage).table.size).toBe(0);
    expect(saveVerdicts(storage, new VerdictTable([verdict]))).toBeNull();
    expect(loadVerdicts(storage).table.records()).toEqual([verdict]);
  });

  it('starts empty and says why when the stored text is not readable', () => {
    const { table, problem } = loadVerdicts(memoryStorage({ [VERDICTS_STORAGE_KEY]: '[1, 2' }));
    expect(table.size).toBe(0);
    expect(problem).toMatch(/localStorage 'myoseg-review-verdicts': not valid JSON/);
  });

  it('says so when the storage refuses the verdicts', () => {
    const full = {
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(saveVerdicts(full, new VerdictTable([verdict]))).toMatch(/could not be kept.*QuotaExceededError/);
  });
});
