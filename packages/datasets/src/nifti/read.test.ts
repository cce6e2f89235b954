import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readNifti, readNiftiHeader } from './read';

const FIXTURES = new URL('../../test/fixtures/nibabel/', import.meta.url);

interface Expected {
  file: string;
  version: 1 | 2;
  endian: 'little' | 'big';
  dtype: string;
  shape: number[];
  zooms: number[];
  affine: number[][];
  slope: number;
  inter: number;
  values: number[];
}

const { cases } = JSON.parse(readFileSync(new URL('expected.json', FIXTURES), 'utf8')) as {
  cases: Expected[];
};

function closeTo(actual: number, expected: number, relative: number): boolean {
  return Math.abs(actual - expected) <= relative * Math.max(1, Math.abs(expected));
}

describe('readNifti against nibabel', () => {
  it('covers the datatypes, scaling, gzip, endianness, NIfTI-2 and 2D/3D/4D', () => {
    const files = cases.map((c) => c.file);
    expect(new Set(cases.map((c) => c.dtype))).toEqual(
      new Set(['uint8', 'int8', 'int16', 'uint16', 'int32', 'uint32', 'float32', 'float64']),
    );
    expect(files.some((f) => f.endsWith('.gz')) && files.some((f) => f.endsWith('.nii'))).toBe(true);
    expect(new Set(cases.map((c) => c.endian))).toEqual(new Set(['little', 'big']));
    expect(new Set(cases.map((c) => c.version))).toEqual(new Set([1, 2]));
    expect(new Set(cases.map((c) => c.shape.length))).toEqual(new Set([2, 3, 4]));
    expect(cases.filter((c) => c.slope !== 1 || c.inter !== 0).length).toBeGreaterThanOrEqual(5);
  });

  for (const c of cases) {
    it(`${c.file}: shape, spacing, affine, datatype and values match nibabel`, () => {
      const image = readNifti(readFileSync(new URL(c.file, FIXTURES)), { name: c.file });
      expect(image.header.version).toBe(c.version);
      expect(image.header.littleEndian).toBe(c.endian === 'little');
      expect(image.datatype).toBe(c.dtype);
      expect(image.shape).toEqual([...c.shape].reverse());
      expect(image.spacing).toEqual([...c.zooms].reverse().map((z) => expect.closeTo(z, 6)));
      for (let r = 0; r < 4; r++) {
        for (let col = 0; col < 4; col++) expect(image.affine[r][col]).toBeCloseTo(c.affine[r][col], 5);
      }
      expect(image.data.length).toBe(c.values.length);
      const scaled = c.slope !== 1 || c.inter !== 0;
      const tolerance = scaled && image.data instanceof Float32Array ? 1e-6 : 0;
      const bad = c.values.findIndex((v, i) => !closeTo(image.data[i], v, tolerance));
      expect(bad).toBe(-1);
      expect(image.volume.shape).toEqual(image.shape);
    });
  }

  it('indexes volume as [k, j, i], the transposed planes nibabel shows', () => {
    const image = readNifti(readFileSync(new URL('i16_3d.nii.gz', FIXTURES)));
    const c = cases.find((x) => x.file === 'i16_3d.nii.gz')!;
    const [nx, ny] = c.shape;
    // nibabel's get_fdata()[i, j, k] is values[i + nx * (j + ny * k)] (Fortran order).
    expect(image.volume.get(2, 3, 4)).toBe(c.values[4 + nx * (3 + ny * 2)]);
    expect(image.volume.get(1, 0, 2)).toBe(c.values[2 + nx * (0 + ny * 1)]);
  });

  it('reads the header alone from the first bytes of a gzipped file', () => {
    const bytes = readFileSync(new URL('ni2_f32.nii.gz', FIXTURES));
    const header = readNiftiHeader(bytes.subarray(0, 400));
    expect(header.version).toBe(2);
    expect(header.dim.slice(0, 4)).toEqual([3, 5, 4, 3]);
  });
});
