import {
  type LoadedSegmenter,
  loadSegmenterFiles,
  segmenterFolderFiles,
  type TrainedPipeline,
} from '@myoseg/models';
import { writeFolderAtomic } from './atomic';
import { diskReader } from './model-files';

/**
 * Saves a trained pipeline as one folder, atomically (temporary folder, then rename): `localizer/` and
 * `segmenter/` (tfjs layers format with model cards) and `myoseg.json` (preset, σ regression, split). An
 * interrupted save never leaves a folder that loads half-written. The format is `@myoseg/models`'
 * `segmenterFolderFiles`.
 */
export async function saveSegmenterFolder(dir: string, trained: TrainedPipeline): Promise<void> {
  await writeFolderAtomic(dir, await segmenterFolderFiles(trained));
}

/**
 * Loads a segmenter folder written by {@link saveSegmenterFolder} (or `myoseg train`, or `myoseg demo`'s
 * `model/`); the networks run on the current tfjs backend.
 *
 * @throws `ModelFolderError` naming the folder or file when it is missing, incomplete, or of another version.
 */
export async function loadSegmenterFolder(dir: string): Promise<LoadedSegmenter> {
  return loadSegmenterFiles(diskReader(dir), { where: dir });
}
