import type * as tfl from '@tensorflow/tfjs-layers';
import { OnnxExportError } from './errors';
import { GraphBuilder } from './graph-builder';
import { CONVERTERS, type LayerContext, type Pads } from './layer-converters';
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
 * BatchNormalization that alone reads a linear Conv2D is folded into the conv's weight and bias.
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
    const outputName = outputIds.has(output.id) ? `${output.sourceLayer.name}:nchw` : output.sourceLayer.name;
    names.set(output.id, outputName);
    const ctx: LayerContext = {
      layer,
      config,
      inputs: inputTensors.map((t) => names.get(t.id) as string),
      inputShapes: call.inputs.map((t) => t.shape as number[]),
      output: outputName,
      graph,
      fusedPads,
      fusedBatchNorm,
    };
    CONVERTERS[className](ctx);
  }

  const outputs: OnnxValueInfo[] = model.outputs.map((t, i) => {
    const outputName = model.outputNames[i];
    graph.node(`${outputName}:transpose`, 'Transpose', [names.get(t.id) as string], outputName, [
      { name: 'perm', ints: [0, 2, 3, 1] },
    ]);
    return { name: outputName, shape: [BATCH, ...(t.shape.slice(1) as number[])] };
  });
  return { name, nodes: graph.nodes, initializers: graph.initializers, inputs, outputs };
}
