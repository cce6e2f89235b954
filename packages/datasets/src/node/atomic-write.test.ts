import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write';

describe('writeFileAtomic', () => {
  it('creates folders, replaces the file, and leaves no temporary file, even when the rename fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'myoseg-atomic-'));
    try {
      const path = join(dir, 'a', 'b', 'file.bin');
      await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
      await writeFileAtomic(path, 'new');
      expect(await readFile(path, 'utf8')).toBe('new');
      expect(await readdir(join(dir, 'a', 'b'))).toEqual(['file.bin']);
      // A folder in the way makes the rename fail.
      await expect(writeFileAtomic(join(dir, 'a'), 'x')).rejects.toThrow();
      expect((await readdir(dir)).sort()).toEqual(['a']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
