import { describe, expect, it } from 'vitest';
import { acdcFrameOf, frameIndexOf, isLabelName, isNiftiName, niftiStem, patientIdOf } from './file-names';

describe('file names', () => {
  it('tells NIfTI files, label files, patients and frames', () => {
    expect(['a.nii', 'a.NII.GZ', 'a.nii.gz'].every(isNiftiName)).toBe(true);
    expect(isNiftiName('a.gz')).toBe(false);
    expect(niftiStem('patient001/patient001_frame01.nii.gz')).toBe('patient001_frame01');
    for (const name of [
      'p_frame01_gt.nii.gz',
      'corrected-mask.nii',
      'labels.nii.gz',
      'case_seg.nii.gz',
      'patient001_4d_t03_myo.nii.gz',
    ]) {
      expect(isLabelName(name)).toBe(true);
    }
    for (const name of [
      'patient001_4d.nii.gz',
      'segment.nii',
      'gt.nii',
      'masking.nii.gz',
      'myocardium.nii',
    ]) {
      expect(isLabelName(name)).toBe(false);
    }
    expect(patientIdOf('patient042_frame01_gt.nii.gz')).toBe('patient042');
    expect(patientIdOf('scan.nii.gz')).toBe('scan');
    expect(acdcFrameOf('patient042_frame09_gt.nii.gz')).toBe(9);
    expect(acdcFrameOf('patient042_4d.nii.gz')).toBeNull();
    expect(frameIndexOf('patient042_frame09_gt.nii.gz')).toBe(8);
    expect(frameIndexOf('patient042_4d_t03_myo.nii.gz')).toBe(3);
    expect(frameIndexOf('patient042_4d.nii.gz')).toBeNull();
  });
});
