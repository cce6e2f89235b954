import { InputError } from '../errors';
import type { InferenceRuntime } from '../files/pipeline-folder';

/** The values of `--runtime`, for inference and training alike. */
const RUNTIMES: readonly InferenceRuntime[] = ['auto', 'onnxruntime', 'webgpu', 'tfjs'];

/**
 * Checks `--runtime` (default `auto`).
 *
 * @throws InputError naming the option and the values it takes.
 */
export function runtimeOption(runtime: string | undefined = 'auto'): InferenceRuntime {
  if (!RUNTIMES.includes(runtime as InferenceRuntime))
    throw new InputError(`--runtime must be ${RUNTIMES.join(', ')}; got ${runtime}`);
  return runtime as InferenceRuntime;
}
