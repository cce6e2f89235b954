import { MyosegError } from '@myoseg/core';

/** A model builder's option is missing or out of range, or a model is not one this package built. */
export class ModelConfigError extends MyosegError {
  /** Always `'MODEL_CONFIG'`. */
  override readonly code: string = 'MODEL_CONFIG';
}
