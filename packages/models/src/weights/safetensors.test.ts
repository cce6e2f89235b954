import { describe, expect, it } from 'vitest';
import { readFixture } from '../../test/fixtures/helpers';
import { SafetensorsFormatError } from './errors';
import { parseSafetensors, safetensorsToFloat32 } from './safetensors';

/** A safetensors file from a header object (or raw header text) and the data bytes. */
function file(header: object | string, data: ArrayLike<number> = []): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(Array.from(data), 8 + json.length);
  return out;
}

const f32Bytes = (values: number[]) => new Uint8Array(new Float32Array(values).buffer);

describe('parseSafetensors', () => {
  it('reads F16 and BF16 as PyTorch/numpy convert them (fixture), F32 and shapes', () => {
    const f = parseSafetensors(readFixture('dtypes.safetensors'), 'dtypes.safetensors');
    const values = (k: string) => Array.from(safetensorsToFloat32(f.tensors.get(k)!));
    expect(f.tensors.get('f16')?.dtype).toBe('F16');
    expect(values('f16')).toEqual(values('f16_as_f32'));
    expect(f.tensors.get('bf16')?.dtype).toBe('BF16');
    expect(values('bf16')).toEqual(values('bf16_as_f32'));
    expect(values('f16').slice(0, 4)).toEqual([0, -0, 1, -2.5]);
    expect(values('f16')).toContain(Number.POSITIVE_INFINITY);
    expect(f.tensors.get('matrix_f32')?.shape).toEqual([2, 3]);
    expect(values('matrix_f32')).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25]);
  });

  it('keeps __metadata__, tensor order, and reads data at any alignment; F64 too', () => {
    // a 9-byte header puts the data at byte 17: not 4-aligned
    const header =
      '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F64","shape":[],"data_offsets":[8,16]},"__metadata__":{"format":"pt"}}';
    const bytes = file(header, [...f32Bytes([1.5, -3]), ...new Uint8Array(new Float64Array([0.1]).buffer)]);
    const f = parseSafetensors(bytes);
    expect([...f.tensors.keys()]).toEqual(['a', 'b']);
    expect(f.metadata).toEqual({ format: 'pt' });
    expect(Array.from(safetensorsToFloat32(f.tensors.get('a')!))).toEqual([1.5, -3]);
    expect(safetensorsToFloat32(f.tensors.get('b')!)[0]).toBeCloseTo(0.1, 7);
    expect(parseSafetensors(file({})).tensors.size).toBe(0);
  });

  it('refuses non-float dtypes when asked for float32', () => {
    const f = parseSafetensors(readFixture('dtypes.safetensors'));
    expect(f.tensors.get('count_i64')?.dtype).toBe('I64');
    expect(() => safetensorsToFloat32(f.tensors.get('count_i64')!, 'count_i64')).toThrow(
      /count_i64: dtype I64/,
    );
  });

  it.each([
    ['fewer than 8 bytes', new Uint8Array(5), /at least 8 bytes/],
    ['a header longer than the file', file('{}').subarray(0, 9), /header length 2 exceeds/],
    ['a header that is not JSON', file('{"a":'), /not UTF-8 JSON/],
    ['a header that is an array', file('[]'), /not a JSON object/],
    [
      'an unknown dtype',
      file({ a: { dtype: 'F128', shape: [1], data_offsets: [0, 16] } }, new Uint8Array(16)),
      /unknown dtype "F128"/,
    ],
    [
      'a bad shape',
      file({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4)),
      /shape must be/,
    ],
    [
      'offsets past the data',
      file({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, new Uint8Array(4)),
      /within the 4 data bytes/,
    ],
    [
      'a size that disagrees with the shape',
      file({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)),
      /needs 12 bytes, got 8/,
    ],
    [
      'overlapping tensors',
      file(
        {
          a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
        },
        new Uint8Array(8),
      ),
      /starts at byte 4 of the data, expected 8/,
    ],
    [
      'a gap before a tensor',
      file({ a: { dtype: 'U8', shape: [1], data_offsets: [1, 2] } }, new Uint8Array(2)),
      /starts at byte 1/,
    ],
    [
      'bytes no tensor covers',
      file({ a: { dtype: 'U8', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(3)),
      /cover 1 of the 3/,
    ],
    ['metadata that is not strings', file({ __metadata__: { n: 1 } }), /__metadata__.n is not a string/],
  ])('throws a SafetensorsFormatError for %s', (_what, bytes, message) => {
    expect(() => parseSafetensors(bytes, 'x.safetensors')).toThrow(SafetensorsFormatError);
    expect(() => parseSafetensors(bytes, 'x.safetensors')).toThrow(message);
    expect(() => parseSafetensors(bytes, 'x.safetensors')).toThrow(/^x\.safetensors: /);
  });
});
