import { MyosegError } from '@myoseg/core';

/**
 * Data-parallel training cannot start or go on: a bad option, a model whose replicas cannot be built in a worker,
 * a batch for another model, or a replica that failed or timed out (the message names which and why).
 */
export class DataParallelError extends MyosegError {
  /** Always `'DATA_PARALLEL'`. */
  override readonly code: string = 'DATA_PARALLEL';
}
