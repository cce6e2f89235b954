import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NumericArray } from '@myoseg/core';
import ndarray, { type NdArray } from 'ndarray';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random';
import { encodePatientFiles } from '../twin/files';
import { synthesizePatient } from '../twin/patient';
import { readNifti } from './read';
import { type NiftiWriteOptions, writeNifti } from './write';

// Our writer's files as nibabel reads them (test/fixtures/check_ours.py). With MYOSEG_WRITE_FIXTURES=1 this test
// rewrites the files instead; then run check_ours.py to record nibabel's view.
const OURS = fileURLToPath(new URL('../../test/fixtures/ours/', import.meta.url));
const WRITE = process.env.MYOSEG_WRITE_FIXTURES === '1';

function rotated(angle: number, zooms: number[], flip: boolean): number[][] {
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  return [
    [c * zooms[0], -s * zooms[1], 0, -40.5],
    [s * zooms[0], c * zooms[1], 0, 12.25],
    [0, 0, (flip ? -1 : 1) * zooms[2], 3],
    [0, 0, 0, 1],
  ];
}

function values<T extends NumericArray>(array: T, scale: number, offset: number): T {
  const rng = createRandom(11);
  for (let i = 0; i < array.length; i++) array[i] = Math.round(rng.next() * scale) + offset;
  return array;
}

const VOLUMES: Record<string, () => [NdArray<NumericArray>, NiftiWriteOptions]> = {
  'i16_rotated.nii.gz': () => [
    ndarray(values(new Int16Array(4 * 5 * 6), 60000, -30000), [4, 5, 6]),
    { affine: rotated(0.5, [1.25, 1.5, 8], false) },
  ],
  'f32_2d.nii': () => [
    ndarray(
      values(new Float32Array(7 * 9), 1000, -500).map((v) => v / 8),
      [7, 9],
    ),
    { spacing: [0.75, 1.25], gzip: false },
  ],
  'u8_4d.nii.gz': () => [
    ndarray(values(new Uint8Array(3 * 2 * 4 * 5), 255, 0), [3, 2, 4, 5]),
    { spacing: [0.5, 8, 1.25, 1.5] },
  ],
  'f64_flipped.nii.gz': () => [
    ndarray(
      values(new Float64Array(3 * 4 * 5), 1e6, -5e5).map((v) => v / 3),
      [3, 4, 5],
    ),
    { affine: rotated(-1.1, [0.7, 0.7, 5], true) },
  ],
  'u16_sheared.nii.gz': () => [
    ndarray(values(new Uint16Array(2 * 3 * 4), 65535, 0), [2, 3, 4]),
    {
      affine: [
        [1, 0.3, 0, 0],
        [0, 1.2, 0, 5],
        [0.1, 0, 3, 0],
        [0, 0, 0, 1],
      ],
    },
  ],
};

/** A tiny twin patient with its cine, so that nibabel checks every kind of file the twin writes. */
function twinFiles(): Record<string, Uint8Array> {
  const patient = synthesizePatient(0, {
    patients: 1,
    seed: 5,
    params: {
      imageSizes: [[40, 48]],
      fieldOfViewMm: [96, 96],
      heartScale: 0.5,
      sliceCount: [3, 3],
      frameCount: [4, 4],
    },
  });
  const files = encodePatientFiles(patient, { with4d: true });
  return Object.fromEntries(
    Object.entries(files).map(([name, bytes]) => [`twin/${patient.id}/${name}`, bytes]),
  );
}

function currentFiles(): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const [name, make] of Object.entries(VOLUMES)) {
    const [volume, options] = make();
    files[name] = writeNifti(volume, options);
  }
  return { ...files, ...twinFiles() };
}

describe('nibabel reads what writeNifti and the twin write', () => {
  const files = currentFiles();

  if (WRITE) {
    it('rewrites the fixture files', () => {
      for (const [name, bytes] of Object.entries(files)) {
        mkdirSync(dirname(OURS + name), { recursive: true });
        writeFileSync(OURS + name, bytes);
      }
    });
    return;
  }

  const recorded = JSON.parse(readFileSync(`${OURS}nibabel.json`, 'utf8')).files as Record<
    string,
    {
      shape: number[];
      zooms: number[];
      affine: number[][];
      qform: number[][];
      qform_code: number;
      dtype: string;
      sum: number;
      weighted: number;
    }
  >;

  it('has a nibabel record for every file the writer makes, and the files are what it writes now', () => {
    const nifti = Object.keys(files).filter((n) => n.includes('.nii'));
    expect(Object.keys(recorded).sort()).toEqual(nifti.sort());
    for (const name of Object.keys(files)) {
      expect(existsSync(OURS + name), `${name} missing: run with MYOSEG_WRITE_FIXTURES=1`).toBe(true);
      expect(new Uint8Array(readFileSync(OURS + name)), `${name} changed: rerun the fixture scripts`).toEqual(
        files[name],
      );
    }
  });

  for (const name of Object.keys(files).filter((n) => n.includes('.nii'))) {
    it(`${name}: nibabel sees our shape, zooms, affine, dtype and values`, () => {
      const nib = recorded[name];
      const image = readNifti(files[name], { name });
      expect([...nib.shape].reverse()).toEqual(image.shape);
      expect(image.spacing).toEqual([...nib.zooms].reverse().map((z) => expect.closeTo(z, 6)));
      for (let r = 0; r < 4; r++)
        for (let c = 0; c < 4; c++) expect(image.affine[r][c]).toBeCloseTo(nib.affine[r][c], 5);
      if (nib.qform_code > 0) {
        for (let r = 0; r < 4; r++)
          for (let c = 0; c < 4; c++) expect(nib.qform[r][c]).toBeCloseTo(nib.affine[r][c], 5);
      }
      expect(image.datatype).toBe(nib.dtype);
      let sum = 0;
      let weighted = 0;
      image.data.forEach((v, i) => {
        sum += v;
        weighted += v * ((i % 7) + 1);
      });
      expect(sum).toBeCloseTo(nib.sum, 3);
      expect(weighted).toBeCloseTo(nib.weighted, 3);
    });
  }
});
