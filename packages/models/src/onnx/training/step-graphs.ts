// The walk over a tfjs model that writes a training step: each layer's forward in the model's order, then each
// layer's backward in reverse, through the rules of TRAINING_RULES.
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { OnnxExportError } from '../errors';
import { fail } from '../layer-config';
import type { GradientFlow, LayerRecord } from './rule';
import { TRAINING_RULES } from './rules';
import { perm, type Writer } from './writer';

type Layer = tfl.layers.Layer;
type Symbolic = tfl.SymbolicTensor;

/** The tfjs variable name of a layer weight: the graph's input name for it. */
export const variableName = (w: tfl.LayerVariable): string => (w.read() as tf.Variable).name;

/** The layer's weights by role (`kernel`, `bias`, `gamma`, `beta`, `moving_mean`, `moving_variance`). */
function variablesOf(layer: Layer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const w of layer.weights) {
    const role = w.originalName.split('/').at(-1) as string;
    out[role] = variableName(w);
  }
  return out;
}

/**
 * Writes the forward pass in training mode, from graph input `x` (NHWC) to graph output `y` (NHWC); returns each
 * layer's record and the NCHW name of the model's output.
 */
export function writeForward(w: Writer, model: tfl.LayersModel): { records: LayerRecord[]; output: string } {
  const records: LayerRecord[] = [];
  const names = new Map<number, string>();
  const [input] = model.inputs;
  names.set(input.id, w.op('Transpose', ['x'], perm([0, 3, 1, 2]), 't:input'));
  for (const layer of model.layers) {
    const className = layer.getClassName();
    if (className === 'InputLayer') continue;
    if (layer.inboundNodes.length !== 1) fail({ layer }, 'layers called more than once are not supported');
    const node = layer.inboundNodes[0];
    const out = node.outputTensors[0];
    const r: LayerRecord = {
      layer,
      className,
      config: layer.getConfig(),
      inputs: node.inputTensors.map((t: Symbolic) => names.get(t.id) as string),
      output: `t:${layer.name}`,
      inputShapes: node.inputTensors.map((t: Symbolic) => t.shape as number[]),
      outputShape: out.shape as number[],
      saved: {},
      vars: variablesOf(layer),
    };
    if (!Object.hasOwn(TRAINING_RULES, className)) fail(r, 'class not supported for training');
    TRAINING_RULES[className].forward(w, r);
    names.set(out.id, r.output);
    records.push(r);
  }
  if (model.outputs.length !== 1) throw new OnnxExportError('training graphs need a model with one output');
  const y = names.get(model.outputs[0].id) as string;
  w.op('Transpose', [y], perm([0, 2, 3, 1]), 'y');
  return { records, output: y };
}

/**
 * Writes the backward pass from graph input `dy` (the gradient of `y`, NHWC) to the gradients of the `trainable`
 * variables, each output `grad:<variable>`; returns those outputs' names by variable.
 */
export function writeBackward(
  w: Writer,
  records: LayerRecord[],
  output: string,
  trainable: ReadonlySet<string>,
): Map<string, string> {
  // which tensors lead to a trainable variable's use downstream: only they need a gradient
  const needs = new Set<string>();
  for (const r of records) {
    const own = Object.values(r.vars).some((v) => trainable.has(v));
    if (own || r.inputs.some((i) => needs.has(i))) needs.add(r.output);
  }
  const contributions = new Map<string, string[]>();
  const give = (tensor: string, grad: string) => {
    if (needs.has(tensor)) contributions.set(tensor, [...(contributions.get(tensor) ?? []), grad]);
  };
  const gradOf = (tensor: string): string | undefined => {
    const parts = contributions.get(tensor);
    if (parts === undefined) return undefined;
    return parts.length === 1 ? parts[0] : w.op('Sum', parts);
  };
  give(output, w.op('Transpose', ['dy'], perm([0, 3, 1, 2])));
  const out = new Map<string, string>();

  for (const r of [...records].reverse()) {
    const g = gradOf(r.output);
    if (g === undefined) continue;
    const flow: GradientFlow = {
      needs: (tensor) => needs.has(tensor),
      give,
      weight: (role, write) => {
        const variable = r.vars[role];
        if (variable === undefined || !trainable.has(variable)) return;
        write(`grad:${variable}`);
        out.set(variable, `grad:${variable}`);
      },
    };
    TRAINING_RULES[r.className].backward(w, r, g, flow);
  }
  return out;
}
