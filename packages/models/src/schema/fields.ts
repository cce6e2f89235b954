import * as v from 'valibot';

/** An integer ≥ `min` (and ≤ `max` when given), described as such in messages. */
export function integer(min: number, max?: number) {
  const message = max === undefined ? `be an integer ≥ ${min}` : `be an integer in [${min}, ${max}]`;
  return v.pipe(
    v.number(message),
    v.integer(message),
    v.minValue(min, message),
    v.maxValue(max ?? Number.POSITIVE_INFINITY, message),
  );
}

/** A finite number ≥ `min`, described as `be a number ≥ min`. */
export function numberAtLeast(min: number) {
  const message = `be a number ≥ ${min}`;
  return v.pipe(v.number(message), v.finite(message), v.minValue(min, message));
}

/** An image size `[height, width]` in pixels: two integers ≥ 1, described by `message`. */
export function imageSize(message: string) {
  const side = v.pipe(v.number(message), v.integer(message), v.minValue(1, message));
  return v.tuple([side, side], message);
}

/** `true`, `false`, or an object that `schema` checks (which describes what is wrong with anything else). */
export function booleanOr<S extends v.GenericSchema>(schema: S) {
  const boolean = v.boolean();
  return v.lazy((input) => (typeof input === 'boolean' ? boolean : schema));
}

/**
 * `schema` (an object or record schema) refusing arrays, which valibot's objects and records take as objects;
 * `message` (default `be an object`) says what the value must be.
 */
export function plainObject<S extends v.GenericSchema>(
  schema: S,
  message: v.ErrorMessage<v.CheckIssue<unknown>> = 'be an object',
) {
  return v.pipe(
    v.unknown(),
    v.check((x) => !Array.isArray(x), message),
    schema,
  );
}
