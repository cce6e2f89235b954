import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../errors';
import { readStudyList } from './study-list';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'myoseg-list-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const list = async (text: string) => {
  const file = join(dir, 'studies.csv');
  await writeFile(file, text);
  return file;
};

describe('readStudyList', () => {
  it('reads paths (relative to the list) and optional names; skips the header, comments and blank lines', async () => {
    const file = await list('input,name\n# cohort A\n\na/x.nii.gz,subject-1\n/abs/y.nii\r\n');
    expect(await readStudyList(file)).toEqual([
      { input: join(dir, 'a/x.nii.gz'), name: 'subject-1' },
      { input: '/abs/y.nii' },
    ]);
  });

  it('refuses bad lines, naming the file and the line', async () => {
    const cases: [string, RegExp][] = [
      ['a.nii,b,c\n', /line 1: expected 'path' or 'path,name'/],
      ['a.nii,../x\n', /line 1: name '\.\.\/x' must be a plain file name/],
      ['a.nii,s1\nb.nii,s1\n', /line 2: name 's1' is already used on line 1/],
      ['# nothing\n', /lists no study/],
    ];
    for (const [text, message] of cases) {
      const file = await list(text);
      await expect(readStudyList(file)).rejects.toThrow(InputError);
      await expect(readStudyList(file)).rejects.toThrow(message);
    }
    await expect(readStudyList(join(dir, 'missing.csv'))).rejects.toThrow(
      /missing\.csv: cannot read it \(ENOENT\)/,
    );
  });
});
