import type { NumericArray } from '@myoseg/core';
import { gzipSync } from 'fflate';
import type { NdArray } from 'ndarray';
import { InvalidOptionError, NiftiWriteError } from '../errors';
import { type Affine, affineToQuaternion, affineZooms } from './affine';
import { datatypeByName, datatypeOfArray, type NiftiDatatype } from './datatypes';
import { isLittleEndianHost, swapBytes } from './endian';
import { NIFTI1_HEADER_BYTES } from './header';

/** Options of {@link writeNifti}. */
export interface NiftiWriteOptions {
  /** Stored datatype; default from the array type (Uint8Array → uint8, Float32Array → float32…). */
  datatype?: NiftiDatatype;
  /** Voxel `(i, j, k)` to world mm, 4×4; default a diagonal of `spacing` (origin 0). Stored as float32. */
  affine?: Affine;
  /**
   * Voxel sizes per axis of the volume's shape (`[dz, dy, dx]` mm for `[D, H, W]`); default the affine's
   * column norms, else 1. Must agree with `affine` when both are given.
   */
  spacing?: readonly number[];
  /** Gzip the file (a `.nii.gz`); default true. */
  gzip?: boolean;
  /** Gzip level 0–9; default 6. Lower is faster and larger. */
  level?: number;
  /** `descrip`, up to 79 ASCII characters; default `"myoseg"`. */
  description?: string;
  /**
   * `'label'`: a label map (intent_code 1002, NIFTI_INTENT_LABEL, intent_name `label`), so that viewers show its
   * values as labels; default none (intent_code 0).
   */
  intent?: 'label';
}

const VOX_OFFSET = 352;
const UNITS_MM_SECONDS = 2 | 8;
const XFORM_SCANNER = 1;
const NIFTI_INTENT_LABEL = 1002;

/** The values of `arr` in row-major order (which is NIfTI's x-fastest order for shape `[…, D, H, W]`). */
function rowMajorValues(arr: NdArray<NumericArray>): ArrayLike<number> {
  const { shape, stride, offset, data } = arr;
  const size = shape.reduce((a, b) => a * b, 1);
  let packed = offset === 0;
  for (let d = shape.length - 1, expected = 1; d >= 0 && packed; d--) {
    packed = shape[d] === 1 || stride[d] === expected;
    expected *= shape[d];
  }
  if (packed) return data.length === size ? data : data.subarray(0, size);
  const out = new Float64Array(size);
  const index = new Array<number>(shape.length).fill(0);
  for (let n = 0; n < size; n++) {
    let ptr = offset;
    for (let d = 0; d < shape.length; d++) ptr += index[d] * stride[d];
    out[n] = data[ptr];
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

function checkAffine(affine: Affine): void {
  const ok =
    affine.length === 4 &&
    affine.every((row) => row.length === 4 && row.every(Number.isFinite)) &&
    affine[3].every((v, i) => v === (i === 3 ? 1 : 0));
  if (!ok)
    throw new InvalidOptionError(
      'writeNifti(affine): expected a finite 4×4 matrix with last row [0, 0, 0, 1]',
    );
}

/** pixdim[1..ndim] (x first) from the options, checked against the affine. */
function voxelSizes(ndim: number, options: NiftiWriteOptions): number[] {
  const zooms = options.affine ? affineZooms(options.affine) : null;
  if (options.spacing) {
    const spacing = options.spacing;
    if (spacing.length !== ndim || !spacing.every((s) => Number.isFinite(s) && s > 0)) {
      throw new InvalidOptionError(
        `writeNifti(spacing): expected ${ndim} positive sizes (one per axis of the shape), got [${spacing.join(', ')}]`,
      );
    }
    const sizes = [...spacing].reverse();
    if (zooms) {
      for (let i = 0; i < Math.min(3, ndim); i++) {
        if (Math.abs(zooms[i] - sizes[i]) > 1e-4 * Math.max(1, sizes[i])) {
          throw new InvalidOptionError(
            `writeNifti: spacing [${spacing.join(', ')}] disagrees with the affine's voxel sizes ` +
              `[${zooms.slice(0, Math.min(3, ndim)).reverse().join(', ')}]`,
          );
        }
      }
    }
    return sizes;
  }
  return Array.from({ length: ndim }, (_, i) => (zooms && i < 3 ? zooms[i] : 1));
}

function storedArray(values: ArrayLike<number>, datatype: NiftiDatatype): ArrayBufferView {
  const type = datatypeByName(datatype);
  if (values instanceof type.array) return values;
  const out = new type.array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const exact = type.range
      ? Number.isInteger(v) && v >= type.range[0] && v <= type.range[1]
      : datatype === 'float64' || Number.isNaN(v) || Math.fround(v) === v;
    if (!exact)
      throw new NiftiWriteError(
        `writeNifti: value ${v} at index ${i} cannot be stored exactly as ${datatype}`,
      );
    out[i] = v;
  }
  return out;
}

/**
 * Writes a volume as a NIfTI-1 file (little-endian, single `.nii`, gzipped by default) that nibabel, ITK-SNAP
 * and 3D Slicer open with the same shape, voxel sizes and affine. Reading it back with `readNifti` gives the
 * same values and shape (the affine as float32).
 *
 * @param volume - `[W]`, `[H, W]`, `[D, H, W]` or `[T, D, H, W]` (up to 7 axes), stored x fastest so that
 *   nibabel's `get_fdata()[:, :, k].T` is `volume[k]`. Strided views are accepted.
 * @returns the file's bytes.
 * @throws {@link NiftiWriteError} when a value does not fit the datatype exactly; {@link InvalidOptionError}
 *   for a bad shape, affine or spacing.
 */
export function writeNifti(volume: NdArray<NumericArray>, options: NiftiWriteOptions = {}): Uint8Array {
  const shape = volume.shape;
  const ndim = shape.length;
  if (ndim < 1 || ndim > 7 || !shape.every((n) => Number.isInteger(n) && n >= 1 && n <= 32767)) {
    throw new InvalidOptionError(
      `writeNifti(volume): expected 1 to 7 axes of sizes 1–32767, got shape [${shape.join(', ')}]`,
    );
  }
  if (options.affine) checkAffine(options.affine);
  const level = options.level ?? 6;
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new InvalidOptionError(`writeNifti(level): expected an integer 0–9, got ${level}`);
  }
  const description = options.description ?? 'myoseg';
  if (!/^[\x20-\x7e]{0,79}$/.test(description)) {
    throw new InvalidOptionError('writeNifti(description): expected up to 79 printable ASCII characters');
  }
  const values = rowMajorValues(volume);
  const datatype = options.datatype ?? datatypeOfArray(volume.data);
  if (!datatype) throw new InvalidOptionError('writeNifti: give options.datatype for this array type');
  const type = datatypeByName(datatype);
  const stored = storedArray(values, datatype);
  const sizes = voxelSizes(ndim, options);
  const affine: Affine = options.affine ?? [
    [sizes[0], 0, 0, 0],
    [0, sizes[1] ?? 1, 0, 0],
    [0, 0, sizes[2] ?? 1, 0],
    [0, 0, 0, 1],
  ];

  const file = new Uint8Array(VOX_OFFSET + stored.byteLength);
  const view = new DataView(file.buffer);
  view.setInt32(0, NIFTI1_HEADER_BYTES, true);
  const dims = [ndim, ...[...shape].reverse()];
  for (let i = 0; i < 8; i++) view.setInt16(40 + 2 * i, dims[i] ?? 1, true);
  if (options.intent === 'label') {
    view.setInt16(68, NIFTI_INTENT_LABEL, true);
    for (const [i, c] of [...'label'].entries()) file[328 + i] = c.charCodeAt(0);
  }
  view.setInt16(70, type.code, true);
  view.setInt16(72, type.bytes * 8, true);
  const quaternion = affineToQuaternion(affine);
  view.setFloat32(76, quaternion?.qfac ?? 1, true);
  for (let i = 1; i < 8; i++) view.setFloat32(76 + 4 * i, sizes[i - 1] ?? 1, true);
  view.setFloat32(108, VOX_OFFSET, true);
  view.setFloat32(112, 1, true);
  view.setFloat32(116, 0, true);
  view.setUint8(123, UNITS_MM_SECONDS);
  for (let i = 0; i < description.length; i++) file[148 + i] = description.charCodeAt(i);
  if (quaternion) {
    view.setInt16(252, XFORM_SCANNER, true);
    for (let i = 0; i < 3; i++) {
      view.setFloat32(256 + 4 * i, quaternion.quatern[i], true);
      view.setFloat32(268 + 4 * i, quaternion.qoffset[i], true);
    }
  }
  view.setInt16(254, XFORM_SCANNER, true);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 4; c++) view.setFloat32(280 + 16 * r + 4 * c, affine[r][c], true);
  file.set([0x6e, 0x2b, 0x31, 0], 344);
  file.set(new Uint8Array(stored.buffer, stored.byteOffset, stored.byteLength), VOX_OFFSET);
  if (!isLittleEndianHost()) swapBytes(file.subarray(VOX_OFFSET), type.bytes);
  if (options.gzip === false) return file;
  return gzipSync(file, { level: level as 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9, mtime: 0 });
}
