/** A training option (learning rate, epochs, layer groups, schedule) is missing or out of range. */
export class TrainingOptionsError extends Error {
  /** The class name, for messages and `instanceof`-free checks. */
  override name = 'TrainingOptionsError';
}

/** A training sample is unusable: e.g. a mask label at or above the number of classes. */
export class InvalidSampleError extends Error {
  /** The class name, for messages and `instanceof`-free checks. */
  override name = 'InvalidSampleError';
}

/** A saved model has no model card, or its card is not a valid myoseg model card. */
export class ModelCardError extends Error {
  /** The class name, for messages and `instanceof`-free checks. */
  override name = 'ModelCardError';
}
