import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { booleanOr, imageSize, integer, plainObject } from './fields';
import { describeValue, parseFields, problemMessage } from './parse-fields';
import { problemOf } from './test-support';

const Schema = plainObject(
  v.strictObject({
    name: v.string(),
    kind: v.optional(v.picklist(['a', 'b', 'c'])),
    size: v.optional(imageSize('be [h, w], integers ≥ 1')),
    rows: v.optional(v.array(v.object({ scores: v.record(v.string(), integer(0)) }))),
    flag: v.optional(
      booleanOr(v.strictObject({ level: v.optional(integer(1, 3)) }, () => 'be a known field (level)')),
    ),
  }),
);

describe('parseFields', () => {
  it('returns new objects, with the keys in the order of the input', () => {
    const input = { rows: [{ scores: { z: 1, a: 2 } }], name: 'n', flag: { level: 2 } };
    const output = parseFields(Schema, input, () => {
      throw new Error('refused');
    });
    expect(JSON.stringify(output)).toBe(JSON.stringify(input));
    expect(output.rows).not.toBe(input.rows);
  });

  it('names the field by its path and says what it must be, in its own words or from what it expects', () => {
    expect(problemOf(Schema, { name: 'n', rows: [{ scores: {} }, { scores: { a: -1 } }] })).toEqual({
      field: 'rows[1].scores.a',
      expected: 'be an integer ≥ 0',
      value: -1,
    });
    expect(problemOf(Schema, { name: 'n', kind: 'd' })?.expected).toBe("be 'a', 'b' or 'c'");
    expect(problemOf(Schema, { name: 3 })?.expected).toBe('be a string');
    expect(problemOf(Schema, { name: 'n', flag: 'yes' })?.expected).toBe('be a known field (level)');
    expect(problemOf(Schema, { name: 'n', flag: { level: 4 } })?.field).toBe('flag.level');
  });

  it('says what a missing field must be, and that it is missing', () => {
    const problem = problemOf(Schema, { name: 'n', rows: [{}] });
    expect(problem).toEqual({ field: 'rows[0].scores', expected: 'be an object', value: undefined });
    expect(problem && problemMessage(problem)).toBe(
      "field 'rows[0].scores' must be an object, got nothing (missing)",
    );
  });

  it('tells a bad item of a tuple as a problem of the tuple', () => {
    expect(problemOf(Schema, { name: 'n', size: [96] })).toEqual({
      field: 'size',
      expected: 'be [h, w], integers ≥ 1',
      value: [96],
    });
  });

  it('lists the known fields for an unknown one, unless its object says it in its own words', () => {
    const unknown = problemOf(Schema, { name: 'n', epoch: 3 });
    expect(unknown?.known).toEqual(['name', 'kind', 'size', 'rows', 'flag']);
    expect(unknown && problemMessage(unknown)).toBe(
      "unknown field 'epoch' (known: name, kind, size, rows, flag)",
    );
    const custom = problemOf(Schema, { name: 'n', flag: { zoom: 2 } });
    expect(custom && problemMessage(custom)).toBe("field 'flag.zoom' must be a known field (level), got 2");
  });

  it('refuses an array where an object must be, and tells a problem with the value itself', () => {
    const problem = problemOf(Schema, [1, 2]);
    expect(problem && problemMessage(problem)).toBe('must be an object, got an array of 2');
  });
});

describe('describeValue', () => {
  it('shows scalars as JSON, containers by kind, and a missing value as such', () => {
    expect([1.5, 'ten', true, null, [1], {}, undefined].map(describeValue)).toEqual([
      '1.5',
      '"ten"',
      'true',
      'null',
      'an array of 1',
      'an object',
      'nothing (missing)',
    ]);
    expect(describeValue('x'.repeat(100))).toHaveLength(60);
  });
});
