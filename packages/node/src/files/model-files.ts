import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelFiles, type ReadFolderFile, readModelArtifacts } from '@myoseg/models';
import * as tf from '@tensorflow/tfjs-core';
import { writeFolderAtomic } from './atomic';

/** Reads files of the folder `dir` from disk, for `@myoseg/models`' folder readers. */
export function diskReader(dir: string): ReadFolderFile {
  return (path) => readFile(join(dir, path));
}

/**
 * A tfjs IO handler that saves to and loads from a folder on disk (`model.json` + `weights.bin`); saving is
 * atomic. Use it with `model.save(fileHandler(dir))`, `tf.loadLayersModel(fileHandler(dir))`, or
 * `saveModel`/`loadModel` of `@myoseg/models`.
 */
export function fileHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts) {
      await writeFolderAtomic(dir, modelFiles(artifacts), { kind: 'tfjs-model' });
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    load: () => readModelArtifacts(diskReader(dir), dir),
  };
}
