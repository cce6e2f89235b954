import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FileWriteError } from '../errors';
import { removeOnSignal } from './temporary-files';

/**
 * Writes `bytes` to `path` through a temporary file in the same folder and a rename, so that `path` is either
 * the old file or the complete new one, never a partial write. The temporary file is removed on failure, and on
 * SIGINT/SIGTERM (see {@link removeOnSignal}).
 *
 * @throws `FileWriteError` naming `path` (not the temporary file) and why.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const release = removeOnSignal(temp);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new FileWriteError(path, error);
  } finally {
    release();
  }
}

const TEMPORARY = /^(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * The file that a temporary file of {@link writeFileAtomic} was being written for, from its name
 * (`evaluation.json.4242.0a1b2c3d.tmp` → `evaluation.json`); `undefined` for any other name. Such a file is what a
 * `kill -9` in the middle of a write leaves.
 */
export function temporaryFileTarget(name: string): string | undefined {
  return TEMPORARY.exec(name)?.[1];
}

/** Whether process `pid` runs (EPERM: it does, as another user). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes from `dir` the temporary files of {@link writeFileAtomic} that a process which no longer runs left
 * there (killed in the middle of a write), for the targets that `owns` accepts; a running writer's are kept.
 *
 * @returns the names removed (none when `dir` does not exist).
 */
export async function removeStaleTemporaries(
  dir: string,
  owns: (target: string) => boolean,
): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const stale = names.filter((n) => {
    const m = TEMPORARY.exec(n);
    return m !== null && owns(m[1]) && Number(m[2]) !== process.pid && !running(Number(m[2]));
  });
  for (const name of stale) await rm(join(dir, name), { force: true });
  return stale;
}
