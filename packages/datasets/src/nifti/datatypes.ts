/** The NIfTI datatypes that myoseg reads and writes, by name. */
export type NiftiDatatype =
  | 'uint8'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'float32'
  | 'float64';

/** The typed arrays that hold NIfTI voxel values (the stored type, or float after `scl_slope` scaling). */
export type NiftiData =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

type ArrayConstructorOf =
  | Uint8ArrayConstructor
  | Int8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor;

/** What the reader and writer need to know about one datatype. */
export interface DatatypeInfo {
  name: NiftiDatatype;
  /** The NIfTI `datatype` code. */
  code: number;
  bytes: number;
  array: ArrayConstructorOf;
  /** Smallest and largest storable value (integers), or null for floats. */
  range: readonly [number, number] | null;
}

export const DATATYPES: readonly DatatypeInfo[] = [
  { name: 'uint8', code: 2, bytes: 1, array: Uint8Array, range: [0, 255] },
  { name: 'int16', code: 4, bytes: 2, array: Int16Array, range: [-32768, 32767] },
  { name: 'int32', code: 8, bytes: 4, array: Int32Array, range: [-2147483648, 2147483647] },
  { name: 'float32', code: 16, bytes: 4, array: Float32Array, range: null },
  { name: 'float64', code: 64, bytes: 8, array: Float64Array, range: null },
  { name: 'int8', code: 256, bytes: 1, array: Int8Array, range: [-128, 127] },
  { name: 'uint16', code: 512, bytes: 2, array: Uint16Array, range: [0, 65535] },
  { name: 'uint32', code: 768, bytes: 4, array: Uint32Array, range: [0, 4294967295] },
];

/** Names of NIfTI datatypes that exist but are not supported, for error messages. */
const OTHER_CODES: Readonly<Record<number, string>> = {
  0: 'UNKNOWN',
  1: 'BINARY',
  32: 'COMPLEX64',
  128: 'RGB24',
  1024: 'INT64',
  1280: 'UINT64',
  1536: 'FLOAT128',
  1792: 'COMPLEX128',
  2048: 'COMPLEX256',
  2304: 'RGBA32',
};

/** The datatype with NIfTI code `code`, or undefined. */
export function datatypeByCode(code: number): DatatypeInfo | undefined {
  return DATATYPES.find((d) => d.code === code);
}

/** The datatype named `name`. */
export function datatypeByName(name: NiftiDatatype): DatatypeInfo {
  return DATATYPES.find((d) => d.name === name)!;
}

/** A readable name for an unsupported datatype code, for error messages. */
export function describeDatatypeCode(code: number): string {
  return OTHER_CODES[code] ? `${code} (${OTHER_CODES[code]})` : String(code);
}

/** The datatype a typed array is written as by default. */
export function datatypeOfArray(data: ArrayLike<number>): NiftiDatatype | undefined {
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return 'uint8';
  return DATATYPES.find((d) => data instanceof d.array)?.name;
}
