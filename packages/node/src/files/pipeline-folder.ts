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
  const { runtime = 'auto' } = options;
  const read = diskReader(dir);
  let note: string | null = null;
  if (runtime !== 'tfjs') {
    const manifest = await readPipelineManifest(read, dir);
    const ort = await loadOnnxRuntime();
    if (ort.runtime !== null && manifest.onnx !== undefined) {
      const provider = runtime === 'webgpu' ? 'webgpu' : 'cpu';
      return loadOnnx(dir, manifest, manifest.onnx, options.intraOpNumThreads, ort.version, provider).catch(
        (e) => {
          if (e instanceof BackendUnavailableError)
            throw new BackendUnavailableError(`--runtime webgpu: ${e.message}`);
          throw e;
        },
      );
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

async function loadOnnx(
  dir: string,
  manifest: PipelineManifest,
  files: NonNullable<PipelineManifest['onnx']>,
  intraOpNumThreads: number | undefined,
  version: string,
  executionProvider: OnnxExecutionProvider,
): Promise<OnnxPipelineFolder> {
  const read = manifestReader(diskReader(dir), manifest, dir);
  const stage = async (path: string) => {
    const bytes = await readFolderFile(read, dir, path);
    return ortStage(bytes, {
      normalization: manifest.preset.normalization,
      intraOpNumThreads,
      executionProvider,
    }).catch((e) => {
      if (e instanceof BackendUnavailableError) throw e;
      throw new ModelFolderError(`${dir}/${path}: ${(e as Error).message}`);
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
      executionProvider === 'webgpu'
        ? `onnxruntime-node ${version}, WebGPU execution provider (Dawn)`
        : `onnxruntime-node ${version}, ${localizer.intraOpNumThreads} threads`,
    dispose() {
      localizer.release();
      cropSegmenter.release();
    },
  };
}
