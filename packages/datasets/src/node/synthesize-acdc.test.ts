import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInfoCfg } from '../acdc/info-cfg';
import { toCohortSlices, toSlices } from '../acdc/slices';
import { AcdcFormatError, InvalidOptionError, NiftiFormatError } from '../errors';
import { readNifti } from '../nifti/read';
import type { TwinParamsInput } from '../twin/params';
import { synthesizePatient } from '../twin/patient';
import { loadAcdc } from './load-acdc';
import { synthesizeAcdc, type WrittenPatient } from './synthesize-acdc';

const SMALL: TwinParamsInput = { imageSizes: [[96, 112]], fieldOfViewMm: [200, 200], frameCount: [6, 8] };
let root: string;
let written: WrittenPatient[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'myoseg-twin-'));
  written = await synthesizeAcdc({ patients: 6, seed: 9, outDir: root, params: SMALL, with4d: true });
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('synthesizeAcdc', () => {
  it("writes ACDC's layout: training/ and testing/, patientNNN folders, Info.cfg, frames, ground truth, cine", async () => {
    expect(await readdir(root)).toEqual(['testing', 'training']);
    expect(await readdir(join(root, 'training'))).toEqual([
      'patient001',
      'patient002',
      'patient003',
      'patient004',
      'patient005',
    ]);
    expect(await readdir(join(root, 'testing'))).toEqual(['patient006']);
    const p1 = written[0];
    const info = parseInfoCfg(await readFile(join(p1.dir, 'Info.cfg'), 'utf8'));
    const frame = (n: number) => `patient001_frame${String(n).padStart(2, '0')}`;
    expect((await readdir(p1.dir)).sort()).toEqual(
      [
        'Info.cfg',
        'patient001_4d.nii.gz',
        `${frame(1)}.nii.gz`,
        `${frame(1)}_gt.nii.gz`,
        `${frame(info.es)}.nii.gz`,
        `${frame(info.es)}_gt.nii.gz`,
      ].sort(),
    );
    expect(info.group).toBe(p1.group);
  });

  it('writes the same bytes as the in-memory generator, and a cine whose frames match', async () => {
    const p = synthesizePatient(1, { patients: 6, seed: 9, params: SMALL });
    const dir = written[1].dir;
    const es = readNifti(
      await readFile(join(dir, `patient002_frame${String(p.info.es).padStart(2, '0')}.nii.gz`)),
    );
    expect(es.data).toEqual(p.frames.ES.image.data);
    const cine = readNifti(await readFile(join(dir, 'patient002_4d.nii.gz')));
    const [d, h, w] = p.frames.ED.image.shape;
    expect(cine.shape).toEqual([p.info.nbFrames, d, h, w]);
    const plane = d * h * w;
    expect(cine.data.subarray((p.info.es - 1) * plane, p.info.es * plane)).toEqual(p.frames.ES.image.data);
  });

  it('leaves no temporary files', async () => {
    for (const entry of written)
      expect((await readdir(entry.dir)).some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('replaces whole patient folders, and removes the temporary ones a killed run left', async () => {
    const out = await mkdtemp(join(tmpdir(), 'myoseg-twin-rerun-'));
    try {
      const stale = join(out, 'training', '.patient001.tmp-0a1b2c3d');
      await mkdir(stale, { recursive: true });
      await writeFile(join(stale, 'Info.cfg'), 'ED: 1\n');
      await mkdir(join(out, 'training', 'patient001'));
      await writeFile(join(out, 'training', 'patient001', 'old.txt'), 'from before');
      const again = await synthesizeAcdc({ patients: 2, seed: 9, outDir: out, params: SMALL });
      expect(await readdir(join(out, 'training'))).toEqual(['patient001', 'patient002']);
      expect((await readdir(again[0].dir)).sort()).toEqual([...again[0].files].sort());
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('checks its options before writing', async () => {
    await expect(synthesizeAcdc({ patients: 0, seed: 1, outDir: root })).rejects.toThrow(InvalidOptionError);
    await expect(synthesizeAcdc({ patients: 2, seed: 1, outDir: '' })).rejects.toThrow(/outDir/);
    await expect(synthesizeAcdc({ patients: 2, seed: 1, outDir: root, level: 11 })).rejects.toThrow(/level/);
  });
});

describe('loadAcdc', () => {
  it('reads the twin back from the root, lazily, with Info.cfg and geometry', async () => {
    const { patients, skipped } = await loadAcdc(root);
    expect(skipped).toEqual([]);
    expect(patients.map((p) => `${p.subset}/${p.id}`)).toEqual(written.map((w) => `${w.subset}/${w.id}`));
    const p = synthesizePatient(2, { patients: 6, seed: 9, params: SMALL });
    expect(patients[2]).toMatchObject({
      group: p.group,
      es: p.info.es,
      nbFrames: p.info.nbFrames,
      shape: p.frames.ED.image.shape,
    });
    expect(patients[2].spacing[1]).toBeCloseTo(p.spacing[1], 5);
    expect(patients[2].cineFile).toMatch(/patient003_4d.nii.gz$/);
    const slices = await toSlices(patients[2], { phases: ['ES'], labels: 'myocardium' });
    expect(slices.length).toBe(p.frames.ES.image.shape[0]);
  });

  it('accepts a subset folder as the root, and filters subsets', async () => {
    expect((await loadAcdc(join(root, 'testing'))).patients.map((p) => [p.subset, p.id])).toEqual([
      ['testing', 'patient006'],
    ]);
    expect((await loadAcdc(root, { subsets: ['testing'] })).patients.length).toBe(1);
    await expect(loadAcdc(join(root, 'training', 'patient001'))).rejects.toThrow(AcdcFormatError);
    await expect(loadAcdc(root, { onError: 'warn' as 'skip' })).rejects.toThrow(InvalidOptionError);
  });

  it('follows symbolic links to patient folders and to files', async () => {
    const linked = await mkdtemp(join(tmpdir(), 'myoseg-linked-'));
    try {
      await mkdir(join(linked, 'training'));
      await symlink(join(root, 'training', 'patient001'), join(linked, 'training', 'patient001'));
      // a patient folder whose files are links
      const p2 = join(linked, 'training', 'patient002');
      await mkdir(p2);
      for (const f of await readdir(join(root, 'training', 'patient002')))
        await symlink(join(root, 'training', 'patient002', f), join(p2, f));
      await symlink(join(linked, 'nowhere'), join(linked, 'training', 'patient009')); // dangling: not a patient
      const cohort = await loadAcdc(linked);
      expect(cohort.patients.map((p) => p.id)).toEqual(['patient001', 'patient002']);
      const direct = await loadAcdc(root, { subsets: ['training'] });
      expect(cohort.patients[1].shape).toEqual(direct.patients[1].shape);
      expect((await cohort.patients[1].frames.ED.image()).data).toEqual(
        (await direct.patients[1].frames.ED.image()).data,
      );
    } finally {
      await rm(linked, { recursive: true, force: true });
    }
  });

  it('skips a patient with a broken file and says which and why, or throws', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'myoseg-broken-'));
    try {
      await synthesizeAcdc({ patients: 3, seed: 9, outDir: copy, params: SMALL });
      const gt = join(copy, 'training', 'patient002', 'patient002_frame01_gt.nii.gz');
      await writeFile(gt, (await readFile(gt)).subarray(0, 30));
      const late = join(copy, 'training', 'patient001', 'patient001_frame01.nii.gz');
      const bytes = await readFile(late);
      await writeFile(late, bytes.subarray(0, bytes.length - 100));

      const { patients, skipped } = await loadAcdc(copy, { onError: 'skip' });
      expect(patients.map((p) => p.id)).toEqual(['patient001', 'patient003']);
      expect(skipped).toEqual([
        {
          patient: 'patient002',
          file: expect.stringMatching(/patient002_frame01_gt.nii.gz$/),
          reason: expect.any(String),
        },
      ]);
      await expect(loadAcdc(copy)).rejects.toThrow(NiftiFormatError);

      // patient001's header is fine; its truncated voxels show when they are read.
      const cohort = await toCohortSlices(patients, { onError: 'skip' });
      expect(cohort.skipped.map((s) => s.patient)).toEqual(['patient001']);
      expect(cohort.skipped[0].reason).toMatch(/truncated/);
      expect(cohort.samples.every((s) => s.patientId === 'patient003')).toBe(true);
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });
});
