import { describe, expect, it } from 'vitest';
import { writeAttribute, writeNode, writeTensor, writeValueInfo } from './onnx-proto';
import { ProtoWriter } from './protobuf';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const encode = (write: (w: ProtoWriter) => void) => {
  const w = new ProtoWriter();
  write(w);
  return hex(w.finish());
};

describe('ProtoWriter (bytes worked out by hand from the protobuf encoding rules)', () => {
  it('writes varints: 1, 300 (the protobuf guide’s example), −1 as ten bytes', () => {
    expect(encode((w) => w.varint(1, 1))).toBe('0801');
    expect(encode((w) => w.varint(1, 300))).toBe('08ac02');
    expect(encode((w) => w.varint(3, -1))).toBe('18ffffffffffffffffff01');
    expect(encode((w) => w.varint(20, 2))).toBe('a00102'); // tag (20 << 3) | 0 = 160 = a0 01
  });

  it('writes floats as fixed32 little-endian and strings with their length', () => {
    expect(encode((w) => w.float(2, 0.5))).toBe('150000003f');
    expect(encode((w) => w.string(1, 'axis'))).toBe('0a0461786973');
    expect(encode((w) => w.string(1, 'a'.repeat(200)))).toBe(`0ac801${'61'.repeat(200)}`);
  });

  it('nests messages behind their byte length', () => {
    expect(encode((w) => w.message(7, (m) => m.varint(1, 3).string(2, 'hi')))).toBe('3a06080312026869');
    expect(encode((w) => w.message(1, () => {}))).toBe('0a00');
  });

  it('rejects a varint that is not a safe integer', () => {
    expect(() => new ProtoWriter().varint(1, 0.5)).toThrow(/0.5 is not a safe integer/);
  });
});

describe('ONNX messages', () => {
  it('a NodeProto: inputs, outputs, name, op type, then attributes', () => {
    const node = { name: 'n', opType: 'Relu', inputs: ['x'], outputs: ['y'] };
    expect(encode((w) => writeNode(w, node))).toBe('0a0178' + '120179' + '1a016e' + '220452656c75');
  });

  it('AttributeProtos of each kind, with their AttributeType', () => {
    // name 'axis', i = −1 (field 3), type INT = 2 (field 20)
    expect(encode((w) => writeAttribute(w, { name: 'axis', int: -1 }))).toBe(
      '0a0461786973' + '18ffffffffffffffffff01' + 'a00102',
    );
    // f = 0.5 (field 2, fixed32), type FLOAT = 1
    expect(encode((w) => writeAttribute(w, { name: 'e', float: 0.5 }))).toBe(
      '0a0165' + '150000003f' + 'a00101',
    );
    // s = 'CRD' (field 4), type STRING = 3
    expect(encode((w) => writeAttribute(w, { name: 'm', string: 'CRD' }))).toBe(
      '0a016d' + '2203435244' + 'a00103',
    );
    // ints = [1, 2] unpacked (field 8, proto2), type INTS = 7
    expect(encode((w) => writeAttribute(w, { name: 'p', ints: [1, 2] }))).toBe(
      '0a0170' + '40014002' + 'a00107',
    );
  });

  it('a TensorProto: dims, data type, name, little-endian raw data', () => {
    const t = { name: 'w', dims: [2], data: BigInt64Array.of(1n, -2n) };
    expect(encode((w) => writeTensor(w, t))).toBe(
      '0802' + '1007' + '420177' + '4a10' + '0100000000000000' + 'feffffffffffffff',
    );
    const f = { name: 'b', dims: [1, 1], data: Float32Array.of(1) };
    expect(encode((w) => writeTensor(w, f))).toBe('08010801' + '1001' + '420162' + '4a040000803f');
  });

  it('a ValueInfoProto of a float tensor with a symbolic and a fixed dimension', () => {
    // type (15 bytes) { tensor_type (13) { elem_type: FLOAT, shape (9) { dim { dim_param: 'N' } dim { dim_value: 3 } } } }
    expect(encode((w) => writeValueInfo(w, { name: 'x', shape: ['N', 3] }))).toBe(
      '0a0178' + '120f' + '0a0d' + '0801' + '1209' + '0a0312014e' + '0a020803',
    );
  });
});
