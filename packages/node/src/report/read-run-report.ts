import { MyosegError } from '@myoseg/core';
import { describeValue, parseFields } from '@myoseg/models';
import type * as v from 'valibot';
import { type RunReport, RunReportSchema } from './run-report-schema';

/** A run's report (`report.json`) or evaluation (`evaluation.json`) has a missing or malformed field. */
export class ReportFormatError extends MyosegError {
  /** Always `'REPORT_FORMAT'`. */
  override readonly code: string = 'REPORT_FORMAT';
  /** Path of the offending field, e.g. `table1[2].dice.mean`. */
  readonly field: string;

  /**
   * @param source - what was read, e.g. a file name.
   * @param field - path of the offending field.
   * @param expected - what the field should hold.
   * @param value - what it held.
   */
  constructor(source: string, field: string, expected: string, value: unknown) {
    super(`${source}: ${field}: expected ${expected}, got ${describeValue(value)}`);
    this.field = field;
  }
}

/**
 * Checks `json` against `schema` and returns its output.
 *
 * @throws {@link ReportFormatError} naming `source` and the first missing or malformed field (`(root)` for `json`
 *   itself).
 */
export function parseReport<S extends v.GenericSchema>(
  schema: S,
  json: unknown,
  source: string,
): v.InferOutput<S> {
  return parseFields(schema, json, ({ field, expected, value }) => {
    throw new ReportFormatError(source, field || '(root)', expected.replace(/^be /, ''), value);
  });
}

/**
 * Checks a parsed `report.json` (or any object) against {@link RunReportSchema} and returns it as a
 * {@link RunReport}.
 *
 * Unknown fields are dropped; the result shares no objects with the input. Where the type allows null (paper
 * numbers, HD95 statistics, training metrics), a non-finite number (NaN, ±Infinity, which JSON cannot hold) is
 * read as null.
 *
 * @param json - the parsed JSON value.
 * @param source - how to name the input in errors (default `"report.json"`).
 * @throws {@link ReportFormatError} naming the first missing or malformed field.
 */
export function readRunReport(json: unknown, source = 'report.json'): RunReport {
  return parseReport(RunReportSchema, json, source);
}
