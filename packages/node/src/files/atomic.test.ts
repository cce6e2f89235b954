import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverFolderAtomic, writeFolderAtomic } from './atomic';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'myoseg-atomic-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('recoverFolderAtomic', () => {
  it('moves back the previous version that a kill between the two renames left aside', async () => {
    const target = join(dir, 'ckpt');
    await writeFolderAtomic(target, { 'checkpoint.json': '{"epoch":3}' }, { kind: 'checkpoint' });
    // the state after `rename(dir, old)` and before `rename(tmp, dir)`: no folder, the old one aside, a new one
    await rename(target, join(dir, '.ckpt.old-0a1b2c3d'));
    await mkdir(join(dir, '.ckpt.tmp-4e5f6a7b'));
    await writeFile(join(dir, '.ckpt.tmp-4e5f6a7b', 'checkpoint.json'), '{"epoch":4}');
    expect(await recoverFolderAtomic(target)).toBe(true);
    expect(await readFile(join(target, 'checkpoint.json'), 'utf8')).toBe('{"epoch":3}');
    expect((await readdir(dir)).filter((n) => n.includes('.old-'))).toEqual([]);
    expect(await recoverFolderAtomic(target)).toBe(false);
  });

  it('leaves an existing folder alone, and does nothing when no previous version waits', async () => {
    const target = join(dir, 'live');
    await writeFolderAtomic(target, { 'a.txt': 'live' }, { kind: 'checkpoint' });
    await mkdir(join(dir, '.live.old-11111111'));
    expect(await recoverFolderAtomic(target)).toBe(false);
    expect(await readFile(join(target, 'a.txt'), 'utf8')).toBe('live');
    expect(await recoverFolderAtomic(join(dir, 'never-written'))).toBe(false);
    expect(await recoverFolderAtomic(join(dir, 'no-parent', 'x'))).toBe(false);
  });
});
