import { InputError } from '../errors';

/** One part of a sharded run: this process takes the studies whose index `% count === index`. */
export interface Shard {
  /** 0-based part, `< count`. */
  index: number;
  /** How many parts the run is split into (≥ 1). */
  count: number;
  /** Where it came from: `--shard`, or the scheduler's environment variables. */
  source: string;
}

const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);

/**
 * Parses `--shard i/n` (0-based `i`, e.g. `0/4` … `3/4`).
 *
 * @throws {@link InputError} naming `--shard` unless `0 ≤ i < n`, both integers.
 */
export function parseShard(text: string): Shard {
  const [i, n, extra] = text.split('/');
  const index = whole(i ?? '');
  const count = whole(n ?? '');
  if (extra !== undefined || !(count >= 1) || !(index >= 0 && index < count))
    throw new InputError(`--shard ${text}: expected i/n with 0 ≤ i < n, e.g. 0/4`);
  return { index, count, source: '--shard' };
}

/**
 * The shard a cluster scheduler gives this process, when its variables are set: a Kubernetes Indexed Job
 * (`JOB_COMPLETION_INDEX` of `JOB_COMPLETIONS`) or a Slurm job array (`SLURM_ARRAY_TASK_ID` −
 * `SLURM_ARRAY_TASK_MIN` of `SLURM_ARRAY_TASK_COUNT`, so that `--array=1-10` works as well as `0-9`).
 *
 * @returns null when neither is set.
 * @throws {@link InputError} naming the variables when they are set but inconsistent.
 */
export function shardFromEnv(env: Record<string, string | undefined>): Shard | null {
  const check = (index: number, count: number, source: string): Shard => {
    if (!(count >= 1) || !(index >= 0 && index < count))
      throw new InputError(`${source}: expected a 0-based index below the count, got ${index} of ${count}`);
    return { index, count, source };
  };
  if (env.JOB_COMPLETION_INDEX !== undefined && env.JOB_COMPLETIONS !== undefined)
    return check(
      whole(env.JOB_COMPLETION_INDEX),
      whole(env.JOB_COMPLETIONS),
      'JOB_COMPLETION_INDEX/JOB_COMPLETIONS',
    );
  if (env.SLURM_ARRAY_TASK_ID !== undefined && env.SLURM_ARRAY_TASK_COUNT !== undefined) {
    const min = env.SLURM_ARRAY_TASK_MIN === undefined ? 0 : whole(env.SLURM_ARRAY_TASK_MIN);
    return check(
      whole(env.SLURM_ARRAY_TASK_ID) - min,
      whole(env.SLURM_ARRAY_TASK_COUNT),
      'SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_MIN/SLURM_ARRAY_TASK_COUNT',
    );
  }
  return null;
}

/**
 * The studies of one shard: sorted by their output name (so every shard of a run sees the same order whatever
 * order the inputs were given in), then every `count`-th from `index`. Over all shards, each study exactly once.
 */
export function studiesOfShard<T extends { name: string }>(studies: readonly T[], shard: Shard | null): T[] {
  if (!shard) return [...studies];
  return [...studies]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .filter((_, k) => k % shard.count === shard.index);
}
