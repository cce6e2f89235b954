import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { removeOnSignal } from '@myoseg/datasets/node';
import {
  checkOutputFolder,
  OUTPUT_MANIFEST,
  type OutputKind,
  outputManifest,
  topLevelEntries,
} from './output-folder';

const suffix = () => randomBytes(4).toString('hex');

/**
 * Writes a whole folder atomically: every file goes into a temporary sibling folder, which then replaces `dir`
 * (an existing `dir` is moved aside and removed only once the new one is in place). An interrupted write
 * leaves the old folder, or no folder, but never a half-written one under `dir` (and SIGINT/SIGTERM remove the
 * temporary folder, unless another listener handles them). The folder gets an
 * `OUTPUT_MANIFEST` naming its `kind` and entries.
 *
 * Only a myoseg folder of the same kind is ever replaced: an existing `dir` that is a file, or a folder holding
 * anything else (see `checkOutputFolder`), is refused before anything is written.
 *
 * @param files - relative path (may contain `/`) → contents.
 * @param options.kind - what the folder is.
 * @throws OutputFolderError when `dir` holds something that is not a myoseg `kind` folder.
 */
export async function writeFolderAtomic(
  dir: string,
  files: Record<string, Uint8Array | string>,
  options: { kind: OutputKind },
): Promise<void> {
  const entries = topLevelEntries(Object.keys(files));
  const exists = await checkOutputFolder(dir, options.kind, { ownEntries: entries });
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const tmp = join(parent, `.${basename(dir)}.tmp-${suffix()}`);
  const release = removeOnSignal(tmp);
  try {
    const all = { ...files, [OUTPUT_MANIFEST]: outputManifest(options.kind, entries) };
    for (const [rel, data] of Object.entries(all)) {
      const path = join(tmp, rel);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, data);
    }
    if (exists) {
      const old = join(parent, `.${basename(dir)}.old-${suffix()}`);
      await rename(dir, old);
      await rename(tmp, dir);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(tmp, dir);
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    release();
  }
}

/**
 * Undoes an interrupted swap of {@link writeFolderAtomic}: a process killed between its two renames leaves no
 * `dir`, but the previous, complete version under `.<name>.old-*` beside it, which this moves back to `dir`
 * (the newest, if there are several). Nothing happens when `dir` exists or nothing waits.
 *
 * @returns whether a previous version was moved back.
 */
export async function recoverFolderAtomic(dir: string): Promise<boolean> {
  const exists = await stat(dir).then(
    () => true,
    () => false,
  );
  if (exists) return false;
  const parent = dirname(dir);
  const prefix = `.${basename(dir)}.old-`;
  const names = await readdir(parent).catch(() => [] as string[]);
  const olds = await Promise.all(
    names
      .filter((n) => n.startsWith(prefix))
      .map(async (n) => ({ path: join(parent, n), mtime: (await stat(join(parent, n))).mtimeMs })),
  );
  const newest = olds.sort((a, b) => b.mtime - a.mtime)[0];
  if (newest === undefined) return false;
  await rename(newest.path, dir);
  return true;
}
