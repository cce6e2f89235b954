import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { ModelFolderError } from '../errors';
import { writeFolderAtomic } from './atomic';

/** The files of one tfjs model in the layers format: `model.json` and `weights.bin`. */
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

/** Reads a model saved by {@link modelFiles} (or by tfjs' own file handler) from `dir`. */
export async function readModelArtifacts(dir: string): Promise<tf.io.ModelArtifacts> {
  const jsonPath = join(dir, 'model.json');
  const text = await readFile(jsonPath, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new ModelFolderError(`${jsonPath}: cannot read (${e.code ?? e.message})`);
  });
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelFolderError(`${jsonPath}: not valid JSON (${(e as Error).message})`);
  }
  if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new ModelFolderError(
      `${jsonPath}: not a tfjs layers model (needs modelTopology and weightsManifest)`,
    );
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const path = join(dir, p);
      const bytes = await readFile(path).catch((e: NodeJS.ErrnoException) => {
        throw new ModelFolderError(`${path}: cannot read weights (${e.code ?? e.message})`);
      });
      buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    }
  }
  const weightData = tf.io.CompositeArrayBuffer.join(buffers);
  const expected = specs.reduce(
    (n, s) => n + s.shape.reduce((a, b) => a * b, 1) * (s.dtype === 'int32' || s.dtype === 'float32' ? 4 : 1),
    0,
  );
  if (weightData.byteLength !== expected) {
    throw new ModelFolderError(
      `${dir}: weights hold ${weightData.byteLength} bytes, the manifest needs ${expected}`,
    );
  }
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    trainingConfig: json.trainingConfig,
    userDefinedMetadata: json.userDefinedMetadata,
    weightSpecs: specs,
    weightData,
  };
}

/**
 * A tfjs IO handler that saves to and loads from a folder on disk (`model.json` + `weights.bin`); saving is
 * atomic. Use it with `model.save(fileHandler(dir))`, `tf.loadLayersModel(fileHandler(dir))`, or
 * `saveModel`/`loadModel` of `@myoseg/models`.
 */
export function fileHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts) {
      await writeFolderAtomic(dir, modelFiles(artifacts));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    load: () => readModelArtifacts(dir),
  };
}

/** Captures what a model would save, in memory (to write several models in one atomic folder). */
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
