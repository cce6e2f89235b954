import { describe, expect, it } from 'vitest';
import { FULL_CELLS, parseBenchArgs, QUICK_CELLS } from './args.mjs';

describe('parseBenchArgs', () => {
  it('defaults to the full run: the four cells, 3 runs after 1 warm-up, PyTorch on, no memory run', () => {
    const a = parseBenchArgs([]);
    expect(a).toMatchObject({
      json: false,
      quick: false,
      memory: false,
      profile: false,
      pytorch: true,
      runs: 3,
      warmup: 2,
    });
    expect(a.cells).toEqual(FULL_CELLS);
    expect(a.memoryCell).toEqual([256, 4]);
    expect(a.memorySteps).toBe(100);
  });

  it('--quick makes it small and short; explicit counts win', () => {
    const a = parseBenchArgs(['--quick', '--json', '--runs', '2', '--warmup', '0', '--replicas', '3']);
    expect(a).toMatchObject({ json: true, quick: true, runs: 2, warmup: 0, replicas: 3, memorySteps: 3 });
    expect(a.cells).toEqual(QUICK_CELLS);
    expect(parseBenchArgs(['--no-pytorch', '--memory', '--profile', '--memory-steps', '7'])).toMatchObject({
      profile: true,
      pytorch: false,
      memory: true,
      memorySteps: 7,
    });
  });

  it('rejects unknown options and counts that are not positive integers', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrow();
    expect(() => parseBenchArgs(['--runs', '0'])).toThrow(/--runs must be an integer ≥ 1, got 0/);
    expect(() => parseBenchArgs(['--threads', '1.5'])).toThrow(/--threads/);
    expect(() => parseBenchArgs(['--warmup=-1'])).toThrow(/--warmup must be an integer ≥ 0/);
  });
});
