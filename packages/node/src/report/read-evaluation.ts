import { type CohortEvaluation, CohortEvaluationSchema } from './evaluation-schema';
import { parseReport } from './read-run-report';

/**
 * Checks a parsed `evaluation.json` (as `myoseg evaluate` writes it) against {@link CohortEvaluationSchema} and
 * returns it, with the distances and means that JSON wrote as null back as +∞ and NaN.
 *
 * @example
 * ```ts
 * const evaluation = readEvaluation(JSON.parse(await readFile('out/evaluation.json', 'utf8')));
 * console.log(evaluation.summary.meanFrameDice, evaluation.frames.length);
 * ```
 * @param json - the parsed JSON value.
 * @param source - how to name the input in errors (default `"evaluation.json"`).
 * @throws `ReportFormatError` naming the first missing or malformed field.
 */
export function readEvaluation(json: unknown, source = 'evaluation.json'): CohortEvaluation {
  return parseReport(CohortEvaluationSchema, json, source);
}
