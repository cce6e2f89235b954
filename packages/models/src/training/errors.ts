import { MyosegError } from '@myoseg/core';

/** A training option (learning rate, epochs, layer groups, schedule) is missing or out of range. */
export class TrainingOptionsError extends MyosegError {
  /** Always `'TRAINING_OPTIONS'`. */
  override readonly code: string = 'TRAINING_OPTIONS';
}

/** A training sample is unusable: e.g. a mask label at or above the number of classes. */
export class InvalidSampleError extends MyosegError {
  /** Always `'INVALID_SAMPLE'`. */
  override readonly code: string = 'INVALID_SAMPLE';
}

/** A saved model has no model card, or its card is not a valid myoseg model card. */
export class ModelCardError extends MyosegError {
  /** Always `'MODEL_CARD'`. */
  override readonly code: string = 'MODEL_CARD';
}
