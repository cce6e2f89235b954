import { MyosegError } from './myoseg-error';

/** Two arrays that must have the same shape do not. */
export class ShapeMismatchError extends MyosegError {
  /** Always `'SHAPE_MISMATCH'`. */
  override readonly code: string = 'SHAPE_MISMATCH';
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
export class InvalidShapeError extends MyosegError {
  /** Always `'INVALID_SHAPE'`. */
  override readonly code: string = 'INVALID_SHAPE';
}

/** There is not enough data for a fit (e.g. a regression on fewer than two distinct widths). */
export class InsufficientDataError extends MyosegError {
  /** Always `'INSUFFICIENT_DATA'`. */
  override readonly code: string = 'INSUFFICIENT_DATA';
}
