// The ONNX messages an exported U-Net needs, with field numbers from onnx/onnx.proto (IR version 8).
import { ProtoWriter } from './protobuf';

/** ONNX `TensorProto.DataType` values used here. */
export const DataType = { FLOAT: 1, INT64: 7, FLOAT16: 10 } as const;

/** One `AttributeProto`: a named int, float, string or list of ints. */
export type OnnxAttribute =
  | { name: string; int: number }
  | { name: string; float: number }
  | { name: string; string: string }
  | { name: string; ints: readonly number[] };

/** One `NodeProto`; an empty input name marks an optional input left out. */
export interface OnnxNode {
  name: string;
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: readonly OnnxAttribute[];
}

/** One `TensorProto` (an initializer), stored as little-endian `raw_data`; a `Uint16Array` holds float16 bits. */
export interface OnnxTensor {
  name: string;
  dims: readonly number[];
  data: Float32Array | BigInt64Array | Uint16Array;
}

/**
 * One `ValueInfoProto` of a tensor; a string dimension is symbolic (`dim_param`, e.g. the batch), and without
 * `shape` the rank is left open.
 */
export interface OnnxValueInfo {
  name: string;
  shape?: readonly (number | string)[];
  /** The element type (default float32). */
  type?: 'float32' | 'float16' | 'int64';
}

/** One `GraphProto`. */
export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
}

/** One `ModelProto` with a single default-domain opset. */
export interface OnnxModel {
  irVersion: number;
  opsetVersion: number;
  producerName: string;
  producerVersion: string;
  docString?: string;
  graph: OnnxGraph;
}

// AttributeProto.AttributeType
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_INTS = 7;

/** Writes an `AttributeProto`'s fields. */
export function writeAttribute(w: ProtoWriter, a: OnnxAttribute): void {
  w.string(1, a.name);
  if ('int' in a) w.varint(3, a.int).varint(20, ATTR_INT);
  else if ('float' in a) w.float(2, a.float).varint(20, ATTR_FLOAT);
  else if ('string' in a) w.string(4, a.string).varint(20, ATTR_STRING);
  else {
    for (const v of a.ints) w.varint(8, v);
    w.varint(20, ATTR_INTS);
  }
}

/** Writes a `NodeProto`'s fields. */
export function writeNode(w: ProtoWriter, n: OnnxNode): void {
  for (const input of n.inputs) w.string(1, input);
  for (const output of n.outputs) w.string(2, output);
  w.string(3, n.name);
  w.string(4, n.opType);
  for (const a of n.attributes ?? []) w.message(5, (m) => writeAttribute(m, a));
}

/** Writes a `TensorProto`'s fields. */
export function writeTensor(w: ProtoWriter, t: OnnxTensor): void {
  for (const d of t.dims) w.varint(1, d);
  w.varint(
    2,
    t.data instanceof Float32Array
      ? DataType.FLOAT
      : t.data instanceof Uint16Array
        ? DataType.FLOAT16
        : DataType.INT64,
  );
  w.string(8, t.name);
  w.bytes(9, littleEndianBytes(t.data));
}

/** Writes a `ValueInfoProto`: `type.tensor_type { elem_type, shape }`. */
export function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.varint(
        1,
        v.type === 'int64' ? DataType.INT64 : v.type === 'float16' ? DataType.FLOAT16 : DataType.FLOAT,
      );
      const dims = v.shape;
      if (dims === undefined) return;
      tensor.message(2, (shape) => {
        for (const d of dims) {
          shape.message(1, (dim) => (typeof d === 'number' ? dim.varint(1, d) : dim.string(2, d)));
        }
      });
    }),
  );
}

/** Writes a `GraphProto`'s fields. */
export function writeGraph(w: ProtoWriter, g: OnnxGraph): void {
  for (const n of g.nodes) w.message(1, (m) => writeNode(m, n));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, (m) => writeTensor(m, t));
  for (const v of g.inputs) w.message(11, (m) => writeValueInfo(m, v));
  for (const v of g.outputs) w.message(12, (m) => writeValueInfo(m, v));
}

/** Serializes a `ModelProto`: the bytes of an `.onnx` file. */
export function encodeModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.varint(1, model.irVersion);
  w.string(2, model.producerName);
  w.string(3, model.producerVersion);
  if (model.docString) w.string(6, model.docString);
  w.message(7, (g) => writeGraph(g, model.graph));
  w.message(8, (opset) => opset.string(1, '').varint(2, model.opsetVersion));
  return w.finish();
}

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** A copy of the tensor's bytes, little-endian whatever the platform. */
function littleEndianBytes(data: OnnxTensor['data']): Uint8Array {
  const bytes = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  if (LITTLE_ENDIAN) return bytes;
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) {
    if (data instanceof Float32Array) view.setFloat32(4 * i, data[i], true);
    else if (data instanceof Uint16Array) view.setUint16(2 * i, data[i], true);
    else view.setBigInt64(8 * i, data[i], true);
  }
  return bytes;
}
