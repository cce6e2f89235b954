import {
  type SigmaRegression,
  type SigmaRegressionJSON,
  type SigmaSample,
  sigmaRegressionFromJSON,
} from '@myoseg/core';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { exportOnnx, ONNX_OPSET_VERSION } from '../onnx/export-onnx';
import type { PipelinePreset } from '../pipeline/presets';
import { MyocardiumSegmenter } from '../pipeline/segmenter';
import { type SegmentationStage, tfStage } from '../pipeline/stage';
import type { TrainedPipeline } from '../pipeline/train-segmenter';
import { loadModel, type ModelCard, saveModel } from '../training/model-io';
import { ModelFolderError } from './errors';
import { captureArtifacts, modelFiles, readModelArtifacts } from './model-artifacts';
import { joinPath, parseJsonFile, type ReadFolderFile } from './read-file';

/** The segmenter folder format this version writes and reads. */
export const SEGMENTER_FOLDER_VERSION = 1;

/** The manifest's file name inside a segmenter folder. */
export const SEGMENTER_MANIFEST = 'myoseg.json';

/** How a saved segmenter picks σ: a fitted regression on the crop width, or a fixed σ in pixels. */
export type SigmaRule = RegressedSigma | FixedSigmaRule;

/** σ from a linear regression on the crop width. */
export interface RegressedSigma {
  /** The regression's JSON form. */
  regression: SigmaRegressionJSON;
}

/** One σ for every crop. */
export interface FixedSigmaRule {
  /** σ in pixels. */
  fixed: number;
}

/** `myoseg.json`: what a segmenter folder holds besides the two models. */
export interface SegmenterManifest {
  /** Always `'myoseg-segmenter'`. */
  format: 'myoseg-segmenter';
  /** {@link SEGMENTER_FOLDER_VERSION}. */
  version: number;
  /** The training preset (sizes, encoder, normalization…). */
  preset: PipelinePreset;
  /** The crop frame. */
  frame: number;
  /** The probability threshold. */
  threshold: number;
  /** Whether the segmenter's mask keeps only its largest connected component (absent: false). */
  largestComponent?: boolean;
  /** Segmenter passes after the first (absent: 0). */
  refinePasses?: number;
  /** The σ rule: a regression, or a fixed σ. */
  sigma: SigmaRule;
  /** The points the σ regression was fitted on. */
  sigmaSamples: SigmaSample[];
  /** Patient ids of the training split. */
  split: TrainedPipeline['split'];
  /** ISO time of saving. */
  createdAt: string;
  /**
   * The same two networks as ONNX files (for onnxruntime-node, onnxruntime-web or any ONNX runtime: NHWC input,
   * softmax output), when the folder holds them.
   */
  onnx?: {
    /** Path of the localizer's `.onnx` inside the folder. */
    localizer: string;
    /** Path of the segmenter's `.onnx` inside the folder. */
    segmenter: string;
    /** The ONNX opset they use. */
    opset: number;
  };
}

/** Options of {@link segmenterFolderFiles}. */
export interface SegmenterFolderOptions {
  /** Also write `localizer.onnx` and `segmenter.onnx` (default true). */
  onnx?: boolean;
}

/** A segmenter loaded by {@link loadSegmenterFiles}: the pipeline, its two networks and its manifest. */
export interface LoadedSegmenter {
  /** The ready pipeline. */
  segmenter: MyocardiumSegmenter;
  /** The localizer network. */
  localizerModel: tfl.LayersModel;
  /** The segmenter network. */
  segmenterModel: tfl.LayersModel;
  /** The folder's manifest. */
  manifest: SegmenterManifest;
  /** Frees both networks. */
  dispose(): void;
}

function card(
  preset: PipelinePreset,
  size: [number, number],
  labels: string[],
  training: TrainedPipeline['history']['localizer'],
): Omit<ModelCard, 'version'> {
  const last = training.unfrozen.fit.history.at(-1);
  return {
    encoder: preset.encoder,
    inputSize: size,
    numClasses: labels.length,
    labels,
    normalization: preset.normalization,
    training: {
      preset: preset.name,
      widthMultiplier: preset.widthMultiplier,
      frozenEpochs: preset.frozenEpochs,
      epochs: preset.epochs,
      finalLoss: last?.loss ?? null,
      valDice: last?.valDice ?? null,
    },
  };
}

/**
 * The files of a segmenter folder for a trained pipeline: `myoseg.json` (preset, frame, threshold, σ rule,
 * split), `localizer/` and `segmenter/` (tfjs layers format with model cards) and, unless `onnx: false`, the same
 * networks as `localizer.onnx` and `segmenter.onnx`, as a map from path to content.
 * `@myoseg/node`'s `saveSegmenterFolder` writes them atomically; in a browser they can be zipped or uploaded.
 */
export async function segmenterFolderFiles(
  trained: TrainedPipeline,
  options: SegmenterFolderOptions = {},
): Promise<Record<string, Uint8Array | string>> {
  const { preset } = trained;
  const onnx = options.onnx ?? true;
  const loc = await captureArtifacts((h) =>
    saveModel(
      trained.localizerModel,
      h,
      card(preset, preset.localizerSize, ['background', 'myocardium+lv'], trained.history.localizer),
    ),
  );
  const seg = await captureArtifacts((h) =>
    saveModel(
      trained.segmenterModel,
      h,
      card(preset, preset.segmenterSize, ['background', 'myocardium'], trained.history.segmenter),
    ),
  );
  const manifest: SegmenterManifest = {
    format: 'myoseg-segmenter',
    version: SEGMENTER_FOLDER_VERSION,
    preset,
    frame: trained.segmenter.frame,
    threshold: trained.segmenter.threshold,
    largestComponent: trained.segmenter.largestComponent,
    refinePasses: trained.segmenter.refinePasses,
    sigma:
      typeof trained.sigma === 'number' ? { fixed: trained.sigma } : { regression: trained.sigma.toJSON() },
    sigmaSamples: trained.sigmaSamples,
    split: trained.split,
    createdAt: new Date().toISOString(),
    ...(onnx
      ? { onnx: { localizer: 'localizer.onnx', segmenter: 'segmenter.onnx', opset: ONNX_OPSET_VERSION } }
      : {}),
  };
  return {
    [SEGMENTER_MANIFEST]: `${JSON.stringify(manifest, null, 2)}\n`,
    ...modelFiles(loc, 'localizer/'),
    ...modelFiles(seg, 'segmenter/'),
    ...(onnx
      ? {
          'localizer.onnx': exportOnnx(trained.localizerModel, { name: 'myoseg-localizer' }),
          'segmenter.onnx': exportOnnx(trained.segmenterModel, { name: 'myoseg-segmenter' }),
        }
      : {}),
  };
}

/**
 * Reads and checks a segmenter folder's `myoseg.json`.
 *
 * @param where - the folder's name or URL, for messages.
 * @throws {@link ModelFolderError} when it is absent (saying how to get a model), not JSON, of another format
 * or version, or lacks its preset or σ rule.
 */
export async function readSegmenterManifest(read: ReadFolderFile, where: string): Promise<SegmenterManifest> {
  const path = joinPath(where, SEGMENTER_MANIFEST);
  let bytes: Uint8Array;
  try {
    bytes = await read(SEGMENTER_MANIFEST);
  } catch (e) {
    const err = e as { code?: string; message?: string };
    throw new ModelFolderError(
      err.code === 'ENOENT' || err.code === '404'
        ? `${where} is not a myoseg model folder (no ${SEGMENTER_MANIFEST}). Train one with \`myoseg train\`, or use the model/ folder that \`myoseg demo\` writes.`
        : `${path}: cannot read (${err.code ?? err.message})`,
    );
  }
  const m = parseJsonFile(bytes, where, SEGMENTER_MANIFEST) as SegmenterManifest | null;
  if (m?.format !== 'myoseg-segmenter')
    throw new ModelFolderError(`${path}: field 'format' must be 'myoseg-segmenter'`);
  if (m.version !== SEGMENTER_FOLDER_VERSION) {
    throw new ModelFolderError(
      `${path}: version ${JSON.stringify(m.version)} is not supported (this myoseg reads ${SEGMENTER_FOLDER_VERSION})`,
    );
  }
  if (!m.preset || !Array.isArray(m.preset.localizerSize) || !Array.isArray(m.preset.segmenterSize))
    throw new ModelFolderError(`${path}: field 'preset' is missing or invalid`);
  if (!m.sigma || !('fixed' in m.sigma || 'regression' in m.sigma))
    throw new ModelFolderError(`${path}: field 'sigma' must hold 'fixed' or 'regression'`);
  if (m.largestComponent !== undefined && typeof m.largestComponent !== 'boolean')
    throw new ModelFolderError(`${path}: field 'largestComponent' must be true or false`);
  if (m.refinePasses !== undefined && !(Number.isInteger(m.refinePasses) && m.refinePasses >= 0))
    throw new ModelFolderError(`${path}: field 'refinePasses' must be an integer ≥ 0`);
  return m;
}

/**
 * Builds the pipeline that a manifest describes around two stages (tfjs networks, ONNX sessions, …).
 *
 * @throws {@link ModelFolderError} when the manifest's σ rule is invalid.
 */
export function segmenterFromManifest(
  manifest: SegmenterManifest,
  stages: { localizer: SegmentationStage; segmenter: SegmentationStage },
  where = '',
): MyocardiumSegmenter {
  let sigma: SigmaRegression | number;
  try {
    sigma =
      'fixed' in manifest.sigma ? manifest.sigma.fixed : sigmaRegressionFromJSON(manifest.sigma.regression);
  } catch (e) {
    throw new ModelFolderError(
      `${joinPath(where, SEGMENTER_MANIFEST)}: field 'sigma' is invalid (${(e as Error).message})`,
    );
  }
  return new MyocardiumSegmenter({
    ...stages,
    sigma,
    frame: manifest.frame,
    threshold: manifest.threshold,
    largestComponent: manifest.largestComponent === true,
    refinePasses: manifest.refinePasses ?? 0,
  });
}

/**
 * Loads a segmenter folder (as written by {@link segmenterFolderFiles}) through `read`: from disk under Node
 * (`@myoseg/node`'s `loadSegmenterFolder`), from a URL with `fetch`, or from files a user dropped in a browser.
 * The two networks run on the current tfjs backend.
 *
 * @param read - reads a file by its path relative to the folder (`'myoseg.json'`, `'localizer/model.json'`…).
 * @param options.where - the folder's name or URL, used in error messages.
 * @throws {@link ModelFolderError} naming the folder or file when it is missing, incomplete, or of another version.
 */
export async function loadSegmenterFiles(
  read: ReadFolderFile,
  options: { where?: string } = {},
): Promise<LoadedSegmenter> {
  const { where = '' } = options;
  const manifest = await readSegmenterManifest(read, where);
  const load = async (name: string) =>
    (await loadModel(tf.io.fromMemory(await readModelArtifacts(read, where, `${name}/`)))).model;
  const localizerModel = await load('localizer');
  let segmenterModel: tfl.LayersModel | undefined;
  try {
    segmenterModel = await load('segmenter');
    const stage = { normalization: manifest.preset.normalization };
    const segmenter = segmenterFromManifest(
      manifest,
      { localizer: tfStage(localizerModel, stage), segmenter: tfStage(segmenterModel, stage) },
      where,
    );
    const model = segmenterModel;
    return {
      segmenter,
      localizerModel,
      segmenterModel: model,
      manifest,
      dispose() {
        localizerModel.dispose();
        model.dispose();
      },
    };
  } catch (e) {
    localizerModel.dispose();
    segmenterModel?.dispose();
    throw e;
  }
}
