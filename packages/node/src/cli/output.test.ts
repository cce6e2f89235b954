import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors';
import { ensureOutputFolder, toCsv } from './output';

describe('toCsv', () => {
  it('writes a header and quotes fields with commas, quotes or newlines', () => {
    expect(
      toCsv(
        ['id', 'note', 'dice'],
        [
          ['p1', 'a,b', 0.5],
          ['p2', 'say "hi"\nthere', undefined],
        ],
      ),
    ).toBe('id,note,dice\np1,"a,b",0.5\np2,"say ""hi""\nthere",\n');
  });
});

describe('ensureOutputFolder', () => {
  it('creates nested folders, and names --out when it cannot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'myoseg-out-'));
    await ensureOutputFolder(join(dir, 'a', 'b'));
    expect((await stat(join(dir, 'a', 'b'))).isDirectory()).toBe(true);
    await writeFile(join(dir, 'file'), 'x');
    await expect(ensureOutputFolder(join(dir, 'file', 'sub'))).rejects.toThrow(InputError);
    await expect(ensureOutputFolder(join(dir, 'file', 'sub'))).rejects.toThrow(
      /--out .*file\/sub: cannot create the folder \(ENOTDIR\)/,
    );
    await rm(dir, { recursive: true, force: true });
  });
});
