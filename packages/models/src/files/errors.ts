import { MyosegError } from '@myoseg/core';

/** A model folder (or one of its files) is missing, incomplete, malformed or from an unknown version. */
export class ModelFolderError extends MyosegError {
  /** Always `'MODEL_FOLDER'`. */
  override readonly code: string = 'MODEL_FOLDER';
}
