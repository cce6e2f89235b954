import { gzipSync } from 'fflate';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { NiftiFormatError } from '../errors';
import { readNifti } from './read';
import { writeNifti } from './write';

const NAME = 'patient001_frame01.nii.gz';

function validRaw(): Uint8Array {
  const data = new Int16Array(4 * 5 * 6).map((_, i) => i * 37 - 300);
  return writeNifti(ndarray(data, [4, 5, 6]), { spacing: [10, 1.5, 1.5], gzip: false });
}

function patched(edit: (view: DataView, bytes: Uint8Array) => void): Uint8Array {
  const bytes = validRaw();
  edit(new DataView(bytes.buffer), bytes);
  return bytes;
}

function failure(bytes: Uint8Array): NiftiFormatError {
  try {
    readNifti(bytes, { name: NAME });
  } catch (error) {
    expect(error).toBeInstanceOf(NiftiFormatError);
    return error as NiftiFormatError;
  }
  throw new Error('expected readNifti to throw');
}

describe('readNifti on malformed input', () => {
  const cases: [string, () => Uint8Array, string | undefined, RegExp][] = [
    ['an empty file', () => new Uint8Array(0), undefined, /empty/],
    ['three bytes', () => new Uint8Array([1, 2, 3]), 'sizeof_hdr', /too short/],
    [
      'text, not NIfTI',
      () => new TextEncoder().encode('ED: 1\nES: 12\n'.repeat(40)),
      'sizeof_hdr',
      /not a NIfTI/,
    ],
    ['a truncated header', () => validRaw().subarray(0, 200), undefined, /truncated/],
    ['a wrong magic', () => patched((_, b) => b.set([0x78, 0x78, 0x78, 0], 344)), 'magic', /expected 'n\+1'/],
    ['a two-file NIfTI', () => patched((_, b) => b.set([0x6e, 0x69, 0x31, 0], 344)), 'magic', /two-file/],
    ['truncated voxel data', () => validRaw().subarray(0, 352 + 100), 'dim', /truncated/],
    [
      'dims larger than the data',
      () => patched((v) => v.setInt16(42, 7, true)),
      'dim',
      /only 240 bytes follow/,
    ],
    ['dims smaller than the data', () => patched((v) => v.setInt16(42, 5, true)), 'dim', /disagree/],
    ['an unsupported datatype', () => patched((v) => v.setInt16(70, 128, true)), 'datatype', /RGB24/],
    ['zero dimensions', () => patched((v) => v.setInt16(40, 0, true)), 'dim[0]', /expected 1 to 7/],
    ['a negative size', () => patched((v) => v.setInt16(44, -3, true)), 'dim[2]', /positive/],
    [
      'a voxel size of 0',
      () => patched((v) => v.setFloat32(80, 0, true)),
      'pixdim[1]',
      /0 \(expected the voxel size/,
    ],
    [
      'a NaN slice thickness',
      () => patched((v) => v.setFloat32(88, Number.NaN, true)),
      'pixdim[3]',
      /NaN \(expected the voxel size along axis 3 in mm/,
    ],
    [
      'vox_offset inside the header',
      () => patched((v) => v.setFloat32(108, 100, true)),
      'vox_offset',
      /inside/,
    ],
    [
      'a valid slope with a NaN intercept',
      () =>
        patched((v) => {
          v.setFloat32(112, 2, true);
          v.setFloat32(116, Number.NaN, true);
        }),
      'scl_inter',
      /NaN/,
    ],
    [
      'a huge size',
      () =>
        patched((v) => {
          v.setInt16(42, 32767, true);
          v.setInt16(44, 32767, true);
          v.setInt16(46, 32767, true);
        }),
      'dim',
      /2 GiB/,
    ],
  ];
  for (const [what, make, field, message] of cases) {
    it(`${what} gives NiftiFormatError naming the file${field ? ` and ${field}` : ''}`, () => {
      const error = failure(make());
      expect(error.source).toBe(NAME);
      expect(error.field).toBe(field);
      expect(error.message).toContain(NAME);
      expect(error.message).toMatch(message);
    });
  }
});

describe('readNifti on malformed gzip', () => {
  const gz = () => gzipSync(validRaw(), { mtime: 0 });

  it('a truncated gzip stream gives a typed error, not a short volume', () => {
    for (const keep of [0.3, 0.6, 0.95]) {
      const bytes = gz();
      const error = failure(bytes.subarray(0, Math.floor(bytes.length * keep)));
      expect(error.field).toBe('gzip');
      expect(error.message).toMatch(/truncated|corrupt/);
    }
  });

  it('corrupt compressed bytes give a typed error', () => {
    let seen = 0;
    for (let at = 12; at < 60; at += 3) {
      const bytes = gz();
      bytes[at] ^= 0x5a;
      const error = failure(bytes);
      expect(error.field).toBe('gzip');
      seen++;
    }
    expect(seen).toBeGreaterThan(10);
  });

  it('a wrong CRC-32 in the trailer gives a typed error', () => {
    const bytes = gz();
    bytes[bytes.length - 6] ^= 1;
    expect(failure(bytes).message).toMatch(/CRC-32/);
  });

  it('a gzip header alone gives a typed error', () => {
    expect(failure(gz().subarray(0, 12)).field).toBe('gzip');
  });

  it('a name defaults to "NIfTI input" in messages', () => {
    expect(() => readNifti(new Uint8Array(0))).toThrow(/^NIfTI input: /);
  });
});
