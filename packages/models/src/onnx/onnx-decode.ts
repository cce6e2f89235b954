// Reads back the ONNX files exportOnnx writes (the subset onnx-proto.ts encodes), so that they can be rewritten
// (float16 compute). Anything outside that subset is refused rather than dropped.
import { MyosegError } from '@myoseg/core';
import {
  DataType,
  type OnnxAttribute,
  type OnnxGraph,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
} from './onnx-proto';
import { bytesOf, int64Of, int64sOf, type ProtoField, protoFields, stringOf } from './proto-reader';

/** An `.onnx` file is not one myoseg can read back: damaged, or using ONNX features its exporter never writes. */
export class OnnxFormatError extends MyosegError {
  /** Always `'ONNX_FORMAT'`. */
  override readonly code: string = 'ONNX_FORMAT';
}

// AttributeProto.AttributeType, as onnx-proto.ts writes them
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 } as const;

const unsupported = (what: string, f: ProtoField) =>
  new RangeError(`${what} field ${f.field} is not supported`);

function decodeAttribute(bytes: Uint8Array): OnnxAttribute {
  let name = '';
  let type = 0;
  let int = 0;
  let float = 0;
  let text = '';
  const ints: number[] = [];
  for (const f of protoFields(bytes)) {
    if (f.field === 1) name = stringOf(f);
    else if (f.field === 2 && f.wire === 'fixed32')
      float = new DataView(f.bytes.buffer, f.bytes.byteOffset).getFloat32(0, true);
    else if (f.field === 3) int = int64Of(f);
    else if (f.field === 4) text = stringOf(f);
    else if (f.field === 8) ints.push(...int64sOf(f));
    else if (f.field === 20) type = int64Of(f);
    else if (f.field !== 13) throw unsupported(`attribute '${name}'`, f); // 13: doc_string
  }
  if (type === ATTR.INT) return { name, int };
  if (type === ATTR.FLOAT) return { name, float };
  if (type === ATTR.STRING) return { name, string: text };
  if (type === ATTR.INTS) return { name, ints };
  throw new RangeError(`attribute '${name}' has type ${type}; only int, float, string and ints are read`);
}

function decodeNode(bytes: Uint8Array): OnnxNode {
  const node = {
    name: '',
    opType: '',
    inputs: [] as string[],
    outputs: [] as string[],
    attributes: [] as OnnxAttribute[],
  };
  for (const f of protoFields(bytes)) {
    if (f.field === 1) node.inputs.push(stringOf(f));
    else if (f.field === 2) node.outputs.push(stringOf(f));
    else if (f.field === 3) node.name = stringOf(f);
    else if (f.field === 4) node.opType = stringOf(f);
    else if (f.field === 5) node.attributes.push(decodeAttribute(bytesOf(f)));
    else if (f.field === 7 && stringOf(f) !== '')
      throw new RangeError(`node '${node.name}' is in domain '${stringOf(f)}'`);
    else if (f.field !== 6 && f.field !== 7) throw unsupported(`node '${node.name}'`, f); // 6: doc_string
  }
  return node;
}

function decodeTensor(bytes: Uint8Array): OnnxTensor {
  let name = '';
  let type = 0;
  let raw: Uint8Array | undefined;
  const dims: number[] = [];
  for (const f of protoFields(bytes)) {
    if (f.field === 1) dims.push(...int64sOf(f));
    else if (f.field === 2) type = int64Of(f);
    else if (f.field === 8) name = stringOf(f);
    else if (f.field === 9) raw = bytesOf(f);
    else if (f.field !== 12) throw unsupported(`initializer '${name}' (only raw_data is read)`, f); // 12: doc_string
  }
  const count = dims.reduce((a, b) => a * b, 1);
  const copy = raw ? new Uint8Array(raw) : new Uint8Array(0); // a copy (Buffer.slice would be a view), aligned, owned by the caller
  const view = new DataView(copy.buffer);
  const size = { [DataType.FLOAT]: 4, [DataType.FLOAT16]: 2, [DataType.INT64]: 8 }[type];
  if (size === undefined)
    throw new RangeError(`initializer '${name}' has data type ${type}; float32, float16 and int64 are read`);
  if (copy.length !== count * size)
    throw new RangeError(`initializer '${name}' has ${copy.length} bytes for ${count} values`);
  if (type === DataType.FLOAT)
    return { name, dims, data: Float32Array.from({ length: count }, (_, i) => view.getFloat32(4 * i, true)) };
  if (type === DataType.FLOAT16)
    return { name, dims, data: Uint16Array.from({ length: count }, (_, i) => view.getUint16(2 * i, true)) };
  return { name, dims, data: BigInt64Array.from({ length: count }, (_, i) => view.getBigInt64(8 * i, true)) };
}

const ELEMENT_TYPES: Record<number, OnnxValueInfo['type']> = {
  [DataType.FLOAT]: 'float32',
  [DataType.FLOAT16]: 'float16',
  [DataType.INT64]: 'int64',
};

function decodeValueInfo(bytes: Uint8Array): OnnxValueInfo {
  const value: { name: string; type?: OnnxValueInfo['type']; shape?: (number | string)[] } = { name: '' };
  for (const f of protoFields(bytes)) {
    if (f.field === 1) value.name = stringOf(f);
    else if (f.field !== 2)
      continue; // 3: doc_string
    else
      for (const t of protoFields(bytesOf(f))) {
        if (t.field !== 1) throw unsupported(`value '${value.name}': type`, t); // only tensor_type
        for (const tt of protoFields(bytesOf(t))) {
          if (tt.field === 1) {
            value.type = ELEMENT_TYPES[int64Of(tt)];
            if (!value.type) throw new RangeError(`value '${value.name}' has element type ${int64Of(tt)}`);
          } else if (tt.field === 2) {
            value.shape = [];
            for (const dim of protoFields(bytesOf(tt)))
              for (const d of protoFields(bytesOf(dim))) {
                if (d.field === 1) value.shape.push(int64Of(d));
                else if (d.field === 2) value.shape.push(stringOf(d));
              }
          }
        }
      }
  }
  return value;
}

function decodeGraph(bytes: Uint8Array): OnnxGraph {
  const graph = {
    name: '',
    nodes: [] as OnnxNode[],
    initializers: [] as OnnxTensor[],
    inputs: [] as OnnxValueInfo[],
    outputs: [] as OnnxValueInfo[],
  };
  for (const f of protoFields(bytes)) {
    if (f.field === 1) graph.nodes.push(decodeNode(bytesOf(f)));
    else if (f.field === 2) graph.name = stringOf(f);
    else if (f.field === 5) graph.initializers.push(decodeTensor(bytesOf(f)));
    else if (f.field === 11) graph.inputs.push(decodeValueInfo(bytesOf(f)));
    else if (f.field === 12) graph.outputs.push(decodeValueInfo(bytesOf(f)));
    else if (f.field !== 10 && f.field !== 13) throw unsupported('graph', f); // doc_string, value_info (dropped)
  }
  return graph;
}

/**
 * The model in an `.onnx` file written by `exportOnnx` (or any file within that subset: default-domain nodes with
 * int, float, string and ints attributes, float32/float16/int64 initializers in `raw_data`, tensor-typed inputs and
 * outputs). Intermediate `value_info` and doc strings of nodes are dropped; they do not change what runs.
 *
 * @param where - the file's name, for messages.
 * @throws {@link OnnxFormatError} naming the file and the part that could not be read (a damaged file, external
 *   data, a subgraph, another operator domain, an opset besides the default one).
 */
export function decodeModel(bytes: Uint8Array, where = 'model'): OnnxModel {
  const model = {
    irVersion: 0,
    opsetVersion: 0,
    producerName: '',
    producerVersion: '',
    docString: undefined as string | undefined,
  };
  let graph: OnnxGraph | undefined;
  try {
    for (const f of protoFields(bytes)) {
      if (f.field === 1) model.irVersion = int64Of(f);
      else if (f.field === 2) model.producerName = stringOf(f);
      else if (f.field === 3) model.producerVersion = stringOf(f);
      else if (f.field === 6) model.docString = stringOf(f);
      else if (f.field === 7) graph = decodeGraph(bytesOf(f));
      else if (f.field === 8) {
        let domain = '';
        let version = 0;
        for (const o of protoFields(bytesOf(f))) {
          if (o.field === 1) domain = stringOf(o);
          else if (o.field === 2) version = int64Of(o);
        }
        if (domain !== '' && domain !== 'ai.onnx')
          throw new RangeError(`opset of domain '${domain}' is not read`);
        model.opsetVersion = version;
      } else if (f.field !== 4 && f.field !== 5 && f.field !== 14) throw unsupported('model', f); // domain, model_version, metadata
    }
  } catch (e) {
    throw new OnnxFormatError(`${where}: cannot read this ONNX file: ${(e as Error).message}`);
  }
  if (!graph || model.opsetVersion === 0)
    throw new OnnxFormatError(`${where}: not an ONNX model (no graph or no default opset)`);
  return { ...model, graph };
}
