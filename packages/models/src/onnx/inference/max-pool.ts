import { checkChannelsLast, pair, windowPads } from '../layer-config';
import type { LayerContext } from './layer-context';

/** A MaxPooling2D layer as an ONNX `MaxPool` with explicit pads. */
export function maxPooling2d(ctx: LayerContext): void {
  checkChannelsLast(ctx);
  const kernel = pair(ctx, 'poolSize');
  const strides = pair(ctx, 'strides');
  // ONNX MaxPool ignores padded cells, as TensorFlow's `same` max-pool does
  ctx.graph.node(ctx.layer.name, 'MaxPool', [ctx.inputs[0]], ctx.output, [
    { name: 'kernel_shape', ints: kernel },
    { name: 'strides', ints: strides },
    { name: 'pads', ints: windowPads(ctx, kernel, strides) },
  ]);
}
