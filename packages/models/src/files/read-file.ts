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

/** `where/path`, or `path` alone when `where` is empty. */
export function joinPath(where: string, path: string): string {
  return where === '' ? path : `${where.replace(/\/+$/, '')}/${path}`;
}
