import { describe, expect, it } from 'vitest';
import { patientInfo } from './patient-info';

const info = { ed: 1, es: 12, group: 'DCM' as const, height: 184, weight: 95, nbFrames: 30 };

describe('patientInfo', () => {
  it('shows the Info.cfg fields and the phase of a _frameNN file', () => {
    expect(patientInfo('patient007_frame12.nii.gz', info, 0, 1)).toEqual({
      patient: 'patient007',
      source: 'Info.cfg',
      rows: [
        ['Patient', 'patient007'],
        ['Group', 'DCM (dilated cardiomyopathy)'],
        ['Height', '184 cm'],
        ['Weight', '95 kg'],
        ['ED / ES frame', '1 / 12 of 30'],
        ['This frame', '12 (ES)'],
      ],
    });
  });

  it("counts a 4D cine's frames from 1", () => {
    expect(patientInfo('patient007_4d.nii.gz', info, 0, 30).rows.at(-1)).toEqual(['This frame', '1 (ED)']);
    expect(patientInfo('patient007_4d.nii.gz', info, 4, 30).rows.at(-1)).toEqual(['This frame', '5']);
  });

  it('falls back to the file name without Info.cfg', () => {
    expect(patientInfo('scan-3.nii', null, 0, 1)).toEqual({
      patient: 'scan-3',
      source: 'file name',
      rows: [['Patient', 'scan-3']],
    });
  });
});
