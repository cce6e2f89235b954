import fc from 'fast-check';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, NiftiWriteError } from '../errors';
import { DATATYPES } from './datatypes';
import { readNifti } from './read';
import { writeNifti } from './write';

function rotationAffine(angle: number, zooms: number[], offset: number[], flip: boolean): number[][] {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const r = [
    [c, -s, 0],
    [s, c, 0],
    [0, 0, flip ? -1 : 1],
  ];
  return [
    ...[0, 1, 2].map((row) => [
      r[row][0] * zooms[0],
      r[row][1] * zooms[1],
      r[row][2] * zooms[2],
      offset[row],
    ]),
    [0, 0, 0, 1],
  ];
}

describe('writeNifti', () => {
  it('round-trips values, shape and datatype exactly for every datatype (property)', () => {
    const shapes = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 });
    for (const type of DATATYPES) {
      const value = type.range
        ? fc.integer({ min: type.range[0], max: type.range[1] })
        : fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
      fc.assert(
        fc.property(
          shapes,
          fc.array(value, { minLength: 1, maxLength: 1 }),
          fc.boolean(),
          (shape, [v], gzip) => {
            const size = shape.reduce((a, b) => a * b, 1);
            const data = new type.array(size);
            for (let i = 0; i < size; i++) data[i] = i % 3 === 0 ? v : i;
            const back = readNifti(writeNifti(ndarray(data, shape), { gzip }));
            expect(back.datatype).toBe(type.name);
            expect(back.shape).toEqual(shape);
            expect(Array.from(back.data)).toEqual(Array.from(data));
          },
        ),
        { numRuns: 25 },
      );
    }
  });

  it('stores spacing as pixdim and a diagonal affine by default', () => {
    const back = readNifti(writeNifti(ndarray(new Uint8Array(24), [2, 3, 4]), { spacing: [8, 1.25, 1.5] }));
    expect(back.spacing).toEqual([8, 1.25, 1.5]);
    expect(back.affine).toEqual([
      [1.5, 0, 0, 0],
      [0, 1.25, 0, 0],
      [0, 0, 8, 0],
      [0, 0, 0, 1],
    ]);
    expect(back.header.xyztUnits).toBe(10);
  });

  it("marks a label map with NIfTI's label intent (1002), and nothing else by default", () => {
    const header = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, 348);
    const labels = writeNifti(ndarray(new Uint8Array(8), [2, 2, 2]), { gzip: false, intent: 'label' });
    expect(header(labels).getInt16(68, true)).toBe(1002);
    expect(new TextDecoder().decode(labels.subarray(328, 333))).toBe('label');
    expect(
      header(writeNifti(ndarray(new Uint8Array(8), [2, 2, 2]), { gzip: false })).getInt16(68, true),
    ).toBe(0);
  });

  it('keeps a rotated (and flipped) affine in both sform and qform', () => {
    for (const flip of [false, true]) {
      const affine = rotationAffine(0.4, [1.5, 1.5, 8], [-100.5, 20.25, 7], flip);
      const back = readNifti(writeNifti(ndarray(new Float32Array(8), [2, 2, 2]), { affine }));
      expect(back.spacing).toEqual([8, 1.5, 1.5]);
      expect(back.header.qformCode).toBe(1);
      expect(back.header.pixdim[0]).toBe(flip ? -1 : 1);
      const qform = readNifti(
        (() => {
          const bytes = writeNifti(ndarray(new Float32Array(8), [2, 2, 2]), { affine, gzip: false });
          new DataView(bytes.buffer).setInt16(254, 0, true);
          return bytes;
        })(),
      ).affine;
      for (let r = 0; r < 4; r++) {
        for (let c = 0; c < 4; c++) {
          expect(back.affine[r][c]).toBeCloseTo(affine[r][c], 4);
          expect(qform[r][c]).toBeCloseTo(affine[r][c], 4);
        }
      }
    }
  });

  it('writes a sheared affine as sform only', () => {
    const affine = [
      [1, 0.5, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 2, 0],
      [0, 0, 0, 1],
    ];
    const back = readNifti(writeNifti(ndarray(new Uint8Array(8), [2, 2, 2]), { affine }));
    expect(back.header.qformCode).toBe(0);
    expect(back.affine).toEqual(affine);
  });

  it('writes a strided view in its own (row-major) order', () => {
    const base = ndarray(new Int16Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    const back = readNifti(writeNifti(base.transpose(1, 0)));
    expect(back.shape).toEqual([3, 2]);
    expect(Array.from(back.data)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('is byte-for-byte deterministic', () => {
    const v = ndarray(new Float32Array([1, 2, 3, 4]), [2, 2]);
    expect(writeNifti(v)).toEqual(writeNifti(v));
  });

  it('refuses values the datatype cannot hold exactly', () => {
    const v = ndarray(new Float32Array([1, 2.5]), [2]);
    expect(() => writeNifti(v, { datatype: 'int16' })).toThrow(NiftiWriteError);
    expect(() => writeNifti(ndarray(new Float64Array([0.1]), [1]), { datatype: 'float32' })).toThrow(
      /float32/,
    );
    expect(() => writeNifti(ndarray(new Int32Array([300]), [1]), { datatype: 'uint8' })).toThrow(/300/);
    expect(readNifti(writeNifti(ndarray(new Float64Array([3, -4]), [2]), { datatype: 'int8' })).data).toEqual(
      new Int8Array([3, -4]),
    );
  });

  it('checks its options', () => {
    const v = ndarray(new Uint8Array(8), [2, 2, 2]);
    expect(() => writeNifti(v, { spacing: [1, 1] })).toThrow(InvalidOptionError);
    expect(() => writeNifti(v, { spacing: [1, -1, 1] })).toThrow(/positive/);
    expect(() =>
      writeNifti(v, { spacing: [1, 1, 2], affine: rotationAffine(0, [1, 1, 1], [0, 0, 0], false) }),
    ).toThrow(/disagrees/);
    expect(() => writeNifti(v, { affine: [[1, 0, 0, 0]] })).toThrow(/4×4/);
    expect(() => writeNifti(v, { level: 12 })).toThrow(/level/);
    expect(() => writeNifti(ndarray(new Uint8Array(0), [0]))).toThrow(/shape/);
  });
});
