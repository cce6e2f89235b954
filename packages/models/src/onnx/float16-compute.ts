import { toFloat16Bits } from '../files/float16';
import { decodeModel, OnnxFormatError } from './onnx-decode';
import { DataType, encodeModel, type OnnxGraph, type OnnxNode } from './onnx-proto';

/** Node inputs that ONNX requires in float32 whatever the data's type: Resize's `roi` and `scales`. */
const FLOAT32_INPUTS: Readonly<Record<string, readonly number[]>> = { Resize: [1, 2] };

const SUFFIX = '_float16';

const cast = (from: string, to: string, type: number): OnnxNode => ({
  name: `${to}_cast`,
  opType: 'Cast',
  inputs: [from],
  outputs: [to],
  attributes: [{ name: 'to', int: type }],
});

/**
 * The graph computing in float16: its float32 inputs are cast to float16 on entry and its float32 outputs back on
 * exit (callers feed and read float32 as before), float32 weights become float16, and each `Cast` to float32 casts
 * to float16 instead, except those feeding an input ONNX keeps in float32 (Resize's scales).
 *
 * @throws {@link OnnxFormatError} when the graph already computes in float16 or a weight is read both where float32
 *   is required and elsewhere.
 */
export function float16Graph(graph: OnnxGraph, where = 'model'): OnnxGraph {
  if (graph.inputs.some((v) => graph.nodes.some((n) => n.inputs.includes(`${v.name}${SUFFIX}`))))
    throw new OnnxFormatError(`${where}: the graph already computes in float16`);
  const float32 = new Set<string>();
  for (const n of graph.nodes)
    for (const i of FLOAT32_INPUTS[n.opType] ?? []) if (n.inputs[i]) float32.add(n.inputs[i]);
  const renamed = new Map<string, string>();
  const entry: OnnxNode[] = [];
  const exit: OnnxNode[] = [];
  for (const v of graph.inputs.filter((v) => (v.type ?? 'float32') === 'float32')) {
    renamed.set(v.name, `${v.name}${SUFFIX}`);
    entry.push(cast(v.name, `${v.name}${SUFFIX}`, DataType.FLOAT16));
  }
  const outputs = new Set(
    graph.outputs.filter((v) => (v.type ?? 'float32') === 'float32').map((v) => v.name),
  );
  for (const name of outputs) {
    renamed.set(name, `${name}${SUFFIX}`);
    exit.push(cast(`${name}${SUFFIX}`, name, DataType.FLOAT));
  }
  const rename = (name: string) => renamed.get(name) ?? name;
  const nodes = graph.nodes.map((n) => {
    const converted: OnnxNode = { ...n, inputs: n.inputs.map(rename), outputs: n.outputs.map(rename) };
    if (n.opType !== 'Cast' || float32.has(n.outputs[0])) return converted;
    const attributes = n.attributes?.map((a) =>
      a.name === 'to' && 'int' in a && a.int === DataType.FLOAT ? { name: 'to', int: DataType.FLOAT16 } : a,
    );
    return { ...converted, attributes };
  });
  const elsewhere = new Set(
    graph.nodes.flatMap((n) => n.inputs.filter((_, i) => !FLOAT32_INPUTS[n.opType]?.includes(i))),
  );
  const initializers = graph.initializers.map((t) => {
    if (!(t.data instanceof Float32Array)) return t;
    if (!float32.has(t.name)) return { ...t, data: toFloat16Bits(t.data) };
    if (elsewhere.has(t.name))
      throw new OnnxFormatError(
        `${where}: weight '${t.name}' is read where float32 is required and elsewhere`,
      );
    return t;
  });
  return { ...graph, nodes: [...entry, ...nodes, ...exit], initializers };
}

/**
 * The bytes of an `.onnx` file written by `exportOnnx` (float32 or float16 weights), rewritten to compute in
 * float16: float32 inputs are cast to float16 on entry and outputs back on exit, float32 weights become float16, and
 * each `Cast` of a weight casts to float16 (Resize's scales stay float32, as ONNX requires). What WebGPU runs at half
 * the memory traffic on an adapter with `shader-f16`.
 * Inputs and outputs stay float32, so a stage feeds and reads it unchanged. Weights are rounded to float16 (11
 * significant bits); activations are float16 too (range ±65504).
 *
 * @param where - the file's name, for messages.
 * @throws {@link OnnxFormatError} naming the file when it cannot be read back (damaged, external data, another
 *   operator domain) or already computes in float16.
 * @example
 * ```ts
 * const bytes = toFloat16Compute(await readFile('model/segmenter.onnx'), 'segmenter.onnx');
 * const session = await ort.InferenceSession.create(bytes, { executionProviders: ['webgpu'] });
 * ```
 */
export function toFloat16Compute(bytes: Uint8Array, where = 'model'): Uint8Array {
  const model = decodeModel(bytes, where);
  return encodeModel({ ...model, graph: float16Graph(model.graph, where) });
}
