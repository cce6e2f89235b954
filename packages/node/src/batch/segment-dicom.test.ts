import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { listDicomSeries, readNifti } from '@myoseg/datasets';
import { dicomFilesIn, readDicomFolder } from '@myoseg/datasets/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../test/capture-io';
import { main } from '../cli/program';

// the DICOM fixtures of @myoseg/datasets (pydicom-written cine series, pydicom's real scanner files)
const fixtures = join(import.meta.dirname, '..', '..', '..', 'datasets', 'test', 'fixtures', 'dicom');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'myoseg-dicom-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const segment = async (args: string[]) => {
  const run = captureIo();
  const code = await main(['segment', ...args, '--log', 'ndjson'], run.io);
  return { code, records: run.out.map((l) => JSON.parse(l)), err: run.err };
};

describe('myoseg segment on DICOM studies', () => {
  it('writes one 4D label map of a cine series, with the series geometry', async () => {
    const out = join(dir, 'cine');
    const run = await segment([join(fixtures, 'cine'), '--out', out]);
    expect(run.code).toBe(0);
    expect(run.records).toMatchObject([{ id: 'cine', status: 'done', slices: 12 }]);
    const mask = readNifti(await readFile(join(out, 'cine_myo.nii.gz')), {
      name: 'mask',
      gunzip: gunzipSync,
    });
    const study = await readDicomFolder(join(fixtures, 'cine'));
    expect(mask.shape).toEqual([3, 4, 12, 16]);
    expect(mask.header.intentCode).toBe(1002);
    expect(await readFile(join(out, 'cine_myo.txt'), 'utf8')).toMatch(
      /ITK-SnAP Label Description File[\s\S]*"Myocardium"/,
    );
    expect(await readFile(join(out, 'cine_myo.ctbl'), 'utf8')).toMatch(/^1 Myocardium 230 60 40 255$/m);
    const measures = (await readFile(join(out, 'cine_measures.csv'), 'utf8')).trim().split('\n').slice(1);
    expect(measures).toHaveLength(3);
    expect(measures.map((l) => l.split(',')[0])).toEqual(['0', '1', '2']);
    expect(mask.affine.flat().map((v) => Number(v.toFixed(4)))).toEqual(
      study.affine.flat().map((v) => Number(v.toFixed(4))),
    );
  });

  it('picks the short-axis stack among several series, says which on stderr, or the one --series names', async () => {
    const study = join(dir, 'study');
    await cp(join(fixtures, 'cine'), join(study, 'sa'), { recursive: true });
    await cp(join(fixtures, 'pydicom', 'MR_small.dcm'), join(study, 'other', 'IM1'));
    await cp(join(fixtures, 'axial'), join(study, 'ax'), { recursive: true });
    const auto = await segment([study, '--out', join(dir, 'auto')]);
    expect(auto.code).toBe(0);
    expect(auto.err.join('\n')).toMatch(/3 series .* segmenting .* \(choose with --series UID\)/);
    const [cine] = listDicomSeries(await dicomFilesIn(join(fixtures, 'cine')));
    const named = await segment([study, '--out', join(dir, 'named'), '--series', cine.seriesInstanceUids[0]]);
    expect(named.code).toBe(0);
    const mask = readNifti(await readFile(join(dir, 'named', 'study_myo.nii.gz')), {
      name: 'm',
      gunzip: gunzipSync,
    });
    expect(mask.shape).toEqual([3, 4, 12, 16]);
  });

  it('a study it cannot read fails alone with a DICOM_FORMAT error naming the file', async () => {
    const jp2k = join(dir, 'jp2k');
    await cp(join(fixtures, 'pydicom', 'MR_small_jp2klossless.dcm'), join(jp2k, 'IM1'));
    const run = await segment([jp2k, join(fixtures, 'axial'), '--out', join(dir, 'mixed')]);
    expect(run.code).toBe(1);
    const failed = run.records.find((r) => r.status === 'failed');
    expect(failed).toMatchObject({ id: 'jp2k', code: 'DICOM_FORMAT' });
    expect(failed.error).toMatch(/IM1: transfer syntax 1\.2\.840\.10008\.1\.2\.4\.90 \(JPEG 2000 Lossless\)/);
    expect(run.records.find((r) => r.status === 'done')?.id).toBe('axial');
  });
});
