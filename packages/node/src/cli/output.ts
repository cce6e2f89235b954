import { mkdir } from 'node:fs/promises';
import { InputError } from '../errors';

/**
 * Creates `--out` (and its parents) before any work starts, so an unwritable folder is a one-line input error
 * rather than a failure after minutes of training.
 */
export async function ensureOutputFolder(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    throw new InputError(`--out ${dir}: cannot create the folder (${e.code ?? e.message})`);
  });
}

const csvField = (v: unknown) => {
  const s = v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** Rows as CSV: one header line of `columns`, fields quoted where they hold a comma, quote or newline. */
export function toCsv(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return `${[columns.join(','), ...rows.map((r) => r.map(csvField).join(','))].join('\n')}\n`;
}
