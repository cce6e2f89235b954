import { availableParallelism } from 'node:os';
import type { Image2D } from '@myoseg/core';
import { prepareInput, type SegmentationStage, type TfStageOptions } from '@myoseg/models';
import ndarray from 'ndarray';
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

/** A `SegmentationStage` that runs an ONNX model with onnxruntime. */
export interface OrtStage extends SegmentationStage {
  /** The session that runs the model. */
  readonly session: OnnxSession;
  /** Threads inside each operator; `null` when the session was given (its own setting). */
  readonly intraOpNumThreads: number | null;
  /** Frees the session's native memory (also a session that was passed in); `predict` fails afterwards. */
  release(): Promise<void>;
}

const isSession = (model: unknown): model is OnnxSession =>
  typeof model === 'object' && model !== null && typeof (model as OnnxSession).run === 'function';

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new OnnxStageError(`ortStage: ${name} must be an integer ≥ 1, got ${String(value)}`);
  }
  return value;
}

/** The runtime to use: the one given, or onnxruntime-node; throws when neither is there. */
async function runtimeFor(options: OrtStageOptions): Promise<OnnxRuntime> {
  if (options.runtime) return options.runtime;
  const loaded = await loadOnnxRuntime();
  if (loaded.runtime === null) {
    throw new BackendUnavailableError(`ortStage needs onnxruntime-node: ${loaded.reason}`);
  }
  return loaded.runtime;
}

/** `[h, w, channels, classes]` of a session whose input is `[N, h, w, 1 | 3]` and output `[N, h, w, classes]`. */
function stageShape(session: OnnxSession): [number, number, 1 | 3, number] {
  const input = session.inputMetadata[0]?.shape ?? [];
  const output = session.outputMetadata[0]?.shape ?? [];
  const [, h, w, c] = input;
  const classes = output[3];
  const known = (n: number | string | undefined): n is number => typeof n === 'number' && n >= 1;
  if (input.length !== 4 || !known(h) || !known(w) || (c !== 1 && c !== 3)) {
    throw new OnnxStageError(
      `ortStage: the model's input must be [N, h, w, 1 | 3], got [${input.join(', ')}]`,
    );
  }
  if (output.length !== 4 || output[1] !== h || output[2] !== w || !known(classes)) {
    throw new OnnxStageError(
      `ortStage: the model's output must be [N, ${h}, ${w}, classes], got [${output.join(', ')}]`,
    );
  }
  return [h, w, c, classes];
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
  const { normalization = 'per-image', foregroundClasses = [1] } = options;
  const batchSize = positiveInteger('batchSize', options.batchSize ?? 8);
  if (!(model instanceof Uint8Array) && !isSession(model)) {
    throw new OnnxStageError('ortStage: model must be the bytes of an .onnx file (Uint8Array) or a session');
  }
  const intraOpNumThreads = isSession(model)
    ? null
    : positiveInteger('intraOpNumThreads', options.intraOpNumThreads ?? availableParallelism());
  const runtime = await runtimeFor(options);
  const session = isSession(model)
    ? model
    : await createSession(runtime, model, intraOpNumThreads as number, 'ortStage', options.executionProvider);
  const [h, w, channels, classes] = stageShape(session);
  for (const c of foregroundClasses) {
    if (!Number.isInteger(c) || c < 0 || c >= classes) {
      throw new OnnxStageError(`ortStage: foregroundClasses has ${c}, but the model has ${classes} classes`);
    }
  }
  const inputSize: [number, number] = [h, w];
  const [inputName] = session.inputNames;
  const [outputName] = session.outputNames;
  const pixels = h * w;

  return {
    inputSize,
    channels,
    classes,
    session,
    intraOpNumThreads,
    release: () => session.release(),
    async predict(images) {
      const out: Image2D[] = [];
      for (let start = 0; start < images.length; start += batchSize) {
        const chunk = images.slice(start, start + batchSize);
        const batch = new Float32Array(chunk.length * pixels * channels);
        chunk.forEach((img, i) => {
          if (img.shape.length !== 2 || img.shape[0] !== h || img.shape[1] !== w) {
            throw new OnnxStageError(
              `ortStage.predict: image ${start + i} is [${img.shape.join(', ')}], expected [${h}, ${w}]`,
            );
          }
          batch.set(prepareInput(img, inputSize, normalization, channels), i * pixels * channels);
        });
        const feeds = { [inputName]: new runtime.Tensor('float32', batch, [chunk.length, h, w, channels]) };
        const probs = (await session.run(feeds))[outputName].data as Float32Array;
        for (let i = 0; i < chunk.length; i++) {
          const fg = new Float32Array(pixels);
          for (let p = 0; p < pixels; p++) {
            const at = (i * pixels + p) * classes;
            for (const c of foregroundClasses) fg[p] += probs[at + c];
          }
          out.push(ndarray(fg, [h, w]));
        }
      }
      return out;
    },
  };
}
