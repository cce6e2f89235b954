import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const suffix = () => randomBytes(4).toString('hex');

/**
 * Writes a whole folder atomically: every file goes into a temporary sibling folder, which then replaces `dir`
 * (an existing `dir` is moved aside and removed only once the new one is in place). An interrupted write
 * leaves the old folder, or no folder, but never a half-written one under `dir`.
 *
 * @param files - relative path (may contain `/`) → contents.
 */
export async function writeFolderAtomic(
  dir: string,
  files: Record<string, Uint8Array | string>,
): Promise<void> {
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const tmp = join(parent, `.${basename(dir)}.tmp-${suffix()}`);
  try {
    for (const [rel, data] of Object.entries(files)) {
      const path = join(tmp, rel);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, data);
    }
    const exists = await stat(dir).then(
      () => true,
      () => false,
    );
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
