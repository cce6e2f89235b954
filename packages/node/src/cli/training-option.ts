import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { PresetName } from '@myoseg/models';
import { type PresetOverride, resolvePreset, type StageTrainerFactory } from '@myoseg/models/training';
import type { BackendReport } from '../backend';
import { InputError } from '../errors';
import { createOrtTrainer } from '../onnx/ort-trainer';
import { loadOnnxRuntime } from '../onnx/runtime';
import { dataParallelStages, defaultTrainingThreads } from '../parallel/training-threads';
import { runtimeOption } from './runtime-option';

/**
 * The package entry that training threads load: `dist/index.js` beside the bundled `dist/cli.js`; `undefined`
 * when the CLI runs from its sources (tests), where tfjs training stays on one thread.
 */
function builtEntry(): string | undefined {
  if (!/\/dist\/cli\.js$/.test(import.meta.url)) return undefined;
  const entry = new URL('./index.js', import.meta.url);
  return existsSync(fileURLToPath(entry)) ? entry.href : undefined;
}

/** How `train` and `demo` train: what to print and the `trainer` option of the pipeline's trainers. */
export interface TrainingChoice {
  /** One line for stderr: the runtime and its threads. */
  describe: string;
  /** The `trainer` option (`undefined`: tfjs on the calling thread). */
  trainer: StageTrainerFactory | undefined;
}

/**
 * Resolves `--runtime` and `--threads` for training. `auto` trains on onnxruntime-node when it is installed and the
 * backend is wasm or cpu (its native kernels run a step several times faster), else on tfjs: on wasm spread over
 * worker threads ({@link defaultTrainingThreads}), on tfjs-node as it is. `--threads` is onnxruntime's threads per
 * operator (default: the cores) or the number of wasm workers.
 *
 * @throws InputError for an unknown runtime, `onnxruntime` when onnxruntime-node cannot load, or more than one
 *   tfjs thread on a backend other than wasm.
 */
export async function trainingOption(
  backend: BackendReport,
  preset: PresetName | PresetOverride,
  options: { runtime?: string; threads?: number },
): Promise<TrainingChoice> {
  const runtime = runtimeOption(options.runtime);
  const requested = options.threads;
  if (runtime === 'webgpu')
    throw new InputError(
      "--runtime webgpu runs inference only: onnxruntime-node's WebGPU provider cannot run the training graphs' max-pool backward (MaxPool with indices); train with --runtime auto or onnxruntime",
    );
  const useOrt =
    runtime === 'onnxruntime' ||
    (runtime === 'auto' && (backend.choice === 'wasm' || backend.choice === 'cpu'));
  if (useOrt) {
    const ort = await loadOnnxRuntime();
    if (ort.runtime !== null) {
      const threads = requested ?? availableParallelism();
      return {
        describe: `training: onnxruntime-node ${ort.version}, ${threads} thread${threads === 1 ? '' : 's'}`,
        trainer: (model) => createOrtTrainer(model, { intraOpNumThreads: threads }),
      };
    }
    if (runtime === 'onnxruntime') throw new InputError(`--runtime onnxruntime: ${ort.reason}`);
  }
  if (requested !== undefined && requested > 1 && backend.choice !== 'wasm') {
    throw new InputError(
      `--threads ${requested}: tfjs training threads run the wasm backend; ${backend.choice} uses every core already (pass --threads 1 or --backend wasm)`,
    );
  }
  const entry = builtEntry();
  const wanted = requested ?? defaultTrainingThreads(backend.choice, resolvePreset(preset).batchSize);
  const threads = entry === undefined ? 1 : wanted;
  const note = threads < wanted ? ' (running from sources: no built entry for worker threads)' : '';
  return {
    describe: `training: tfjs ${backend.choice}${backend.choice === 'wasm' ? `, ${threads} thread${threads === 1 ? '' : 's'}${note}` : ''}`,
    trainer: dataParallelStages(threads, { workerModule: entry }),
  };
}
