import { describe, expect, it } from 'vitest';
import { InputError } from '../errors';
import { parseShard, shardFromEnv, studiesOfShard } from './shard';

describe('shards', () => {
  it('parses i/n and refuses anything else, naming --shard', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4, source: '--shard' });
    for (const bad of ['4/4', '-1/4', '1', '1/0', 'a/b', '1/2/3', '1.5/4'])
      expect(() => parseShard(bad)).toThrow(InputError);
    expect(() => parseShard('4/4')).toThrow(/--shard 4\/4: expected i\/n/);
  });

  it('reads Kubernetes Indexed Jobs and Slurm arrays (1-based too), or nothing', () => {
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '3', JOB_COMPLETIONS: '5' })).toMatchObject({
      index: 3,
      count: 5,
    });
    expect(
      shardFromEnv({ SLURM_ARRAY_TASK_ID: '10', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '10' }),
    ).toMatchObject({ index: 9, count: 10 });
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '2' })).toMatchObject({
      index: 0,
    });
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '3' })).toBeNull();
    expect(shardFromEnv({})).toBeNull();
    expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: '5', JOB_COMPLETIONS: '5' })).toThrow(
      /JOB_COMPLETION_INDEX/,
    );
  });

  it('covers every study exactly once over all shards, whatever the input order', () => {
    const names = Array.from({ length: 23 }, (_, i) => ({ name: `p${String(i).padStart(3, '0')}` }));
    const shuffled = [...names].reverse();
    const seen = [0, 1, 2].flatMap((index) =>
      studiesOfShard(index % 2 ? names : shuffled, { index, count: 3, source: 'test' }).map((s) => s.name),
    );
    expect(seen.sort()).toEqual(names.map((s) => s.name));
    expect(studiesOfShard(shuffled, null)).toEqual(shuffled);
  });
});
