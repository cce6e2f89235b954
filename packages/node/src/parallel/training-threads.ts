import { availableParallelism } from 'node:os';
import type { StageTrainerFactory } from '@myoseg/models/training';
import type { BackendChoice } from '../backend';
import { createDataParallelTrainer, type DataParallelOptions } from './data-parallel';
import { DataParallelError } from './errors';

/** Fewest rows of a batch per thread: BatchNorm normalizes each thread's rows on their own. */
export const MIN_ROWS_PER_THREAD = 4;

/**
 * How many threads to train on by default: on the wasm backend (one thread under Node) one per core, but at
 * most one per {@link MIN_ROWS_PER_THREAD} rows of a batch; 1 on the other backends, which use every core
 * already (tfjs-node, tfjs-node-gpu) or gain nothing from it (cpu).
 *
 * @param cores - cores to use (default: the machine's, `os.availableParallelism()`).
 */
export function defaultTrainingThreads(backend: BackendChoice, batchSize: number, cores?: number): number {
  if (backend !== 'wasm') return 1;
  const available = cores ?? availableParallelism();
  return Math.max(1, Math.min(available, Math.floor(batchSize / MIN_ROWS_PER_THREAD)));
}

/**
 * The `trainer` option of `trainPipeline` and `evaluateApproaches` for `threads` threads: every network they
 * train gets its own {@link createDataParallelTrainer}, stopped when that network is done. `undefined` for one
 * thread (each step then runs on the calling thread).
 *
 * @throws {@link DataParallelError} when `threads` is not an integer ≥ 1.
 */
export function dataParallelStages(
  threads: number,
  options: Omit<DataParallelOptions, 'replicas'> = {},
): StageTrainerFactory | undefined {
  if (!Number.isInteger(threads) || threads < 1)
    throw new DataParallelError(`dataParallelStages: threads must be an integer ≥ 1, got ${String(threads)}`);
  if (threads === 1) return undefined;
  return (model) => createDataParallelTrainer(model, { ...options, replicas: threads });
}
