/** A model builder's option is missing or out of range, or a model is not one this package built. */
export class ModelConfigError extends Error {
  /** @param message - what was wrong, naming the option or model. */
  constructor(message: string) {
    super(message);
    this.name = 'ModelConfigError';
  }
}
