import { describe, expect, it } from 'vitest';
import { patientFiles, voxelValue } from '../../test/patient-files';
import { AcdcFormatError, InvalidOptionError, NiftiFormatError } from '../errors';
import { memoryFolder, openAcdcPatient } from './open-patient';
import { toCohortSlices, toSlices } from './slices';

const open = (files: Record<string, Uint8Array>, id = 'patient001') =>
  openAcdcPatient(memoryFolder(`training/${id}`, files));

describe('toSlices', () => {
  it('gives [H, W] slices as nibabel shows get_fdata()[:, :, k].T', async () => {
    const samples = await toSlices(await open(patientFiles()), { phases: ['ES'] });
    expect(samples.map((s) => s.slice)).toEqual([0, 1, 2]);
    const s = samples[2];
    expect(s.image.shape).toEqual([6, 7]);
    // Row y is j, column x is i.
    expect(s.image.get(4, 5)).toBe(voxelValue(5, 4, 2));
    expect(s.image.get(0, 6)).toBe(voxelValue(6, 0, 2));
    expect(s.image.data).toBeInstanceOf(Float32Array);
    expect(s).toMatchObject({
      patientId: 'patient001',
      group: 'NOR',
      phase: 'ES',
      sliceCount: 3,
      spacing: [1.5, 1.25],
    });
  });

  it('returns ED then ES by default, with labels per mode', async () => {
    const patient = await open(patientFiles());
    const all = await toSlices(patient);
    expect(all.map((s) => s.phase)).toEqual(['ED', 'ED', 'ED', 'ES', 'ES', 'ES']);
    expect(all[0].mask).toBe(all[0].labelMap);
    const count = (data: Uint8Array, v: number) => data.filter((x) => x === v).length;
    expect(count(all[0].labelMap.data, 3)).toBe(1);
    expect(count(all[0].labelMap.data, 2)).toBe(8);
    const loc = await toSlices(patient, { labels: 'localization', phases: ['ED'] });
    expect(count(loc[0].mask.data, 1)).toBe(9);
    expect(count(loc[0].labelMap.data, 2)).toBe(8);
    const myo = await toSlices(patient, { labels: 'myocardium', phases: ['ED'] });
    expect(count(myo[0].mask.data, 1)).toBe(8);
    expect(myo[0].labels).toBe('myocardium');
  });

  it('refuses labels outside 0–3, naming the file and voxel', async () => {
    const files = patientFiles({ label: (i, j, k) => (i === 2 && j === 1 && k === 1 ? 4 : 0) });
    const slicing = toSlices(await open(files));
    await expect(slicing).rejects.toThrow(AcdcFormatError);
    await expect(toSlices(await open(files))).rejects.toThrow(
      /frame01_gt.nii.gz: label 4 at voxel \(i=2, j=1, k=1\)/,
    );
  });

  it('checks its options', async () => {
    const patient = await open(patientFiles());
    await expect(toSlices(patient, { labels: 'rv' as 'all' })).rejects.toThrow(InvalidOptionError);
    await expect(toSlices(patient, { phases: ['MID' as 'ED'] })).rejects.toThrow(/phases/);
  });
});

describe('toCohortSlices', () => {
  it('skips a patient whose voxels are unreadable and reports it, or throws', async () => {
    const good = await open(patientFiles({ id: 'patient001' }));
    const files = patientFiles({ id: 'patient002' });
    const gz = files['patient002_frame05.nii.gz'];
    files['patient002_frame05.nii.gz'] = gz.subarray(0, gz.length - 20);
    const bad = await open(files, 'patient002');
    const { samples, skipped } = await toCohortSlices([good, bad], { onError: 'skip' });
    expect(samples.length).toBe(6);
    expect(skipped).toEqual([
      {
        patient: 'patient002',
        file: 'training/patient002/patient002_frame05.nii.gz',
        reason: expect.stringMatching(/truncated/),
      },
    ]);
    await expect(toCohortSlices([good, bad])).rejects.toThrow(NiftiFormatError);
    await expect(toCohortSlices([good], { onError: 'ignore' as 'skip' })).rejects.toThrow(InvalidOptionError);
  });
});
