import {
  type LoadedPipeline,
  loadPipelineFiles,
  ModelFolderError,
  type ReadFolderFile,
  sha256Hex,
} from '@myoseg/models';
import { PRETRAINED_MODEL } from './pretrained-model';

/** The model folder's manifest, whose own digest this package holds (it holds the digests of the other files). */
const MANIFEST = 'myoseg.json';

/**
 * Checks the bytes of the pretrained folder's `myoseg.json` against the digest this package was built with. The
 * manifest holds the sha256 of every other file, which the folder loader checks as it reads them, so together
 * every file of the model is verified.
 *
 * @param where - the folder's path or URL, for the message.
 * @throws `ModelFolderError` (code `MODEL_FOLDER`) naming the file when the digest differs.
 */
export async function checkPretrainedManifest(bytes: Uint8Array, where: string): Promise<void> {
  const actual = await sha256Hex(bytes);
  if (actual !== PRETRAINED_MODEL.manifestSha256) {
    throw new ModelFolderError(
      `${where.replace(/\/+$/, '')}/${MANIFEST}: sha256 ${actual.slice(0, 12)}… is not the one @myoseg/pretrained ${PRETRAINED_MODEL.version} shipped (${PRETRAINED_MODEL.manifestSha256.slice(0, 12)}…); the file was modified or replaced`,
    );
  }
}

/** A reader that checks `myoseg.json` against {@link checkPretrainedManifest} as it reads it. */
export function pretrainedReader(read: ReadFolderFile, where: string): ReadFolderFile {
  return async (path) => {
    const bytes = await read(path);
    if (path === MANIFEST) await checkPretrainedManifest(bytes, where);
    return bytes;
  };
}

/** Where {@link loadPretrained} gets the model's files from. */
export interface LoadPretrainedOptions {
  /**
   * The URL of a folder that serves this package's `model/` files (e.g. copied into your app's static assets),
   * ending in `/`. Files are fetched relative to it.
   */
  baseUrl?: string | URL;
  /** Or a reader of the folder's files by relative path (bytes from a zip, a cache, files a user dropped). */
  read?: ReadFolderFile;
  /** The `fetch` to use with `baseUrl` (default `globalThis.fetch`). */
  fetch?: typeof globalThis.fetch;
}

/** A reader over HTTP(S) relative to `baseUrl`: a 404 rejects with `code: '404'`, as the folder reader expects. */
function urlReader(baseUrl: string | URL, fetchFn: typeof globalThis.fetch): ReadFolderFile {
  return async (path) => {
    const response = await fetchFn(new URL(path, baseUrl));
    if (!response.ok)
      throw Object.assign(new Error(`HTTP ${response.status}`), { code: String(response.status) });
    return new Uint8Array(await response.arrayBuffer());
  };
}

/**
 * Loads the pretrained pipeline on the current tfjs backend, from a URL or a reader (browser-safe). Every file is
 * checked against its sha256 before use: `myoseg.json` against the digest built into this package, the others
 * against `myoseg.json`. Under Node, `@myoseg/pretrained/node`'s `loadPretrained` reads the files shipped in the
 * package.
 *
 * @returns the pipeline, its two networks and the manifest; call `dispose()` when done.
 * @throws `ModelFolderError` naming the file that is missing, unreadable or whose digest differs.
 *
 * @example
 * ```ts
 * import { loadPretrained } from '@myoseg/pretrained';
 * const model = await loadPretrained({ baseUrl: new URL('/models/myoseg/', location.href) });
 * const { mask } = await model.pipeline.segment(slice); // slice: ndarray [H, W]
 * model.dispose();
 * ```
 */
export async function loadPretrained(options: LoadPretrainedOptions): Promise<LoadedPipeline> {
  const { baseUrl, read } = options;
  if ((baseUrl === undefined) === (read === undefined))
    throw new ModelFolderError('loadPretrained: give exactly one of baseUrl and read');
  const where = baseUrl !== undefined ? String(baseUrl) : '@myoseg/pretrained';
  const source = read ?? urlReader(baseUrl as string | URL, options.fetch ?? globalThis.fetch);
  return loadPipelineFiles(pretrainedReader(source, where), { where });
}
