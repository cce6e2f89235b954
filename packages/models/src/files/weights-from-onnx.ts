// A tfjs network's weights read back from the ONNX file of the same network (a folder that stores each network's
// weights once: PipelineFolderOptions.weightsOnce). The ONNX export folds each BatchNormalization into the conv
// before it and pads channels; this undoes the padding and keeps the fold (the BatchNormalization becomes a bias).
import type * as tf from '@tensorflow/tfjs-core';
import { decodeModel } from '../onnx/onnx-decode';
import type { OnnxTensor } from '../onnx/onnx-proto';
import { float16ToFloat32 } from '../weights/float16';
import { ModelFolderError } from './errors';

/** One layer of a tfjs layers-model topology, as `model.json` stores it. */
interface TopologyLayer {
  class_name: string;
  config: { name: string; epsilon?: number; scale?: boolean };
  inbound_nodes?: unknown;
}

function topologyLayers(topology: unknown): TopologyLayer[] {
  const t = topology as {
    model_config?: { config?: { layers?: TopologyLayer[] } };
    config?: { layers?: TopologyLayer[] };
  };
  return (t.model_config?.config?.layers ?? t.config?.layers ?? []) as TopologyLayer[];
}

/** The name of the one layer whose output `layer` reads, or null (none, or several). */
function soleInbound(layer: TopologyLayer): string | null {
  const nodes = layer.inbound_nodes as [string, number, number, unknown][][] | undefined;
  if (!Array.isArray(nodes) || nodes.length !== 1 || nodes[0].length !== 1) return null;
  return nodes[0][0][0];
}

const float32Of = (t: OnnxTensor): Float32Array =>
  t.data instanceof Float32Array
    ? t.data
    : t.data instanceof Uint16Array
      ? Float32Array.from(t.data, float16ToFloat32)
      : Float32Array.from(t.data, Number);

/**
 * A conv's `[kh, kw, in, out]` kernel from the ONNX initializer the exporter wrote for it: `[out', in', kh, kw]`
 * for a `Conv`, `[kh · kw · in', out']` for the GEMM form of tiny maps, with `out' ≥ out` and `in' ≥ in` (channel
 * padding, dropped here).
 */
function kernelOf(t: OnnxTensor, [kh, kw, cin, cout]: number[], where: string): Float32Array {
  const [outP, inP] = t.dims.length === 4 ? t.dims : [t.dims[1], t.dims[0] / (kh * kw)];
  const fits =
    outP >= cout &&
    inP >= cin &&
    Number.isInteger(inP) &&
    (t.dims.length === 4 ? t.dims[2] === kh && t.dims[3] === kw : t.dims.length === 2);
  if (!fits)
    throw new ModelFolderError(
      `${where}: '${t.name}' is [${t.dims.join(', ')}], which cannot hold the model's [${kh}, ${kw}, ${cin}, ${cout}] kernel`,
    );
  const w = float32Of(t);
  const out = new Float32Array(kh * kw * cin * cout);
  if (t.dims.length === 4) {
    for (let y = 0; y < kh; y++)
      for (let x = 0; x < kw; x++)
        for (let i = 0; i < cin; i++)
          for (let o = 0; o < cout; o++)
            out[((y * kw + x) * cin + i) * cout + o] = w[((o * inP + i) * kh + y) * kw + x];
  } else {
    for (let tap = 0; tap < kh * kw; tap++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) out[(tap * cin + i) * cout + o] = w[(tap * inP + i) * outP + o];
  }
  return out;
}

/**
 * The weight data of a tfjs layers model, in the order of `specs`, from the ONNX file `exportOnnx` wrote for the
 * same network: conv kernels unpadded and put back in tfjs' `[kh, kw, in, out]` layout; a BatchNormalization the
 * export folded into its conv becomes a bias (γ = 1, β = the folded bias, mean 0, variance 1 − ε) and the conv's own
 * bias 0, so the network computes what the ONNX file computes; an unfolded one gets its four parameters back.
 *
 * @param topology - the model's `modelTopology` (layer names and which layer feeds which).
 * @param specs - the weights the topology needs (`model.json`'s manifest): every one comes back as float32.
 * @param onnxBytes - the `.onnx` file; @param where - its path, for messages.
 * @throws {@link ModelFolderError} naming the file and the weight it lacks or whose shape differs.
 */
export function weightsFromOnnx(
  topology: unknown,
  specs: readonly tf.io.WeightsManifestEntry[],
  onnxBytes: Uint8Array,
  where: string,
): { specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer } {
  const graph = decodeModel(onnxBytes, where).graph;
  // float16 files store a weight as '<name>_float16', cast to '<name>' in the graph
  const inits = new Map(graph.initializers.map((t) => [t.name.replace(/_float16$/, ''), t]));
  const layers = new Map(topologyLayers(topology).map((l) => [l.config.name, l]));
  const need = (name: string, what: string) => {
    const t = inits.get(name);
    if (!t) throw new ModelFolderError(`${where}: has no initializer '${name}' (${what})`);
    return t;
  };
  /** The conv a BatchNormalization was folded into, or null when the ONNX file keeps the BatchNormalization. */
  const foldedInto = (bn: string) => {
    const layer = layers.get(bn);
    return inits.has(`${bn}.weight`) || !layer ? null : soleInbound(layer);
  };
  const folds = new Set<string>();
  for (const l of layers.values())
    if (l.class_name === 'BatchNormalization') {
      const conv = foldedInto(l.config.name);
      if (conv) folds.add(conv);
    }
  const size = (spec: tf.io.WeightsManifestEntry) => spec.shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(specs.reduce((n, s) => n + size(s), 0));
  let offset = 0;
  for (const spec of specs) {
    const slash = spec.name.lastIndexOf('/');
    const [layer, param] = [spec.name.slice(0, slash), spec.name.slice(slash + 1)];
    const n = size(spec);
    let values: Float32Array;
    if (param === 'kernel') values = kernelOf(need(`${layer}.weight`, spec.name), spec.shape, where);
    else if (param === 'bias')
      values = folds.has(layer)
        ? new Float32Array(n)
        : float32Of(need(`${layer}.bias`, spec.name)).subarray(0, n);
    else {
      const conv = foldedInto(layer);
      const epsilon = layers.get(layer)?.config.epsilon ?? 1e-3;
      if (!conv) {
        const onnxName = {
          gamma: 'weight',
          beta: 'bias',
          moving_mean: 'running_mean',
          moving_variance: 'running_var',
        }[param];
        values = float32Of(need(`${layer}.${onnxName}`, spec.name)).subarray(0, n);
      } else if (param === 'beta') values = float32Of(need(`${conv}.bias`, spec.name)).subarray(0, n);
      else
        values = new Float32Array(n).fill(param === 'moving_mean' ? 0 : param === 'gamma' ? 1 : 1 - epsilon);
    }
    if (values.length !== n)
      throw new ModelFolderError(
        `${where}: '${spec.name}' holds ${values.length} values, the model needs ${n}`,
      );
    data.set(values, offset);
    offset += n;
  }
  return {
    specs: specs.map(({ name, shape }) => ({ name, shape: [...shape], dtype: 'float32' as const })),
    data: data.buffer,
  };
}
