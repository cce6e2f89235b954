import { InvalidShapeError } from './errors';
import type { Spacing } from './types';

/** Throws a RangeError unless `value` is a finite number ≥ `min` (> `min` when `exclusive`). */
export function assertNumber(
  what: string,
  value: number,
  min = Number.NEGATIVE_INFINITY,
  exclusive = false,
): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (exclusive && value === min)) {
    const bound = Number.isFinite(min) ? ` ${exclusive ? '>' : '≥'} ${min}` : '';
    throw new RangeError(`${what}: expected a finite number${bound}, got ${String(value)}`);
  }
}

/** Throws a RangeError unless `value` is an integer ≥ `min`. */
export function assertInteger(what: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${what}: expected an integer ≥ ${min}, got ${String(value)}`);
  }
}

/** Checks a spacing in mm against the number of dimensions it describes; defaults to 1 mm. */
export function spacingFor(what: string, spacing: Spacing | undefined, dims: number): number[] {
  if (spacing === undefined) return new Array<number>(dims).fill(1);
  if (spacing.length !== dims) {
    throw new InvalidShapeError(
      `${what}: spacing has ${spacing.length} values, expected ${dims} (one per axis, in mm)`,
    );
  }
  spacing.forEach((s, i) => {
    assertNumber(`${what}: spacing[${i}]`, s, 0, true);
  });
  return [...spacing];
}
