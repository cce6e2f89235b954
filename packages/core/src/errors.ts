/** Two arrays that must have the same shape do not. */
export class ShapeMismatchError extends Error {
  override name = 'ShapeMismatchError';
  /** The two shapes that disagreed. */
  readonly shapes: readonly (readonly number[])[];

  /**
   * @param what - which arguments disagreed, e.g. `"dice(a, b)"`.
   * @param shapes - their shapes.
   */
  constructor(what: string, ...shapes: readonly (readonly number[])[]) {
    super(`${what}: shapes differ: ${shapes.map((s) => `[${s.join(', ')}]`).join(' vs ')}`);
    this.shapes = shapes;
  }
}

/** An array argument has the wrong number of dimensions or an unusable shape. */
export class InvalidShapeError extends Error {
  override name = 'InvalidShapeError';
}

/** There is not enough data for a fit (e.g. a regression on fewer than two distinct widths). */
export class InsufficientDataError extends Error {
  override name = 'InsufficientDataError';
}
