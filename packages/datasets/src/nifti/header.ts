import { NiftiFormatError } from '../errors';
import { type DatatypeInfo, datatypeByCode, describeDatatypeCode } from './datatypes';

/** The fields of a NIfTI-1 or NIfTI-2 header that myoseg uses (NIfTI-2 widens the same fields). */
export interface NiftiHeader {
  /** 1 for NIfTI-1 (348-byte header), 2 for NIfTI-2 (540-byte header). */
  version: 1 | 2;
  /** Byte order of the header and the data. */
  littleEndian: boolean;
  /** `dim[0..7]`: `dim[0]` is the number of dimensions, `dim[1]` the fastest-varying axis (x, i). */
  dim: number[];
  /** `pixdim[0..7]`: `pixdim[0]` is qfac, `pixdim[1..]` the voxel sizes (mm for space, as stored for time). */
  pixdim: number[];
  /** The NIfTI `datatype` code. */
  datatypeCode: number;
  /** Bits per voxel as stored in the header. */
  bitpix: number;
  /** Byte offset of the voxel data in the file. */
  voxOffset: number;
  /** `scl_slope`: 0 or non-finite means no scaling. */
  sclSlope: number;
  /** `scl_inter`. */
  sclInter: number;
  /** `qform_code` (0: no qform). */
  qformCode: number;
  /** `sform_code` (0: no sform). */
  sformCode: number;
  /** `quatern_b`, `quatern_c`, `quatern_d`. */
  quatern: [number, number, number];
  /** `qoffset_x`, `qoffset_y`, `qoffset_z` in mm. */
  qoffset: [number, number, number];
  /** `srow_x`, `srow_y`, `srow_z`: the first three rows of the sform affine. */
  srow: [number[], number[], number[]];
  /** `xyzt_units`: bits 0–2 the space unit (2 = mm), bits 3–5 the time unit (8 = s). */
  xyztUnits: number;
  /** `intent_code`. */
  intentCode: number;
  /** `cal_min`, `cal_max` (display range; 0, 0 when unset). */
  calRange: [number, number];
  /** `descrip`, up to 80 characters. */
  description: string;
}

/** Header sizes: NIfTI-1 and NIfTI-2. */
export const NIFTI1_HEADER_BYTES = 348;
export const NIFTI2_HEADER_BYTES = 540;

/** Largest voxel data accepted, in bytes (larger volumes would not fit in one typed array). */
const MAX_DATA_BYTES = 2 ** 31 - 1;

function text(bytes: Uint8Array, start: number, length: number): string {
  let out = '';
  for (let i = start; i < start + length && bytes[i] !== 0; i++) out += String.fromCharCode(bytes[i]);
  return out;
}

function printable(bytes: Uint8Array, start: number, length: number): string {
  return Array.from(bytes.subarray(start, start + length), (b) =>
    b >= 32 && b < 127 ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`,
  ).join('');
}

/** Which header a file starts with, from `sizeof_hdr` in either byte order. */
function detectVersion(bytes: Uint8Array, source: string): { version: 1 | 2; littleEndian: boolean } {
  if (bytes.length === 0) throw new NiftiFormatError(source, 'the file is empty (expected a NIfTI header)');
  if (bytes.length < 4) {
    throw new NiftiFormatError(
      source,
      `only ${bytes.length} bytes, too short for a NIfTI header`,
      'sizeof_hdr',
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, 4);
  for (const littleEndian of [true, false]) {
    const size = view.getInt32(0, littleEndian);
    if (size === NIFTI1_HEADER_BYTES) return { version: 1, littleEndian };
    if (size === NIFTI2_HEADER_BYTES) return { version: 2, littleEndian };
  }
  throw new NiftiFormatError(
    source,
    `not a NIfTI file: sizeof_hdr is ${view.getInt32(0, true)} (expected 348 for NIfTI-1 or 540 for NIfTI-2)`,
    'sizeof_hdr',
  );
}

function checkMagic(bytes: Uint8Array, version: 1 | 2, source: string): void {
  if (version === 1) {
    const magic = text(bytes, 344, 4);
    if (magic === 'n+1') return;
    if (magic === 'ni1') {
      throw new NiftiFormatError(
        source,
        "a two-file NIfTI (.hdr/.img, magic 'ni1') is not supported; convert it to a single .nii file",
        'magic',
      );
    }
    throw new NiftiFormatError(
      source,
      `magic is '${printable(bytes, 344, 4)}' (expected 'n+1'; ANALYZE 7.5 files are not supported)`,
      'magic',
    );
  }
  const expected = [0x6e, 0x2b, 0x32, 0, 0x0d, 0x0a, 0x1a, 0x0a];
  if (expected.some((b, i) => bytes[4 + i] !== b)) {
    throw new NiftiFormatError(
      source,
      `magic is '${printable(bytes, 4, 8)}' (expected 'n+2\\0\\r\\n\\x1a\\n')`,
      'magic',
    );
  }
}

function int64(view: DataView, offset: number, littleEndian: boolean, source: string, field: string): number {
  const value = view.getBigInt64(offset, littleEndian);
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(-Number.MAX_SAFE_INTEGER)) {
    throw new NiftiFormatError(source, `value ${value} is out of range`, field);
  }
  return Number(value);
}

/** Where each field sits in a NIfTI-1 and a NIfTI-2 header, and how wide its numbers are. */
interface Layout {
  /** Width of `dim` entries (int16 or int64) and of float fields (float32 or float64), in bytes. */
  intBytes: 2 | 8;
  floatBytes: 4 | 8;
  /** Width of qform_code/sform_code, xyzt_units and intent_code (int16/char or int32). */
  codeBytes: 1 | 2 | 4;
  dim: number;
  pixdim: number;
  datatype: number;
  bitpix: number;
  voxOffset: number;
  sclSlope: number;
  sclInter: number;
  qformCode: number;
  sformCode: number;
  quatern: number;
  qoffset: number;
  srow: number;
  xyztUnits: number;
  intentCode: number;
  calMax: number;
  calMin: number;
  description: number;
}

const NIFTI1: Layout = {
  intBytes: 2,
  floatBytes: 4,
  codeBytes: 2,
  dim: 40,
  pixdim: 76,
  datatype: 70,
  bitpix: 72,
  voxOffset: 108,
  sclSlope: 112,
  sclInter: 116,
  qformCode: 252,
  sformCode: 254,
  quatern: 256,
  qoffset: 268,
  srow: 280,
  xyztUnits: 123,
  intentCode: 68,
  calMax: 124,
  calMin: 128,
  description: 148,
};

const NIFTI2: Layout = {
  intBytes: 8,
  floatBytes: 8,
  codeBytes: 4,
  dim: 16,
  pixdim: 104,
  datatype: 12,
  bitpix: 14,
  voxOffset: 168,
  sclSlope: 176,
  sclInter: 184,
  qformCode: 344,
  sformCode: 348,
  quatern: 352,
  qoffset: 376,
  srow: 400,
  xyztUnits: 500,
  intentCode: 504,
  calMax: 192,
  calMin: 200,
  description: 240,
};

function parseFields(
  view: DataView,
  bytes: Uint8Array,
  version: 1 | 2,
  le: boolean,
  source: string,
): NiftiHeader {
  const at = version === 1 ? NIFTI1 : NIFTI2;
  const float = (o: number) => (at.floatBytes === 4 ? view.getFloat32(o, le) : view.getFloat64(o, le));
  const floats = (o: number, n: number) => Array.from({ length: n }, (_, i) => float(o + at.floatBytes * i));
  const int = (o: number, field: string) =>
    at.intBytes === 2 ? view.getInt16(o, le) : int64(view, o, le, source, field);
  const code = (o: number, bytes = at.codeBytes) =>
    bytes === 4 ? view.getInt32(o, le) : bytes === 2 ? view.getInt16(o, le) : view.getUint8(o);
  const [q0, q1, q2] = floats(at.quatern, 3);
  const [o0, o1, o2] = floats(at.qoffset, 3);
  return {
    version,
    littleEndian: le,
    dim: Array.from({ length: 8 }, (_, i) => int(at.dim + at.intBytes * i, `dim[${i}]`)),
    pixdim: floats(at.pixdim, 8),
    datatypeCode: view.getInt16(at.datatype, le),
    bitpix: view.getInt16(at.bitpix, le),
    voxOffset: version === 1 ? float(at.voxOffset) : int64(view, at.voxOffset, le, source, 'vox_offset'),
    sclSlope: float(at.sclSlope),
    sclInter: float(at.sclInter),
    qformCode: code(at.qformCode),
    sformCode: code(at.sformCode),
    quatern: [q0, q1, q2],
    qoffset: [o0, o1, o2],
    srow: [0, 1, 2].map((r) => floats(at.srow + 4 * at.floatBytes * r, 4)) as NiftiHeader['srow'],
    xyztUnits: code(at.xyztUnits, version === 1 ? 1 : 4),
    intentCode: code(at.intentCode),
    calRange: [float(at.calMin), float(at.calMax)],
    description: text(bytes, at.description, 80),
  };
}

/**
 * Parses and checks a NIfTI-1 or NIfTI-2 header at the start of `bytes` (decompressed).
 *
 * @throws {@link NiftiFormatError} naming `source` and the field at fault.
 */
export function parseHeader(bytes: Uint8Array, source: string): NiftiHeader {
  const { version, littleEndian } = detectVersion(bytes, source);
  const size = version === 1 ? NIFTI1_HEADER_BYTES : NIFTI2_HEADER_BYTES;
  if (bytes.length < size) {
    throw new NiftiFormatError(
      source,
      `only ${bytes.length} bytes, but a NIfTI-${version} header takes ${size} (truncated)`,
    );
  }
  checkMagic(bytes, version, source);
  const view = new DataView(bytes.buffer, bytes.byteOffset, size);
  const header = parseFields(view, bytes, version, littleEndian, source);
  checkHeader(header, source);
  return header;
}

function checkHeader(header: NiftiHeader, source: string): void {
  const ndim = header.dim[0];
  if (!Number.isInteger(ndim) || ndim < 1 || ndim > 7) {
    throw new NiftiFormatError(source, `${ndim} dimensions (expected 1 to 7)`, 'dim[0]');
  }
  for (let i = 1; i <= ndim; i++) {
    if (header.dim[i] < 1) {
      throw new NiftiFormatError(source, `size ${header.dim[i]} (expected a positive size)`, `dim[${i}]`);
    }
  }
  // a zero or NaN voxel size would make every area, volume and distance 0 or NaN, silently
  for (let i = 1; i <= Math.min(ndim, 3); i++) {
    const size = header.pixdim[i];
    if (!Number.isFinite(size) || size === 0) {
      throw new NiftiFormatError(
        source,
        `${size} (expected the voxel size along axis ${i} in mm, finite and not 0)`,
        `pixdim[${i}]`,
      );
    }
  }
  if (!datatypeByCode(header.datatypeCode)) {
    throw new NiftiFormatError(
      source,
      `unsupported datatype ${describeDatatypeCode(header.datatypeCode)} ` +
        '(supported: uint8, int8, int16, uint16, int32, uint32, float32, float64)',
      'datatype',
    );
  }
  const minOffset = header.version === 1 ? NIFTI1_HEADER_BYTES : NIFTI2_HEADER_BYTES;
  if (!Number.isFinite(header.voxOffset) || header.voxOffset < minOffset) {
    throw new NiftiFormatError(
      source,
      `${header.voxOffset} points inside the header (expected at least ${minOffset})`,
      'vox_offset',
    );
  }
  const slope = header.sclSlope;
  if (slope !== 0 && Number.isFinite(slope) && !Number.isFinite(header.sclInter)) {
    throw new NiftiFormatError(source, `${header.sclInter} with a valid scl_slope ${slope}`, 'scl_inter');
  }
  const bytes = voxelCount(header) * datatypeOf(header).bytes;
  if (bytes > MAX_DATA_BYTES) {
    throw new NiftiFormatError(
      source,
      `dims ${shapeText(header)} need ${bytes} bytes of data (more than the 2 GiB supported)`,
      'dim',
    );
  }
}

/** The datatype of a checked header. */
export function datatypeOf(header: NiftiHeader): DatatypeInfo {
  return datatypeByCode(header.datatypeCode)!;
}

/** The number of voxels, `dim[1] × … × dim[dim[0]]`. */
export function voxelCount(header: NiftiHeader): number {
  let n = 1;
  for (let i = 1; i <= header.dim[0]; i++) n *= header.dim[i];
  return n;
}

/** `dim[1..]` as `a×b×c` for messages. */
export function shapeText(header: NiftiHeader): string {
  return header.dim.slice(1, header.dim[0] + 1).join('×');
}
