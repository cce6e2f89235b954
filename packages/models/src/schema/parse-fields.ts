import * as v from 'valibot';

/** The first thing wrong with a value that a schema refused, in the words of this project's error messages. */
export interface FieldProblem {
  /** Path of the field, e.g. `table1[2].dice.mean` or `augment.nnunet.zoom`; `''` for the value itself. */
  field: string;
  /** What the field must do, as a predicate without "must": `be an integer ≥ 0`, `lie in (0, 1)`. */
  expected: string;
  /** What the field held (undefined when it is missing). */
  value: unknown;
  /**
   * Set when the field is one its object does not know (and the object's schema gives no message of its own):
   * the fields it knows, in order.
   */
  known?: string[];
}

/** The parts of a valibot schema that lead to the schemas inside it. */
interface SchemaNode {
  type: string;
  entries?: Record<string, SchemaNode>;
  item?: SchemaNode;
  items?: SchemaNode[];
  value?: SchemaNode;
  wrapped?: SchemaNode;
  options?: SchemaNode[];
  pipe?: { kind: string }[];
  getter?: (input: unknown) => SchemaNode;
}

const UNKNOWN_FIELD = 'be a known field';

const NOUNS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  array: 'an array',
  tuple: 'an array',
  object: 'an object',
  loose_object: 'an object',
  strict_object: 'an object',
  record: 'an object',
  integer: 'an integer',
};

/** The message of an issue whose schema gives none: what the schema expects, e.g. `be 'paper', 'quick' or 'standard'`. */
function expectation(issue: v.BaseIssue<unknown>): string {
  if (issue.expected === 'never') return UNKNOWN_FIELD;
  const options = (issue.expected ?? 'valid')
    .replace(/^\((.*)\)$/, '$1')
    .replaceAll('"', "'")
    .split(' | ');
  const listed = options.length > 1 ? `${options.slice(0, -1).join(', ')} or ${options.at(-1)}` : options[0];
  return `be ${NOUNS[issue.type] ?? listed}`;
}

const CONFIG: v.Config<v.BaseIssue<unknown>> = { abortEarly: true, message: expectation };

/** The schema that checks what `schema` checks, past wrappers (optional, nullable, pipes, lazy choices). */
function unwrap(schema: SchemaNode | undefined, input: unknown): SchemaNode | undefined {
  if (schema?.wrapped) return unwrap(schema.wrapped, input);
  if (schema?.getter) return unwrap(schema.getter(input), input);
  const inner = schema?.pipe?.filter((item) => item.kind === 'schema').at(-1) as SchemaNode | undefined;
  return inner && inner !== schema ? unwrap(inner, input) : schema;
}

/** The schema of the field that `item` names inside a value that `schema` checks. */
function child(schema: SchemaNode | undefined, item: v.IssuePathItem): SchemaNode | undefined {
  const s = unwrap(schema, item.input);
  if (s?.type === 'union') return s.options?.map((o) => child(o, item)).find((c) => c !== undefined);
  const key = item.key as string;
  return s?.entries?.[key] ?? s?.items?.[key as unknown as number] ?? s?.item ?? s?.value;
}

/** `table1[2].dice.mean` for the keys of `path`. */
const fieldName = (path: readonly v.IssuePathItem[]) =>
  path
    .map((p, i) => (typeof p.key === 'number' ? `[${p.key}]` : `${i === 0 ? '' : '.'}${String(p.key)}`))
    .join('');

/** The problem that `issue`, found by `schema`, describes. */
function fieldProblem(schema: v.GenericSchema, issue: v.BaseIssue<unknown>): FieldProblem {
  const path = issue.path ?? [];
  // a tuple (`[height, width]`) is one field: a problem with one of its items is told as a problem with it
  let inner: SchemaNode | undefined = schema as SchemaNode;
  for (const [i, item] of path.entries()) {
    if (unwrap(inner, item.input)?.type === 'tuple')
      return { field: fieldName(path.slice(0, i)), expected: issue.message, value: item.input };
    inner = child(inner, item);
  }
  const field = fieldName(path);
  const last = path.at(-1);
  const value = last ? last.value : issue.input;
  if (last?.origin !== 'key') return { field, expected: issue.message, value };
  const parent = path
    .slice(0, -1)
    .reduce<SchemaNode | undefined>((s, p) => child(s, p), schema as SchemaNode);
  if (issue.expected !== 'never') {
    // a missing field: say what it must be, as its own schema would for an absent value
    const own = child(parent, last);
    const expected = own && v.safeParse(own as v.GenericSchema, undefined, CONFIG).issues?.[0].message;
    return { field, expected: expected ?? 'be present', value };
  }
  if (issue.message !== UNKNOWN_FIELD) return { field, expected: issue.message, value };
  const known = Object.keys(unwrap(parent, last.input)?.entries ?? {});
  return { field, expected: `${UNKNOWN_FIELD} (${known.join(', ')})`, value, known };
}

/**
 * Checks `value` against a valibot `schema` and returns its output (new objects, keys in the order `value` has
 * them); on the first problem, calls `fail` (which must throw the format's own error) with the field's path, what
 * it must be and what it held. Fields say what they must be with their schema's message
 * (`v.number('be a number > 0')`), as a predicate without "must"; a schema without one is described from what it
 * expects (`be a string`, `be 'imagenet' or 'per-image'`). A missing field is described by its own schema, an
 * item of a tuple as the tuple.
 */
export function parseFields<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  fail: (problem: FieldProblem) => never,
): v.InferOutput<S> {
  const result = v.safeParse(schema, value, CONFIG);
  return result.success ? inInputOrder(result.output, value) : fail(fieldProblem(schema, result.issues[0]));
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** `output` with each object's keys in the order `input` has them (valibot builds objects in its schema's order). */
function inInputOrder<T>(output: T, input: unknown): T {
  if (Array.isArray(output))
    return (Array.isArray(input) ? output.map((x, i) => inInputOrder(x, input[i])) : output) as T;
  if (!isRecord(output) || !isRecord(input)) return output;
  const keys = [
    ...Object.keys(input).filter((k) => k in output),
    ...Object.keys(output).filter((k) => !(k in input)),
  ];
  return Object.fromEntries(keys.map((k) => [k, inInputOrder(output[k], input[k])])) as T;
}

/**
 * A problem in this project's words: `field 'epochs' must be an integer ≥ 0, got "ten"`,
 * `unknown field 'epoch' (known: …)`, or `must be an object, got an array of 2` for the value itself. Callers put
 * the file or option in front (`--preset x.json: …`).
 */
export function problemMessage({ field, expected, value, known }: FieldProblem): string {
  if (known) return `unknown field '${field}' (known: ${known.join(', ')})`;
  return `${field === '' ? '' : `field '${field}' `}must ${expected}, got ${describeValue(value)}`;
}

/**
 * A value as an error message shows it: numbers, booleans and null as JSON writes them, strings quoted (cut at 60
 * characters), `an array of 3`, `an object`, or `nothing (missing)`.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (missing)';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
