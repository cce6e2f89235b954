import type * as tfl from '@tensorflow/tfjs-layers';
import { OnnxExportError } from './errors';
import { GraphBuilder } from './graph-builder';
import { CONVERTERS } from './inference/converters';
import type { LayerContext } from './inference/layer-context';
import type { Pads } from './layer-config';
import type { OnnxGraph, OnnxValueInfo } from './onnx-proto';

type Layer = tfl.layers.Layer;
type Symbolic = tfl.SymbolicTensor;

/** The symbolic batch dimension of the graph's inputs and outputs. */
const BATCH = 'N';

/** The single call of `layer` in the model: its input and output symbolic tensors. */
function callOf(layer: Layer): { inputs: Symbolic[]; output: Symbolic } {
  const who = { name: layer.name, className: layer.getClassName() };
  if (layer.inboundNodes.length !== 1) {
    throw new OnnxExportError(
      `the layer is called ${layer.inboundNodes.length} times; only layers called once are supported`,
      who,
    );
  }
  const { inputTensors, outputTensors } = layer.inboundNodes[0];
  if (outputTensors.length !== 1)
    throw new OnnxExportError('layers with several outputs are not supported', who);
  for (const t of [...inputTensors, outputTensors[0]]) {
    if (t.shape.length !== 4 || !t.shape.slice(1).every((n) => Number.isInteger(n))) {
      throw new OnnxExportError(
        `tensors must be [batch, h, w, c] of known size, got [${t.shape.join(', ')}]`,
        who,
      );
    }
  }
  return { inputs: inputTensors, output: outputTensors[0] };
}

/**
 * The ONNX graph of a tfjs functional model of rank-4 NHWC tensors: each graph input is transposed to NCHW,
 * the layers are converted in the model's (topological) order, and each graph output is transposed back to
 * NHWC. A ZeroPadding2D read only by a Conv2D becomes the conv's `pads`; with `foldBatchNorm`, a
 * BatchNormalization that alone reads a linear Conv2D is folded into the conv's weight and bias. Channel
 * concatenations that a conv reads are padded to a multiple of 8 channels (see the comment in the body).
 */
export function convertModel(model: tfl.LayersModel, name: string, foldBatchNorm: boolean): OnnxGraph {
  const graph = new GraphBuilder();
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  for (const layer of layers) {
    const className = layer.getClassName();
    if (!Object.hasOwn(CONVERTERS, className)) {
      throw new OnnxExportError(`class not supported (supported: ${Object.keys(CONVERTERS).join(', ')})`, {
        name: layer.name,
        className,
      });
    }
  }
  const calls = new Map(layers.map((l) => [l, callOf(l)] as const));
  const consumers = new Map<number, Layer[]>();
  for (const [layer, call] of calls) {
    for (const t of call.inputs) consumers.set(t.id, [...(consumers.get(t.id) ?? []), layer]);
  }
  const outputIds = new Set(model.outputs.map((t) => t.id));
  /** The layer that alone reads `t` when it is of class `className` and `t` is no model output. */
  const soleConsumer = (t: Symbolic, className: string): Layer | undefined => {
    const readers = consumers.get(t.id) ?? [];
    const only = readers.length === 1 && !outputIds.has(t.id) ? readers[0] : undefined;
    return only?.getClassName() === className ? only : undefined;
  };

  const names = new Map<number, string>();
  const inputs: OnnxValueInfo[] = model.inputs.map((t, i) => {
    const [, h, w, c] = t.shape;
    if (t.shape.length !== 4 || ![h, w, c].every((n) => Number.isInteger(n))) {
      throw new OnnxExportError(
        `input ${i} must be [batch, h, w, c] of known size, got [${t.shape.join(', ')}]`,
      );
    }
    const inputName = model.inputNames[i];
    names.set(t.id, `${inputName}:nchw`);
    graph.node(`${inputName}:transpose`, 'Transpose', [inputName], `${inputName}:nchw`, [
      { name: 'perm', ints: [0, 3, 1, 2] },
    ]);
    return { name: inputName, shape: [BATCH, h as number, w as number, c as number] };
  });

  // Channel padding: onnxruntime's fast (NCHWc) convolutions need multiples of 8 channels; fastai's last cross
  // concatenates the 3 image channels to 96 (99). A channel concatenation of ≥ 16 channels that a conv reads gets
  // zero channels up to the next multiple of 8, and they travel through the convs, adds and relus that follow
  // (zero weights in, zero rows out); any other layer, and each graph output, reads a slice of the layer's own.
  const held = new Map<number, number>(); // tensor id → channels it holds in the graph, when padded
  const padded = (c: number) => (c % 8 !== 0 && c >= 16 ? Math.ceil(c / 8) * 8 : c);
  const own = (t: Symbolic) => t.shape[3] as number;
  const unpadded = new Map<number, string>();
  /** The name of `t` in the graph, sliced to its own channels when it holds more. */
  const exact = (t: Symbolic): string => {
    const name = names.get(t.id) as string;
    if (!held.has(t.id)) return name;
    let slice = unpadded.get(t.id);
    if (slice === undefined) {
      const ints = (suffix: string, values: number[]) => graph.int64s(`${name}:unpadded.${suffix}`, values);
      slice = graph.node(
        `${name}:unpadded`,
        'Slice',
        [name, ints('starts', [0]), ints('ends', [own(t)]), ints('axes', [1])],
        `${name}:unpadded`,
      );
      unpadded.set(t.id, slice);
    }
    return slice;
  };
  const chainable = (layer: Layer) =>
    layer.getClassName() === 'Add' ||
    (['Conv2D', 'Activation'].includes(layer.getClassName()) &&
      ['relu', 'linear'].includes(String(layer.getConfig().activation)));

  const folded = new Set<Layer>();
  const paddings = new Map<number, { source: Symbolic; pads: Pads }>();
  for (const [layer, call] of calls) {
    if (folded.has(layer)) continue;
    const className = layer.getClassName();
    const config = layer.getConfig();
    let inputTensors = call.inputs;
    let output = call.output;
    let fusedPads: Pads | undefined;
    let fusedBatchNorm: Layer | undefined;
    if (
      className === 'ZeroPadding2D' &&
      soleConsumer(output, 'Conv2D') &&
      config.dataFormat === 'channelsLast'
    ) {
      const [[top, bottom], [left, right]] = config.padding as number[][];
      paddings.set(output.id, { source: inputTensors[0], pads: [top, left, bottom, right] });
      continue;
    }
    if (className === 'Conv2D') {
      const padding = paddings.get(inputTensors[0].id);
      if (padding) {
        inputTensors = [padding.source];
        fusedPads = padding.pads;
      }
      fusedBatchNorm = foldBatchNorm ? soleConsumer(output, 'BatchNormalization') : undefined;
      if (fusedBatchNorm && config.activation === 'linear') {
        folded.add(fusedBatchNorm);
        output = callOf(fusedBatchNorm).output;
      } else {
        fusedBatchNorm = undefined;
      }
    }
    // which inputs keep their zero channels, and how many channels the output holds
    const heldIn = inputTensors.map((t) => held.get(t.id));
    let keep = false;
    let outputChannels: number | undefined;
    if (className === 'Concatenate' && (config.axis === -1 || config.axis === 3)) {
      const readers = consumers.get(output.id) ?? [];
      const c = padded(own(output));
      if (c > own(output) && readers.some((r) => r.getClassName() === 'Conv2D')) outputChannels = c;
    } else if (chainable(layer) && heldIn[0] !== undefined && heldIn.every((h) => h === heldIn[0])) {
      keep = true;
      if (className !== 'Conv2D') outputChannels = heldIn[0];
      else if (padded(own(output)) > own(output)) outputChannels = padded(own(output));
    }
    if (outputChannels !== undefined) held.set(output.id, outputChannels);
    const outputName = outputIds.has(output.id) ? `${output.sourceLayer.name}:nchw` : output.sourceLayer.name;
    names.set(output.id, outputName);
    const ctx: LayerContext = {
      layer,
      config,
      inputs: inputTensors.map((t) => (keep ? (names.get(t.id) as string) : exact(t))),
      inputShapes: call.inputs.map((t) => t.shape as number[]),
      output: outputName,
      graph,
      fusedPads,
      fusedBatchNorm,
      outputChannels,
      inputChannels: keep ? heldIn[0] : undefined,
    };
    CONVERTERS[className](ctx);
  }

  const outputs: OnnxValueInfo[] = model.outputs.map((t, i) => {
    const outputName = model.outputNames[i];
    graph.node(`${outputName}:transpose`, 'Transpose', [exact(t)], outputName, [
      { name: 'perm', ints: [0, 2, 3, 1] },
    ]);
    return { name: outputName, shape: [BATCH, ...(t.shape.slice(1) as number[])] };
  });
  return { name, nodes: graph.nodes, initializers: graph.initializers, inputs, outputs };
}
