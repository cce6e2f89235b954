import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LoadedPipeline, loadPipelineFiles } from '@myoseg/models';
import { checkPretrainedManifest, pretrainedReader } from './load-pretrained';

export { checkPretrainedManifest } from './load-pretrained';
export type { PretrainedModelInfo } from './pretrained-info';
export { PRETRAINED_MODEL } from './pretrained-model';

/** The absolute path of the model folder shipped in this package (`model/`: `myoseg.json`, networks). */
export function pretrainedModelDir(): string {
  return fileURLToPath(new URL('../model/', import.meta.url));
}

/**
 * Checks the shipped folder's `myoseg.json` against the digest built into this package (the folder loaders check
 * every other file against `myoseg.json`). `@myoseg/node`'s CLI calls it before loading the folder.
 *
 * @throws `ModelFolderError` naming the file when it is missing or its digest differs.
 */
export async function verifyPretrainedManifest(dir: string = pretrainedModelDir()): Promise<void> {
  const bytes = await readFile(join(dir, 'myoseg.json'));
  await checkPretrainedManifest(bytes, dir);
}

/**
 * Loads the pretrained pipeline shipped in this package on the current tfjs backend (Node), every file checked
 * against its sha256. For onnxruntime-node, use `@myoseg/node`'s folder loader on {@link pretrainedModelDir}, or
 * `myoseg segment` without `--model`.
 *
 * @param dir - a copy of the folder elsewhere (default the shipped one).
 * @throws `ModelFolderError` naming a file that is missing or whose digest differs.
 *
 * @example
 * ```ts
 * import { loadPretrained } from '@myoseg/pretrained/node';
 * const model = await loadPretrained();
 * const result = await model.pipeline.segmentVolume(volume, { spacing: [10, 1.4, 1.4] });
 * model.dispose();
 * ```
 */
export async function loadPretrained(dir: string = pretrainedModelDir()): Promise<LoadedPipeline> {
  const read = async (path: string) => new Uint8Array(await readFile(join(dir, path)));
  return loadPipelineFiles(pretrainedReader(read, dir), { where: dir });
}
