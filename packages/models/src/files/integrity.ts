import { ModelFolderError } from './errors';
import { joinPath, type ReadFolderFile } from './read-file';

/** The lower-case hex SHA-256 of `bytes` (WebCrypto: Node ≥ 19 and browsers alike). */
export async function sha256Hex(bytes: Uint8Array | string): Promise<string> {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  const digest = await globalThis.crypto.subtle.digest('SHA-256', data.slice().buffer as ArrayBuffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 of every file of a folder, by its relative path (sorted), for a manifest's `files` field. */
export async function fileDigests(
  files: Record<string, Uint8Array | string>,
): Promise<Record<string, string>> {
  const paths = Object.keys(files).sort();
  const digests = await Promise.all(paths.map((p) => sha256Hex(files[p])));
  return Object.fromEntries(paths.map((p, i) => [p, digests[i]]));
}

/**
 * A reader that checks every file it reads against `digests` (path → SHA-256 hex), as recorded in a model
 * folder's manifest: a file that is not listed, or whose bytes differ, is refused.
 *
 * @param where - the folder's name or URL, for messages.
 * @param manifestName - the manifest's file name, for messages.
 * @throws (from the returned reader) {@link ModelFolderError} naming the file and what differs.
 */
export function verifyingReader(
  read: ReadFolderFile,
  digests: Readonly<Record<string, string>>,
  where: string,
  manifestName: string,
): ReadFolderFile {
  return async (path) => {
    const expected = digests[path];
    if (expected === undefined) {
      throw new ModelFolderError(
        `${joinPath(where, path)}: not listed in ${manifestName}'s files; the folder was changed after it was written`,
      );
    }
    const bytes = await read(path);
    const actual = await sha256Hex(bytes);
    if (actual !== expected) {
      throw new ModelFolderError(
        `${joinPath(where, path)}: sha256 ${actual.slice(0, 12)}… differs from ${manifestName}'s files["${path}"] (${expected.slice(0, 12)}…); the file was modified or replaced`,
      );
    }
    return bytes;
  };
}
