// Inference converters of Activation and Softmax, and the activation that a Conv2D applies.
import { axis, fail } from '../layer-config';
import type { OnnxAttribute } from '../onnx-proto';
import type { LayerContext } from './layer-context';

/** The ONNX ops of tfjs' activations (by their serialized names). */
const ACTIVATIONS: Record<string, { op: string; attributes?: OnnxAttribute[] }> = {
  linear: { op: 'Identity' },
  relu: { op: 'Relu' },
  sigmoid: { op: 'Sigmoid' },
  tanh: { op: 'Tanh' },
  softmax: { op: 'Softmax', attributes: [{ name: 'axis', int: 1 }] },
};

/** Adds node `name`, the layer's `activation` from `input` to `output` (an Identity for `linear`). */
export function activate(ctx: LayerContext, name: string, input: string, output: string): void {
  const key = String(ctx.config.activation);
  const act = Object.hasOwn(ACTIVATIONS, key) ? ACTIVATIONS[key] : undefined;
  if (act === undefined) {
    fail(ctx, `activation '${key}' is not supported (${Object.keys(ACTIVATIONS).join(', ')})`);
  }
  ctx.graph.node(name, act.op, [input], output, act.attributes);
}

/** An Activation layer as its ONNX op (softmax over the channels). */
export function activation(ctx: LayerContext): void {
  activate(ctx, ctx.layer.name, ctx.inputs[0], ctx.output);
}

/** A Softmax layer over its `axis`. */
export function softmax(ctx: LayerContext): void {
  ctx.graph.node(ctx.layer.name, 'Softmax', [ctx.inputs[0]], ctx.output, [{ name: 'axis', int: axis(ctx) }]);
}
