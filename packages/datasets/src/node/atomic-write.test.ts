import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { FileWriteError } from '../errors';
import { removeStaleTemporaries, temporaryFileTarget, writeFileAtomic } from './atomic-write';
import { removeOnSignal } from './temporary-files';

describe('writeFileAtomic', () => {
  it('creates folders, replaces the file, and leaves no temporary file, even when the rename fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'myoseg-atomic-'));
    try {
      const path = join(dir, 'a', 'b', 'file.bin');
      await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
      await writeFileAtomic(path, 'new');
      expect(await readFile(path, 'utf8')).toBe('new');
      expect(await readdir(join(dir, 'a', 'b'))).toEqual(['file.bin']);
      // A folder in the way makes the rename fail; the error names the file, not the temporary one.
      const error = await writeFileAtomic(join(dir, 'a'), 'x').catch((e) => e);
      expect(error).toBeInstanceOf(FileWriteError);
      expect(error.message).toBe(`${join(dir, 'a')}: cannot write (a folder is in the way, EISDIR)`);
      expect((await readdir(dir)).sort()).toEqual(['a']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('temporaryFileTarget', () => {
  it("names the output of writeFileAtomic's temporary files, and nothing else", () => {
    expect(temporaryFileTarget('evaluation.json.4242.0a1b2c3d.tmp')).toBe('evaluation.json');
    expect(temporaryFileTarget('evaluation.json')).toBeUndefined();
    expect(temporaryFileTarget('notes.tmp')).toBeUndefined();
  });
});

describe('removeStaleTemporaries', () => {
  it("removes the temporary files of dead writers for the targets asked, and keeps a running writer's", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'myoseg-stale-'));
    try {
      const dead = 2 ** 22 + 17; // above Linux's default pid_max
      const names = [
        `a_myo.nii.gz.${dead}.0a1b2c3d.tmp`,
        `a_myo.nii.gz.${process.pid}.0a1b2c3d.tmp`,
        `notes.txt.${dead}.0a1b2c3d.tmp`,
        'a_myo.nii.gz',
      ];
      for (const n of names) await writeFile(join(dir, n), 'x');
      expect(await removeStaleTemporaries(dir, (t) => t.startsWith('a_'))).toEqual([names[0]]);
      expect((await readdir(dir)).sort()).toEqual(names.slice(1).sort());
      expect(await removeStaleTemporaries(join(dir, 'none'), () => true)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('removeOnSignal', () => {
  it('removes the registered paths on SIGTERM and re-raises it when nobody else listens', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'myoseg-signal-'));
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => true);
    const others = process.listeners('SIGTERM');
    for (const l of others) process.off('SIGTERM', l);
    try {
      const temp = join(dir, 'out.nii.gz.1.0a1b2c3d.tmp');
      await writeFile(temp, 'partial');
      const kept = join(dir, 'kept.tmp');
      await writeFile(kept, 'done');
      removeOnSignal(kept)(); // released: renamed into place, no longer a temporary file
      removeOnSignal(temp);
      expect(process.listenerCount('SIGTERM')).toBe(1);
      process.emit('SIGTERM', 'SIGTERM');
      expect((await readdir(dir)).sort()).toEqual(['kept.tmp']);
      expect(kill).toHaveBeenCalledWith(process.pid, 'SIGTERM');
      expect(process.listenerCount('SIGTERM')).toBe(0);
    } finally {
      kill.mockRestore();
      for (const l of others) process.on('SIGTERM', l);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("leaves the paths when another listener handles the signal (train's Ctrl-C finishes its writes)", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'myoseg-signal-'));
    const handler = () => {};
    const before = process.listenerCount('SIGINT');
    process.on('SIGINT', handler);
    try {
      const temp = join(dir, 'checkpoint.tmp');
      await writeFile(temp, 'partial');
      const release = removeOnSignal(temp);
      process.emit('SIGINT', 'SIGINT');
      expect(await readdir(dir)).toEqual(['checkpoint.tmp']);
      release();
      expect(process.listenerCount('SIGINT')).toBe(before + 1); // its own listener is gone
    } finally {
      process.off('SIGINT', handler);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
