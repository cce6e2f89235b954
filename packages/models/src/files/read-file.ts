import * as v from 'valibot';
import { type FieldProblem, parseFields, problemMessage } from '../schema/parse-fields';
import { ModelFolderError } from './errors';

/**
 * Reads one file of a model folder by its path relative to the folder (`'myoseg.json'`,
 * `'localizer/weights.bin'`): `fs.readFile` under Node, `fetch` or a dropped `FileList` in a browser.
 * It rejects when the file is absent; an error with a `code` (`'ENOENT'`) is reported with that code.
 */
export type ReadFolderFile = (path: string) => Promise<Uint8Array>;

/** Reads `path` through `read`, turning any failure into a {@link ModelFolderError} that names the file. */
export async function readFolderFile(read: ReadFolderFile, where: string, path: string): Promise<Uint8Array> {
  try {
    return await read(path);
  } catch (e) {
    if (e instanceof ModelFolderError) throw e; // already names the file (e.g. a digest that differs)
    const err = e as { code?: string; message?: string };
    throw new ModelFolderError(`${joinPath(where, path)}: cannot read (${err.code ?? err.message})`);
  }
}

/** Parses a JSON file of a model folder, naming the file when it is not JSON. */
export function parseJsonFile(bytes: Uint8Array, where: string, path: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new ModelFolderError(`${joinPath(where, path)}: not valid JSON (${(e as Error).message})`);
  }
}

/** A problem in a folder's JSON file; one inside its `preset` is told as the preset document it is. */
function folderProblem({ field, ...rest }: FieldProblem): string {
  return field.startsWith('preset.')
    ? `field 'preset': ${problemMessage({ field: field.slice('preset.'.length), ...rest })}`
    : problemMessage({ field, ...rest });
}

/**
 * Parses and checks a JSON file of a model folder: its `format` and `version` first (a file of another version is
 * refused as such, not field by field), then every field against `schema`.
 *
 * @param header - the `format` the file must have and the `version` this myoseg reads.
 * @throws {@link ModelFolderError} naming the file and the first bad field.
 */
export function parseFolderJson<S extends v.GenericSchema>(
  bytes: Uint8Array,
  where: string,
  path: string,
  header: { format: string; version: number },
  schema: S,
): v.InferOutput<S> {
  const json = parseJsonFile(bytes, where, path);
  const file = joinPath(where, path);
  const fail = (problem: FieldProblem): never => {
    throw new ModelFolderError(`${file}: ${folderProblem(problem)}`);
  };
  const { version } = parseFields(v.looseObject({ format: v.literal(header.format) }), json, fail);
  if (version !== header.version)
    throw new ModelFolderError(
      `${file}: version ${JSON.stringify(version)} is not supported (this myoseg reads ${header.version})`,
    );
  return parseFields(schema, json, fail);
}

/** `where/path`, or `path` alone when `where` is empty. */
export function joinPath(where: string, path: string): string {
  return where === '' ? path : `${where.replace(/\/+$/, '')}/${path}`;
}
