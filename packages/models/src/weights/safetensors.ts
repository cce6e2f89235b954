import { SafetensorsFormatError } from './errors';
import { bfloat16ToFloat32, float16ToFloat32 } from './float16';

/** The element types safetensors defines. */
export type SafetensorsDtype =
  | 'BOOL'
  | 'U8'
  | 'I8'
  | 'F8_E4M3'
  | 'F8_E5M2'
  | 'U16'
  | 'I16'
  | 'F16'
  | 'BF16'
  | 'U32'
  | 'I32'
  | 'F32'
  | 'U64'
  | 'I64'
  | 'F64';

const ITEM_BYTES: Record<SafetensorsDtype, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
  U16: 2,
  I16: 2,
  F16: 2,
  BF16: 2,
  U32: 4,
  I32: 4,
  F32: 4,
  U64: 8,
  I64: 8,
  F64: 8,
};

/** One tensor of a safetensors file: dtype, shape and its raw little-endian bytes (a view, not a copy). */
export interface SafetensorsTensor {
  /** The element type. */
  readonly dtype: SafetensorsDtype;
  /** The shape, row-major (PyTorch's, e.g. `[out, in, kh, kw]` for a conv weight); `[]` for a scalar. */
  readonly shape: readonly number[];
  /** The raw bytes, `product(shape) × item size` long. */
  readonly data: Uint8Array;
}

/** A parsed safetensors file: its tensors by name (in header order) and its `__metadata__` strings. */
export interface SafetensorsFile {
  /** The tensors by name, in the header's order. */
  readonly tensors: ReadonlyMap<string, SafetensorsTensor>;
  /** The header's `__metadata__` (string to string); empty when absent. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** The header may not exceed 100 MB (the reference implementation's limit). */
const MAX_HEADER_BYTES = 100_000_000;

/**
 * Parses a safetensors file (the format of Hugging Face and timm checkpoints): an 8-byte little-endian header
 * length `n`, `n` bytes of JSON `{name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?}`, then the
 * tensors' bytes, which must cover the data section without gaps or overlaps. Tensor data are views into `bytes`.
 * A file with no tensors gives an empty map.
 *
 * @param bytes - the whole file.
 * @param source - names the file in error messages (default `'safetensors'`).
 * @throws {@link SafetensorsFormatError} for a truncated file, a header that is not such JSON, an unknown dtype,
 *   a shape whose size disagrees with its byte range, or ranges outside the data, overlapping or leaving gaps.
 */
export function parseSafetensors(bytes: Uint8Array, source = 'safetensors'): SafetensorsFile {
  const fail = (why: string): never => {
    throw new SafetensorsFormatError(`${source}: ${why}`);
  };
  if (!(bytes instanceof Uint8Array)) fail('expected the file as a Uint8Array');
  if (bytes.length < 8) fail(`expected at least 8 bytes (the header length), got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (headerLength > Math.min(MAX_HEADER_BYTES, bytes.length - 8)) {
    fail(`header length ${headerLength} exceeds the ${bytes.length - 8} bytes after it (or 100 MB)`);
  }
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)),
    );
  } catch (e) {
    fail(`header is not UTF-8 JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    fail('header is not a JSON object');
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: { name: string; tensor: SafetensorsTensor; begin: number; end: number }[] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        fail('__metadata__ is not an object');
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__.${k} is not a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    const info = (value ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = info.dtype as SafetensorsDtype;
    if (typeof dtype !== 'string' || !Object.hasOwn(ITEM_BYTES, dtype)) {
      fail(`tensor '${name}': unknown dtype ${JSON.stringify(info.dtype)}`);
    }
    const shape = info.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      fail(`tensor '${name}': shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
    }
    const offsets = info.data_offsets;
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
      offsets[0] > offsets[1] ||
      offsets[1] > dataLength
    ) {
      fail(
        `tensor '${name}': data_offsets must be [begin, end] within the ${dataLength} data bytes, got ${JSON.stringify(offsets)}`,
      );
    }
    const [begin, end] = offsets as [number, number];
    const expected = (shape as number[]).reduce((a, b) => a * b, 1) * ITEM_BYTES[dtype];
    if (end - begin !== expected) {
      fail(
        `tensor '${name}': ${dtype}[${(shape as number[]).join(', ')}] needs ${expected} bytes, got ${end - begin}`,
      );
    }
    const data = bytes.subarray(dataStart + begin, dataStart + end);
    entries.push({ name, tensor: { dtype, shape: shape as number[], data }, begin, end });
  }
  let covered = 0;
  for (const e of [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end)) {
    if (e.begin !== covered) {
      fail(
        `tensor '${e.name}' starts at byte ${e.begin} of the data, expected ${covered} (no gaps or overlaps)`,
      );
    }
    covered = e.end;
  }
  if (covered !== dataLength) fail(`the tensors cover ${covered} of the ${dataLength} data bytes`);
  return { tensors: new Map(entries.map((e) => [e.name, e.tensor])), metadata };
}

/** The float dtypes {@link safetensorsToFloat32} decodes. */
export const SAFETENSORS_FLOAT_DTYPES: readonly SafetensorsDtype[] = ['F32', 'F16', 'BF16', 'F64'];

/**
 * The values of a float tensor (F32, F16, BF16 or F64) as a new Float32Array, in the file's (row-major) order.
 *
 * @throws {@link SafetensorsFormatError} for any other dtype.
 */
export function safetensorsToFloat32(tensor: SafetensorsTensor, name = 'tensor'): Float32Array {
  const { dtype, data } = tensor;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const n = data.byteLength / ITEM_BYTES[dtype];
  const out = new Float32Array(n);
  if (dtype === 'F32') {
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
  } else if (dtype === 'F16') {
    for (let i = 0; i < n; i++) out[i] = float16ToFloat32(view.getUint16(2 * i, true));
  } else if (dtype === 'BF16') {
    const scratch = new DataView(new ArrayBuffer(4));
    for (let i = 0; i < n; i++) out[i] = bfloat16ToFloat32(view.getUint16(2 * i, true), scratch);
  } else if (dtype === 'F64') {
    for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
  } else {
    throw new SafetensorsFormatError(`${name}: dtype ${dtype} is not a float type (F32, F16, BF16, F64)`);
  }
  return out;
}
