import { crc32 } from '@myoseg/datasets';
import { zlibSync } from 'fflate';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A chunk as length + type + data + CRC (the CRC covers type and data). */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Writes one row filtered with `filter` (0 None, 1 Sub, 2 Up, 3 Average, 4 Paeth) into `out`
 * and returns the sum of the filtered bytes read as signed values (libpng's heuristic for picking a filter).
 */
function filterRow(filter: number, row: Uint8Array, prev: Uint8Array, out: Uint8Array): number {
  const bpp = 4;
  let cost = 0;
  for (let i = 0; i < row.length; i++) {
    const a = i >= bpp ? row[i - bpp] : 0;
    const b = prev[i];
    const c = i >= bpp ? prev[i - bpp] : 0;
    const predictor =
      filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : paeth(a, b, c);
    const v = (row[i] - predictor) & 0xff;
    out[i] = v;
    cost += v < 128 ? v : 256 - v;
  }
  return cost;
}

/**
 * Encodes 8-bit RGBA pixels as a PNG file (colour type 6, no interlacing).
 *
 * Each row gets the filter (None, Sub, Up, Average or Paeth) with the smallest sum of absolute filtered
 * values, and the filtered rows are zlib-compressed.
 *
 * @param rgba - `width · height · 4` bytes, row-major, R G B A per pixel, top row first.
 * @param width - image width in pixels, an integer ≥ 1.
 * @param height - image height in pixels, an integer ≥ 1.
 * @returns the bytes of the PNG file.
 * @throws RangeError when a size is not a positive integer or `rgba` has the wrong length.
 */
export function encodePng(rgba: Uint8Array, width: number, height: number): Uint8Array {
  for (const [name, value] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > 0x7fffffff) {
      throw new RangeError(`encodePng: ${name} must be an integer in [1, 2^31 - 1], got ${String(value)}`);
    }
  }
  if (!(rgba instanceof Uint8Array) || rgba.length !== width * height * 4) {
    throw new RangeError(
      `encodePng: rgba must be a Uint8Array of width · height · 4 = ${width * height * 4} bytes, got ${
        rgba instanceof Uint8Array ? `${rgba.length} bytes` : String(rgba)
      }`,
    );
  }
  const stride = width * 4;
  const raw = new Uint8Array(height * (stride + 1));
  const candidate = new Uint8Array(stride);
  const best = new Uint8Array(stride);
  let prev: Uint8Array = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const row = rgba.subarray(y * stride, (y + 1) * stride);
    let bestFilter = 0;
    let bestCost = Number.POSITIVE_INFINITY;
    for (let filter = 0; filter <= 4; filter++) {
      const cost = filterRow(filter, row, prev, candidate);
      if (cost < bestCost) {
        bestCost = cost;
        bestFilter = filter;
        best.set(candidate);
      }
    }
    raw[y * (stride + 1)] = bestFilter;
    raw.set(best, y * (stride + 1) + 1);
    prev = row;
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, RGBA, deflate, adaptive filtering, no interlace
  const parts: Uint8Array[] = [
    Uint8Array.from(SIGNATURE),
    chunk('IHDR', header),
    chunk('IDAT', zlibSync(raw, { level: 6 })),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
