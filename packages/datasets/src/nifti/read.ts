import ndarray, { type NdArray } from 'ndarray';
import { NiftiFormatError } from '../errors';
import { type Affine, bestAffine } from './affine';
import { datatypeByCode, type NiftiData, type NiftiDatatype } from './datatypes';
import { isLittleEndianHost, swapBytes } from './endian';
import { gunzipChecked, gunzipPrefix, isGzip } from './gzip';
import {
  datatypeOf,
  NIFTI2_HEADER_BYTES,
  type NiftiHeader,
  parseHeader,
  shapeText,
  voxelCount,
} from './header';

/** A NIfTI image in memory. */
export interface NiftiImage {
  /** The parsed header. */
  header: NiftiHeader;
  /**
   * The voxel values, x fastest (NIfTI order): voxel `(i, j, k, t)` is at `i + nx·(j + ny·(k + nz·t))`.
   * The stored type, or Float32Array (Float64Array for int32, uint32 and float64 data) once `scl_slope`
   * scaling applies.
   */
  data: NiftiData;
  /**
   * The shape in row-major order, nibabel's shape reversed: `[W]`, `[H, W]`, `[D, H, W]` or `[T, D, H, W]`
   * with `W = dim[1]` (i), `H = dim[2]` (j), `D = dim[3]` (k).
   */
  shape: number[];
  /** Voxel sizes per axis of `shape` (`[dz, dy, dx]` for a volume): pixdim, mm for space, as stored for time. */
  spacing: number[];
  /** Voxel `(i, j, k)` to world mm: the sform, else the qform, else a pixdim-based affine as nibabel's. */
  affine: Affine;
  /** The stored datatype (before scaling). */
  datatype: NiftiDatatype;
  /** `data` viewed as an ndarray of shape `shape` (no copy): `volume.get(k, j, i)` is voxel `(i, j, k)`. */
  volume: NdArray<NiftiData>;
}

/** Options of {@link readNifti} and {@link readNiftiHeader}. */
export interface NiftiReadOptions {
  /** The file name (or any label) that error messages give; default `"NIfTI input"`. */
  name?: string;
  /**
   * A gzip decoder to use instead of the built-in one (fflate, with CRC-32 and length checks), e.g. Node's
   * `zlib.gunzipSync`, which is several times faster and checks the same. Its errors become
   * {@link NiftiFormatError}.
   */
  gunzip?: (gz: Uint8Array) => Uint8Array;
}

/** A plain Uint8Array view (a Node Buffer's `slice` would not copy). */
function toBytes(input: Uint8Array | ArrayBuffer): Uint8Array {
  return input instanceof Uint8Array
    ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
    : new Uint8Array(input);
}

/**
 * Reads a NIfTI-1 or NIfTI-2 file (`.nii` or `.nii.gz`) from its bytes: little- or big-endian; uint8, int8,
 * int16, uint16, int32, uint32, float32 or float64 voxels; 1 to 7 dimensions. `scl_slope`/`scl_inter` are
 * applied when the slope is finite and non-zero (and not the identity).
 *
 * @param input - the whole file; gzip is detected from its first bytes.
 * @throws {@link NiftiFormatError} naming the file and field: not a NIfTI file, truncated data, corrupt gzip,
 *   an unsupported datatype, or dims that disagree with the data size. Never returns a partly filled volume.
 */
export function readNifti(input: Uint8Array | ArrayBuffer, options: NiftiReadOptions = {}): NiftiImage {
  const source = options.name ?? 'NIfTI input';
  const raw = toBytes(input);
  const gzipped = isGzip(raw);
  const bytes = gzipped ? toBytes(gunzipChecked(raw, source, options.gunzip)) : raw;
  const header = parseHeader(bytes, source);
  const type = datatypeOf(header);
  const count = voxelCount(header);
  const offset = header.voxOffset;
  const need = count * type.bytes;
  const have = bytes.length - offset;
  if (have !== need) {
    const problem =
      have < need
        ? `header says ${shapeText(header)} ${type.name} voxels (${need} bytes) from vox_offset ${offset} ` +
          `but only ${Math.max(have, 0)} bytes follow (truncated data or wrong dims)`
        : `header says ${shapeText(header)} ${type.name} voxels (${need} bytes) from vox_offset ${offset} ` +
          `but ${have} bytes follow (dims disagree with the data size)`;
    throw new NiftiFormatError(source, problem, 'dim');
  }
  // The decompressed buffer is ours; the caller's raw bytes are copied so that the image never aliases them.
  let data = voxelData(bytes, offset, count, header, !gzipped);
  data = applyScaling(data, header);
  const ndim = header.dim[0];
  const shape = header.dim.slice(1, ndim + 1).reverse();
  const spacing = header.pixdim
    .slice(1, ndim + 1)
    .map(Math.abs)
    .reverse();
  return {
    header,
    data,
    shape,
    spacing,
    affine: bestAffine(header),
    datatype: type.name,
    volume: ndarray(data, shape),
  };
}

/**
 * Reads only the header of a NIfTI file, from its first bytes (a few KiB suffice, gzipped or not), so that
 * shape and spacing are known without decompressing the voxels.
 *
 * @throws {@link NiftiFormatError} when the header is missing, truncated or invalid.
 */
export function readNiftiHeader(
  input: Uint8Array | ArrayBuffer,
  options: NiftiReadOptions = {},
): NiftiHeader {
  const source = options.name ?? 'NIfTI input';
  const raw = toBytes(input);
  const bytes = isGzip(raw) ? gunzipPrefix(raw, NIFTI2_HEADER_BYTES, source) : raw;
  return parseHeader(bytes, source);
}

function voxelData(
  bytes: Uint8Array,
  offset: number,
  count: number,
  header: NiftiHeader,
  copy: boolean,
): NiftiData {
  const type = datatypeByCode(header.datatypeCode)!;
  const start = bytes.byteOffset + offset;
  const swap = type.bytes > 1 && header.littleEndian !== isLittleEndianHost();
  // Only our own decompressed buffer is viewed, and that is a plain ArrayBuffer.
  if (!copy && !swap && start % type.bytes === 0)
    return new type.array(bytes.buffer as ArrayBuffer, start, count);
  const own = bytes.slice(offset, offset + count * type.bytes);
  if (swap) swapBytes(own, type.bytes);
  return new type.array(own.buffer, 0, count);
}

function applyScaling(data: NiftiData, header: NiftiHeader): NiftiData {
  const slope = header.sclSlope;
  const inter = header.sclInter;
  if (slope === 0 || !Number.isFinite(slope) || (slope === 1 && inter === 0)) return data;
  const wide = data instanceof Float64Array || data instanceof Int32Array || data instanceof Uint32Array;
  const out = wide ? new Float64Array(data.length) : new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i] * slope + inter;
  return out;
}
