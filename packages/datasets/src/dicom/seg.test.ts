import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors';
import { decimalString } from './encode';
import { writeDicomSeg } from './seg';
import { readDicomSeries } from './series';
import { uidFrom } from './uid';

// The source series of make_dicom.py; the SEG fixtures beside check_seg.py, which pydicom and dciodvfy checked
const fixtures = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'dicom');
const segFixtures = join(fixtures, 'seg');
const rewrite = process.env.MYOSEG_WRITE_SEG_FIXTURES === '1';
const date = new Date(Date.UTC(2026, 11, 4, 12, 0, 0));
const software = { name: 'myoseg', version: '0.3.0' };

const series = (folder: string) =>
  readDicomSeries(
    readdirSync(join(fixtures, folder)).map((f) => ({
      name: f,
      bytes: new Uint8Array(readFileSync(join(fixtures, folder, f))),
    })),
  );

/** A mask with a different pattern per phase and slice, `[phases.length, D, H, W]`. */
function patternMask(shape: readonly number[], phases: readonly number[]) {
  const [, d, h, w] = shape;
  const m = ndarray(new Uint8Array(phases.length * d * h * w), [phases.length, d, h, w]);
  phases.forEach((p, k) => {
    for (let z = 0; z < d; z++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) m.set(k, z, y, x, (3 * y + x + z + 2 * p) % 5 === 0 ? 1 : 0);
  });
  return m;
}

/** The same mask over all the source's phases, 0 on the phases not written: what check_seg.py reconstructs. */
function overAllPhases(shape: readonly number[], phases: readonly number[]) {
  const [t, d, h, w] = shape;
  const out = new Uint8Array(t * d * h * w);
  const written = patternMask(shape, phases);
  phases.forEach((p, k) => {
    out.set(written.data.subarray(k * d * h * w, (k + 1) * d * h * w), p * d * h * w);
  });
  return out;
}

const hasDciodvfy = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v dciodvfy'], { stdio: 'ignore' });
    return true;
  } catch {
    // CI installs it (scripts/system-deps.mjs, suite dicom-seg) and never skips
    if (!process.env.CI)
      console.warn('SKIPPED: the dciodvfy check of DICOM SEG (apt-get install dicom3tools to run it)');
    return false;
  }
})();

describe('writeDicomSeg', () => {
  const cases: [string, number[] | null][] = [
    ['cine', null],
    ['axial', null],
    ['multiseries', [0, 2]],
  ];
  for (const [name, chosen] of cases) {
    it(`${name}: the bytes pydicom and dciodvfy checked, decoded by pydicom to the mask written`, () => {
      const source = series(name);
      const phases = chosen ?? source.sopInstanceUids.map((_, t) => t);
      const bytes = writeDicomSeg(source, patternMask(source.volume.shape, phases), {
        software,
        date,
        ...(chosen ? { phases } : {}),
      });
      const fixture = join(segFixtures, `${name}.dcm`);
      if (rewrite) writeFileSync(fixture, bytes);
      expect(Buffer.from(bytes).equals(readFileSync(fixture))).toBe(true);
      const decoded = new Uint8Array(readFileSync(join(segFixtures, `${name}.mask.bin`)));
      const expected = overAllPhases(source.volume.shape, phases);
      expect(decoded.length).toBe(expected.length);
      expect(expected.some((v) => v === 1)).toBe(true);
      expect(Buffer.from(decoded).equals(Buffer.from(expected))).toBe(true);
    });
  }

  it.skipIf(!hasDciodvfy && !process.env.CI)('dciodvfy finds no error in a SEG written now', () => {
    const source = series('cine');
    const dir = mkdtempSync(join(tmpdir(), 'myoseg-seg-'));
    try {
      const file = join(dir, 'seg.dcm');
      writeFileSync(
        file,
        writeDicomSeg(source, patternMask(source.volume.shape, [1]), { software, phases: [1] }),
      );
      // dciodvfy prints the IOD it checked, then a line per problem: "Error - …" or "Warning - …"
      const out = execFileSync('sh', ['-c', `dciodvfy "${file}" 2>&1 || true`], { encoding: 'utf8' });
      expect(out).toContain('Segmentation');
      expect(out.split('\n').filter((l) => l.startsWith('Error'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('copies the patient and study, references every source image, and keeps empty frames', () => {
    const source = series('cine');
    const mask = ndarray(new Uint8Array(4 * 12 * 16), [1, 4, 12, 16]);
    mask.set(0, 2, 5, 7, 1);
    const ds = dicomParser.parseDicom(writeDicomSeg(source, mask, { software, date, phases: [2] }));
    expect(ds.string('x00100010')).toBe('Twin^Fixture');
    expect(ds.string('x0020000d')).toBe(source.studyInstanceUid);
    expect(ds.string('x00200052')).toBe(source.frameOfReferenceUid);
    expect(ds.string('x00280008')).toBe('4');
    const refs = (ds.elements.x52009230.items ?? []).map((item) =>
      item.dataSet?.elements.x00089124.items?.[0].dataSet?.elements.x00082112.items?.[0].dataSet?.string(
        'x00081155',
      ),
    );
    expect(refs).toEqual(source.sopInstanceUids[2]);
    const pixels = ds.byteArray.subarray(
      ds.elements.x7fe00010.dataOffset,
      ds.elements.x7fe00010.dataOffset + ds.elements.x7fe00010.length,
    );
    const bit = 2 * 12 * 16 + 5 * 16 + 7;
    expect(Array.from(pixels).reduce((n, b) => n + (b.toString(2).match(/1/g)?.length ?? 0), 0)).toBe(1);
    expect((pixels[bit >> 3] >> (bit & 7)) & 1).toBe(1);
  });

  it('refuses a mask that does not fit the source, or a phase it does not have', () => {
    const source = series('cine');
    expect(() =>
      writeDicomSeg(source, ndarray(new Uint8Array(3 * 12 * 16), [1, 3, 12, 16]), { software }),
    ).toThrow(InvalidOptionError);
    expect(() =>
      writeDicomSeg(source, ndarray(new Uint8Array(4 * 12 * 16), [1, 4, 12, 16]), { software, phases: [3] }),
    ).toThrow(/phases must be 1 source phase\(s\) in \[0, 2\], got \[3\]/);
  });
});

describe('DICOM value helpers', () => {
  it('decimalString keeps a DS value within 16 characters', () => {
    expect(decimalString(1.25)).toBe('1.25');
    expect(decimalString(-26.02933751234567).length).toBeLessThanOrEqual(16);
    expect(decimalString(123456789.1234567).length).toBeLessThanOrEqual(16);
    expect(Number(decimalString(-26.02933751234567))).toBeCloseTo(-26.02933751234567, 9);
    expect(() => decimalString(Number.NaN)).toThrow(RangeError);
  });

  it('uidFrom is stable, distinct per input and a valid 2.25 UID, for text and bytes alike', () => {
    const a = uidFrom('a');
    expect(uidFrom('a')).toBe(a);
    expect(uidFrom('b')).not.toBe(a);
    expect(uidFrom(Uint8Array.of(97))).toBe(a); // the same codes hash alike
    expect(uidFrom(Uint8Array.of(1, 2))).not.toBe(uidFrom(Uint8Array.of(2, 1)));
    expect(a).toMatch(/^2\.25\.[1-9][0-9]{0,38}$/);
    expect(a.length).toBeLessThanOrEqual(64);
  });
});
