import { describe, expect, it } from 'vitest';
import { sortFiles } from './file-kinds';

describe('sortFiles', () => {
  it('sorts a dropped ACDC patient folder and a model folder', () => {
    const sorted = sortFiles([
      'patient001/Info.cfg',
      'patient001/patient001_4d.nii.gz',
      'patient001/patient001_frame01.nii.gz',
      'patient001/patient001_frame01_gt.nii.gz',
      'model/myoseg.json',
      'model/localizer/model.json',
      'model/segmenter/weights.bin',
      'verdicts.json',
      'notes.txt',
    ]);
    expect(sorted).toEqual({
      images: ['patient001/patient001_4d.nii.gz', 'patient001/patient001_frame01.nii.gz'],
      labels: ['patient001/patient001_frame01_gt.nii.gz'],
      infos: ['patient001/Info.cfg'],
      verdicts: ['verdicts.json'],
      model: { root: 'model/', files: ['myoseg.json', 'localizer/model.json', 'segmenter/weights.bin'] },
      ignored: ['notes.txt'],
    });
  });

  it("takes only the model's own files when its myoseg.json lies at the top level", () => {
    const sorted = sortFiles(['myoseg.json', 'localizer/model.json', 'scan.nii', 'verdicts.json']);
    expect(sorted.model).toEqual({ root: '', files: ['myoseg.json', 'localizer/model.json'] });
    expect(sorted.images).toEqual(['scan.nii']);
    expect(sorted.verdicts).toEqual(['verdicts.json']);
  });
});
