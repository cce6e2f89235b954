import {
  type LoadedPipeline,
  loadPipelineFiles,
  ModelFolderError,
  type ReadFolderFile,
  sha256Hex,
} from '@myoseg/models';
import {
  loadOnnxPipelineFiles,
  type OnnxLoadedPipeline,
  type OnnxRuntimeModule,
  type OnnxRuntimeRequest,
} from '@myoseg/models/onnx';
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

/** {@link LoadPretrainedOptions} for the ONNX networks on onnxruntime-web (WebGPU or wasm) instead of tfjs. */
export interface LoadPretrainedOnnxOptions extends LoadPretrainedOptions {
  /** The onnxruntime-web module (`import * as ort from 'onnxruntime-web/webgpu'`). */
  ort: OnnxRuntimeModule;
  /** `'auto'` (default: WebGPU where there is an adapter, else wasm), `'webgpu'` or `'wasm'`. */
  runtime?: OnnxRuntimeRequest;
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
 * Loads the pretrained pipeline from a URL or a reader (browser-safe): on the current tfjs backend, or, given `ort`,
 * its ONNX networks on onnxruntime-web, on WebGPU where the browser has an adapter, else wasm (the result's
 * `runtime` says which and why). Every file is checked against its sha256 before use: `myoseg.json` against the
 * digest built into this package, the others against `myoseg.json`. Under Node, `@myoseg/pretrained/node`'s
 * `loadPretrained` reads the files shipped in the package.
 *
 * @returns the pipeline and the manifest (and, on tfjs, its two networks); call `dispose()` when done.
 * @throws `ModelFolderError` naming the file that is missing, unreadable or whose digest differs;
 *   `OnnxRuntimeUnavailableError` when no runtime asked for can run it.
 *
 * @example
 * ```ts
 * import { loadPretrained } from '@myoseg/pretrained';
 * import * as ort from 'onnxruntime-web/webgpu';
 * const model = await loadPretrained({ baseUrl: new URL('/models/myoseg/', location.href), ort });
 * console.log(model.runtime.summary); // e.g. "webgpu (nvidia hopper, shader-f16)"
 * const { mask } = await model.pipeline.segment(slice); // slice: ndarray [H, W]
 * await model.dispose();
 * ```
 */
export async function loadPretrained(options: LoadPretrainedOnnxOptions): Promise<OnnxLoadedPipeline>;
/** On the current tfjs backend. */
export async function loadPretrained(options: LoadPretrainedOptions): Promise<LoadedPipeline>;
export async function loadPretrained(
  options: LoadPretrainedOptions | LoadPretrainedOnnxOptions,
): Promise<LoadedPipeline | OnnxLoadedPipeline> {
  const { baseUrl, read } = options;
  if ((baseUrl === undefined) === (read === undefined))
    throw new ModelFolderError('loadPretrained: give exactly one of baseUrl and read');
  const where = baseUrl !== undefined ? String(baseUrl) : '@myoseg/pretrained';
  const source = pretrainedReader(
    read ?? urlReader(baseUrl as string | URL, options.fetch ?? globalThis.fetch),
    where,
  );
  if ('ort' in options)
    return loadOnnxPipelineFiles(source, { ort: options.ort, runtime: options.runtime, where });
  return loadPipelineFiles(source, { where });
}
