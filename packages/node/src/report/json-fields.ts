// Field schemas that the report's and the evaluation's JSON formats share (not exported from the package).
import { plainObject } from '@myoseg/models';
import * as v from 'valibot';

/** A finite number in [min, max], described as such. */
export function finite(min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY) {
  const range = max === Number.POSITIVE_INFINITY ? `[${min}, ∞)` : `[${min}, ${max}]`;
  const message = `be a finite number${min === Number.NEGATIVE_INFINITY ? '' : ` in ${range}`}`;
  return v.pipe(v.number(message), v.finite(message), v.minValue(min, message), v.maxValue(max, message));
}

const COUNT = 'be an integer ≥ 0';

/** A count: an integer ≥ 0. */
export const count = v.pipe(v.number(COUNT), v.integer(COUNT), v.minValue(0, COUNT));

/** An object of `entries`; fields it does not know are dropped. */
export const object = <E extends v.ObjectEntries>(entries: E) => plainObject(v.object(entries));

/** An object of any keys, each value checked by `value`; keys keep their order. */
export const record = <S extends v.GenericSchema>(value: S) => plainObject(v.record(v.string(), value));
