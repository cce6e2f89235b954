/** Two arrays that must have the same shape do not. */
export class ShapeMismatchError extends Error {
  /** The two shapes that disagreed. */
  readonly shapes: readonly (readonly number[])[];

  /**
   * @param what - which arguments disagreed, e.g. `"dice(a, b)"`.
   * @param shapes - their shapes.
   */
  constructor(what: string, ...shapes: readonly (readonly number[])[]) {
    super(`${what}: shapes differ: ${shapes.map((s) => `[${s.join(', ')}]`).join(' vs ')}`);
    this.name = 'ShapeMismatchError';
    this.shapes = shapes;
  }
}

/** An array argument has the wrong number of dimensions or an unusable shape. */
export class InvalidShapeError extends Error {
  /** @param message - what was wrong, naming the argument. */
  constructor(message: string) {
    super(message);
    this.name = 'InvalidShapeError';
  }
}

/** There is not enough data for a fit (e.g. a regression on fewer than two distinct widths). */
export class InsufficientDataError extends Error {
  /** @param message - what was missing. */
  constructor(message: string) {
    super(message);
    this.name = 'InsufficientDataError';
  }
}
