import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type SigmaRegression,
  type SigmaRegressionJSON,
  type SigmaSample,
  sigmaRegressionFromJSON,
} from '@myoseg/core';
import {
  loadModel,
  type ModelCard,
  MyocardiumSegmenter,
  type PipelinePreset,
  saveModel,
  type TrainedPipeline,
  tfStage,
} from '@myoseg/models';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ModelFolderError } from '../errors';
import { writeFolderAtomic } from './atomic';
import { captureArtifacts, modelFiles, readModelArtifacts } from './model-files';

/** The folder format this version writes. */
export const SEGMENTER_FOLDER_VERSION = 1;

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
  /** The σ rule: a regression, or a fixed σ. */
  sigma: SigmaRule;
  /** The points the σ regression was fitted on. */
  sigmaSamples: SigmaSample[];
  /** Patient ids of the training split. */
  split: TrainedPipeline['split'];
  /** ISO time of saving. */
  createdAt: string;
}

/** A segmenter loaded from a folder: the pipeline, its two networks and its manifest. */
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
 * Saves a trained pipeline as one folder, atomically: `localizer/` and `segmenter/` (tfjs layers format with
 * model cards) and `myoseg.json` (preset, σ regression, split). An interrupted save never leaves a folder that
 * loads half-written.
 */
export async function saveSegmenterFolder(dir: string, trained: TrainedPipeline): Promise<void> {
  const { preset } = trained;
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
    sigma:
      typeof trained.sigma === 'number' ? { fixed: trained.sigma } : { regression: trained.sigma.toJSON() },
    sigmaSamples: trained.sigmaSamples,
    split: trained.split,
    createdAt: new Date().toISOString(),
  };
  await writeFolderAtomic(dir, {
    'myoseg.json': `${JSON.stringify(manifest, null, 2)}\n`,
    ...modelFiles(loc, 'localizer/'),
    ...modelFiles(seg, 'segmenter/'),
  });
}

async function readManifest(dir: string): Promise<SegmenterManifest> {
  const path = join(dir, 'myoseg.json');
  const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new ModelFolderError(
      e.code === 'ENOENT'
        ? `${dir} is not a myoseg model folder (no myoseg.json). Train one with \`myoseg train\`, or use the model/ folder that \`myoseg demo\` writes.`
        : `${path}: cannot read (${e.code ?? e.message})`,
    );
  });
  let m: SegmenterManifest;
  try {
    m = JSON.parse(text);
  } catch (e) {
    throw new ModelFolderError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  if (m?.format !== 'myoseg-segmenter')
    throw new ModelFolderError(`${path}: field 'format' must be 'myoseg-segmenter'`);
  if (m.version !== SEGMENTER_FOLDER_VERSION) {
    throw new ModelFolderError(
      `${path}: version ${JSON.stringify(m.version)} is not supported (this myoseg reads ${SEGMENTER_FOLDER_VERSION})`,
    );
  }
  if (!m.preset || !Array.isArray(m.preset.localizerSize))
    throw new ModelFolderError(`${path}: field 'preset' is missing or invalid`);
  return m;
}

/**
 * Loads a segmenter folder written by {@link saveSegmenterFolder}.
 *
 * @throws {@link ModelFolderError} naming the folder or file when it is missing, incomplete, or of another version.
 */
export async function loadSegmenterFolder(dir: string): Promise<LoadedSegmenter> {
  const manifest = await readManifest(dir);
  const load = async (name: string) => {
    const artifacts = await readModelArtifacts(join(dir, name));
    return (await loadModel(tf.io.fromMemory(artifacts))).model;
  };
  const localizerModel = await load('localizer');
  const segmenterModel = await load('segmenter').catch((e) => {
    localizerModel.dispose();
    throw e;
  });
  let sigma: SigmaRegression | number;
  try {
    sigma =
      'fixed' in manifest.sigma ? manifest.sigma.fixed : sigmaRegressionFromJSON(manifest.sigma.regression);
  } catch (e) {
    localizerModel.dispose();
    segmenterModel.dispose();
    throw new ModelFolderError(
      `${join(dir, 'myoseg.json')}: field 'sigma' is invalid (${(e as Error).message})`,
    );
  }
  const stage = { normalization: manifest.preset.normalization };
  return {
    segmenter: new MyocardiumSegmenter({
      localizer: tfStage(localizerModel, stage),
      segmenter: tfStage(segmenterModel, stage),
      sigma,
      frame: manifest.frame,
      threshold: manifest.threshold,
    }),
    localizerModel,
    segmenterModel,
    manifest,
    dispose() {
      localizerModel.dispose();
      segmenterModel.dispose();
    },
  };
}
