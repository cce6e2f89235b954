import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { InputError } from '../errors';

/** One line of a `--list` file: an image, and the output name it asks for (else the one `segment` derives). */
export interface ListedStudy {
  /** The image file, absolute (a relative path is taken from the list file's folder). */
  input: string;
  /** Output name stem (`<name>_myo.nii.gz`), when the line gives one. */
  name?: string;
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Reads a `--list` file: one study per line, `path` or `path,name` (CSV; a header `input,name` and lines starting
 * with `#` are skipped, blank lines too). Paths may be absolute or relative to the list file's folder.
 *
 * @returns the studies in the list's order; an empty list is refused.
 * @throws {@link InputError} naming the file and line: an unreadable list, more than two fields, a name that is
 *   not a plain file name (letters, digits, `.`, `_`, `-`), or a name given twice.
 */
export async function readStudyList(file: string): Promise<ListedStudy[]> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new InputError(`--list ${file}: cannot read it (${e.code ?? e.message})`);
  });
  const studies: ListedStudy[] = [];
  const names = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, k) => {
    const line = raw.trim();
    const at = `--list ${file} line ${k + 1}`;
    if (line === '' || line.startsWith('#') || (k === 0 && /^input\s*(,\s*name\s*)?$/i.test(line))) return;
    const fields = line.split(',').map((f) => f.trim());
    if (fields.length > 2 || fields[0] === '')
      throw new InputError(`${at}: expected 'path' or 'path,name', got '${line}'`);
    const [path, name] = fields;
    const study: ListedStudy = { input: isAbsolute(path) ? path : resolve(dirname(file), path) };
    if (name !== undefined && name !== '') {
      if (!SAFE_NAME.test(name))
        throw new InputError(
          `${at}: name '${name}' must be a plain file name (letters, digits, '.', '_', '-')`,
        );
      const first = names.get(name);
      if (first !== undefined) throw new InputError(`${at}: name '${name}' is already used on line ${first}`);
      names.set(name, k + 1);
      study.name = name;
    }
    studies.push(study);
  });
  if (studies.length === 0) throw new InputError(`--list ${file}: lists no study`);
  return studies;
}
