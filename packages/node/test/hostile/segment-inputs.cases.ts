import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type CaseContext, type HostileCase, link, put, segment } from './case';
import { scanFile, scanValues } from './world';

const scan = (c: CaseContext) => scanFile(c.world, scanValues(c.world));
const twoScans = async (c: CaseContext, ...paths: string[]) => {
  for (const p of paths) await put(c, p, scan(c));
};

/** Item 1 (same base names), item 3 (bad entries of input folders), reruns over own outputs, bad arguments. */
export const segmentInputCases: HostileCase[] = [
  {
    name: 'a dangling symbolic link in an input folder fails alone; the others are segmented',
    setup: async (c) => {
      await twoScans(c, 'in/a.nii.gz');
      await link(c, 'in/gone.nii.gz', join(c.dir, 'nowhere.nii.gz'));
    },
    argv: segment(['in']),
    exit: 1,
    stderr: /failed: .*gone\.nii\.gz: a dangling symbolic link/,
    stdout: /1 written, 1 failed/,
    present: ['out/a_myo.nii.gz'],
  },
  {
    name: 'an entry through a regular file (ENOTDIR) fails alone',
    setup: async (c) => {
      await twoScans(c, 'in/a.nii.gz');
      await put(c, 'plain.txt', 'x');
      await link(c, 'in/sub', join(c.dir, 'plain.txt', 'sub'));
    },
    argv: segment(['in']),
    exit: 1,
    stderr: /in\/sub: a path through a file, not a folder \(ENOTDIR\)/,
    present: ['out/a_myo.nii.gz'],
  },
  {
    name: 'a folder holding only a dangling link: exit 2 listing it, nothing written',
    setup: (c) => link(c, 'in/gone', join(c.dir, 'nowhere')),
    argv: segment(['in']),
    exit: 2,
    stdout: /0 written, 1 failed/,
    absent: ['out/gone_myo.nii.gz'],
  },
  {
    name: 'a symbolic link loop is walked once',
    setup: async (c) => {
      await twoScans(c, 'in/a.nii.gz');
      await link(c, 'in/loop', '.');
    },
    argv: segment(['in'], '--json'),
    exit: 0,
    check: async (_, run) => expect(JSON.parse(run.out[0]).written).toHaveLength(1),
  },
  {
    name: 'the same file given twice (and through its folder) is segmented once',
    setup: (c) => twoScans(c, 'in/a.nii.gz'),
    argv: segment(['in/a.nii.gz', 'in', 'in/a.nii.gz'], '--json'),
    exit: 0,
    check: async (_, run) => expect(JSON.parse(run.out[0]).written).toHaveLength(1),
  },
  {
    name: 'a/x.nii.gz and b/x.nii.gz get their folder in their names',
    setup: (c) => twoScans(c, 'a/x.nii.gz', 'b/x.nii.gz', 'b/y.nii.gz'),
    argv: segment(['a/x.nii.gz', 'b']),
    exit: 0,
    present: ['out/a_x_myo.nii.gz', 'out/b_x_myo.nii.gz', 'out/y_myo.nii.gz'],
    absent: ['out/x_myo.nii.gz'],
  },
  {
    name: 'x.nii beside x.nii.gz get their extensions in their names',
    setup: async (c) => {
      await put(c, 'in/x.nii', scanFile(c.world, scanValues(c.world), { gzip: false }));
      await twoScans(c, 'in/x.nii.gz');
    },
    argv: segment(['in']),
    exit: 0,
    present: ['out/x_nii_myo.nii.gz', 'out/x_nii_gz_myo.nii.gz'],
  },
  {
    name: 'p/a/x and q/a/x take as many folders as it needs',
    setup: (c) => twoScans(c, 'p/a/x.nii.gz', 'q/a/x.nii.gz'),
    argv: segment(['p', 'q']),
    exit: 0,
    present: ['out/p_a_x_myo.nii.gz', 'out/q_a_x_myo.nii.gz'],
  },
  {
    name: 'rerun over a folder that holds its own _myo masks: they are not taken for images',
    setup: async (c) => {
      await twoScans(c, 'out/a.nii.gz');
      await put(
        c,
        'out/a_myo.nii.gz',
        await readFile(join(c.world.cohort, 'training/patient001/patient001_frame01_gt.nii.gz')),
      );
    },
    argv: (c) => segment(['out'])(c),
    exit: 0,
    stdout: /1 written, 0 failed/,
    absent: ['out/a_myo_myo.nii.gz'],
  },
  {
    name: 'a folder of labels and masks only holds no image: exit 2',
    setup: async (c) => {
      await twoScans(c, 'in/p_gt.nii.gz', 'in/p_myo.nii.gz');
    },
    argv: segment(['in']),
    exit: 2,
    stderr: /in: holds no NIfTI image/,
    absent: ['out'],
  },
  {
    name: 'a missing input: exit 2, nothing written',
    argv: segment(['missing.nii.gz']),
    exit: 2,
    stderr: /missing\.nii\.gz: no such file or folder/,
    absent: ['out'],
  },
  {
    name: 'an input path through a regular file: exit 2',
    setup: (c) => put(c, 'plain.nii.gz', 'x'),
    argv: segment(['plain.nii.gz/scan.nii.gz']),
    exit: 2,
    stderr: /no such file or folder/,
  },
  {
    name: 'a dangling symbolic link given as the input: exit 2',
    setup: (c) => link(c, 'gone.nii.gz', join(c.dir, 'nowhere.nii.gz')),
    argv: segment(['gone.nii.gz']),
    exit: 2,
    stderr: /gone\.nii\.gz: no such file or folder/,
  },
  {
    name: 'a text file given as an image: exit 2',
    setup: (c) => put(c, 'notes.txt', 'hello'),
    argv: segment(['notes.txt']),
    exit: 2,
    stderr: /notes\.txt: not a NIfTI file/,
  },
  {
    name: 'an empty folder: exit 2',
    setup: (c) => put(c, 'in/.keep', ''),
    argv: segment(['in']),
    exit: 2,
    stderr: /holds no NIfTI image/,
  },
];
