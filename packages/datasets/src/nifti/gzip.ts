import { Inflate, inflateSync } from 'fflate';
import { NiftiFormatError } from '../errors';

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;

let crcTables: Uint32Array[] | undefined;

/**
 * The CRC-32 (IEEE, polynomial 0xEDB88320) of `bytes`, as gzip and PNG store it (slicing-by-8: eight table lookups
 * per eight bytes).
 *
 * @returns an unsigned 32-bit integer; 0 for empty input.
 */
export function crc32(bytes: Uint8Array): number {
  if (!crcTables) {
    const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      tables[0][n] = c >>> 0;
    }
    for (let n = 0; n < 256; n++) {
      for (let t = 1; t < 8; t++) tables[t][n] = (tables[t - 1][n] >>> 8) ^ tables[0][tables[t - 1][n] & 255];
    }
    crcTables = tables;
  }
  const [t0, t1, t2, t3, t4, t5, t6, t7] = crcTables;
  let crc = 0xffffffff;
  let i = 0;
  for (const end = bytes.length - 8; i <= end; i += 8) {
    const a = (crc ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24))) >>> 0;
    crc =
      t7[a & 255] ^
      t6[(a >>> 8) & 255] ^
      t5[(a >>> 16) & 255] ^
      t4[a >>> 24] ^
      t3[bytes[i + 4]] ^
      t2[bytes[i + 5]] ^
      t1[bytes[i + 6]] ^
      t0[bytes[i + 7]];
  }
  for (; i < bytes.length; i++) crc = t0[(crc ^ bytes[i]) & 255] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** True when `bytes` start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The length of the gzip member header at the start of `bytes` (RFC 1952), checked. */
function gzipHeaderLength(bytes: Uint8Array, source: string): number {
  const fail = (problem: string): never => {
    throw new NiftiFormatError(source, problem, 'gzip');
  };
  if (bytes.length < 18) fail(`only ${bytes.length} bytes, too short for a gzip stream (truncated)`);
  if (bytes[2] !== 8) fail(`compression method ${bytes[2]} (expected 8, deflate)`);
  const flags = bytes[3];
  let pos = 10;
  if (flags & FEXTRA) pos += 2 + (bytes[pos] | (bytes[pos + 1] << 8));
  for (const flag of [FNAME, FCOMMENT]) {
    if (flags & flag) {
      while (pos < bytes.length && bytes[pos] !== 0) pos++;
      pos++;
    }
  }
  if (flags & FHCRC) pos += 2;
  if (pos + 8 > bytes.length) fail('the gzip header runs past the end of the file (truncated)');
  return pos;
}

/**
 * Decompresses a single-member gzip stream and checks its CRC-32 and length, so that truncated or corrupt
 * input fails with a {@link NiftiFormatError} instead of giving short or wrong data.
 */
export function gunzipChecked(
  bytes: Uint8Array,
  source: string,
  decoder?: (gz: Uint8Array) => Uint8Array,
): Uint8Array {
  const start = gzipHeaderLength(bytes, source);
  let out: Uint8Array;
  try {
    if (decoder) return decoder(bytes);
    // No preallocated output: fflate would size it from the trailer, which a truncated file makes garbage.
    out = inflateSync(bytes.subarray(start, bytes.length - 8));
  } catch (error) {
    // fflate says "unexpected EOF", zlib "unexpected end of file".
    const message = error instanceof Error ? error.message : String(error);
    const problem = /unexpected (EOF|end)/i.test(message)
      ? 'the compressed data ends early (truncated gzip)'
      : `corrupt gzip data (${message})`;
    throw new NiftiFormatError(source, problem, 'gzip');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 8, 8);
  const storedCrc = view.getUint32(0, true);
  const storedSize = view.getUint32(4, true);
  if (storedSize !== out.length % 0x100000000) {
    throw new NiftiFormatError(
      source,
      `decompressed ${out.length} bytes but the gzip trailer says ${storedSize} (truncated or corrupt gzip)`,
      'gzip',
    );
  }
  if (crc32(out) !== storedCrc) {
    throw new NiftiFormatError(source, 'CRC-32 mismatch (corrupt gzip data)', 'gzip');
  }
  return out;
}

/**
 * The first `length` decompressed bytes of a gzip stream of which only a prefix may be given (to read a
 * header without decompressing the whole file). Returns fewer bytes when the prefix holds fewer.
 */
export function gunzipPrefix(bytes: Uint8Array, length: number, source: string): Uint8Array {
  const start = gzipHeaderLength(bytes, source);
  const chunks: Uint8Array[] = [];
  let have = 0;
  const inflater = new Inflate((chunk) => {
    chunks.push(chunk);
    have += chunk.length;
  });
  // Small steps: a label volume inflates a hundredfold, and only the first `length` bytes are wanted.
  const step = 256;
  try {
    for (let pos = start; pos < bytes.length && have < length; pos += step) {
      inflater.push(bytes.subarray(pos, Math.min(pos + step, bytes.length)), false);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new NiftiFormatError(source, `corrupt gzip data (${message})`, 'gzip');
  }
  const out = new Uint8Array(Math.min(have, length));
  let pos = 0;
  for (const chunk of chunks) {
    if (pos >= out.length) break;
    const take = Math.min(chunk.length, out.length - pos);
    out.set(chunk.subarray(0, take), pos);
    pos += take;
  }
  return out;
}
