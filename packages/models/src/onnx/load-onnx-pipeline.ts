import { ModelFolderError } from '../files/errors';
import { manifestReader, pipelineFromManifest, readPipelineManifest } from '../files/pipeline-folder';
import type { PipelineManifest } from '../files/pipeline-folder-schema';
import { type ReadFolderFile, readFolderFile } from '../files/read-file';
import type { MyocardiumPipeline } from '../pipeline/pipeline';
import type { OnnxSession, OnnxTensorConstructor } from './onnx-session';
import { type OnnxStage, onnxStage } from './onnx-stage';

/** The onnxruntime module a caller brings (`import * as ort from 'onnxruntime-web/webgpu'`), as far as used here. */
export interface OnnxRuntimeModule {
  /** Creates sessions. */
  readonly InferenceSession: {
    /** A session for the bytes of an `.onnx` file, on the given execution providers in order of preference. */
    create(model: Uint8Array, options?: { executionProviders?: readonly string[] }): Promise<OnnxSession>;
  };
  /** The tensor class. */
  readonly Tensor: OnnxTensorConstructor;
}

/** A model folder loaded on onnxruntime (web or node) by {@link loadOnnxPipelineFiles}. */
export interface OnnxLoadedPipeline {
  /** The ready pipeline. */
  pipeline: MyocardiumPipeline;
  /** The folder's manifest. */
  manifest: PipelineManifest;
  /** The execution providers asked for, in order (onnxruntime takes the first that works for each node). */
  executionProviders: readonly string[];
  /** Releases both sessions. */
  dispose(): Promise<void>;
}

/**
 * Loads a model folder's ONNX networks (`localizer.onnx`, `segmenter.onnx`, listed in `myoseg.json` and checked
 * against its digests) on an onnxruntime the caller brings, and builds the pipeline on them: the browser's way to run
 * a model folder without tfjs, e.g. onnxruntime-web with `['webgpu', 'wasm']` in a worker. Browser-safe.
 *
 * @param read - reads a file of the folder by its relative path (fetch, a dropped folder, the disk).
 * @param options.ort - the onnxruntime module.
 * @param options.executionProviders - in order of preference (default `['wasm']`).
 * @param options.where - the folder's name, for messages.
 * @throws `ModelFolderError` when the folder has no ONNX files (saved by an older myoseg) or a file is missing or
 *   altered; `OnnxStageError` when a network is not a U-Net of the manifest's shapes; onnxruntime's own error when it
 *   cannot create a session on any of the providers.
 * @example
 * ```ts
 * import * as ort from 'onnxruntime-web/webgpu';
 * const read = (path: string) => fetch(`/model/${path}`).then((r) => r.arrayBuffer()).then((b) => new Uint8Array(b));
 * const { pipeline } = await loadOnnxPipelineFiles(read, { ort, executionProviders: ['webgpu', 'wasm'] });
 * ```
 */
export async function loadOnnxPipelineFiles(
  read: ReadFolderFile,
  options: { ort: OnnxRuntimeModule; executionProviders?: readonly string[]; where?: string },
): Promise<OnnxLoadedPipeline> {
  const { ort, executionProviders = ['wasm'], where = '' } = options;
  const manifest = await readPipelineManifest(read, where);
  const files = manifest.onnx;
  if (!files)
    throw new ModelFolderError(
      `${where || 'model folder'}: myoseg.json lists no .onnx files (saved without ONNX)`,
    );
  const checked = manifestReader(read, manifest, where);
  const stages: OnnxStage[] = [];
  try {
    for (const path of [files.localizer, files.segmenter]) {
      const session = await ort.InferenceSession.create(await readFolderFile(checked, where, path), {
        executionProviders,
      });
      stages.push(onnxStage(session, ort.Tensor, { normalization: manifest.preset.normalization }));
    }
    const [localizer, cropSegmenter] = stages;
    const pipeline = pipelineFromManifest(manifest, { localizer, cropSegmenter }, where, {
      localizer: files.localizer,
      cropSegmenter: files.segmenter,
    });
    return {
      pipeline,
      manifest,
      executionProviders,
      dispose: async () => {
        await Promise.all(stages.map((s) => s.release()));
      },
    };
  } catch (e) {
    await Promise.all(stages.map((s) => s.release()));
    throw e;
  }
}
