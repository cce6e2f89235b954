import { InputError } from '../errors';
import type { InferenceRuntime } from '../files/pipeline-folder';

/** The values of `--runtime`, for inference and training alike. */
const RUNTIMES: readonly InferenceRuntime[] = ['auto', 'onnxruntime', 'webgpu', 'tfjs'];

/** The values of `--precision`. */
const PRECISIONS = ['auto', 'float32', 'float16'] as const;

/**
 * Checks `--precision` (default `float32`; `auto`: float16 on `--runtime webgpu` where the adapter takes it).
 *
 * @throws InputError naming the option and the values it takes, or when float16 is asked for off WebGPU.
 */
export function precisionOption(
  precision: string | undefined = 'float32',
  runtime: InferenceRuntime = 'auto',
): (typeof PRECISIONS)[number] {
  if (!PRECISIONS.includes(precision as (typeof PRECISIONS)[number]))
    throw new InputError(`--precision must be ${PRECISIONS.join(', ')}; got ${precision}`);
  if (precision === 'float16' && runtime !== 'webgpu')
    throw new InputError(
      `--precision float16 needs --runtime webgpu (the other runtimes compute in float32)`,
    );
  return precision as (typeof PRECISIONS)[number];
}

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
