import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { listDicomSeries, readNifti } from '@myoseg/datasets';
import { dicomFilesIn, readDicomFolder } from '@myoseg/datasets/node';
import dicomParser from 'dicom-parser';
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
    const picked = readNifti(await readFile(join(dir, 'auto', 'study_myo.nii.gz')), {
      name: 'm',
      gunzip: gunzipSync,
    });
    expect(picked.shape).toEqual([3, 4, 12, 16]); // the oblique cine, not the axial stack of 5 slices
    const [cine] = listDicomSeries(await dicomFilesIn(join(fixtures, 'cine')));
    const named = await segment([study, '--out', join(dir, 'named'), '--series', cine.seriesInstanceUids[0]]);
    expect(named.code).toBe(0);
    const mask = readNifti(await readFile(join(dir, 'named', 'study_myo.nii.gz')), {
      name: 'm',
      gunzip: gunzipSync,
    });
    expect(mask.shape).toEqual([3, 4, 12, 16]);
  });

  it('a study it cannot read fails alone with a DICOM_FORMAT error naming the file; alone, it exits 2', async () => {
    const jp2k = join(dir, 'jp2k');
    await cp(join(fixtures, 'pydicom', 'MR_small_jp2klossless.dcm'), join(jp2k, 'IM1'));
    const alone = await segment([jp2k, '--out', join(dir, 'alone')]);
    expect(alone.code).toBe(2);
    expect(alone.err.filter((l) => l.startsWith('myoseg: '))).toEqual([
      expect.stringMatching(/nothing segmented: 1 input\(s\) refused/),
    ]);
    const run = await segment([jp2k, join(fixtures, 'axial'), '--out', join(dir, 'mixed')]);
    expect(run.code).toBe(1);
    const failed = run.records.find((r) => r.status === 'failed');
    expect(failed).toMatchObject({ id: 'jp2k', code: 'DICOM_FORMAT' });
    expect(failed.error).toMatch(/IM1: transfer syntax 1\.2\.840\.10008\.1\.2\.4\.90 \(JPEG 2000 Lossless\)/);
    expect(run.records.find((r) => r.status === 'done')?.id).toBe('axial');
  });
});

/** A binary SEG's frames as one 0/1 array (frames back to back, row-major), and its per-frame source references. */
function decodeSeg(bytes: Uint8Array) {
  const ds = dicomParser.parseDicom(bytes);
  const frames = Number(ds.string('x00280008'));
  const n = frames * (ds.uint16('x00280010') ?? 0) * (ds.uint16('x00280011') ?? 0);
  const pixels = ds.byteArray.subarray(ds.elements.x7fe00010.dataOffset);
  const mask = Uint8Array.from({ length: n }, (_, i) => (pixels[i >> 3] >> (i & 7)) & 1);
  const refs = (ds.elements.x52009230.items ?? []).map((item) =>
    item.dataSet?.elements.x00089124.items?.[0].dataSet?.elements.x00082112.items?.[0].dataSet?.string(
      'x00081155',
    ),
  );
  return { mask, refs, modality: ds.string('x00080060'), patientId: ds.string('x00100020') };
}

describe('myoseg segment: each bad DICOM study is refused with exit 2, naming the file or series', () => {
  it('no pixel data, mixed orientations or spacings, a missing or duplicate slice, only 2CH/4CH-like views', async () => {
    const bad = join(fixtures, 'bad');
    const study = async (name: string, files: [string, string][]) => {
      const folder = join(dir, 'bad-studies', name);
      for (const [from, to] of files) await cp(from, join(folder, to));
      return folder;
    };
    const cine = (keep: (name: string) => boolean) =>
      [
        'IM0001',
        'IM0002',
        'IM0003',
        'IM0004',
        'IM0005',
        'IM0006',
        'IM0007',
        'IM0008',
        'IM0009',
        'IM0010',
        'IM0011',
        'IM0012',
      ]
        .filter(keep)
        .map((f): [string, string] => [join(fixtures, 'cine', f), f]);
    const cases: [string, RegExp][] = [
      [await study('no-pixels', [[join(bad, 'no-pixels.dcm'), 'IM1']]), /IM1: no image with pixel data/],
      [
        await study('orientation', [
          [join(bad, 'mixed-orientation', 'IM0001'), 'a'],
          [join(bad, 'mixed-orientation', 'IM0004'), 'b'],
        ]),
        /mixed orientations/,
      ],
      [
        await study('spacing', [
          [join(bad, 'mixed-spacing', 'IM0001'), 'a'],
          [join(bad, 'mixed-spacing', 'IM0004'), 'b'],
        ]),
        /inconsistent PixelSpacing/,
      ],
      // the cine's files are named in reverse: IM0007–IM0009 hold its second slice position of four
      [
        await study(
          'missing',
          cine((f) => !/IM000[789]/.test(f)),
        ),
        /missing slice position between/,
      ],
      [
        await study('duplicate', [...cine(() => true), [join(fixtures, 'cine', 'IM0001'), 'IM0001-copy']]),
        /duplicate slice: .*IM0001.* same position/,
      ],
      [
        await study('views', [
          [join(fixtures, 'pydicom', 'MR_small.dcm'), 'IM1'],
          [join(fixtures, 'cine', 'IM0001'), 'IM2'],
        ]),
        /series auto: no short-axis stack .*2CH\/4CH/,
      ],
    ];
    for (const [folder, message] of cases) {
      const out = join(dir, 'bad-out', folder.split('/').at(-1) as string);
      const run = await segment([folder, '--out', out]);
      expect(run.code, folder).toBe(2);
      expect(run.records[0], folder).toMatchObject({ status: 'failed', code: 'DICOM_FORMAT' });
      expect(run.records[0].error, folder).toMatch(message);
      expect(
        (await readdir(out)).filter((f) => !f.startsWith('failures')),
        folder,
      ).toEqual([]);
    }
  });
});

describe('myoseg segment --format seg (DICOM SEG)', () => {
  it('nifti,seg: the SEG holds the label map, frame by frame, each referencing its source image', async () => {
    const out = join(dir, 'seg-both');
    const run = await segment([
      join(fixtures, 'cine'),
      '--out',
      out,
      '--format',
      'nifti,seg',
      '--frames',
      '0,2',
    ]);
    expect(run.code).toBe(0);
    const labels = readNifti(await readFile(join(out, 'cine_myo.nii.gz')), { name: 'm', gunzip: gunzipSync });
    const seg = decodeSeg(new Uint8Array(await readFile(join(out, 'cine_seg.dcm'))));
    const study = await readDicomFolder(join(fixtures, 'cine'));
    expect(seg.modality).toBe('SEG');
    expect(seg.patientId).toBe('FIX001');
    expect(seg.refs).toEqual([...study.sopInstanceUids[0], ...study.sopInstanceUids[2]]);
    expect(labels.shape).toEqual([2, 4, 12, 16]);
    expect(Array.from(seg.mask)).toEqual(Array.from(labels.data));
  });

  it("a twin study's SEG holds its myocardium: the label map's voxels, Dice ≥ 0.8 against the ground truth", async () => {
    const out = join(dir, 'seg-twin');
    const run = await segment([join(fixtures, 'twin'), '--out', out, '--format', 'nifti,seg']);
    expect(run.code).toBe(0);
    const labels = readNifti(await readFile(join(out, 'twin_myo.nii.gz')), { name: 'm', gunzip: gunzipSync });
    const truth = readNifti(await readFile(join(fixtures, 'ref', 'twin_gt.nii.gz')), {
      name: 'gt',
      gunzip: gunzipSync,
    });
    const seg = decodeSeg(new Uint8Array(await readFile(join(out, 'twin_seg.dcm'))));
    expect(Array.from(seg.mask)).toEqual(Array.from(labels.data));
    let both = 0;
    let sum = 0;
    truth.data.forEach((v, i) => {
      const myo = v === 2 ? 1 : 0;
      both += myo & seg.mask[i];
      sum += myo + seg.mask[i];
    });
    expect((2 * both) / sum).toBeGreaterThanOrEqual(0.8);
    const gap = labels.affine.flat().map((v, i) => Math.abs(v - truth.affine.flat()[i]));
    expect(Math.max(...gap)).toBeLessThan(1e-3);
  });

  it('seg alone writes the SEG and the measures, no label map; --json gives the measures too', async () => {
    const out = join(dir, 'seg-only');
    const json = captureIo();
    const code = await main(
      ['segment', join(fixtures, 'axial'), '--out', out, '--format', 'seg', '--json'],
      json.io,
    );
    expect(code).toBe(0);
    const [written] = JSON.parse(json.out[0]).written;
    expect(written.file).toBe(join(out, 'axial_seg.dcm'));
    const csv = (await readFile(join(out, 'axial_measures.csv'), 'utf8')).trim().split('\n')[1].split(',');
    expect(written.measures).toMatchObject({ frame: 0, phase: '' });
    expect(written.measures.myocardiumG.toFixed(2)).toBe(csv[3]);
    expect((await readdir(out)).sort()).toEqual(['axial.study.json', 'axial_measures.csv', 'axial_seg.dcm']);
  });

  it('refuses a SEG of a NIfTI input (no SOP instances to reference), writing nothing for it: exit 2', async () => {
    const out = join(dir, 'seg-nifti');
    const run = await segment([join(fixtures, 'ref', 'axial.nii'), '--out', out, '--format', 'seg']);
    expect(run.code).toBe(2);
    expect(run.records).toMatchObject([{ status: 'failed', code: 'INPUT' }]);
    expect(run.records[0].error).toMatch(/axial\.nii: --format seg needs a DICOM input/);
    expect((await readdir(out)).filter((f) => f.startsWith('axial'))).toEqual([]);
  });

  it('refuses an unknown --format and an --out that is a file, before any work: exit 2', async () => {
    const bad = captureIo();
    expect(
      await main(
        ['segment', join(fixtures, 'axial'), '--out', join(dir, 'x'), '--format', 'rtstruct'],
        bad.io,
      ),
    ).toBe(2);
    expect(bad.err.join('\n')).toMatch(/--format takes nifti, seg or nifti,seg/);
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a folder');
    const blocked = captureIo();
    expect(
      await main(['segment', join(fixtures, 'axial'), '--out', file, '--format', 'seg'], blocked.io),
    ).toBe(2);
    expect(blocked.err.join('\n')).toMatch(/a-file/);
  });
});
