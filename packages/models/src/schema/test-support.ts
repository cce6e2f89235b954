import type * as v from 'valibot';
import { expect } from 'vitest';
import { type FieldProblem, parseFields } from './parse-fields';

/** The problem `schema` finds in `value`, or undefined when it finds none. */
export function problemOf(schema: v.GenericSchema, value: unknown): FieldProblem | undefined {
  try {
    parseFields(schema, value, (problem) => {
      throw problem;
    });
    return undefined;
  } catch (problem) {
    return problem as FieldProblem;
  }
}

/**
 * Calls `visit` for every leaf of a JSON document (a scalar, or an empty array or object) with its path
 * (`a.b[0].c`) and a copy of the document whose leaf holds a value no schema field of its kind takes.
 */
export function eachBrokenLeaf(doc: unknown, visit: (path: string, broken: unknown) => void): void {
  const walk = (value: unknown, path: (string | number)[]) => {
    const children = typeof value === 'object' && value !== null ? Object.entries(value) : [];
    if (children.length === 0) {
      const broken = structuredClone(doc) as Record<string | number, unknown>;
      const parent = path
        .slice(0, -1)
        .reduce<Record<string | number, unknown>>((o, k) => o[k] as never, broken);
      parent[path[path.length - 1]] = Array.isArray(value) ? 'x' : [];
      const name = path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${k}`)).join('');
      visit(name, broken);
    }
    for (const [k, child] of children) walk(child, [...path, Array.isArray(value) ? Number(k) : k]);
  };
  walk(doc, []);
}

/**
 * Expects that `schema` takes `valid` (a JSON round trip of it), returning an equal value with keys in the same
 * order, and refuses each of its leaves broken, naming that leaf or a field that holds it (a tuple, a union).
 */
export function expectEveryFieldNamed(schema: v.GenericSchema, valid: unknown): void {
  const json = JSON.parse(JSON.stringify(valid));
  const output = parseFields(schema, json, (problem) => {
    throw new Error(`${problem.field} must ${problem.expected}`);
  });
  expect(JSON.stringify(output)).toBe(JSON.stringify(json));
  eachBrokenLeaf(json, (path, broken) => {
    const field = problemOf(schema, broken)?.field ?? '(none)';
    const holds = path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);
    expect(field !== '' && holds, `${path} is refused, naming ${field}`).toBe(true);
  });
}
