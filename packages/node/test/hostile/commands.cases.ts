import { cp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readNifti } from '@myoseg/datasets';
import { expect } from 'vitest';
import { type CaseContext, type HostileCase, put } from './case';
import { niftiFile } from './world';

/** A copy of the world's cohort at `<case>/cohort`, `edit`ed. */
const cohortCopy =
  (edit: (dir: string) => Promise<void> = async () => {}) =>
  async (c: CaseContext) => {
    await cp(c.world.cohort, join(c.dir, 'cohort'), { recursive: true });
    await edit(join(c.dir, 'cohort'));
  };
const frame = (cohort: string, id: string) => join(cohort, 'training', id, `${id}_frame01.nii.gz`);
const evaluate =
  (...extra: string[]) =>
  (c: CaseContext) => [
    'evaluate',
    '--data',
    join(c.dir, 'cohort'),
    '--model',
    c.world.model,
    '--out',
    join(c.dir, 'eval'),
    ...extra,
  ];
const train =
  (...extra: string[]) =>
  (c: CaseContext) => [
    '--backend',
    'cpu',
    'train',
    '--data',
    join(c.dir, 'cohort'),
    '--out',
    join(c.dir, 'model'),
    ...extra,
  ];
const unfinished = (dir: string) =>
  writeFile(
    join(dir, '.myoseg-output.json'),
    JSON.stringify({ kind: 'twin-cohort', entries: ['training', 'testing'], complete: false }),
  );
const preset = (json: string) => async (c: CaseContext) => {
  await cohortCopy()(c);
  await put(c, 'preset.json', json);
};
const report = (json: string) => (c: CaseContext) => put(c, 'run/report.json', json);

/** `evaluate` (item 5: skipped patients, a cohort of broken patients), `train`, `synth`, `report`, options. */
export const commandCases: HostileCase[] = [
  {
    name: 'evaluate: a patient with a broken Info.cfg is skipped, saying why; the others are scored',
    setup: cohortCopy((dir) => writeFile(join(dir, 'training', 'patient002', 'Info.cfg'), 'nonsense')),
    argv: evaluate(),
    exit: 1,
    stderr: /skipped patient002: .*Info\.cfg/,
    present: ['eval/evaluation.json', 'eval/frames.csv'],
  },
  {
    name: 'evaluate: a patient whose frame is corrupt fails, saying why',
    setup: cohortCopy(async (dir) => {
      const file = frame(dir, 'patient001');
      const bytes = await readFile(file);
      await writeFile(file, bytes.subarray(0, bytes.length - 40));
    }),
    argv: evaluate(),
    exit: 1,
    stderr: /patient001.*patient001_frame01\.nii\.gz: gzip/,
    present: ['eval/evaluation.json'],
  },
  {
    name: 'evaluate: every patient broken is no score at all (exit 1, nothing written)',
    setup: cohortCopy(async (dir) => {
      for (const id of ['patient001', 'patient002', 'patient003'])
        await writeFile(join(dir, 'training', id, 'Info.cfg'), 'nonsense');
    }),
    argv: evaluate(),
    exit: 1,
    stderr: /none of its 3 patient\(s\) could be scored/,
    absent: ['eval/evaluation.json'],
    check: async (_, run) => expect(run.out.join('\n')).not.toMatch(/Dice/),
  },
  {
    name: 'evaluate: a NaN voxel is replaced and counted per patient',
    setup: cohortCopy(async (dir) => {
      const file = frame(dir, 'patient002');
      const image = readNifti(await readFile(file), { gunzip: gunzipSync });
      const values = Float64Array.from(image.data as ArrayLike<number>);
      values[123] = Number.NaN;
      await writeFile(file, niftiFile(values, image.shape, { spacing: image.spacing }));
    }),
    argv: evaluate('--json'),
    exit: 0,
    stderr: /patient002: 1 voxel\(s\) NaN/,
    check: async (_, run) =>
      expect(JSON.parse(run.out[0]).nonFinite).toEqual([{ patient: 'patient002', voxels: 1 }]),
  },
  {
    name: 'evaluate: symbolic links to patient folders are followed',
    setup: async (c) => {
      for (const [subset, id] of [
        ['training', 'patient001'],
        ['training', 'patient002'],
      ])
        await put(c, `cohort/${subset}/.keep`, '').then(() =>
          symlink(join(c.world.cohort, subset, id), join(c.dir, 'cohort', subset, id)),
        );
    },
    argv: evaluate('--json'),
    exit: 0,
    check: async (_, run) => expect(JSON.parse(run.out[0]).patients).toBe(2),
  },
  {
    name: 'evaluate: a folder without patients',
    setup: (c) => put(c, 'cohort/readme.txt', 'x'),
    argv: evaluate(),
    exit: 2,
    stderr: /cohort: holds no patientNNN folders/,
  },
  {
    name: 'evaluate: the cohort of an interrupted synth is refused',
    setup: cohortCopy(unfinished),
    argv: evaluate(),
    exit: 2,
    stderr: /--data .*cohort: an unfinished myoseg twin-cohort .*"complete": false/,
    absent: ['eval'],
  },
  {
    name: 'evaluate: --data cohort/training of an interrupted synth is refused too',
    setup: cohortCopy(unfinished),
    argv: (c) => evaluate()(c).map((a) => (a === join(c.dir, 'cohort') ? join(a, 'training') : a)),
    exit: 2,
    stderr: /an unfinished myoseg twin-cohort/,
  },
  {
    name: 'train: the cohort of an interrupted synth is refused before any work',
    setup: cohortCopy(unfinished),
    argv: train('--runtime', 'tfjs'),
    exit: 2,
    stderr: /an unfinished myoseg twin-cohort/,
    absent: ['model', 'model.checkpoint'],
  },
  {
    name: 'train: --runtime webgpu is refused before any work (WebGPU runs inference only)',
    setup: cohortCopy(),
    argv: train('--runtime', 'webgpu'),
    exit: 2,
    stderr: /--runtime webgpu runs inference only: .*MaxPool with indices/,
    absent: ['model', 'model.checkpoint'],
  },
  {
    name: 'train: a --preset file that is not JSON',
    setup: preset('{ epochs: '),
    argv: (c) => train('--preset', join(c.dir, 'preset.json'))(c),
    exit: 2,
    stderr: /preset\.json/,
  },
  {
    name: 'train: a --preset field unknown',
    setup: preset('{"base":"quick","epoch":3}'),
    argv: (c) => train('--preset', join(c.dir, 'preset.json'))(c),
    exit: 2,
    stderr: /unknown field 'epoch'/,
  },
  {
    name: 'train: a --preset field of the wrong kind',
    setup: preset('{"base":"quick","batchSize":0}'),
    argv: (c) => train('--preset', join(c.dir, 'preset.json'))(c),
    exit: 2,
    stderr: /field 'batchSize' must be an integer ≥ 1, got 0/,
  },
  {
    name: 'train: fewer than 3 patients',
    setup: cohortCopy(async (dir) => {
      await rm(join(dir, 'training', 'patient002'), { recursive: true });
      await rm(join(dir, 'training', 'patient003'), { recursive: true });
    }),
    argv: train('--runtime', 'tfjs'),
    exit: 2,
    stderr: /needs annotated slices of at least 3 patients/,
    absent: ['model'],
  },
  {
    name: 'train --resume without a checkpoint says where it looked',
    setup: cohortCopy(),
    argv: train('--runtime', 'tfjs', '--resume'),
    exit: 2,
    stderr: /--resume: no usable checkpoint in .*model\.checkpoint/,
  },
  {
    name: 'train --weights float8',
    argv: (c) => ['train', '--data', c.world.cohort, '--out', join(c.dir, 'm'), '--weights', 'float8'],
    exit: 2,
    stderr: /--weights must be float32 or float16/,
  },
  {
    name: 'train --tfjs-weights onnx',
    argv: (c) => ['train', '--data', c.world.cohort, '--out', join(c.dir, 'm'), '--tfjs-weights', 'onnx'],
    exit: 2,
    stderr: /--tfjs-weights must be separate or from-onnx/,
  },
  {
    name: 'synth: a rerun over an interrupted one finishes it, its temporary folders gone',
    setup: async (c) => {
      await put(c, 'twin/training/.patient001.tmp-0a1b2c3d/Info.cfg', 'ED: 1\n');
      await unfinished(join(c.dir, 'twin'));
    },
    argv: (c) => ['synth', '--patients', '1', '--out', join(c.dir, 'twin')],
    exit: 0,
    present: ['twin/training/patient001/Info.cfg'],
    check: async (c) => {
      expect(await readdir(join(c.dir, 'twin', 'training'))).toEqual(['patient001']);
      const manifest = JSON.parse(await readFile(join(c.dir, 'twin', '.myoseg-output.json'), 'utf8'));
      expect(manifest).toEqual({ kind: 'twin-cohort', entries: ['training', 'testing'] });
    },
  },
  {
    name: 'synth --patients 0',
    argv: (c) => ['synth', '--patients', '0', '--out', join(c.dir, 'twin')],
    exit: 2,
    stderr: /--patients must be an integer ≥ 1/,
  },
  {
    name: 'synth --appearance weird',
    argv: (c) => ['synth', '--appearance', 'weird', '--out', join(c.dir, 'twin')],
    exit: 2,
    stderr: /--appearance must be standard or varied/,
  },
  {
    name: 'report: report.json that is not JSON',
    setup: report('{"rows": ['),
    argv: (c) => ['report', join(c.dir, 'run')],
    exit: 2,
    stderr: /report\.json: not valid JSON/,
    absent: ['run/report.html'],
  },
  {
    name: 'report: report.json of the wrong shape is one ReportFormatError line',
    setup: report('{"rows": 3}'),
    argv: (c) => ['report', join(c.dir, 'run')],
    exit: 2,
    stderr: /run\/report\.json: \w+: expected /,
    absent: ['run/report.html'],
  },
  {
    name: 'report: report.json that is null',
    setup: report('null'),
    argv: (c) => ['report', join(c.dir, 'run')],
    exit: 2,
    stderr: /run\/report\.json: .*expected an object, got null/,
  },
  {
    name: 'report: no report.json',
    argv: (c) => ['report', c.dir],
    exit: 2,
    stderr: /report\.json: cannot read \(ENOENT\)/,
  },
  {
    name: '--runtime gpu',
    argv: (c) => ['--runtime', 'gpu', 'segment', c.world.cohort, '--out', join(c.dir, 'out')],
    exit: 2,
    stderr: /--runtime must be auto, onnxruntime, webgpu, tfjs; got gpu/,
    absent: ['out'],
  },
  {
    name: '--precision half',
    argv: (c) => ['--precision', 'half', 'segment', c.world.cohort, '--out', join(c.dir, 'out')],
    exit: 2,
    stderr: /--precision must be auto, float32, float16; got half/,
    absent: ['out'],
  },
  {
    name: '--precision float16 off WebGPU',
    argv: (c) => ['--precision', 'float16', 'segment', c.world.cohort, '--out', join(c.dir, 'out')],
    exit: 2,
    stderr: /--precision float16 needs --runtime webgpu/,
    absent: ['out'],
  },
  {
    name: 'an unknown command',
    argv: () => ['segmnet', 'x'],
    exit: 2,
    stderr: /unknown command 'segmnet'/,
  },
  {
    name: 'segment without --out',
    argv: (c) => ['segment', c.dir],
    exit: 2,
    stderr: /required option '--out <dir>' not specified/,
  },
];
