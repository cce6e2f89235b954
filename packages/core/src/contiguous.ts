import ndarray from 'ndarray';
import { InvalidShapeError } from './errors';
import type { Mask, NumericNdArray } from './types';

/** True when `arr` is a row-major, offset-free view over the first `size` elements of its data. */
export function isPacked(arr: NumericNdArray): boolean {
  if (arr.offset !== 0) return false;
  let expected = 1;
  for (let d = arr.shape.length - 1; d >= 0; d--) {
    if (arr.shape[d] !== 1 && arr.stride[d] !== expected) return false;
    expected *= arr.shape[d];
  }
  return true;
}

/** Visits every element of a (possibly strided) ndarray in row-major order. */
export function forEachValue(arr: NumericNdArray, visit: (value: number, index: number) => void): void {
  const { shape, stride, offset, data } = arr;
  const dims = shape.length;
  if (dims === 0) return;
  const size = shape.reduce((a, b) => a * b, 1);
  if (size === 0) return;
  const pos = new Array<number>(dims).fill(0);
  let ptr = offset;
  const last = dims - 1;
  const lastLen = shape[last];
  const lastStride = stride[last];
  let out = 0;
  for (;;) {
    for (let i = 0; i < lastLen; i++) visit(data[ptr + i * lastStride], out++);
    let d = last - 1;
    for (; d >= 0; d--) {
      pos[d]++;
      ptr += stride[d];
      if (pos[d] < shape[d]) break;
      ptr -= stride[d] * shape[d];
      pos[d] = 0;
    }
    if (d < 0) return;
  }
}

/** Checks that `arr` has `dims` dimensions (one of them, when a list is given). */
export function assertDims(what: string, arr: NumericNdArray, dims: number | readonly number[]): void {
  const allowed = typeof dims === 'number' ? [dims] : dims;
  if (!allowed.includes(arr.shape.length)) {
    throw new InvalidShapeError(
      `${what}: expected ${allowed.map((d) => `${d}D`).join(' or ')} array, got shape [${arr.shape.join(', ')}]`,
    );
  }
}

/** The values of `arr` as a packed row-major Float32Array (a copy unless already packed Float32). */
export function packedFloat32(arr: NumericNdArray): Float32Array {
  const size = arr.size;
  if (arr.data instanceof Float32Array && isPacked(arr)) return arr.data.subarray(0, size);
  const out = new Float32Array(size);
  forEachValue(arr, (v, i) => {
    out[i] = v;
  });
  return out;
}

/** The mask `arr` as packed row-major 0/1 bytes (always a fresh array). */
export function packedBinary(arr: NumericNdArray): Uint8Array {
  const out = new Uint8Array(arr.size);
  if (isPacked(arr)) {
    const data = arr.data;
    for (let i = 0; i < out.length; i++) out[i] = data[i] !== 0 ? 1 : 0;
    return out;
  }
  forEachValue(arr, (v, i) => {
    out[i] = v !== 0 ? 1 : 0;
  });
  return out;
}

/** Wraps packed 0/1 bytes as a mask of the given shape. */
export function maskFrom(data: Uint8Array, shape: readonly number[]): Mask {
  return ndarray(data, [...shape]);
}
