import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type CaseContext, type HostileCase, put, segment } from './case';
import { scanFile, scanValues } from './world';

const scan = (c: CaseContext) => put(c, 'scan.nii.gz', scanFile(c.world, scanValues(c.world)));

/** A copy of the world's model folder in the case's folder, `edit`ed. */
const modelCopy = (edit: (dir: string) => Promise<void>) => async (c: CaseContext) => {
  await scan(c);
  await cp(c.world.model, join(c.dir, 'model'), { recursive: true });
  await edit(join(c.dir, 'model'));
};
const withModel =
  (...extra: string[]) =>
  (c: CaseContext) => [
    'segment',
    join(c.dir, 'scan.nii.gz'),
    '--model',
    join(c.dir, 'model'),
    '--out',
    join(c.dir, 'out'),
    ...extra,
  ];
const editJson = (file: string, change: (json: Record<string, unknown>) => void) => async (dir: string) => {
  const json = JSON.parse(await readFile(join(dir, file), 'utf8'));
  change(json);
  await writeFile(join(dir, file), JSON.stringify(json));
};

/** A user's folder: one file of theirs, which must survive every refusal. */
const usersFolder = (c: CaseContext) => put(c, 'mine/precious.txt', 'keep');
const untouched = async (c: CaseContext) =>
  expect(await readdir(join(c.dir, 'mine'))).toEqual(['precious.txt']);

/** Item 4 (unwritable --out) and the already fixed output and model folder checks, which must stay fixed. */
export const outputCases: HostileCase[] = [
  {
    name: 'segment --out is a file: exit 2 before any work',
    setup: async (c) => {
      await scan(c);
      await put(c, 'out', 'a file');
    },
    argv: segment(['scan.nii.gz']),
    exit: 2,
    stderr: /--out .*out: .*out is a file, not a folder/,
  },
  {
    name: 'segment --out under a regular file: exit 2 before any work',
    setup: async (c) => {
      await scan(c);
      await put(c, 'plain.txt', 'x');
    },
    argv: (c) => [...segment(['scan.nii.gz'])(c).slice(0, -1), join(c.dir, 'plain.txt', 'masks')],
    exit: 2,
    stderr: /plain\.txt is a file, not a folder/,
  },
  {
    name: 'a folder where a mask would go: exit 2 before any work, naming it',
    setup: async (c) => {
      await scan(c);
      await mkdir(join(c.dir, 'out', 'scan_myo.nii.gz'), { recursive: true });
    },
    argv: segment(['scan.nii.gz']),
    exit: 2,
    stderr: /out\/scan_myo\.nii\.gz is a folder, where the mask of an input would go/,
  },
  {
    name: "a folder in the way of a cine's measures fails that input, naming the file, not a .tmp; no record",
    setup: async (c) => {
      await put(c, 'cine.nii.gz', scanFile(c.world, scanValues(c.world), { shape: [1, 3, 40, 48] }));
      await mkdir(join(c.dir, 'out', 'cine_measures.csv'), { recursive: true });
    },
    argv: segment(['cine.nii.gz']),
    exit: 1,
    stderr: /failed: .*out\/cine_measures\.csv: cannot write \(a folder is in the way, EISDIR\)$/m,
    absent: ['out/cine.study.json'],
  },
  {
    name: 'segment creates a nested --out',
    setup: scan,
    argv: (c) => [...segment(['scan.nii.gz'])(c).slice(0, -1), join(c.dir, 'a', 'b', 'c')],
    exit: 0,
    present: ['a/b/c/scan_myo.nii.gz'],
  },
  {
    name: 'segment --png writes an overlay per slice',
    setup: scan,
    argv: segment(['scan.nii.gz'], '--png'),
    exit: 0,
    present: ['out/scan_z00.png', 'out/scan_z02.png'],
  },
  {
    name: '--model that does not exist',
    setup: scan,
    argv: (c) => [...withModel()(c)],
    exit: 2,
    stderr: /not a myoseg model folder/,
  },
  {
    name: '--model with a modified network file (sha256)',
    setup: modelCopy(async (dir) => {
      const file = join(dir, 'segmenter', 'weights.bin');
      const bytes = await readFile(file);
      bytes[10] ^= 1;
      await writeFile(file, bytes);
    }),
    argv: withModel('--runtime', 'tfjs'),
    exit: 2,
    stderr: /segmenter\/weights\.bin/,
  },
  {
    name: '--model whose training stopped early is refused without --allow-incomplete',
    setup: modelCopy(editJson('myoseg.json', (m) => Object.assign(m, { complete: false }))),
    argv: withModel(),
    exit: 2,
    stderr: /"complete": false.*--allow-incomplete/,
    absent: ['out'],
  },
  {
    name: '--allow-incomplete uses it, with a warning',
    setup: modelCopy(editJson('myoseg.json', (m) => Object.assign(m, { complete: false }))),
    argv: withModel('--allow-incomplete'),
    exit: 0,
    stderr: /training stopped early \(--allow-incomplete\)/,
  },
  {
    name: '--model with a threshold out of (0, 1)',
    setup: modelCopy(editJson('myoseg.json', (m) => Object.assign(m, { threshold: 2 }))),
    argv: withModel(),
    exit: 2,
    stderr: /'threshold' must lie in \(0, 1\)/,
  },
  {
    name: '--model whose myoseg.json is not JSON',
    setup: modelCopy((dir) => writeFile(join(dir, 'myoseg.json'), '{ nope')),
    argv: withModel(),
    exit: 2,
    stderr: /myoseg\.json/,
  },
  {
    name: '--model is a file',
    setup: async (c) => {
      await scan(c);
      await put(c, 'model', 'x');
    },
    argv: withModel(),
    exit: 2,
    stderr: /model/,
  },
  {
    name: 'synth --out holding a file of the user: refused, the file kept',
    setup: usersFolder,
    argv: (c) => ['synth', '--patients', '1', '--out', join(c.dir, 'mine')],
    exit: 2,
    stderr: /mine: the folder holds files myoseg did not write \(precious\.txt\)/,
    check: untouched,
  },
  {
    name: 'synth --out is a file',
    setup: (c) => put(c, 'twin', 'x'),
    argv: (c) => ['synth', '--patients', '1', '--out', join(c.dir, 'twin')],
    exit: 2,
    stderr: /twin: is a file, not a folder/,
  },
  {
    name: 'evaluate --out holding a file of the user',
    setup: usersFolder,
    argv: (c) => [
      'evaluate',
      '--data',
      c.world.cohort,
      '--model',
      c.world.model,
      '--out',
      join(c.dir, 'mine'),
    ],
    exit: 2,
    stderr: /the folder holds files myoseg did not write/,
    check: untouched,
  },
  {
    name: 'evaluate --out inside --data',
    argv: (c) => [
      'evaluate',
      '--data',
      c.world.cohort,
      '--model',
      c.world.model,
      '--out',
      join(c.world.cohort, 'eval'),
    ],
    exit: 2,
    stderr: /lies in or holds --data/,
  },
  {
    name: 'evaluate --out is a model folder (another kind)',
    argv: (c) => ['evaluate', '--data', c.world.cohort, '--model', c.world.model, '--out', c.world.model],
    exit: 2,
    stderr: /holds a myoseg model folder, not a evaluation folder/,
  },
  {
    name: 'train --out is --data',
    argv: (c) => ['--backend', 'cpu', 'train', '--data', c.world.cohort, '--out', c.world.cohort],
    exit: 2,
    stderr: /lies in or holds --data/,
  },
  {
    name: 'train --out holding a file of the user',
    setup: usersFolder,
    argv: (c) => ['--backend', 'cpu', 'train', '--data', c.world.cohort, '--out', join(c.dir, 'mine')],
    exit: 2,
    stderr: /the folder holds files myoseg did not write/,
    check: untouched,
  },
];
