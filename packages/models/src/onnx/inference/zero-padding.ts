import { checkChannelsLast, sides } from '../layer-config';
import type { LayerContext } from './layer-context';

/** A ZeroPadding2D layer that no conv folds in: an ONNX `Pad` of the spatial axes. */
export function zeroPadding2d(ctx: LayerContext): void {
  checkChannelsLast(ctx);
  const { top, bottom, left, right } = sides(ctx, 'padding');
  const pads = ctx.graph.int64s(`${ctx.layer.name}.pads`, [0, 0, top, left, 0, 0, bottom, right]);
  ctx.graph.node(ctx.layer.name, 'Pad', [ctx.inputs[0], pads], ctx.output);
}
