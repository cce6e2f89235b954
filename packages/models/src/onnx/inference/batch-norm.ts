// Inference converter of BatchNormalization, and its parameters for a Conv2D that folds it in.
import type * as tfl from '@tensorflow/tfjs-layers';
import { fail } from '../layer-config';
import type { LayerContext } from './layer-context';

/** BatchNormalization's inference parameters (`[C]` each), with γ = 1 and β = 0 where the layer has none. */
export function batchNormParams(layer: tfl.layers.Layer): {
  gamma: Float32Array;
  beta: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
  epsilon: number;
} {
  const config = layer.getConfig();
  const ctx = { layer };
  if (config.axis !== -1 && config.axis !== 3) {
    fail(ctx, `only the channel axis (-1 or 3) is supported, got ${JSON.stringify(config.axis)}`);
  }
  const values = layer.getWeights().map((t) => t.dataSync() as Float32Array);
  const n = values[values.length - 1].length;
  const gamma = config.scale ? (values.shift() as Float32Array) : new Float32Array(n).fill(1);
  const beta = config.center ? (values.shift() as Float32Array) : new Float32Array(n);
  const [mean, variance] = values;
  return { gamma, beta, mean, variance, epsilon: config.epsilon as number };
}

/** A BatchNormalization layer that no conv folds in: an ONNX `BatchNormalization` on the running statistics. */
export function batchNormalization(ctx: LayerContext): void {
  const { gamma, beta, mean, variance, epsilon } = batchNormParams(ctx.layer);
  const name = ctx.layer.name;
  const c = [gamma.length];
  const params = [
    ctx.graph.floats(`${name}.weight`, c, gamma),
    ctx.graph.floats(`${name}.bias`, c, beta),
    ctx.graph.floats(`${name}.running_mean`, c, mean),
    ctx.graph.floats(`${name}.running_var`, c, variance),
  ];
  ctx.graph.node(name, 'BatchNormalization', [ctx.inputs[0], ...params], ctx.output, [
    { name: 'epsilon', float: epsilon },
  ]);
}
