import { MyosegError } from '@myoseg/core';
import { ModelFolderError } from '../files/errors';
import { manifestReader, pipelineFromManifest, readPipelineManifest } from '../files/pipeline-folder';
import type { PipelineManifest } from '../files/pipeline-folder-schema';
import { type ReadFolderFile, readFolderFile } from '../files/read-file';
import type { MyocardiumPipeline } from '../pipeline/pipeline';
import { toFloat16Compute } from './float16-compute';
import type { OnnxSession, OnnxTensorConstructor } from './onnx-session';
import { type OnnxStage, onnxStage } from './onnx-stage';
import {
  adapterDetail,
  currentEnvironment,
  type OnnxPrecision,
  type OnnxPrecisionRequest,
  type OnnxRuntimeReport,
  type OnnxRuntimeRequest,
  OnnxRuntimeUnavailableError,
  type OnnxWebRuntime,
  type RuntimeEnvironment,
  runtimeSummary,
  type SkippedRuntime,
  wasmDetail,
  webGpuAdapter,
} from './web-runtime';

/** The onnxruntime module a caller brings (`import * as ort from 'onnxruntime-web/webgpu'`), as far as used here. */
export interface OnnxRuntimeModule {
  /** Creates sessions. */
  readonly InferenceSession: {
    /** A session for the bytes of an `.onnx` file, on the given execution providers in order of preference. */
    create(model: Uint8Array, options?: { executionProviders?: readonly string[] }): Promise<OnnxSession>;
  };
  /** The tensor class. */
  readonly Tensor: OnnxTensorConstructor;
  /** onnxruntime-web's settings; `wasm.numThreads` is read for the report. */
  readonly env?: {
    /** The wasm backend's settings. */
    readonly wasm?: {
      /** Threads of the wasm backend (0 or absent: onnxruntime-web's default). */
      readonly numThreads?: number;
    };
  };
}

/** Options of {@link loadOnnxPipelineFiles}. */
export interface LoadOnnxPipelineOptions {
  /** The onnxruntime-web module (`import * as ort from 'onnxruntime-web/webgpu'`, or `'onnxruntime-web'` for wasm only). */
  ort: OnnxRuntimeModule;
  /**
   * `'auto'` (default): WebGPU where `navigator.gpu` gives an adapter and onnxruntime creates the sessions on it,
   * else wasm. `'webgpu'` or `'wasm'`: that one only, or an {@link OnnxRuntimeUnavailableError}.
   */
  runtime?: OnnxRuntimeRequest;
  /**
   * `'float32'` (default): float32 everywhere. `'auto'`: on WebGPU with `shader-f16`, the networks are rewritten to
   * compute in float16 (`toFloat16Compute`), else float32. `'float16'`: only a runtime that computes in float16 is
   * used (WebGPU with `shader-f16`), or an {@link OnnxRuntimeUnavailableError}. float16 is not the default: on an
   * H200 it sped the networks up by 5–16 % and a study not at all, and moved frame Dice by 0.003 on average on twin
   * studies (0.015 on an unseen look; docs/guides/backends.md).
   */
  precision?: OnnxPrecisionRequest;
  /** Where to look for WebGPU and threads (default: this page's or worker's globals, `ort.env.wasm.numThreads`). */
  environment?: RuntimeEnvironment;
  /** The folder's name, for messages. */
  where?: string;
}

/** A model folder loaded on onnxruntime-web by {@link loadOnnxPipelineFiles}. */
export interface OnnxLoadedPipeline {
  /** The ready pipeline. */
  pipeline: MyocardiumPipeline;
  /** The folder's manifest. */
  manifest: PipelineManifest;
  /** Which runtime runs it, and why the better ones were skipped. */
  runtime: OnnxRuntimeReport;
  /** Releases both sessions. */
  dispose(): Promise<void>;
}

const PROVIDERS: Record<OnnxWebRuntime, readonly string[]> = { webgpu: ['webgpu'], wasm: ['wasm'] };

/** The two networks' sessions as stages on `providers`; the first is released when the second fails. */
async function createStages(
  models: readonly Uint8Array[],
  manifest: PipelineManifest,
  ort: OnnxRuntimeModule,
  providers: readonly string[],
): Promise<OnnxStage[]> {
  const stages: OnnxStage[] = [];
  try {
    for (const bytes of models) {
      const session = await ort.InferenceSession.create(bytes, { executionProviders: providers });
      stages.push(onnxStage(session, ort.Tensor, { normalization: manifest.preset.normalization }));
    }
    return stages;
  } catch (e) {
    await Promise.all(stages.map((s) => s.release()));
    throw e;
  }
}

/**
 * Loads a model folder's ONNX networks (`localizer.onnx`, `segmenter.onnx`, listed in `myoseg.json` and checked
 * against its digests) on the onnxruntime-web module the caller brings, on the best runtime there is: WebGPU where
 * the browser gives an adapter, else wasm (threads when the page is cross-origin isolated, else one). The result
 * says which runtime runs and why the better ones were skipped. Browser-safe; works in a Web Worker.
 *
 * @param read - reads a file of the folder by its relative path (fetch, a dropped folder, the disk).
 * @throws `ModelFolderError` when the folder has no ONNX files (saved by an older myoseg) or a file is missing or
 *   altered; `OnnxStageError` when a network is not a U-Net of the manifest's shapes;
 *   {@link OnnxRuntimeUnavailableError} naming each runtime tried and why, when none can create the sessions.
 * @example
 * ```ts
 * import * as ort from 'onnxruntime-web/webgpu';
 * const read = (path: string) => fetch(`/model/${path}`).then((r) => r.arrayBuffer()).then((b) => new Uint8Array(b));
 * const { pipeline, runtime } = await loadOnnxPipelineFiles(read, { ort }); // runtime: 'auto'
 * console.log(runtime.summary); // "webgpu (nvidia hopper, shader-f16)" or "wasm (4 threads); webgpu skipped: …"
 * ```
 */
export async function loadOnnxPipelineFiles(
  read: ReadFolderFile,
  options: LoadOnnxPipelineOptions,
): Promise<OnnxLoadedPipeline> {
  const { ort, runtime = 'auto', precision: wanted = 'float32', where = '' } = options;
  const environment = options.environment ?? currentEnvironment(ort.env?.wasm?.numThreads);
  const manifest = await readPipelineManifest(read, where);
  if (!manifest.onnx)
    throw new ModelFolderError(
      `${where || 'model folder'}: myoseg.json lists no .onnx files (saved without ONNX)`,
    );
  const checked = manifestReader(read, manifest, where);
  const files = manifest.onnx;
  const models = [
    await readFolderFile(checked, where, files.localizer),
    await readFolderFile(checked, where, files.segmenter),
  ];
  let float16Models: Uint8Array[] | undefined;
  const skipped: SkippedRuntime[] = [];
  for (const candidate of runtime === 'auto' ? (['webgpu', 'wasm'] as const) : [runtime]) {
    let detail: string;
    let f16 = false;
    if (candidate === 'webgpu') {
      const found = await webGpuAdapter(environment.gpu);
      if ('reason' in found) {
        skipped.push({ runtime: candidate, reason: found.reason });
        continue;
      }
      detail = adapterDetail(found.adapter);
      f16 = found.adapter.features?.has('shader-f16') === true;
    } else detail = wasmDetail(environment);
    if (wanted === 'float16' && !f16) {
      skipped.push({
        runtime: candidate,
        reason: `precision 'float16' needs WebGPU with shader-f16 (${detail})`,
      });
      continue;
    }
    const precision: OnnxPrecision = f16 && wanted !== 'float32' ? 'float16' : 'float32';
    if (precision === 'float16')
      float16Models ??= [
        toFloat16Compute(models[0], `${where || 'model folder'}/${files.localizer}`),
        toFloat16Compute(models[1], `${where || 'model folder'}/${files.segmenter}`),
      ];
    let stages: OnnxStage[];
    try {
      stages = await createStages(
        precision === 'float16' ? (float16Models as Uint8Array[]) : models,
        manifest,
        ort,
        PROVIDERS[candidate],
      );
    } catch (e) {
      if (e instanceof MyosegError) throw e; // the folder's fault, not the runtime's
      skipped.push({ runtime: candidate, reason: `onnxruntime: ${(e as Error).message.split('\n')[0]}` });
      continue;
    }
    const [localizer, cropSegmenter] = stages;
    try {
      const pipeline = pipelineFromManifest(manifest, { localizer, cropSegmenter }, where, {
        localizer: files.localizer,
        cropSegmenter: files.segmenter,
      });
      const report = {
        runtime: candidate,
        executionProviders: PROVIDERS[candidate],
        precision,
        detail,
        skipped,
      };
      return {
        pipeline,
        manifest,
        runtime: { ...report, summary: runtimeSummary(report) },
        dispose: async () => {
          await Promise.all(stages.map((s) => s.release()));
        },
      };
    } catch (e) {
      await Promise.all(stages.map((s) => s.release()));
      throw e;
    }
  }
  throw new OnnxRuntimeUnavailableError(
    `${where || 'model folder'}: no onnxruntime-web runtime could run it: ${skipped.map((s) => `${s.runtime}: ${s.reason}`).join('; ')}`,
  );
}
