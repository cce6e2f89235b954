import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputFileError } from '../errors';
import { VERDICTS, type VerdictRecord, VerdictTable } from './verdicts';

const record = (over: Partial<VerdictRecord> = {}): VerdictRecord => ({
  image: 'patient001_frame01.nii.gz',
  patient: 'patient001',
  frameIndex: 0,
  sliceIndex: 3,
  maskA: 'patient001_frame01_gt.nii.gz',
  maskB: 'model',
  verdict: 'better-a',
  ratedAt: '2024-05-01T10:00:00.000Z',
  ...over,
});

describe('VerdictTable', () => {
  it('keeps one verdict per slice and pair of masks', () => {
    const table = new VerdictTable([
      record(),
      record({ verdict: 'same-bad' }),
      record({ maskB: 'other_mask.nii' }),
    ]);
    expect(table.size).toBe(2);
    expect(table.get(record())?.verdict).toBe('same-bad');
    expect(table.delete(record({ maskB: 'other_mask.nii' }))).toBe(true);
    expect(table.size).toBe(1);
  });

  it('writes CSV sorted by image, frame and slice, quoting what needs it', () => {
    const table = new VerdictTable([
      record({ sliceIndex: 10, verdict: 'same-good' }),
      record({ sliceIndex: 2, maskA: 'a,"b".nii', verdict: 'better-b' }),
    ]);
    expect(table.toCsv()).toBe(
      'image,patient,frameIndex,sliceIndex,maskA,maskB,verdict,ratedAt\n' +
        'patient001_frame01.nii.gz,patient001,0,2,"a,""b"".nii",model,better-b,2024-05-01T10:00:00.000Z\n' +
        'patient001_frame01.nii.gz,patient001,0,10,patient001_frame01_gt.nii.gz,model,same-good,2024-05-01T10:00:00.000Z\n',
    );
  });

  it('writes JSON that reads back to the same table', () => {
    const arbitraryRecord = fc.record({
      image: fc.string(),
      patient: fc.string(),
      frameIndex: fc.nat(40),
      sliceIndex: fc.nat(40),
      maskA: fc.string(),
      maskB: fc.string(),
      verdict: fc.constantFrom(...VERDICTS),
      ratedAt: fc.string(),
    });
    fc.assert(
      fc.property(fc.array(arbitraryRecord, { maxLength: 8 }), (records) => {
        const table = new VerdictTable(records);
        const back = VerdictTable.fromJson(table.toJson(), 'x.json');
        expect(back.records()).toEqual(table.records());
      }),
    );
    const doc = JSON.parse(new VerdictTable([record()]).toJson());
    expect(doc).toEqual({ format: 'myoseg-review-verdicts', version: 1, verdicts: [record()] });
  });

  it('names the source and the record when the JSON is not a verdict document', () => {
    expect(() => VerdictTable.fromJson('{', 'a.json')).toThrow(/^a\.json: not valid JSON/);
    expect(() => VerdictTable.fromJson('{"format":"other"}', 'a.json')).toThrow(InputFileError);
    const bad = JSON.stringify({
      format: 'myoseg-review-verdicts',
      version: 1,
      verdicts: [record(), { ...record(), verdict: 'meh' }],
    });
    expect(() => VerdictTable.fromJson(bad, 'a.json')).toThrow(
      /^a\.json: verdicts\[1\]: field 'verdict' must be one of/,
    );
    const negative = JSON.stringify({
      format: 'myoseg-review-verdicts',
      version: 1,
      verdicts: [{ ...record(), sliceIndex: -1 }],
    });
    expect(() => VerdictTable.fromJson(negative, 'a.json')).toThrow(/'sliceIndex' must be an integer ≥ 0/);
  });
});
