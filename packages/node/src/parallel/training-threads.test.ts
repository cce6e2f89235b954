import { describe, expect, it } from 'vitest';
import { DataParallelError } from './errors';
import { dataParallelStages, defaultTrainingThreads } from './training-threads';

describe('defaultTrainingThreads', () => {
  it('one per core on wasm, at most one per 4 rows of a batch', () => {
    expect(defaultTrainingThreads('wasm', 16, 2)).toBe(2);
    expect(defaultTrainingThreads('wasm', 16, 16)).toBe(4);
    expect(defaultTrainingThreads('wasm', 8, 16)).toBe(2);
    expect(defaultTrainingThreads('wasm', 2, 16)).toBe(1);
    expect(defaultTrainingThreads('wasm', 16, 1)).toBe(1);
  });

  it('one on backends that use every core already or gain nothing', () => {
    for (const backend of ['tfjs-node', 'tfjs-node-gpu', 'cpu'] as const)
      expect(defaultTrainingThreads(backend, 16, 8)).toBe(1);
  });
});

describe('dataParallelStages', () => {
  it('is no trainer for one thread and a factory for more', () => {
    expect(dataParallelStages(1)).toBeUndefined();
    expect(typeof dataParallelStages(2, { workerModule: 'file:///x.js' })).toBe('function');
  });

  it('rejects a thread count that is not an integer ≥ 1', () => {
    for (const bad of [0, -1, 1.5, Number.NaN])
      expect(() => dataParallelStages(bad)).toThrow(DataParallelError);
  });
});
