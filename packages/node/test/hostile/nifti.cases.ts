import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readNifti } from '@myoseg/datasets';
import { expect } from 'vitest';
import { type CaseContext, type HostileCase, put, segment } from './case';
import { scanFile, scanValues } from './world';

const NIBABEL = join(import.meta.dirname, '..', '..', '..', 'datasets', 'test', 'fixtures', 'nibabel');

/** The scan as raw NIfTI-1 (little-endian float32, header at 0, voxels at 352), patched by `edit`. */
const patched = (c: CaseContext, edit: (v: DataView) => void) => {
  const bytes = scanFile(c.world, scanValues(c.world), { gzip: false });
  edit(new DataView(bytes.buffer, bytes.byteOffset));
  return bytes;
};

const maskOf = async (c: CaseContext, rel: string) =>
  Array.from(readNifti(await readFile(join(c.dir, rel)), { gunzip: gunzipSync }).data as ArrayLike<number>);

/** The written entries of `--json`. */
const written = (out: string[]) =>
  JSON.parse(out[0]).written as { file: string; found: number; slices: number; nonFiniteVoxels: number }[];

/** A nibabel-made fixture of @myoseg/datasets, segmented as it is. */
const nibabel = (file: string, exit: 0 | 1, stderr?: RegExp): HostileCase => ({
  name: `nibabel's ${file}`,
  setup: async (c) => put(c, file, await readFile(join(NIBABEL, file))),
  argv: segment([file]),
  exit,
  stderr,
});

/** Item 2 (non-finite voxels), item 5 (pixdim, --frames), and NIfTI variants. */
export const niftiCases: HostileCase[] = [
  {
    name: 'one NaN and one +Inf voxel: counted, and their slices still segmented',
    setup: async (c) => {
      const v = scanValues(c.world);
      const clean = Float64Array.from(v);
      const plane = 40 * 48;
      const [lo, hi] = [Math.min(...v.subarray(plane, 2 * plane)), Math.max(...v.subarray(plane, 2 * plane))];
      v[plane + 7] = Number.NaN;
      clean[plane + 7] = lo;
      v[plane + 9] = Number.POSITIVE_INFINITY;
      clean[plane + 9] = hi;
      await put(c, 'nan.nii.gz', scanFile(c.world, v));
      await put(c, 'clean.nii.gz', scanFile(c.world, clean));
    },
    argv: segment(['nan.nii.gz', 'clean.nii.gz'], '--json'),
    exit: 0,
    stderr: /nan\.nii\.gz: 2 voxel\(s\) NaN, ±Inf or beyond float32 range, replaced/,
    check: async (c, run) => {
      const [nan, clean] = written(run.out);
      expect([nan.nonFiniteVoxels, clean.nonFiniteVoxels]).toEqual([2, 0]);
      expect(nan.found).toBe(3);
      expect(await maskOf(c, 'out/nan_myo.nii.gz')).toEqual(await maskOf(c, 'out/clean_myo.nii.gz'));
    },
  },
  {
    name: 'a slice of NaN only becomes 0, counted, and is not dropped silently',
    setup: async (c) => {
      const v = scanValues(c.world);
      v.fill(Number.NaN, 0, 40 * 48);
      await put(c, 'nan.nii.gz', scanFile(c.world, v));
    },
    argv: segment(['nan.nii.gz'], '--json'),
    exit: 0,
    stderr: /1920 voxel\(s\) NaN/,
    check: async (_, run) => expect(written(run.out)[0]).toMatchObject({ slices: 3, nonFiniteVoxels: 1920 }),
  },
  {
    name: 'float64 stored beyond float32 range: rescaled, the same masks as the scan',
    setup: async (c) => {
      const v = scanValues(c.world);
      await put(c, 'scan.nii.gz', scanFile(c.world, v));
      await put(
        c,
        'huge.nii.gz',
        scanFile(
          c.world,
          v.map((x) => x * 2 ** 900),
          { datatype: 'float64' },
        ),
      );
    },
    argv: segment(['scan.nii.gz', 'huge.nii.gz'], '--json'),
    exit: 0,
    stderr: /huge\.nii\.gz: float64 intensities beyond float32 range, multiplied by 2\^-/,
    check: async (c, run) => {
      expect(written(run.out).map((w) => w.found)).toEqual([3, 3]);
      expect(await maskOf(c, 'out/huge_myo.nii.gz')).toEqual(await maskOf(c, 'out/scan_myo.nii.gz'));
    },
  },
  {
    name: 'a few float64 outliers beyond float32 range: replaced and counted',
    setup: async (c) => {
      const v = scanValues(c.world);
      v[5] = 1e300;
      v[6] = -1e300;
      await put(c, 'outliers.nii.gz', scanFile(c.world, v, { datatype: 'float64' }));
    },
    argv: segment(['outliers.nii.gz'], '--json'),
    exit: 0,
    stderr: /outliers\.nii\.gz: 2 voxel\(s\)/,
    check: async (_, run) => expect(written(run.out)[0].found).toBe(3),
  },
  {
    name: 'a truncated .nii.gz fails that file, one line',
    setup: async (c) => {
      const bytes = scanFile(c.world, scanValues(c.world));
      await put(c, 'cut.nii.gz', bytes.subarray(0, bytes.length >> 1));
    },
    argv: segment(['cut.nii.gz']),
    exit: 2,
    stderr: /failed: .*cut\.nii\.gz: gzip: .*(truncated|corrupt)/,
  },
  {
    name: 'raw voxels cut short fail naming dim',
    setup: async (c) =>
      put(c, 'cut.nii', scanFile(c.world, scanValues(c.world), { gzip: false }).subarray(0, 2000)),
    argv: segment(['cut.nii']),
    exit: 2,
    stderr: /cut\.nii: dim: .*truncated/,
  },
  {
    name: 'text named .nii.gz (not gzip, not NIfTI)',
    setup: (c) => put(c, 'text.nii.gz', 'ED: 1\nES: 12\n'.repeat(40)),
    argv: segment(['text.nii.gz']),
    exit: 2,
    stderr: /text\.nii\.gz: sizeof_hdr: .*not a NIfTI/,
  },
  {
    name: 'an empty file',
    setup: (c) => put(c, 'empty.nii', ''),
    argv: segment(['empty.nii']),
    exit: 2,
    stderr: /empty\.nii: the file is empty/,
  },
  {
    name: 'a wrong magic',
    setup: (c) =>
      put(
        c,
        'magic.nii',
        patched(c, (v) => v.setUint32(344, 0x78787800)),
      ),
    argv: segment(['magic.nii']),
    exit: 2,
    stderr: /magic\.nii: magic: /,
  },
  {
    name: 'gzip bytes named .nii are read all the same',
    setup: (c) => put(c, 'zipped.nii', scanFile(c.world, scanValues(c.world))),
    argv: segment(['zipped.nii']),
    exit: 0,
    present: ['out/zipped_myo.nii.gz'],
  },
  {
    name: 'a pixdim of 0 names the file and field',
    setup: (c) =>
      put(
        c,
        'flat.nii',
        patched(c, (v) => v.setFloat32(80, 0, true)),
      ),
    argv: segment(['flat.nii']),
    exit: 2,
    stderr: /flat\.nii: pixdim\[1\]: 0 \(expected the voxel size/,
  },
  {
    name: 'a NaN slice thickness names the file and field',
    setup: (c) =>
      put(
        c,
        'thick.nii',
        patched(c, (v) => v.setFloat32(88, Number.NaN, true)),
      ),
    argv: segment(['thick.nii']),
    exit: 2,
    stderr: /thick\.nii: pixdim\[3\]: NaN/,
  },
  {
    name: 'an unsupported datatype (RGB24)',
    setup: (c) =>
      put(
        c,
        'rgb.nii',
        patched(c, (v) => v.setInt16(70, 128, true)),
      ),
    argv: segment(['rgb.nii']),
    exit: 2,
    stderr: /rgb\.nii: datatype: unsupported datatype/,
  },
  {
    name: 'dims that disagree with the data',
    setup: (c) =>
      put(
        c,
        'dims.nii',
        patched(c, (v) => v.setInt16(42, 20, true)),
      ),
    argv: segment(['dims.nii']),
    exit: 2,
    stderr: /dims\.nii: dim: /,
  },
  {
    name: 'a 5D image',
    setup: (c) => put(c, 'five.nii.gz', scanFile(c.world, scanValues(c.world), { shape: [1, 1, 3, 40, 48] })),
    argv: segment(['five.nii.gz']),
    exit: 2,
    stderr: /five\.nii\.gz: expected a 2D, 3D or 4D image, got shape \[1, 1, 3, 40, 48\]/,
  },
  {
    name: 'a 1D image',
    setup: (c) => put(c, 'line.nii.gz', scanFile(c.world, new Float32Array(48).fill(3), { shape: [48] })),
    argv: segment(['line.nii.gz']),
    exit: 2,
    stderr: /line\.nii\.gz: expected a 2D, 3D or 4D image/,
  },
  {
    name: 'a label map given as an image',
    setup: async (c) =>
      put(
        c,
        'labels.nii.gz',
        await readFile(join(c.world.cohort, 'training/patient001/patient001_frame01_gt.nii.gz')),
      ),
    argv: segment(['labels.nii.gz']),
    exit: 2,
    stderr: /labels\.nii\.gz: looks like a label map/,
  },
  {
    name: 'a constant image: segmented, nothing found, no error',
    setup: (c) => put(c, 'flat.nii.gz', scanFile(c.world, new Float32Array(3 * 40 * 48))),
    argv: segment(['flat.nii.gz']),
    exit: 0,
    present: ['out/flat_myo.nii.gz'],
  },
  {
    name: 'a 2D image gives a 2D mask',
    setup: (c) =>
      put(
        c,
        'slice.nii.gz',
        scanFile(c.world, scanValues(c.world).subarray(0, 40 * 48), { shape: [40, 48] }),
      ),
    argv: segment(['slice.nii.gz']),
    exit: 0,
    check: async (c) => expect(await maskOf(c, 'out/slice_myo.nii.gz')).toHaveLength(40 * 48),
  },
  {
    name: '4D: the chosen frames as one 4D label map, with its measures',
    setup: (c) => {
      const v = scanValues(c.world);
      const both = new Float64Array(2 * v.length);
      both.set(v);
      both.set(v, v.length);
      return put(c, 'cine.nii.gz', scanFile(c.world, both, { shape: [2, 3, 40, 48] }));
    },
    argv: segment(['cine.nii.gz'], '--frames', '1'),
    exit: 0,
    present: ['out/cine_myo.nii.gz', 'out/cine_measures.csv', 'out/cine.study.json'],
    absent: ['out/cine_t01_myo.nii.gz', 'out/cine_t00_myo.nii.gz'],
  },
  {
    name: '4D: a frame that does not exist fails that file',
    setup: (c) => put(c, 'cine.nii.gz', scanFile(c.world, scanValues(c.world), { shape: [1, 3, 40, 48] })),
    argv: segment(['cine.nii.gz'], '--frames', '0,3'),
    exit: 2,
    stderr: /frame 3 does not exist \(the file has 1 frames, 0–0\)/,
  },
  {
    name: '--frames on a 3D image: a warning, segmented whole',
    setup: (c) => put(c, 'scan.nii.gz', scanFile(c.world, scanValues(c.world))),
    argv: segment(['scan.nii.gz'], '--frames', '0'),
    exit: 0,
    stderr: /scan\.nii\.gz: --frames applies to 4D inputs only; this 3D image is segmented whole/,
    present: ['out/scan_myo.nii.gz'],
  },
  {
    name: '--frames "" is refused before any work',
    setup: (c) => put(c, 'scan.nii.gz', scanFile(c.world, scanValues(c.world))),
    argv: segment(['scan.nii.gz'], '--frames', ''),
    exit: 2,
    stderr: /--frames takes 0-based integers/,
    absent: ['out'],
  },
  {
    name: '--frames -1 is refused',
    setup: (c) => put(c, 'scan.nii.gz', scanFile(c.world, scanValues(c.world))),
    argv: segment(['scan.nii.gz'], '--frames=-1'),
    exit: 2,
    stderr: /--frames takes 0-based integers/,
  },
  nibabel('i16_be.nii.gz', 0),
  nibabel('f32_be.nii', 0),
  nibabel('f64_slope_be.nii', 0),
  nibabel('ni2_f32.nii.gz', 0),
  nibabel('ni2_i16_be_4d.nii', 0),
  nibabel('u8_2d.nii.gz', 0),
  nibabel('i16_qform_flip.nii.gz', 0),
  nibabel('i16_slopenan.nii.gz', 0),
];
