import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedStudy, studyRecordPath, writeStudyRecord } from './study-record';

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'myoseg-record-'));
});
afterAll(() => rm(out, { recursive: true, force: true }));

const fields = {
  id: 's1',
  input: '/data/s1.nii.gz',
  slices: 10,
  volumeMl: [90],
  massG: [94.5],
  seconds: 1.5,
};

describe('study records', () => {
  it('mark a study finished only while every output it lists is there unchanged', async () => {
    const mask = join(out, 's1_myo.nii.gz');
    await writeFile(mask, 'mask bytes');
    expect(await finishedStudy(out, 's1')).toBeNull(); // no record yet (killed before it was written)
    const record = await writeStudyRecord(out, fields, [mask]);
    expect(record.outputs).toEqual([
      { file: 's1_myo.nii.gz', bytes: 10, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
    expect(await finishedStudy(out, 's1')).toEqual(record);
    await writeFile(mask, 'mask bytez'); // same size, other contents
    expect(await finishedStudy(out, 's1')).toBeNull();
    await rm(mask);
    expect(await finishedStudy(out, 's1')).toBeNull();
  });

  it('ignores a record that does not parse or names another study', async () => {
    await writeFile(studyRecordPath(out, 's2'), '{ "format": "myoseg-study", ');
    expect(await finishedStudy(out, 's2')).toBeNull();
    await writeStudyRecord(out, { ...fields, id: 's3' }, []);
    await writeFile(studyRecordPath(out, 's4'), await readFile(studyRecordPath(out, 's3')));
    expect(await finishedStudy(out, 's4')).toBeNull();
    expect(await finishedStudy(out, 's3')).not.toBeNull();
  });
});
