import * as tf from '@tensorflow/tfjs-core';
import { ModelFolderError } from './errors';
import { joinPath, parseJsonFile, type ReadFolderFile, readFolderFile } from './read-file';
import { weightsFromOnnx } from './weights-from-onnx';

/**
 * The files of one tfjs model in the layers format, `model.json` and one `weights.bin`, as a map from path to
 * content (ready for an atomic folder write, a zip, or an upload).
 *
 * @param prefix - put before each name, e.g. `'localizer/'`.
 */
export function modelFiles(
  artifacts: tf.io.ModelArtifacts,
  prefix = '',
): Record<string, Uint8Array | string> {
  const weights =
    artifacts.weightData === undefined
      ? new ArrayBuffer(0)
      : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  const json = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    trainingConfig: artifacts.trainingConfig,
    userDefinedMetadata: artifacts.userDefinedMetadata,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
  };
  return { [`${prefix}model.json`]: JSON.stringify(json), [`${prefix}weights.bin`]: new Uint8Array(weights) };
}

const BYTES_PER_ELEMENT: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/**
 * Reads a model written by {@link modelFiles} (or by tfjs' own `file://` or HTTP savers: several weight files
 * are fine) through `read`, and checks that the weight bytes match the manifest.
 *
 * @param read - reads a file by its path relative to the model folder.
 * @param where - the folder's name, for messages.
 * @param prefix - the model's subfolder inside the folder read by `read`, e.g. `'localizer/'`.
 * @param onnxPath - where the weights come from when `model.json` names no weight file: the path (inside the
 *   folder) of the ONNX file `exportOnnx` wrote for the same network (see `weightsFromOnnx`).
 * @throws {@link ModelFolderError} naming the file that is missing, not JSON, not a layers model or too short.
 */
export async function readModelArtifacts(
  read: ReadFolderFile,
  where: string,
  prefix = '',
  onnxPath?: string,
): Promise<tf.io.ModelArtifacts> {
  const jsonPath = `${prefix}model.json`;
  const json = parseJsonFile(await readFolderFile(read, where, jsonPath), where, jsonPath) as tf.io.ModelJSON;
  if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new ModelFolderError(
      `${joinPath(where, jsonPath)}: not a tfjs layers model (needs modelTopology and weightsManifest)`,
    );
  }
  const artifacts = {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    trainingConfig: json.trainingConfig,
    userDefinedMetadata: json.userDefinedMetadata,
  };
  if (onnxPath !== undefined) {
    const bytes = await readFolderFile(read, where, onnxPath);
    const specs = json.weightsManifest.flatMap((group) => group.weights);
    const fromOnnx = weightsFromOnnx(json.modelTopology, specs, bytes, joinPath(where, onnxPath));
    return { ...artifacts, weightSpecs: fromOnnx.specs, weightData: fromOnnx.data };
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const bytes = await readFolderFile(read, where, `${prefix}${p}`);
      buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    }
  }
  const weightData = tf.io.CompositeArrayBuffer.join(buffers);
  const expected = specs.reduce(
    (n, s) =>
      n + s.shape.reduce((a, b) => a * b, 1) * (BYTES_PER_ELEMENT[s.quantization?.dtype ?? s.dtype] ?? 4),
    0,
  );
  if (weightData.byteLength !== expected) {
    throw new ModelFolderError(
      `${joinPath(where, prefix.replace(/\/$/, ''))}: weights hold ${weightData.byteLength} bytes, the manifest needs ${expected}`,
    );
  }
  return { ...artifacts, weightSpecs: specs, weightData };
}

/** Captures what a model would save, in memory (to write several models into one folder at once). */
export async function captureArtifacts(
  save: (handler: tf.io.IOHandler) => Promise<unknown>,
): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | undefined;
  await save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (!captured) throw new ModelFolderError('the model produced no artifacts to save');
  return captured;
}
