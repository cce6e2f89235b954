import { checkChannelsLast, sides } from '../layer-config';
import type { LayerContext } from './layer-context';

/** A Cropping2D layer as an ONNX `Slice` of the spatial axes. */
export function cropping2d(ctx: LayerContext): void {
  checkChannelsLast(ctx);
  const { top, bottom, left, right } = sides(ctx, 'cropping');
  const [, h, w] = ctx.inputShapes[0];
  const name = ctx.layer.name;
  const bounds = [
    ctx.graph.int64s(`${name}.starts`, [top, left]),
    ctx.graph.int64s(`${name}.ends`, [h - bottom, w - right]),
    ctx.graph.int64s(`${name}.axes`, [2, 3]),
  ];
  ctx.graph.node(name, 'Slice', [ctx.inputs[0], ...bounds], ctx.output);
}
