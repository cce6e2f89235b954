import type { ReadFolderFile } from '@myoseg/models';
import type { PickedFile } from './dropped-files';

/** An error with the `code` that `loadPipelineFiles` reports ('ENOENT' and '404' read as "no such file"). */
function fileError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

/** Reads a model folder's files from what the user dropped or picked; `files` maps folder-relative paths. */
export function readPickedFolder(files: ReadonlyMap<string, File>): ReadFolderFile {
  return async (path) => {
    const file = files.get(path);
    if (!file) throw fileError('ENOENT', `${path} was not in the dropped folder`);
    return new Uint8Array(await file.arrayBuffer());
  };
}

/**
 * Reads a model folder's files over HTTP from `base` (a folder URL, relative to the page or absolute; a missing
 * final `/` is added). An HTML page in place of a file (a dev server's fallback for unknown paths) counts as a 404.
 */
export function readUrlFolder(base: string, fetchFile: typeof fetch = fetch): ReadFolderFile {
  const folder = base.endsWith('/') ? base : `${base}/`;
  return async (path) => {
    const response = await fetchFile(new URL(path, new URL(folder, globalThis.location?.href)));
    if (!response.ok)
      throw fileError(String(response.status), `HTTP ${response.status} ${response.statusText}`);
    if (response.headers.get('content-type')?.startsWith('text/html')) {
      throw fileError('404', 'the server sent an HTML page, not the file');
    }
    return new Uint8Array(await response.arrayBuffer());
  };
}

/**
 * The picked files of a model folder by their paths inside it, for {@link readPickedFolder}.
 *
 * @param model - the folder's root and its files' relative paths (as `sortFiles` gives them).
 */
export function modelFileMap(
  picked: readonly PickedFile[],
  model: { root: string; files: readonly string[] },
): Map<string, File> {
  const byPath = new Map(picked.map((p) => [p.path, p.file]));
  return new Map(model.files.map((rel) => [rel, byPath.get(model.root + rel)!]));
}
