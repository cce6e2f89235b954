import { availableParallelism } from 'node:os';
import type { TfStageOptions } from '@myoseg/models';
import { type OnnxStage, onnxStage } from '@myoseg/models/onnx';
import { BackendUnavailableError } from '../errors';
import { OnnxStageError } from './errors';
import { loadOnnxRuntime, type OnnxExecutionProvider, type OnnxRuntime, type OnnxSession } from './runtime';

/** Options of {@link ortStage}: those of `tfStage`, plus the runtime's. */
export interface OrtStageOptions extends TfStageOptions {
  /**
   * Threads inside each operator; default the machine's cores (`os.availableParallelism()`). Ignored when
   * `ortStage` gets a session.
   */
  intraOpNumThreads?: number;
  /** The onnxruntime module; default `onnxruntime-node`, from {@link loadOnnxRuntime}. */
  runtime?: OnnxRuntime;
  /**
   * Where the model runs (default `'cpu'`): `'webgpu'` is onnxruntime-node's WebGPU execution provider (a GPU
   * through Dawn; on Linux through Vulkan). Ignored when `ortStage` gets a session.
   */
  executionProvider?: OnnxExecutionProvider;
}

/** A `SegmentationStage` that runs an ONNX model with onnxruntime-node (`onnxStage` of `@myoseg/models/onnx`). */
export interface OrtStage extends OnnxStage {
  /** Threads inside each operator; `null` when the session was given (its own setting). */
  readonly intraOpNumThreads: number | null;
}

const isSession = (model: unknown): model is OnnxSession =>
  typeof model === 'object' && model !== null && typeof (model as OnnxSession).run === 'function';

/** The runtime to use: the one given, or onnxruntime-node; throws when neither is there. */
async function runtimeFor(options: OrtStageOptions): Promise<OnnxRuntime> {
  if (options.runtime) return options.runtime;
  const loaded = await loadOnnxRuntime();
  if (loaded.runtime === null) {
    throw new BackendUnavailableError(`ortStage needs onnxruntime-node: ${loaded.reason}`);
  }
  return loaded.runtime;
}

/**
 * A session for `bytes`, the ops sequential, each on `threads` threads, every graph optimization on, on the CPU or
 * (`provider: 'webgpu'`) on a GPU through WebGPU.
 *
 * @param what - the caller, for the message.
 * @throws {@link OnnxStageError} when onnxruntime cannot load the model; {@link BackendUnavailableError} when the
 *   WebGPU provider finds no adapter (the message says what it needs).
 */
export async function createSession(
  runtime: OnnxRuntime,
  bytes: Uint8Array,
  threads: number,
  what = 'ortStage',
  provider: OnnxExecutionProvider = 'cpu',
): Promise<OnnxSession> {
  try {
    return await runtime.InferenceSession.create(bytes, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      ...(provider === 'webgpu' ? { executionProviders: ['webgpu'] } : {}),
    });
  } catch (e) {
    const message = (e as Error).message;
    if (provider === 'webgpu' && /adapter|vulkan|webgpu/i.test(message))
      throw new BackendUnavailableError(
        `onnxruntime-node's WebGPU provider found no GPU adapter (${/Failed to get a WebGPU adapter[^\n]*/.exec(message)?.[0] ?? message.split('\n')[0]}); on Linux it needs libvulkan.so.1 (Debian: libvulkan1) and a Vulkan driver (the GPU's, or a software one such as Chromium's SwiftShader through VK_ICD_FILENAMES)`,
      );
    throw new OnnxStageError(`${what}: onnxruntime could not load the model: ${message}`);
  }
}

/**
 * Wraps an ONNX U-Net (from `exportOnnx`: NHWC input `[N, h, w, 1 | 3]`, softmax output `[N, h, w, classes]`) as a
 * `SegmentationStage` that runs on onnxruntime, with the arithmetic of `tfStage`: the same input
 * normalization (`prepareInput`), `foregroundClasses` summed, `batchSize` images per run.
 *
 * @param model - the bytes of an `.onnx` file, or a session created from one.
 * @param options - `normalization` (default `'per-image'`), `foregroundClasses` (default `[1]`), `batchSize`
 *   (default 8), `intraOpNumThreads` (default the machine's cores), `runtime` (default onnxruntime-node).
 * @returns the stage; `predict` gives one `[h, w]` map of probabilities in [0, 1] per image, `[]` for none.
 * @throws {@link BackendUnavailableError} when no runtime is given and onnxruntime-node is not installed;
 *   {@link OnnxStageError} when onnxruntime cannot load the bytes, the model's input or output shape is not as
 *   above, a foreground class is out of range, or an option is out of range.
 */
export async function ortStage(
  model: Uint8Array | OnnxSession,
  options: OrtStageOptions = {},
): Promise<OrtStage> {
  if (!(model instanceof Uint8Array) && !isSession(model)) {
    throw new OnnxStageError('ortStage: model must be the bytes of an .onnx file (Uint8Array) or a session');
  }
  const threads = options.intraOpNumThreads ?? availableParallelism();
  if (!isSession(model) && !(Number.isInteger(threads) && threads >= 1))
    throw new OnnxStageError(`ortStage: intraOpNumThreads must be an integer ≥ 1, got ${String(threads)}`);
  const runtime = await runtimeFor(options);
  const session = isSession(model)
    ? model
    : await createSession(runtime, model, threads, 'ortStage', options.executionProvider);
  try {
    return {
      ...onnxStage(session, runtime.Tensor, options),
      intraOpNumThreads: isSession(model) ? null : threads,
    };
  } catch (e) {
    if (!isSession(model)) await session.release();
    throw e;
  }
}
