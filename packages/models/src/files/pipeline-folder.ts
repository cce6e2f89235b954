import { type SigmaRegression, sigmaRegressionFromJSON } from '@myoseg/core';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { exportOnnx, ONNX_OPSET_VERSION } from '../onnx/export-onnx';
import { MyocardiumPipeline } from '../pipeline/pipeline';
import type { PipelinePreset } from '../pipeline/presets';
import { type SegmentationStage, tfStage } from '../pipeline/stage';
import type { TrainedPipeline } from '../pipeline/train-pipeline';
import { loadModel, type ModelCard, saveModel } from '../training/model-io';
import { ModelFolderError } from './errors';
import { float16ModelFiles } from './float16';
import { fileDigests, verifyingReader } from './integrity';
import { captureArtifacts, modelFiles, readModelArtifacts } from './model-artifacts';
import {
  type NetworkShape,
  PIPELINE_MANIFEST,
  type PipelineManifest,
  PipelineManifestSchema,
} from './pipeline-folder-schema';
import { joinPath, parseFolderJson, type ReadFolderFile } from './read-file';
import { withTfjsWeightsFromOnnx } from './shared-weights';

/** The segmenter folder format this version writes and reads. */
export const PIPELINE_FOLDER_VERSION = 1;

export { PIPELINE_MANIFEST } from './pipeline-folder-schema';

/** Options of {@link pipelineFolderFiles}. */
export interface PipelineFolderOptions {
  /** Also write `localizer.onnx` and `segmenter.onnx` (default true). */
  onnx?: boolean;
  /** False marks networks whose training stopped early (see `PipelineManifest.complete`; default true). */
  complete?: boolean;
  /**
   * Store the networks' weights as float16 (tfjs and ONNX alike): half the bytes, the networks still compute in
   * float32 (default `'float32'`).
   */
  weights?: 'float32' | 'float16';
  /**
   * `'from-onnx'`: store each network's weights once, in its ONNX file; the tfjs `model.json` files keep the
   * topology and the loader reads their weights from the ONNX files (a folder of about half the bytes; the tfjs
   * networks then run with BatchNormalization folded into the convs, as the ONNX files do). Needs `onnx`.
   * Default `'separate'`: each tfjs model has its own `weights.bin`.
   */
  tfjsWeights?: 'separate' | 'from-onnx';
}

/** A tfjs model's files, with float16 weights when asked. */
function tfjsFiles(artifacts: tf.io.ModelArtifacts, prefix: string, weights: 'float32' | 'float16') {
  const files = modelFiles(artifacts, prefix);
  if (weights === 'float32') return files;
  const half = float16ModelFiles(
    files[`${prefix}model.json`] as string,
    files[`${prefix}weights.bin`] as Uint8Array,
  );
  return { [`${prefix}model.json`]: half.json, [`${prefix}weights.bin`]: half.weights };
}

/** A segmenter loaded by {@link loadPipelineFiles}: the pipeline, its two networks and its manifest. */
export interface LoadedPipeline {
  /** The ready pipeline. */
  pipeline: MyocardiumPipeline;
  /** The localizer network. */
  localizerModel: tfl.LayersModel;
  /** The segmenter network. */
  segmenterModel: tfl.LayersModel;
  /** The folder's manifest. */
  manifest: PipelineManifest;
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
 * `@myoseg/node`'s `savePipelineFolder` writes them atomically; in a browser they can be zipped or uploaded.
 */
export async function pipelineFolderFiles(
  trained: TrainedPipeline,
  options: PipelineFolderOptions = {},
): Promise<Record<string, Uint8Array | string>> {
  const { preset } = trained;
  const onnx = options.onnx ?? true;
  const fromOnnx = options.tfjsWeights === 'from-onnx';
  if (fromOnnx && !onnx)
    throw new ModelFolderError(
      "pipelineFolderFiles: tfjsWeights 'from-onnx' needs the ONNX files (onnx: true)",
    );
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
  const manifest: PipelineManifest = {
    format: 'myoseg-segmenter',
    version: PIPELINE_FOLDER_VERSION,
    preset,
    frame: trained.pipeline.frame,
    threshold: trained.pipeline.threshold,
    largestComponent: trained.pipeline.largestComponent,
    refinePasses: trained.pipeline.refinePasses,
    ...(trained.pipeline.orientation ? { orientation: trained.pipeline.orientation } : {}),
    sigma:
      typeof trained.sigma === 'number' ? { fixed: trained.sigma } : { regression: trained.sigma.toJSON() },
    sigmaSamples: trained.sigmaSamples,
    split: trained.split,
    createdAt: new Date().toISOString(),
    complete: options.complete ?? true,
    networks: {
      localizer: networkShape(preset, preset.localizerSize),
      segmenter: networkShape(preset, preset.segmenterSize),
    },
    ...(onnx
      ? {
          onnx: { localizer: 'localizer.onnx', segmenter: 'segmenter.onnx', opset: ONNX_OPSET_VERSION },
        }
      : {}),
  };
  const weights = options.weights ?? 'float32';
  const files: Record<string, Uint8Array | string> = {
    ...tfjsFiles(loc, 'localizer/', weights),
    ...tfjsFiles(seg, 'segmenter/', weights),
    ...(onnx
      ? {
          'localizer.onnx': exportOnnx(trained.localizerModel, { name: 'myoseg-localizer', weights }),
          'segmenter.onnx': exportOnnx(trained.segmenterModel, { name: 'myoseg-segmenter', weights }),
        }
      : {}),
  };
  manifest.files = await fileDigests(files);
  const folder = { [PIPELINE_MANIFEST]: `${JSON.stringify(manifest, null, 2)}\n`, ...files };
  return fromOnnx ? withTfjsWeightsFromOnnx(folder) : folder;
}

/** Both networks are U-Nets with a background and a foreground class. */
const networkShape = (preset: PipelinePreset, size: [number, number]): NetworkShape => ({
  inputSize: [...size],
  channels: preset.channels,
  classes: 2,
});

/**
 * `read`, checking each file against the manifest's SHA-256 digests when it has them (folders of older versions
 * have none and are read as they are).
 */
export function manifestReader(
  read: ReadFolderFile,
  manifest: PipelineManifest,
  where: string,
): ReadFolderFile {
  return manifest.files ? verifyingReader(read, manifest.files, where, PIPELINE_MANIFEST) : read;
}

/**
 * Reads a segmenter folder's `myoseg.json` and checks it against {@link PipelineManifestSchema}.
 *
 * @param where - the folder's name or URL, for messages.
 * @throws {@link ModelFolderError} when it is absent (saying how to get a model), not JSON, of another format
 * or version, or has a missing or bad field (named with its path).
 */
export async function readPipelineManifest(read: ReadFolderFile, where: string): Promise<PipelineManifest> {
  const path = joinPath(where, PIPELINE_MANIFEST);
  let bytes: Uint8Array;
  try {
    bytes = await read(PIPELINE_MANIFEST);
  } catch (e) {
    if (e instanceof ModelFolderError) throw e; // a reader's own check (e.g. a digest) already names the file
    const err = e as { code?: string; message?: string };
    throw new ModelFolderError(
      err.code === 'ENOENT' || err.code === '404'
        ? `${where} is not a myoseg model folder (no ${PIPELINE_MANIFEST}). Train one with \`myoseg train\`, or use the model/ folder that \`myoseg demo\` writes.`
        : `${path}: cannot read (${err.code ?? err.message})`,
    );
  }
  return parseFolderJson(
    bytes,
    where,
    PIPELINE_MANIFEST,
    { format: 'myoseg-segmenter', version: PIPELINE_FOLDER_VERSION },
    PipelineManifestSchema,
  );
}

/** Refuses a stage whose network does not take and give what the manifest says (a swapped or foreign file). */
function checkStage(stage: SegmentationStage, expected: NetworkShape, file: string): void {
  const problems: string[] = [];
  const [h, w] = stage.inputSize;
  if (h !== expected.inputSize[0] || w !== expected.inputSize[1])
    problems.push(`input ${h}×${w}, expected ${expected.inputSize[0]}×${expected.inputSize[1]}`);
  if (stage.channels !== undefined && stage.channels !== expected.channels)
    problems.push(`${stage.channels} input channels, expected ${expected.channels}`);
  if (stage.classes !== undefined && stage.classes !== expected.classes)
    problems.push(`${stage.classes} classes, expected ${expected.classes}`);
  if (problems.length > 0)
    throw new ModelFolderError(
      `${file}: the network does not match ${PIPELINE_MANIFEST} (${problems.join('; ')}); was it swapped or replaced?`,
    );
}

/**
 * Builds the pipeline that a manifest describes around two stages (tfjs networks, ONNX sessions, …), after
 * checking that each stage's network takes and gives what the manifest records.
 *
 * @param files - the stages' files inside the folder, for messages (default the tfjs folders).
 * @throws {@link ModelFolderError} when the manifest's σ rule is invalid, or a network does not match it.
 */
export function pipelineFromManifest(
  manifest: PipelineManifest,
  stages: { localizer: SegmentationStage; cropSegmenter: SegmentationStage },
  where = '',
  files: { localizer: string; cropSegmenter: string } = {
    localizer: 'localizer/',
    cropSegmenter: 'segmenter/',
  },
): MyocardiumPipeline {
  let sigma: SigmaRegression | number;
  try {
    sigma =
      'fixed' in manifest.sigma ? manifest.sigma.fixed : sigmaRegressionFromJSON(manifest.sigma.regression);
  } catch (e) {
    throw new ModelFolderError(
      `${joinPath(where, PIPELINE_MANIFEST)}: field 'sigma' is invalid (${(e as Error).message})`,
    );
  }
  const expected = manifest.networks ?? {
    localizer: networkShape(manifest.preset, manifest.preset.localizerSize),
    segmenter: networkShape(manifest.preset, manifest.preset.segmenterSize),
  };
  checkStage(stages.localizer, expected.localizer, joinPath(where, files.localizer));
  checkStage(stages.cropSegmenter, expected.segmenter, joinPath(where, files.cropSegmenter));
  return new MyocardiumPipeline({
    ...stages,
    sigma,
    frame: manifest.frame,
    threshold: manifest.threshold,
    largestComponent: manifest.largestComponent === true,
    refinePasses: manifest.refinePasses ?? 0,
    orientation: manifest.orientation,
  });
}

/**
 * Loads a segmenter folder (as written by {@link pipelineFolderFiles}) through `read`: from disk under Node
 * (`@myoseg/node`'s `loadPipelineFolder`), from a URL with `fetch`, or from files a user dropped in a browser.
 * The two networks run on the current tfjs backend.
 *
 * @param read - reads a file by its path relative to the folder (`'myoseg.json'`, `'localizer/model.json'`…).
 * @param options.where - the folder's name or URL, used in error messages.
 * @throws {@link ModelFolderError} naming the folder or file when it is missing, incomplete, or of another version.
 */
export async function loadPipelineFiles(
  read: ReadFolderFile,
  options: { where?: string } = {},
): Promise<LoadedPipeline> {
  const { where = '' } = options;
  const manifest = await readPipelineManifest(read, where);
  read = manifestReader(read, manifest, where);
  const onnx = manifest.onnx?.tfjsWeights === 'from-onnx' ? manifest.onnx : undefined;
  const load = async (name: 'localizer' | 'segmenter') =>
    (await loadModel(tf.io.fromMemory(await readModelArtifacts(read, where, `${name}/`, onnx?.[name]))))
      .model;
  const localizerModel = await load('localizer');
  let segmenterModel: tfl.LayersModel | undefined;
  try {
    segmenterModel = await load('segmenter');
    const stage = { normalization: manifest.preset.normalization };
    const pipeline = pipelineFromManifest(
      manifest,
      { localizer: tfStage(localizerModel, stage), cropSegmenter: tfStage(segmenterModel, stage) },
      where,
    );
    const model = segmenterModel;
    return {
      pipeline,
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
