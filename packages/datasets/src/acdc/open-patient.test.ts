import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { patientFiles } from '../../test/patient-files';
import { AcdcFormatError, NiftiFormatError } from '../errors';
import { writeNifti } from '../nifti/write';
import { memoryFolder, openAcdcPatient } from './open-patient';
import type { AcdcFolder } from './types';

/** A folder that records how many bytes each read asked for. */
function recording(files: Record<string, Uint8Array>): {
  folder: AcdcFolder;
  reads: [string, number | undefined][];
} {
  const inner = memoryFolder('training/patient001', files);
  const reads: [string, number | undefined][] = [];
  return {
    reads,
    folder: {
      ...inner,
      read: (file, max) => {
        reads.push([file, max]);
        return inner.read(file, max);
      },
    },
  };
}

describe('openAcdcPatient', () => {
  it('reads Info.cfg and the headers only, and the voxels on request', async () => {
    const { folder, reads } = recording(patientFiles({ info: { ed: 1, es: 12, group: 'HCM' } }));
    const patient = await openAcdcPatient(folder, { subset: 'training' });
    expect(patient).toMatchObject({
      id: 'patient001',
      subset: 'training',
      group: 'HCM',
      ed: 1,
      es: 12,
      nbFrames: 20,
    });
    expect(patient.shape).toEqual([3, 6, 7]);
    expect(patient.spacing).toEqual([10, 1.5, 1.25]);
    expect(patient.frames.ES.imageFile).toBe('training/patient001/patient001_frame12.nii.gz');
    expect(reads.filter(([f]) => f !== 'Info.cfg').every(([, max]) => max !== undefined)).toBe(true);
    const image = await patient.frames.ES.image();
    expect(image.shape).toEqual([3, 6, 7]);
    expect(reads.at(-1)).toEqual(['patient001_frame12.nii.gz', undefined]);
    expect(patient.cineFile).toBeNull();
    await expect(patient.cine()).rejects.toThrow(/_4d.nii.gz: file is missing/);
  });

  it('finds uncompressed .nii files and a cine', async () => {
    const files = patientFiles({ gzip: false });
    files['patient001_4d.nii.gz'] = writeNifti(ndarray(new Int16Array(2 * 3 * 6 * 7), [2, 3, 6, 7]));
    const patient = await openAcdcPatient(memoryFolder('p/patient001', files));
    expect(patient.frames.ED.labelFile).toBe('p/patient001/patient001_frame01_gt.nii');
    expect((await patient.cine()).shape).toEqual([2, 3, 6, 7]);
  });

  const broken: [string, (f: Record<string, Uint8Array>) => void, RegExp][] = [
    ['no Info.cfg', (f) => delete f['Info.cfg'], /Info.cfg: file is missing/],
    [
      'no ES ground truth',
      (f) => delete f['patient001_frame05_gt.nii.gz'],
      /frame05_gt.nii.gz: file is missing/,
    ],
    [
      'a label volume of another shape',
      (f) => {
        f['patient001_frame05_gt.nii.gz'] = writeNifti(ndarray(new Uint8Array(3 * 6 * 6), [3, 6, 6]));
      },
      /shape \[3, 6, 6\] differs/,
    ],
    [
      'a 4D frame file',
      (f) => {
        f['patient001_frame01.nii.gz'] = writeNifti(ndarray(new Int16Array(2 * 3 * 6 * 7), [2, 3, 6, 7]));
      },
      /expected a 3D volume/,
    ],
    ['a bad Info.cfg', (f) => (f['Info.cfg'] = new TextEncoder().encode('ED: x')), /ES is missing/],
  ];
  for (const [what, breakIt, message] of broken) {
    it(`throws AcdcFormatError naming the file for ${what}`, async () => {
      const files = patientFiles();
      breakIt(files);
      const opening = openAcdcPatient(memoryFolder('training/patient001', files));
      await expect(opening).rejects.toThrow(AcdcFormatError);
      await expect(openAcdcPatient(memoryFolder('training/patient001', files))).rejects.toThrow(message);
    });
  }

  it('throws NiftiFormatError for a file that is not NIfTI', async () => {
    const files = patientFiles();
    files['patient001_frame01.nii.gz'] = new TextEncoder().encode('<html>404</html>'.repeat(30));
    await expect(openAcdcPatient(memoryFolder('t/patient001', files))).rejects.toThrow(NiftiFormatError);
  });
});
