import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type PresetOverride, resolvePreset, type StageTrainerFactory } from '@myoseg/models';
import type { BackendReport } from '../backend';
import { InputError } from '../errors';
import { dataParallelStages, defaultTrainingThreads } from '../parallel/training-threads';
import type { CliIo } from './io';

/**
 * The package entry that training threads load: `dist/index.js` beside the bundled `dist/cli.js`; `undefined`
 * when the CLI runs from its sources (tests), where training stays on one thread.
 */
function builtEntry(): string | undefined {
  if (!/\/dist\/cli\.js$/.test(import.meta.url)) return undefined;
  const entry = new URL('./index.js', import.meta.url);
  return existsSync(fileURLToPath(entry)) ? entry.href : undefined;
}

/**
 * Resolves `--threads` of `train` and `demo` into a thread count and the `trainer` option of the pipeline's trainers, and says on
 * stderr how many threads train. Default: {@link defaultTrainingThreads} (one per core on wasm, at most one per
 * 4 rows of a batch; 1 on other backends).
 *
 * @throws InputError for more than one thread on a backend other than wasm.
 */
export function trainingThreadsOption(
  io: CliIo,
  backend: BackendReport,
  preset: 'quick' | 'paper' | PresetOverride,
  requested: number | undefined,
): { threads: number; trainer: StageTrainerFactory | undefined } {
  if (requested !== undefined && requested > 1 && backend.choice !== 'wasm') {
    throw new InputError(
      `--threads ${requested}: training threads run the wasm backend; ${backend.choice} uses every core already (pass --threads 1 or --backend wasm)`,
    );
  }
  const entry = builtEntry();
  const wanted = requested ?? defaultTrainingThreads(backend.choice, resolvePreset(preset).batchSize);
  const threads = entry === undefined ? 1 : wanted;
  if (backend.choice === 'wasm') {
    io.err(
      `training: ${threads} thread${threads === 1 ? '' : 's'}${threads < wanted ? ' (running from sources: no built entry for worker threads)' : ''}`,
    );
  }
  return { threads, trainer: dataParallelStages(threads, { workerModule: entry }) };
}
