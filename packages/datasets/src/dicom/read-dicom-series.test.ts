import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { orientationOf, reorient, reorientAffine, reorientation } from '@myoseg/core';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { DicomFormatError } from '../errors';
import { readNifti } from '../nifti/read';
import { isDicomFile } from './instance';
import { listDicomSeries, readDicomSeries } from './series';

// fixtures and dcm2niix's NIfTI of them: test/fixtures/dicom/make_dicom.py (pydicom + dcm2niix, Debian)
const fixtures = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'dicom');
const filesOf = (folder: string) =>
  readdirSync(join(fixtures, folder))
    .filter((f) => !f.endsWith('.nii') && !statSync(join(fixtures, folder, f)).isDirectory())
    .map((f) => ({ name: `${folder}/${f}`, bytes: new Uint8Array(readFileSync(join(fixtures, folder, f))) }));
const nifti = (path: string) => readNifti(new Uint8Array(readFileSync(join(fixtures, path))), { name: path });

/** Our `[T, D, H, W]` volume and affine against dcm2niix's NIfTI: the same voxels at the same world positions. */
function expectSameAsDcm2niix(ours: ReturnType<typeof readDicomSeries>, reference: string) {
  const ref = nifti(reference);
  const refShape = ref.shape.length === 4 ? ref.shape : [1, ...ref.shape];
  const codes = orientationOf(ref.affine);
  expect(codes).not.toBeNull();
  const turn = reorientation(ours.affine, codes as string);
  const [t, d, h, w] = ours.volume.shape;
  // to 1e-4 mm (dcm2niix stores the affine in float32)
  const refAffine = ref.affine.flat();
  const gap = reorientAffine(ours.affine, [d, h, w], turn)
    .flat()
    .map((v, i) => Math.abs(v - refAffine[i]));
  expect(Math.max(...gap)).toBeLessThanOrEqual(1e-4);
  for (let f = 0; f < t; f++) {
    const frame = reorient(
      ndarray(ours.volume.data.subarray(f * d * h * w, (f + 1) * d * h * w), [d, h, w]),
      turn,
    );
    expect(frame.shape).toEqual(refShape.slice(1));
    const size = frame.data.length;
    expect(Array.from(frame.data)).toEqual(Array.from(ref.data.subarray(f * size, (f + 1) * size)));
  }
}

describe('readDicomSeries', () => {
  it("gives dcm2niix's voxels and affine for an oblique cine stack in shuffled files", () => {
    const cine = readDicomSeries(filesOf('cine'));
    expect(cine.volume.shape).toEqual([3, 4, 12, 16]);
    expect(cine.triggerTimes).toEqual([0, 40, 80]);
    expect(cine.spacing.map((s) => Number(s.toFixed(4)))).toEqual([8, 1.4, 1.25]);
    expect(cine.volume.data[0]).toBe(10 * 2 - 100); // RescaleSlope 2, RescaleIntercept -100
    expectSameAsDcm2niix(cine, 'ref/cine.nii');
  });

  it('orders slices along the normal, not by InstanceNumber, and in any transfer syntax it reads', () => {
    const cine = readDicomSeries(filesOf('cine'));
    const reversed = readDicomSeries(filesOf('reversed')); // InstanceNumber against the normal, implicit VR
    expect(Array.from(reversed.volume.data)).toEqual(Array.from(cine.volume.data));
    expectSameAsDcm2niix(reversed, 'ref/reversed.nii');
    expectSameAsDcm2niix(readDicomSeries(filesOf('axial')), 'ref/axial.nii');
  });

  it("gives dcm2niix's voxels and affine for a twin study written as a scanner would (one file per slice)", () => {
    const twin = readDicomSeries(filesOf('twin'));
    expect(twin.volume.shape).toEqual([1, 12, 160, 160]);
    expect(twin.study.patientId).toBe('TWIN001');
    expect(twin.imagePositions).toHaveLength(12);
    expectSameAsDcm2niix(twin, 'ref/twin.nii');
  });

  it('reads a cine written as one series per slice position as one stack', () => {
    const multi = readDicomSeries(filesOf('multiseries'));
    expect(multi.seriesInstanceUids).toHaveLength(4);
    expect(Array.from(multi.volume.data)).toEqual(Array.from(readDicomSeries(filesOf('cine')).volume.data));
    expect(multi.affine).toEqual(readDicomSeries(filesOf('cine')).affine);
  });

  it("reads pydicom's real scanner file in three encodings alike, and refuses JPEG 2000 by name", () => {
    const files = filesOf('pydicom');
    const one = (name: string) => readDicomSeries(files.filter((f) => f.name.endsWith(name)));
    const explicit = one('MR_small.dcm');
    expect(explicit.volume.shape).toEqual([1, 1, 64, 64]);
    expectSameAsDcm2niix(explicit, 'pydicom/MR_small.nii');
    for (const other of ['MR_small_implicit.dcm', 'MR_small_bigendian.dcm'])
      expect(Array.from(one(other).volume.data)).toEqual(Array.from(explicit.volume.data));
    expect(() => one('MR_small_jp2klossless.dcm')).toThrow(DicomFormatError);
    expect(() => one('MR_small_jp2klossless.dcm')).toThrow(
      /MR_small_jp2klossless\.dcm: transfer syntax 1\.2\.840\.10008\.1\.2\.4\.90 \(JPEG 2000 Lossless\) is not supported/,
    );
    expect(isDicomFile(files[0].bytes)).toBe(true);
    expect(isDicomFile(new TextEncoder().encode('not dicom'))).toBe(false);
  });

  it('refuses what does not make one volume, naming the file or series and the reason', () => {
    const cine = filesOf('cine');
    const names = cine.map((f) => f.name).sort();
    const cases: [ReturnType<typeof filesOf>, RegExp][] = [
      [filesOf('bad'), /no-pixels\.dcm: no image with pixel data/],
      [filesOf('bad/mixed-orientation'), /mixed orientations: .*IM0004 \[1, 0, 0, 0, 1, 0\]/],
      [filesOf('bad/mixed-spacing'), /inconsistent PixelSpacing/],
      // one slice position (all its phases) removed: IM0004–IM0006 are the second of four
      [cine.filter((f) => !/IM000[456]$/.test(f.name)), /missing slice position between/],
      [
        cine.filter((f) => f.name !== names[0]),
        /has 2 image\(s\).*has 3 \(missing or extra phases\)|has 3 image\(s\).*has 2/,
      ],
      [[...cine, { ...cine[0], name: 'cine/copy' }], /duplicate slice: .* are at the same position/],
      [[], /no files given/],
    ];
    for (const [files, message] of cases) {
      expect(() => readDicomSeries(files)).toThrow(DicomFormatError);
      expect(() => readDicomSeries(files)).toThrow(message);
    }
  });

  it('lists the candidates, picks a series by UID, and refuses an unknown one', () => {
    const files = [...filesOf('cine'), ...filesOf('axial')];
    const list = listDicomSeries(files);
    expect(list.map((c) => [c.positions, c.phases])).toEqual([
      [5, 1],
      [4, 3],
    ]);
    const cine = readDicomSeries(files, { series: list[1].seriesInstanceUids[0] });
    expect(cine.volume.shape).toEqual([3, 4, 12, 16]);
    // auto: the cine (3 phases, oblique) over the axial stack with more positions (one phase, a scout's plane)
    expect(readDicomSeries(files).volume.shape).toEqual([3, 4, 12, 16]);
    expect(readDicomSeries(filesOf('axial')).volume.shape).toEqual([1, 5, 12, 16]); // the only stack is taken
    // only single-position series, as 2CH/4CH views: auto refuses and lists them
    const views = [...filesOf('pydicom').filter((f) => f.name.endsWith('/MR_small.dcm')), filesOf('cine')[0]];
    expect(() => readDicomSeries(views)).toThrow(/series auto: no short-axis stack .*2CH\/4CH.*--series UID/);
    expect(() => readDicomSeries(files, { series: '1.2.3' })).toThrow(
      /series 1\.2\.3: not in these files; they hold/,
    );
  });
});
