import {
  type LoadedPipeline,
  loadPipelineFiles,
  ModelFolderError,
  type MyocardiumPipeline,
  manifestReader,
  type PipelineFolderOptions,
  type PipelineManifest,
  pipelineFolderFiles,
  pipelineFromManifest,
  readFolderFile,
  readPipelineManifest,
  type TrainedPipeline,
} from '@myoseg/models';
import { toFloat16Compute } from '@myoseg/models/onnx';
import { BackendUnavailableError } from '../errors';
import { ortStage } from '../onnx/ort-stage';
import { loadOnnxRuntime, type OnnxExecutionProvider } from '../onnx/runtime';
import { writeFolderAtomic } from './atomic';
import { diskReader } from './model-files';

/**
 * Saves a trained pipeline as one folder, atomically (temporary folder, then rename): `localizer/` and
 * `segmenter/` (tfjs layers format with model cards), `localizer.onnx` and `segmenter.onnx` (unless
 * `onnx: false`) and `myoseg.json` (preset, σ regression, split). An interrupted save never leaves a folder that
 * loads half-written. The format is `@myoseg/models`' `pipelineFolderFiles`.
 */
export async function savePipelineFolder(
  dir: string,
  trained: TrainedPipeline,
  options: PipelineFolderOptions = {},
): Promise<void> {
  await writeFolderAtomic(dir, await pipelineFolderFiles(trained, options), { kind: 'model' });
}

/** Which runtime runs a loaded folder's networks: `'auto'` takes onnxruntime-node when it can. */
export type InferenceRuntime = 'auto' | 'onnxruntime' | 'webgpu' | 'tfjs';

/** A segmenter folder loaded on tfjs: the pipeline, both networks as tfjs models, the manifest. */
export interface TfjsPipelineFolder extends LoadedPipeline {
  /** Always `'tfjs'`. */
  runtime: 'tfjs';
  /** Why onnxruntime-node was not used (with `runtime: 'auto'`), or null when tfjs was asked for. */
  runtimeNote: string | null;
}

/** A segmenter folder loaded on onnxruntime-node: the pipeline runs both networks' `.onnx` files. */
export interface OnnxPipelineFolder {
  /** Always `'onnxruntime-node'`. */
  runtime: 'onnxruntime-node';
  /** The ready pipeline. */
  pipeline: MyocardiumPipeline;
  /** The folder's manifest. */
  manifest: PipelineManifest;
  /** The onnxruntime-node version and the threads each session uses. */
  runtimeNote: string;
  /** Releases both sessions. */
  dispose(): void;
}

/** What {@link loadPipelineFolder} returns: `runtime` tells which kind. */
export type PipelineFolder = TfjsPipelineFolder | OnnxPipelineFolder;

/** Options of {@link loadPipelineFolder}. */
export interface LoadPipelineFolderOptions {
  /**
   * `'auto'` (default): onnxruntime-node on the CPU when it is installed and the folder holds `.onnx` files, else
   * tfjs on the current backend; `'onnxruntime'`: onnxruntime-node on the CPU or an error; `'webgpu'`:
   * onnxruntime-node's WebGPU execution provider (a GPU through Dawn; on Linux through Vulkan) or an error saying
   * why there is no adapter; `'tfjs'`: tfjs.
   */
  runtime?: InferenceRuntime;
  /** onnxruntime threads per session (default the machine's cores). */
  intraOpNumThreads?: number;
  /**
   * The arithmetic on `runtime: 'webgpu'`. `'float32'` (default): float32. `'auto'`: float16 where the adapter
   * takes it (the networks are rewritten at load by `toFloat16Compute`), else float32, and `runtimeNote` says which
   * and why; `'float16'`: float16 or a {@link BackendUnavailableError}. Other runtimes always compute in float32
   * (`'float16'` is refused there). On an H200, float16 sped the networks up by 5–16 % and a study not at all, and
   * moved frame Dice by 0.003 on average (docs/guides/backends.md), hence not the default.
   */
  precision?: 'auto' | 'float32' | 'float16';
}

/**
 * Loads a segmenter folder written by {@link savePipelineFolder} (or `myoseg train`, or `myoseg demo`'s
 * `model/`). With onnxruntime-node installed and `.onnx` files in the folder, inference runs there (several times
 * faster than tfjs-wasm on a CPU); else on the current tfjs backend.
 *
 * @throws `ModelFolderError` naming the folder or file when it is missing, incomplete, or of another version;
 *   {@link BackendUnavailableError} when `runtime: 'onnxruntime'` cannot be honoured.
 */
export async function loadPipelineFolder(
  dir: string,
  options: LoadPipelineFolderOptions & { runtime: 'tfjs' },
): Promise<TfjsPipelineFolder>;
export async function loadPipelineFolder(
  dir: string,
  options?: LoadPipelineFolderOptions,
): Promise<PipelineFolder>;
export async function loadPipelineFolder(
  dir: string,
  options: LoadPipelineFolderOptions = {},
): Promise<PipelineFolder> {
  const { runtime = 'auto', precision = 'float32' } = options;
  if (!['auto', 'float32', 'float16'].includes(precision))
    throw new BackendUnavailableError(`precision must be auto, float32 or float16; got ${String(precision)}`);
  if (precision === 'float16' && runtime !== 'webgpu')
    throw new BackendUnavailableError(
      `precision float16 runs on the WebGPU runtime only (runtime: 'webgpu'); got runtime ${runtime}`,
    );
  const read = diskReader(dir);
  let note: string | null = null;
  if (runtime !== 'tfjs') {
    const manifest = await readPipelineManifest(read, dir);
    const ort = await loadOnnxRuntime();
    if (ort.runtime !== null && manifest.onnx !== undefined) {
      const provider = runtime === 'webgpu' ? 'webgpu' : 'cpu';
      const load = (float16: boolean) =>
        loadOnnx(dir, manifest, manifest.onnx as NonNullable<PipelineManifest['onnx']>, {
          threads: options.intraOpNumThreads,
          version: ort.version,
          provider,
          float16,
        });
      try {
        if (provider === 'cpu' || precision === 'float32') return await load(false);
        if (precision === 'float16') return await load(true);
        return await load(true).catch(async (e) => {
          if (!(e instanceof Float16UnavailableError)) throw e;
          const loaded = await load(false);
          return { ...loaded, runtimeNote: `${loaded.runtimeNote} (float16 not used: ${e.message})` };
        });
      } catch (e) {
        if (e instanceof BackendUnavailableError)
          throw new BackendUnavailableError(`--runtime webgpu: ${e.message}`);
        throw e;
      }
    }
    note =
      ort.runtime === null
        ? ort.reason
        : `${dir} holds no .onnx files (saved by an older myoseg, or with onnx: false)`;
    if (runtime === 'onnxruntime' || runtime === 'webgpu')
      throw new BackendUnavailableError(`--runtime ${runtime}: ${note}`);
  }
  const loaded = await loadPipelineFiles(read, { where: dir });
  return { ...loaded, runtime: 'tfjs', runtimeNote: note };
}

/** The WebGPU adapter cannot compute in float16 (no `shader-f16`): onnxruntime refused the float16 networks. */
class Float16UnavailableError extends BackendUnavailableError {}

/** How {@link loadOnnx} runs the networks. */
interface OnnxLoad {
  /** onnxruntime threads per session. */
  threads: number | undefined;
  /** onnxruntime-node's version, for the note. */
  version: string;
  /** The execution provider. */
  provider: OnnxExecutionProvider;
  /** Rewrite the networks to compute in float16 first. */
  float16: boolean;
}

async function loadOnnx(
  dir: string,
  manifest: PipelineManifest,
  files: NonNullable<PipelineManifest['onnx']>,
  { threads, version, provider, float16 }: OnnxLoad,
): Promise<OnnxPipelineFolder> {
  const read = manifestReader(diskReader(dir), manifest, dir);
  const stage = async (path: string) => {
    const stored = await readFolderFile(read, dir, path);
    const bytes = float16 ? toFloat16Compute(stored, `${dir}/${path}`) : stored;
    return ortStage(bytes, {
      normalization: manifest.preset.normalization,
      intraOpNumThreads: threads,
      executionProvider: provider,
    }).catch((e) => {
      if (e instanceof BackendUnavailableError) throw e;
      const message = (e as Error).message;
      if (float16 && /requires f16|shader-f16|float16/i.test(message))
        throw new Float16UnavailableError(
          `the WebGPU adapter cannot compute in float16 (no shader-f16): ${message.split('\n')[0]}`,
        );
      throw new ModelFolderError(`${dir}/${path}: ${message}`);
    });
  };
  const localizer = await stage(files.localizer);
  const cropSegmenter = await stage(files.segmenter).catch((e) => {
    localizer.release();
    throw e;
  });
  let pipeline: MyocardiumPipeline;
  try {
    pipeline = pipelineFromManifest(manifest, { localizer, cropSegmenter }, dir, {
      localizer: files.localizer,
      cropSegmenter: files.segmenter,
    });
  } catch (e) {
    localizer.release();
    cropSegmenter.release();
    throw e;
  }
  return {
    runtime: 'onnxruntime-node',
    pipeline,
    manifest,
    runtimeNote:
      provider === 'webgpu'
        ? `onnxruntime-node ${version}, WebGPU execution provider (Dawn), ${float16 ? 'float16' : 'float32'}`
        : `onnxruntime-node ${version}, ${localizer.intraOpNumThreads} threads`,
    dispose() {
      localizer.release();
      cropSegmenter.release();
    },
  };
}
