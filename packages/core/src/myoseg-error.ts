const MARKER = Symbol.for('myoseg.error');

/**
 * The base of every error that myoseg throws on purpose. Branch on its stable {@link MyosegError.code} (or on the
 * subclass), never on the message or the class name: codes stay the same across versions and bundles, and
 * {@link isMyosegError} recognises errors from another copy of the package too (a symbol marker, not `instanceof`).
 *
 * @example
 * ```ts
 * import { isMyosegError } from '@myoseg/core';
 * try {
 *   dice(a, b);
 * } catch (e) {
 *   if (isMyosegError(e) && e.code === 'SHAPE_MISMATCH') console.error(e.message);
 *   else throw e;
 * }
 * ```
 */
export class MyosegError extends Error {
  /** A stable, upper-case identifier of the kind of error (e.g. `'NIFTI_FORMAT'`); subclasses set their own. */
  readonly code: string = 'MYOSEG_ERROR';
  /** The marker that `isMyosegError` looks for. */
  readonly [MARKER] = true;

  /**
   * @param message - what went wrong, naming the input and what was expected.
   * @param options - `cause`: the error that led to this one.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Whether `error` is a {@link MyosegError} (of any subclass, from any copy of myoseg). */
export function isMyosegError(error: unknown): error is MyosegError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
}
